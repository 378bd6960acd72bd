"""Receiving a declaration (323): message checks, then every line checked and stored as accepted or rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from regiekamer.care.models import Assignment
from regiekamer.core.periods import month_end
from regiekamer.declarations.constants import LineStatus
from regiekamer.declarations.models import Declaration, DeclarationLine
from regiekamer.declarations.rules import AssignmentFacts, EarlierLine, LineFacts, check_line
from regiekamer.ijw import constants as ijw
from regiekamer.ijw.model import DeclarationMessage, Performance
from regiekamer.messaging.context import AssignmentRef, DebitRef, IngestContext, OpenDebit
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.messaging.results import Handled


def _check_message(message: DeclarationMessage, provider_id: int, ctx: IngestContext) -> None:
    if message.period_start.day != 1 or message.period_end != month_end(message.period_start):
        raise MessageRejected("Declaratie/DeclaratiePeriode", "CS340", "declaratieperiode is niet precies één kalendermaand")
    net = sum(p.amount_cents if p.debit_credit is ijw.DebitCredit.DEBET else -p.amount_cents
              for p in message.performances)
    stated = message.total_cents if message.total_debit_credit is ijw.DebitCredit.DEBET else -message.total_cents
    if net != stated:
        raise MessageRejected("Declaratie/TotaalIngediendBedrag", "TR358",
                              f"totaal ingediend bedrag ({stated} cent) is niet de som van de prestaties ({net} cent)")
    if ctx.declaration_numbers.get((provider_id, message.number)):
        raise MessageRejected("Declaratie/DeclaratieNummer", "TR333",
                              f"declaratienummer {message.number} is al eerder ingediend")


def handle_declaration(message: DeclarationMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    provider = ctx.provider(message.header.sender, "Header/Afzender")
    municipality = ctx.municipality(message.header.receiver, "Header/Ontvanger")
    _check_message(message, provider.id, ctx)
    stage = ctx.stage
    ctx.declaration_numbers.put(stage, (provider.id, message.number), True)
    declaration = stage.add(
        Declaration, message_id=stored.pk, number=message.number, provider_id=provider.id,
        municipality_id=municipality.id, period_start=message.period_start, period_end=message.period_end,
        signed_on=message.signed_on, total_cents=message.total_cents,
        total_debit_credit=message.total_debit_credit.value)
    rows = []
    # Per message, not per line: reading a model instance's field goes through Django's descriptor.
    provider_id, municipality_id, region_id = provider.id, municipality.id, municipality.region_id
    rejected = 0
    by_rule: Counter[str] = Counter()
    # Credit lines first, so that a credit and its corrected debit may travel in one message (OP366).
    for performance in sorted(message.performances, key=lambda p: p.debit_credit is ijw.DebitCredit.DEBET):
        assignment = ctx.assignments.get((municipality_id, performance.assignment_number))
        client_key = ctx.lookup_hash(performance.bsn)  # an invalid BSN is a line rule (CS002), not a refusal
        client = ctx.clients.get(client_key) if client_key else None
        client_id = client.id if client else None
        key: OpenDebit | None = (assignment.id, performance.product.code or "", performance.period_start,
                                 performance.period_end) if assignment else None
        original = (ctx.debits.get((provider_id, performance.previous_reference))
                    if performance.previous_reference else None)
        product = ctx.products.get((region_id, performance.product.code or ""))
        line_reference = (provider_id, performance.reference)
        facts = LineFacts(
            line=performance, client_id=client_id, provider_id=provider_id,
            assignment=_facts(ctx, assignment), reference_taken=bool(ctx.line_references.get(line_reference)),
            contract_tariff_cents=ctx.tariffs.tariff(product.id if product else None, provider_id,
                                                     performance.period_start),
            declaration_period_end=message.period_end,
            contracted=ctx.is_contracted(provider_id, product, performance.period_start),
            responsible_municipality=(ctx.assignment_elsewhere(performance.assignment_number, provider_id, client_id,
                                                               municipality_id)
                                      if assignment is None and client_id else None),
            open_debit_exists=key is not None and bool(ctx.open_debits.get(
                key, stored=not ctx.stage.is_new(Assignment, key[0]))),
            credited_line=EarlierLine(original.assignment_number, original.product_code, original.period_start,
                                      original.period_end, original.volume, original.amount_cents,
                                      original.credited) if original else None,
        )
        broken = check_line(facts)
        accepted = not broken
        codes = [rule.code for rule in broken]
        if codes:
            by_rule.update(codes)
        ctx.line_references.put(stage, line_reference, True)
        if accepted:
            _remember_accepted(ctx, provider_id, performance, assignment, original)
        rows.append(stage.add(
            DeclarationLine, declaration_id=declaration.pk, client_id=client_id, municipality_id=municipality_id,
            provider_id=provider_id, assignment_number=performance.assignment_number,
            assignment_id=assignment.id if assignment else None, product_id=product.id if product else None,
            product_code=performance.product.code or "",
            reference=performance.reference, previous_reference=performance.previous_reference or "",
            period_start=performance.period_start, period_end=performance.period_end,
            volume=performance.delivered_volume, unit=performance.unit.value,
            tariff_cents=performance.tariff_cents, amount_cents=performance.amount_cents,
            debit_credit=performance.debit_credit.value,
            status=LineStatus.ACCEPTED if accepted else LineStatus.REJECTED,
            rule_codes=" ".join(codes)))
        rejected += not accepted
    return Handled(records=len(rows), lines_accepted=len(rows) - rejected, lines_rejected=rejected,
                   rejected_by_rule=by_rule, lines=rows)


def _remember_accepted(ctx: IngestContext, provider_id: int, performance: Performance,
                       assignment: AssignmentRef | None, original: DebitRef | None) -> None:
    """Keep the lookups current for the next lines: open debits per assignment, and credited debits."""
    stage = ctx.stage
    if performance.debit_credit is ijw.DebitCredit.CREDIT:
        if original is None:
            return
        ctx.debits.put(stage, (provider_id, original.reference), replace(original, credited=True))
        if original.assignment_id is not None:
            ctx.open_debits.put(stage, (original.assignment_id, original.product_code, original.period_start,
                                        original.period_end), False)
        return
    ctx.debits.put(stage, (provider_id, performance.reference), DebitRef(
        assignment.id if assignment else None, performance.assignment_number, performance.product.code or "",
        performance.period_start, performance.period_end, performance.delivered_volume, performance.amount_cents,
        performance.reference, credited=False))
    if assignment is not None:
        ctx.open_debits.put(stage, (assignment.id, performance.product.code or "", performance.period_start,
                                    performance.period_end), True)


def _facts(ctx: IngestContext, assignment: AssignmentRef | None) -> AssignmentFacts | None:
    if assignment is None:
        return None
    facts = ctx.assignment_facts.get(assignment)  # the lines of a declaration often share an assignment
    if facts is None:
        product = ctx.products_by_id[assignment.product_id]
        facts = ctx.assignment_facts[assignment] = AssignmentFacts(
            client_id=assignment.client_id, provider_id=assignment.provider_id, product_code=product.code,
            category=product.category, unit=assignment.unit, start=assignment.start, end=assignment.end,
            volume=assignment.volume, frequency=assignment.frequency)
    return facts
