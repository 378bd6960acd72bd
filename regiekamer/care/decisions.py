"""The municipality decides on a provider's request for assignment (315): honour it with a 301 or reject it
with a 319. The outgoing message is written to an outbox folder, for the municipality's message broker."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from regiekamer.care.models import Assignment, Referral
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


class DecisionError(ValueError):
    """A decision that cannot be taken; nothing was changed or written."""


@dataclass(frozen=True)
class Decision:
    referral: Referral
    outbox_file: Path
    assignment: Assignment | None = None


def _open_referral(provider_agb: str, reference: str) -> Referral:
    referral = (Referral.objects.select_related("client", "municipality", "provider", "product")
                .filter(provider__agb_code=provider_agb, provider_reference=reference).first())
    if referral is None:
        raise DecisionError(f"geen verzoek om toewijzing {reference} van aanbieder {provider_agb}")
    if referral.decision:
        raise DecisionError(f"over verzoek {reference} is al besloten ({referral.decision})")
    return referral


def _header(kind: str, referral: Referral, today: date) -> Header:
    return Header(kind=MESSAGE_KINDS[kind], sender=referral.municipality.cbs_code, receiver=referral.provider.agb_code,
                  identification=f"{kind[2:]}{secrets.token_hex(4).upper()}"[:12], sent_on=today)


def _write(outbox: Path, header: Header, data: bytes) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{header.kind.name}-{header.sender}-{header.receiver}-{header.identification}.xml"
    path.write_bytes(data)
    return path


@transaction.atomic
def honour(provider_agb: str, reference: str, *, volume: int, unit: Unit, frequency: Frequency, start: date,
           end: date, today: date, outbox: Path, bsn_key: str) -> Decision:
    """Create the assignment and write the 301 with all the client's current assignments at this provider
    (OP087); only the new one carries the provider's reference (IV094)."""
    referral = _open_referral(provider_agb, reference)
    if end < start:
        raise DecisionError("einddatum ligt voor de ingangsdatum")
    municipality, provider, client = referral.municipality, referral.provider, referral.client
    number = (Assignment.objects.filter(municipality=municipality).aggregate(n=Max("number"))["n"] or 0) + 1
    assignment = Assignment.objects.create(
        number=number, municipality=municipality, client=client, provider=provider, product=referral.product,
        referral=referral, referrer_type=referral.referrer_type, assigned_on=today, start=start, end=end,
        volume=volume, unit=unit.value, frequency=frequency.value)
    referral.decision = "toegekend"
    referral.save(update_fields=["decision"])
    current = (Assignment.objects.filter(client=client, provider=provider, municipality=municipality)
               .current_on(today).select_related("product").order_by("number"))
    header = _header("JW301", referral, today)
    protector = protector_for(bsn_key)
    if not client.identity_encrypted:
        raise DecisionError("van deze cliënt is geen naam bekend; een 301 kan niet worden opgesteld")
    identity = json.loads(protector.decrypt(client.identity_encrypted))
    person = Person(bsn=protector.decrypt(client.bsn_encrypted), birth_date=client.birth_date, gender=client.gender,
                    surname=identity["surname"], initials=identity["initials"])
    products = [AssignedProduct(
        number=a.number, product=Product(a.product.category, a.product.code), assigned_on=a.assigned_on,
        assigned_at=time(12, 0) if a.id != assignment.id else datetime.now().time().replace(microsecond=0),
        start=a.start, end=a.end,
        volume=Volume(a.volume, Unit(a.unit), Frequency(a.frequency)) if a.volume is not None else None,
        provider_reference=reference if a.id == assignment.id else None) for a in current]
    path = _write(outbox, header, write.write(AssignmentMessage(header, person, "", products)))
    return Decision(referral, path, assignment)


@transaction.atomic
def reject(provider_agb: str, reference: str, *, reason: str, today: date, outbox: Path,
           responsible_municipality: str | None = None) -> Decision:
    """Write the 319 that rejects the request with its WJ759 reason (8: woonplaatsbeginsel, naming the
    municipality that is responsible)."""
    referral = _open_referral(provider_agb, reference)
    header = _header("JW319", referral, today)
    try:
        data = write.write(RequestAnswerMessage(header, reference, "1", reason, responsible_municipality))
    except ValueError as error:
        raise DecisionError(str(error)) from None
    referral.decision, referral.rejection_reason = "afgewezen", reason
    referral.save(update_fields=["decision", "rejection_reason"])
    return Decision(referral, _write(outbox, header, data))
