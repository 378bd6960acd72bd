"""Receiving a declaration (323): message checks, then every line checked and stored as accepted or rejected."""

from __future__ import annotations

from collections import Counter
from datetime import date

from regiekamer.care.models import Assignment
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.periods import month_end
from regiekamer.declarations.constants import DebitCredit, LineStatus
from regiekamer.declarations.models import Declaration, DeclarationLine
from regiekamer.declarations.rules import AssignmentFacts, EarlierLine, LineFacts, check_line
from regiekamer.ijw import constants as ijw
from regiekamer.ijw.model import DeclarationMessage
from regiekamer.messaging.context import AssignmentRef, IngestContext
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.messaging.results import Handled

OpenKey = tuple[int, str, date, date]


def _check_message(message: DeclarationMessage, provider_id: int, ctx: IngestContext) -> None:
    if message.period_start.day != 1 or message.period_end != month_end(message.period_start):
        raise MessageRejected("Declaratie/DeclaratiePeriode", "CS340", "declaratieperiode is niet precies één kalendermaand")
    net = sum(p.amount_cents if p.debit_credit is ijw.DebitCredit.DEBET else -p.amount_cents
              for p in message.performances)
    stated = message.total_cents if message.total_debit_credit is ijw.DebitCredit.DEBET else -message.total_cents
    if net != stated:
        raise MessageRejected("Declaratie/TotaalIngediendBedrag", "TR358",
                              f"totaal ingediend bedrag ({stated} cent) is niet de som van de prestaties ({net} cent)")
    numbers = ctx.declaration_numbers.get(provider_id)
    if numbers is None:
        numbers = ctx.declaration_numbers[provider_id] = set(
            Declaration.objects.filter(provider_id=provider_id).values_list("number", flat=True))
    if message.number in numbers:
        raise MessageRejected("Declaratie/DeclaratieNummer", "TR333",
                              f"declaratienummer {message.number} is al eerder ingediend")


def handle_declaration(message: DeclarationMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    provider = ctx.provider(message.header.sender, "Header/Afzender")
    municipality = ctx.municipality(message.header.receiver, "Header/Ontvanger")
    _check_message(message, provider.id, ctx)
    ctx.declaration_numbers[provider.id].add(message.number)
    declaration = Declaration.objects.create(
        message=stored, number=message.number, provider=provider, municipality=municipality,
        period_start=message.period_start, period_end=message.period_end, signed_on=message.signed_on,
        total_cents=message.total_cents, total_debit_credit=message.total_debit_credit.value,
    )
    lines = message.performances
    assignments = _assignments(ctx, municipality.id, {p.assignment_number for p in lines})
    products = {p.product.code: ctx.products.get((municipality.region_id, p.product.code or "")) for p in lines}
    taken = ctx.line_references.get(provider.id)
    if taken is None:  # every reference this provider used, loaded once per ingest run (TR314)
        taken = ctx.line_references[provider.id] = set(
            DeclarationLine.objects.filter(provider=provider).values_list("reference", flat=True))
    previous = {p.previous_reference for p in lines if p.previous_reference}
    originals: dict[str, DeclarationLine] = {}
    credited: set[str] = set()
    if previous:
        originals = {row.reference: row for row in DeclarationLine.objects.filter(
            provider=provider, status=LineStatus.ACCEPTED, debit_credit=DebitCredit.DEBET, reference__in=previous)}
        credited = set(DeclarationLine.objects.filter(
            provider=provider, status=LineStatus.ACCEPTED, debit_credit=DebitCredit.CREDIT,
            previous_reference__in=set(originals)).values_list("previous_reference", flat=True))
    _load_open_debits(ctx, {a.id for a in assignments.values()}, provider.id)
    open_debits = ctx.open_debits

    rows = []
    # Credit lines first, so that a credit and its corrected debit may travel in one message (OP366).
    for performance in sorted(lines, key=lambda p: p.debit_credit is ijw.DebitCredit.DEBET):
        assignment = assignments.get(performance.assignment_number)
        client_id = ctx.client_id(performance.bsn, "Client/Bsn") if is_valid_bsn(performance.bsn) else None
        key: OpenKey | None = ((assignment.id, performance.product.code or "", performance.period_start,
                                performance.period_end) if assignment else None)
        original = originals.get(performance.previous_reference or "")
        product = products.get(performance.product.code)
        facts = LineFacts(
            line=performance, client_id=client_id, provider_id=provider.id,
            assignment=_facts(ctx, assignment), reference_taken=performance.reference in taken,
            contract_tariff_cents=ctx.tariffs.tariff(product.id if product else None, provider.id,
                                                     performance.period_start),
            declaration_period_end=message.period_end,
            contracted=ctx.is_contracted(provider.id, product, performance.period_start),
            responsible_municipality=(_elsewhere(performance.assignment_number, provider.id, client_id,
                                                 municipality.id) if assignment is None and client_id else None),
            open_debit_exists=key in open_debits if key else False,
            credited_line=EarlierLine(original.assignment_number, original.product_code, original.period_start,
                                      original.period_end, original.volume, original.amount_cents,
                                      original.reference in credited) if original else None,
        )
        broken = check_line(facts)
        accepted = not broken
        taken.add(performance.reference)
        if accepted and performance.debit_credit is ijw.DebitCredit.CREDIT and original is not None:
            credited.add(original.reference)
            if original.assignment_id is not None:
                open_debits.discard((original.assignment_id, original.product_code, original.period_start,
                                     original.period_end))
        elif accepted and key:
            open_debits.add(key)
        rows.append(DeclarationLine(
            declaration=declaration, client_id=client_id, municipality=municipality, provider=provider,
            assignment_number=performance.assignment_number, assignment_id=assignment.id if assignment else None,
            product=product, product_code=performance.product.code or "",
            reference=performance.reference, previous_reference=performance.previous_reference or "",
            period_start=performance.period_start, period_end=performance.period_end,
            volume=performance.delivered_volume, unit=performance.unit.value,
            tariff_cents=performance.tariff_cents, amount_cents=performance.amount_cents,
            debit_credit=performance.debit_credit.value,
            status=LineStatus.ACCEPTED if accepted else LineStatus.REJECTED,
            rule_codes=" ".join(rule.code for rule in broken),
        ))
    DeclarationLine.objects.bulk_create(rows, batch_size=500)
    rejected = [row for row in rows if row.status == LineStatus.REJECTED]
    return Handled(records=len(rows), lines_accepted=len(rows) - len(rejected), lines_rejected=len(rejected),
                   rejected_by_rule=Counter(code for row in rejected for code in row.rule_codes.split()))


def _assignments(ctx: IngestContext, municipality_id: int, numbers: set[int]) -> dict[int, AssignmentRef]:
    """Assignments by number, from the ingest cache where possible and one query for the rest."""
    found = {n: ctx.assignments[(municipality_id, n)] for n in numbers if (municipality_id, n) in ctx.assignments}
    missing = numbers - set(found)
    if missing:
        for number, *row in Assignment.objects.filter(municipality_id=municipality_id, number__in=missing).values_list(
                "number", *AssignmentRef.FIELDS):
            found[number] = ctx.assignments[(municipality_id, number)] = AssignmentRef(*row)
    return found


def _facts(ctx: IngestContext, assignment: AssignmentRef | None) -> AssignmentFacts | None:
    if assignment is None:
        return None
    product = ctx.products_by_id[assignment.product_id]
    return AssignmentFacts(client_id=assignment.client_id, provider_id=assignment.provider_id,
                           product_code=product.code, category=product.category, unit=assignment.unit,
                           start=assignment.start, end=assignment.end, volume=assignment.volume,
                           frequency=assignment.frequency)


def _elsewhere(number: int, provider_id: int, client_id: int, receiver_id: int) -> str | None:
    """The municipality that holds this client's assignment when the declaration went to another one."""
    return (Assignment.objects.filter(number=number, provider_id=provider_id, client_id=client_id)
            .exclude(municipality_id=receiver_id).values_list("municipality__cbs_code", flat=True).first())


def _load_open_debits(ctx: IngestContext, assignment_ids: set[int], provider_id: int) -> None:
    """Make ctx.open_debits complete for these assignments: accepted debit lines not (yet) credited.

    Loaded from the database once per assignment per ingest run; the handler keeps the set current."""
    missing = assignment_ids - ctx.debits_loaded
    if not missing:
        return
    debits = list(DeclarationLine.objects.filter(
        assignment_id__in=missing, status=LineStatus.ACCEPTED, debit_credit=DebitCredit.DEBET,
    ).values_list("assignment_id", "product_code", "period_start", "period_end", "reference"))
    credited = set(DeclarationLine.objects.filter(
        provider_id=provider_id, status=LineStatus.ACCEPTED, debit_credit=DebitCredit.CREDIT,
        previous_reference__in=[row[4] for row in debits]).values_list("previous_reference", flat=True)) if debits else set()
    ctx.open_debits.update((a, p, s, e) for a, p, s, e, ref in debits if ref not in credited)
    ctx.debits_loaded.update(missing)
