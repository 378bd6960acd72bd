"""The municipality's decisions, each sent to the provider as a message in an outbox folder (for the
municipality's message broker):

- honour a request for assignment (315) with a 301, or reject it with a 319;
- honour a request for change (317) with a 301 that carries the complete new situation (IV093), or reject it;
- assign care from its own access decision, without a request, with a 301.

Every 301 carries all the client's current assignments at that provider (OP087).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from regiekamer.care.changes import (
    ChangeNotPossible,
    PlannedAssignment,
    WantedChange,
    WantedProduct,
    plan_change,
)
from regiekamer.care.constants import ReferrerType
from regiekamer.care.models import Assignment, ChangeRequest, Client, Referral
from regiekamer.contracts.models import Product as ProductModel
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.protect import protector_for
from regiekamer.ijw import write
from regiekamer.ijw.constants import MESSAGE_KINDS, Frequency, Unit
from regiekamer.ijw.model import (
    AssignedProduct,
    AssignmentMessage,
    Header,
    Person,
    Product,
    RequestAnswerMessage,
    Volume,
)
from regiekamer.messaging.turns import take_turn
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality


class DecisionError(ValueError):
    """A decision that cannot be taken; nothing was changed or written."""


@dataclass(frozen=True)
class Decision:
    outbox_file: Path
    assignments: tuple[Assignment, ...] = ()  # created or changed by the decision
    referral: Referral | None = None
    change_request: ChangeRequest | None = None

    @property
    def assignment(self) -> Assignment | None:
        return self.assignments[0] if self.assignments else None


def _header(kind: str, municipality: Municipality, provider: Provider, today: date) -> Header:
    name = MESSAGE_KINDS[kind].name
    return Header(kind=MESSAGE_KINDS[kind], sender=municipality.cbs_code, receiver=provider.agb_code,
                  identification=f"{name[-3:]}{secrets.token_hex(4).upper()}"[:12], sent_on=today)


def _write(outbox: Path, header: Header, data: bytes) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{header.kind.name}-{header.sender}-{header.receiver}-{header.identification}.xml"
    path.write_bytes(data)
    return path


def _next_number(municipality: Municipality) -> int:
    return (Assignment.objects.filter(municipality=municipality).aggregate(n=Max("number"))["n"] or 0) + 1


def _person(client: Client, bsn_key: str) -> Person:
    if not client.identity_encrypted:
        raise DecisionError("van deze cliënt is geen naam bekend; een 301 kan niet worden opgesteld")
    protector = protector_for(bsn_key)
    identity = json.loads(protector.decrypt(client.identity_encrypted))
    return Person(bsn=protector.decrypt(client.bsn_encrypted), birth_date=client.birth_date, gender=client.gender,
                  surname=identity["surname"], initials=identity["initials"])


def _send_301(client: Client, provider: Provider, municipality: Municipality, *, today: date, outbox: Path,
              bsn_key: str, decided: set[int], references: dict[int, str]) -> Path:
    """Write the 301: every assignment of the client at this provider valid on or after today, plus those
    changed by this decision (OP087). Assignments decided now get the current time; `references` gives the
    provider's reference per assignment number (IV093/IV094)."""
    rows = (Assignment.objects.filter(client=client, provider=provider, municipality=municipality)
            .filter(number__in=decided) | Assignment.objects.filter(client=client, provider=provider,
                                                                  municipality=municipality).current_on(today))
    now = datetime.now().time().replace(microsecond=0)
    products = [AssignedProduct(
        number=a.number, product=Product(a.product.category, a.product.code), assigned_on=a.assigned_on,
        assigned_at=now if a.number in decided else time(12, 0), start=a.start, end=a.end,
        volume=Volume(a.volume, Unit(a.unit), Frequency(a.frequency)) if a.volume is not None else None,
        budget_cents=a.budget_cents, provider_reference=references.get(a.number),
        change_reason=a.change_reason or None) for a in rows.select_related("product").distinct().order_by("number")]
    header = _header("JW301", municipality, provider, today)
    return _write(outbox, header, write.write(AssignmentMessage(header, _person(client, bsn_key), "", products)))


# --- requests for assignment (315) ------------------------------------------------------------------------------

def _open_referral(provider_agb: str, reference: str) -> Referral:
    referral = (Referral.objects.select_related("client", "municipality", "provider", "product")
                .filter(provider__agb_code=provider_agb, provider_reference=reference).first())
    if referral is None:
        raise DecisionError(f"geen verzoek om toewijzing {reference} van aanbieder {provider_agb}")
    if referral.decision:
        raise DecisionError(f"over verzoek {reference} is al besloten ({referral.decision})")
    return referral


@transaction.atomic
def honour(provider_agb: str, reference: str, *, volume: int, unit: Unit, frequency: Frequency, start: date,
           end: date, today: date, outbox: Path, bsn_key: str) -> Decision:
    """Create the assignment and write the 301 with all the client's current assignments at this provider
    (OP087); only the new one carries the provider's reference (IV094)."""
    take_turn()  # other writers (an ingest) see this decision before their next batch
    referral = _open_referral(provider_agb, reference)
    if end < start:
        raise DecisionError("einddatum ligt voor de ingangsdatum")
    municipality, provider, client = referral.municipality, referral.provider, referral.client
    assignment = Assignment.objects.create(
        number=_next_number(municipality), municipality=municipality, client=client, provider=provider,
        product=referral.product, referral=referral, referrer_type=referral.referrer_type, assigned_on=today,
        start=start, end=end, volume=volume, unit=unit.value, frequency=frequency.value)
    referral.decision = "toegekend"
    referral.save(update_fields=["decision"])
    path = _send_301(client, provider, municipality, today=today, outbox=outbox, bsn_key=bsn_key,
                     decided={assignment.number}, references={assignment.number: reference})
    return Decision(path, (assignment,), referral=referral)


# --- requests for change (317) ----------------------------------------------------------------------------------

def _open_change_request(provider_agb: str, reference: str) -> ChangeRequest | None:
    request = (ChangeRequest.objects.select_related("client", "municipality", "provider")
               .filter(provider__agb_code=provider_agb, provider_reference=reference).first())
    if request is not None and request.status != ChangeRequest.Status.OPEN:
        raise DecisionError(f"over verzoek om wijziging {reference} is al besloten ({request.status})")
    return request


def _wanted(desired: dict, products: dict[str, ProductModel]) -> tuple[list[WantedChange], list[WantedProduct]]:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    changed = [WantedChange(c["toewijzing"], date.fromisoformat(c["ingang"]), day(c["einde"]), c["volume"],
                            c["eenheid"], c["frequentie"], c["budget"]) for c in desired["te_wijzigen"]]
    new = []
    for n in desired["nieuw"]:
        product = products.get(n["product"] or "")
        if product is None:
            raise DecisionError(f"het verzoek vraagt product {n['product']}, dat niet in de productcodelijst staat")
        new.append(WantedProduct(product.code, date.fromisoformat(n["ingang"]), day(n["einde"]), n["volume"],
                                 n["eenheid"] or product.unit, n["frequentie"] or Frequency.PER_MAAND.value,
                                 n["budget"]))
    return changed, new


@transaction.atomic
def honour_change(provider_agb: str, reference: str, *, today: date, outbox: Path, bsn_key: str) -> Decision:
    """Honour a request for change as asked (IV093: all or nothing): change, end and add assignments, and write
    the 301 in which every product carries the request's reference."""
    take_turn()  # other writers (an ingest) see this decision before their next batch
    request = _open_change_request(provider_agb, reference)
    if request is None:
        raise DecisionError(f"geen verzoek om wijziging {reference} van aanbieder {provider_agb}")
    client, provider, municipality = request.client, request.provider, request.municipality
    # The assignments current when the provider asked (what the request was checked against, TR349).
    stored = {a.number: a for a in Assignment.objects.filter(client=client, provider=provider,
                                                             municipality=municipality)
              .current_on(request.requested_on).select_related("product")}
    current = {number: PlannedAssignment(number, a.product.code, a.start, a.end, a.volume, a.unit, a.frequency,
                                         a.budget_cents, a.change_reason) for number, a in stored.items()}
    products = {p.code: p for p in ProductModel.objects.filter(region=municipality.region)}
    changed, new = _wanted(request.desired, products)
    try:
        plan = plan_change(current, request.desired["ongewijzigd"], changed, new)
    except ChangeNotPossible as error:
        raise DecisionError(str(error)) from None
    touched = []
    number = _next_number(municipality)
    for planned in plan:
        values = dict(start=planned.start, end=planned.end, volume=planned.volume, unit=planned.unit,
                      frequency=planned.frequency, budget_cents=planned.budget_cents,
                      change_reason=planned.change_reason)
        if planned.is_new:
            origin = stored.get(planned.derived_from or -1)
            touched.append(Assignment.objects.create(
                number=number, municipality=municipality, client=client, provider=provider,
                product=products[planned.product_code], assigned_on=today,
                referral=origin.referral if origin else None,
                referrer_type=origin.referrer_type if origin else ReferrerType.GEMEENTE, **values))
            number += 1
        elif planned.number not in request.desired["ongewijzigd"]:
            assignment = stored[planned.number]
            for name, value in values.items():
                setattr(assignment, name, value)
            assignment.assigned_on = today
            assignment.save()
            touched.append(assignment)
    request.status = ChangeRequest.Status.HONOURED
    request.save(update_fields=["status"])
    numbers = {p.number for p in plan if p.number} | {a.number for a in touched}
    path = _send_301(client, provider, municipality, today=today, outbox=outbox, bsn_key=bsn_key,
                     decided={a.number for a in touched}, references=dict.fromkeys(numbers, reference))
    return Decision(path, tuple(touched), change_request=request)


# --- rejecting either kind of request ---------------------------------------------------------------------------

@transaction.atomic
def reject(provider_agb: str, reference: str, *, reason: str, today: date, outbox: Path,
           responsible_municipality: str | None = None) -> Decision:
    """Write the 319 that rejects a request for assignment or for change with its WJ759 reason (8:
    woonplaatsbeginsel, naming the municipality that is responsible)."""
    take_turn()  # other writers (an ingest) see this decision before their next batch
    change_request = _open_change_request(provider_agb, reference)
    referral = None if change_request else _open_referral(provider_agb, reference)
    request = change_request or referral
    assert request is not None
    header = _header("JW319", request.municipality, request.provider, today)
    try:
        data = write.write(RequestAnswerMessage(header, reference, "1", reason, responsible_municipality))
    except ValueError as error:
        raise DecisionError(str(error)) from None
    if change_request is not None:
        change_request.status = ChangeRequest.Status.REJECTED
        change_request.save(update_fields=["status"])
    else:
        assert referral is not None
        referral.decision, referral.rejection_reason = "afgewezen", reason
        referral.save(update_fields=["decision", "rejection_reason"])
    return Decision(_write(outbox, header, data), referral=referral, change_request=change_request)


# --- the municipality's own access decision -----------------------------------------------------------------------

def is_known_client(bsn: str, bsn_key: str) -> bool:
    return is_valid_bsn(bsn) and Client.objects.filter(bsn_hash=protector_for(bsn_key).lookup_hash(bsn)).exists()


@transaction.atomic
def assign(municipality_code: str, person: Person, provider_agb: str, product_code: str, *, volume: int | None,
           unit: Unit, frequency: Frequency, start: date, end: date | None, today: date, outbox: Path,
           bsn_key: str) -> Decision:
    """Assign care after the municipality's own access decision (no request; referrer: the municipality).

    A client seen for the first time is registered with the identity given; a known client keeps theirs."""
    take_turn()  # other writers (an ingest) see this decision before their next batch
    municipality = Municipality.objects.filter(cbs_code=municipality_code).first()
    provider = Provider.objects.filter(agb_code=provider_agb).first()
    if municipality is None:
        raise DecisionError(f"gemeente {municipality_code} staat niet in het contractregister")
    if provider is None:
        raise DecisionError(f"aanbieder {provider_agb} staat niet in het contractregister")
    product = ProductModel.objects.filter(region=municipality.region, code=product_code).first()
    if product is None:
        raise DecisionError(f"product {product_code} staat niet in de productcodelijst van de regio")
    if not is_valid_bsn(person.bsn):
        raise DecisionError("BSN voldoet niet aan de 11-proef")
    if end is not None and end < start:
        raise DecisionError("einddatum ligt voor de ingangsdatum")
    protector = protector_for(bsn_key)
    client = Client.objects.filter(bsn_hash=protector.lookup_hash(person.bsn)).first()
    if client is None:
        client = Client.objects.create(
            bsn_hash=protector.lookup_hash(person.bsn), bsn_encrypted=protector.encrypt(person.bsn),
            identity_encrypted=protector.encrypt(json.dumps({"surname": person.surname,
                                                             "initials": person.initials})),
            pseudonym=protector.pseudonym(person.bsn), birth_date=person.birth_date, gender=person.gender,
            municipality=municipality)
    overlapping = Assignment.objects.filter(client=client, provider=provider, product=product).current_on(start)
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():  # OP259: the same product may not be assigned twice for the same period
        raise DecisionError(f"de cliënt heeft {product_code} bij deze aanbieder al toegewezen in deze periode")
    assignment = Assignment.objects.create(
        number=_next_number(municipality), municipality=municipality, client=client, provider=provider,
        product=product, referrer_type=ReferrerType.GEMEENTE, assigned_on=today, start=start, end=end,
        volume=volume, unit=unit.value, frequency=frequency.value)
    path = _send_301(client, provider, municipality, today=today, outbox=outbox, bsn_key=bsn_key,
                     decided={assignment.number}, references={})
    return Decision(path, (assignment,))
