"""Lookups shared by the message handlers during one ingest run, cached to keep ingest fast."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from django.conf import settings

from regiekamer.care.models import Assignment, Client
from regiekamer.contracts.models import Contract, Product, Tariff
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.protect import BsnProtector, protector_for
from regiekamer.ijw.model import Person
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality


class IngestContext:
    def __init__(self) -> None:
        self.protector: BsnProtector = protector_for(settings.BSN_KEY)
        self.municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        self.providers = {p.agb_code: p for p in Provider.objects.all()}
        self.products: dict[tuple[int, str], Product] = {
            (p.region_id, p.code): p for p in Product.objects.all()
        }
        self.products_by_id = {p.id: p for p in self.products.values()}
        self._clients: dict[str, tuple[int, int]] = {}  # lookup hash -> (client id, municipality id)
        # Content hashes of every stored message: a file seen before is skipped without parsing it.
        self.known_digests: set[str] = set(ReceivedMessage.objects.values_list("sha256", flat=True))
        self.assignments: dict[tuple[int, int], AssignmentRef] = {}
        self.declaration_numbers: dict[int, set[str]] = {}  # per provider, loaded on first use
        self.line_references: dict[int, set[str]] = {}  # per provider, loaded on first use
        self.open_debits: set[tuple[int, str, date, date]] = set()  # accepted, uncredited debits ...
        self.debits_loaded: set[int] = set()  # ... complete for these assignment ids
        self.tariffs = TariffBook()
        self.contracted_lots: dict[int, list[tuple[int, date, date]]] = {}
        for contract in Contract.objects.prefetch_related("lots"):
            for lot in contract.lots.all():
                self.contracted_lots.setdefault(contract.provider_id, []).append((lot.id, contract.start, contract.end))

    def municipality(self, code: str, record: str) -> Municipality:
        municipality = self.municipalities.get(code)
        if municipality is None:
            raise MessageRejected(record, "TR378", f"gemeentecode {code} is onbekend in het contractregister")
        return municipality

    def provider(self, agb: str, record: str) -> Provider:
        provider = self.providers.get(agb)
        if provider is None:
            raise MessageRejected(record, "AGB-ONBEKEND", f"AGB-code {agb} is geen bekende aanbieder in deze regio")
        return provider

    def product(self, municipality: Municipality, code: str | None, record: str) -> Product:
        product = self.products.get((municipality.region_id, code or ""))
        if product is None:
            raise MessageRejected(record, "TR381", f"productcode {code} hoort niet bij de productcodelijst van de regio")
        return product

    def _known_client(self, bsn: str, record: str) -> tuple[str, tuple[int, int] | None]:
        """The BSN's lookup hash and, when the client exists, (client id, municipality id)."""
        if not is_valid_bsn(bsn):
            raise MessageRejected(record, "CS002", "BSN voldoet niet aan de 11-proef")
        key = self.protector.lookup_hash(bsn)
        if key not in self._clients:
            found = Client.objects.filter(bsn_hash=key).values_list("id", "municipality_id").first()
            if found is None:
                return key, None
            self._clients[key] = found
        return key, self._clients[key]

    def client_id(self, bsn: str, record: str) -> int | None:
        _, known = self._known_client(bsn, record)
        return known[0] if known else None

    def client_for(self, person: Person, municipality: Municipality, record: str) -> int:
        """The client's id, registering the client on first sight; the municipality follows the latest message."""
        key, known = self._known_client(person.bsn, record)
        if known is not None:
            existing, current_municipality = known
            if current_municipality != municipality.id:
                Client.objects.filter(id=existing).update(municipality=municipality)
                self._clients[key] = (existing, municipality.id)
            return existing
        client = Client.objects.create(
            bsn_hash=key,
            bsn_encrypted=self.protector.encrypt(person.bsn),
            identity_encrypted=self.protector.encrypt(json.dumps({"surname": person.surname,
                                                                   "initials": person.initials})),
            pseudonym=self.protector.pseudonym(person.bsn),
            birth_date=person.birth_date,
            gender=person.gender,
            municipality=municipality,
        )
        self._clients[client.bsn_hash] = (client.id, municipality.id)
        return client.id

    def assignment(self, municipality: Municipality, number: int) -> AssignmentRef | None:
        key = (municipality.id, number)
        ref = self.assignments.get(key)
        if ref is None:
            row = (Assignment.objects.filter(municipality=municipality, number=number)
                   .values_list(*AssignmentRef.FIELDS).first())
            if row is None:
                return None
            ref = self.assignments[key] = AssignmentRef(*row)
        return ref

    def is_contracted(self, provider_id: int, product: Product | None, day: date) -> bool:
        """Whether the provider holds a contract for the product's lot on that day."""
        if product is None or product.lot_id is None:
            return False
        return any(lot == product.lot_id and start <= day <= end
                   for lot, start, end in self.contracted_lots.get(provider_id, ()))

    def remember_assignment(self, municipality: Municipality, number: int, ref: AssignmentRef) -> None:
        self.assignments[(municipality.id, number)] = ref

    def forget(self) -> None:
        """After a rolled-back message, what it created or changed no longer exists: drop the caches."""
        self._clients.clear()
        self.assignments.clear()
        self.declaration_numbers.clear()
        self.line_references.clear()
        self.open_debits.clear()
        self.debits_loaded.clear()


@dataclass(frozen=True)
class AssignmentRef:
    """What the handlers need of an assignment, cached for the ingest run."""

    FIELDS: ClassVar[tuple[str, ...]] = ("id", "client_id", "provider_id", "product_id", "unit", "start", "end",
                                         "volume", "frequency")
    id: int
    client_id: int
    provider_id: int
    product_id: int
    unit: str
    start: date
    end: date | None
    volume: int | None
    frequency: str


class TariffBook:
    """Tariffs per product and period, loaded once; a contract-specific tariff wins over the regional one."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[date, date, int, int | None]]] = {}
        for t in Tariff.objects.select_related("contract"):
            provider_id = t.contract.provider_id if t.contract_id else None
            self.rows.setdefault(t.product_id, []).append((t.valid_from, t.valid_to, t.amount_cents, provider_id))

    def tariff(self, product_id: int | None, provider_id: int, day: date) -> int | None:
        matches = [(owner is not None, cents) for start, end, cents, owner in self.rows.get(product_id or -1, [])
                   if start <= day <= end and owner in (None, provider_id)]
        return max(matches)[1] if matches else None
