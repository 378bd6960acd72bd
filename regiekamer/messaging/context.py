"""Lookups shared by the message handlers during one ingest run, cached to keep ingest fast."""

from __future__ import annotations

from django.conf import settings

from regiekamer.care.models import Client
from regiekamer.contracts.models import Product
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.protect import BsnProtector, protector_for
from regiekamer.ijw.model import Person
from regiekamer.messaging.errors import MessageRejected
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
        self._clients: dict[str, int] = {}

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

    def client_id(self, bsn: str, record: str) -> int | None:
        if not is_valid_bsn(bsn):
            raise MessageRejected(record, "CS002", "BSN voldoet niet aan de 11-proef")
        key = self.protector.lookup_hash(bsn)
        if key in self._clients:
            return self._clients[key]
        found = Client.objects.filter(bsn_hash=key).values_list("id", flat=True).first()
        if found is not None:
            self._clients[key] = found
        return found

    def client_for(self, person: Person, municipality: Municipality, record: str) -> int:
        """The client's id, registering the client on first sight; the municipality follows the latest message."""
        existing = self.client_id(person.bsn, record)
        if existing is not None:
            Client.objects.filter(id=existing).exclude(municipality=municipality).update(municipality=municipality)
            return existing
        client = Client.objects.create(
            bsn_hash=self.protector.lookup_hash(person.bsn),
            bsn_encrypted=self.protector.encrypt(person.bsn),
            pseudonym=self.protector.pseudonym(person.bsn),
            birth_date=person.birth_date,
            gender=person.gender,
            municipality=municipality,
        )
        self._clients[client.bsn_hash] = client.id
        return client.id

    def forget_clients(self) -> None:
        """After a rolled-back message, clients it created no longer exist."""
        self._clients.clear()
