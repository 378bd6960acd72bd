"""What the message handlers look up during an ingest: reference data loaded once, and stored facts
(clients, assignments, earlier lines ...) behind set-based lookups that are prefetched per batch.

Every lookup sees the database plus what earlier messages of the batch staged: handlers record what
they stage with `Lookup.put`, which the stage journals, so a rolled-back message leaves no trace here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import ClassVar, Generic, TypeVar

from django.conf import settings
from django.db import connection, models

from regiekamer.care.models import Assignment, CareEpisode, ChangeRequest, Client, Referral
from regiekamer.contracts.models import Contract, Product, Tariff
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.protect import BsnProtector, protector_for
from regiekamer.declarations.constants import DebitCredit, LineStatus
from regiekamer.declarations.models import Declaration, DeclarationLine
from regiekamer.declarations.rules import AssignmentFacts
from regiekamer.ijw.model import (
    AssignmentMessage,
    ChangeRequestMessage,
    DeclarationMessage,
    Message,
    Person,
    RequestMessage,
    StartMessage,
    StopMessage,
)
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.messaging.stage import IdAllocator, Stage
from regiekamer.messaging.turns import take_turn
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
CHUNK = 500  # keys per query
KEEP_AT_MOST = 200_000  # cached clients or assignments kept from one batch to the next


def _chunks(keys: Iterable[K], size: int = CHUNK) -> Iterable[list[K]]:
    iterator = iter(keys)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Lookup(Generic[K, V]):
    """A cache in front of one set-based query. `load(keys)` returns the stored value of each key it finds;
    a key that is not stored is remembered as None, so it is not asked for again."""

    def __init__(self, load: Callable[[list[K]], dict[K, V]]) -> None:
        self._load = load
        self.values: dict[K, V | None] = {}

    def prefetch(self, keys: Iterable[K]) -> None:
        missing = {key for key in keys if key not in self.values}
        for chunk in _chunks(missing):
            found = self._load(chunk)
            for key in chunk:
                self.values[key] = found.get(key)

    def get(self, key: K, stored: bool = True) -> V | None:
        """The value; with stored=False the caller knows the database cannot have it (e.g. it belongs to a
        row staged in this batch), so only what was put is looked at."""
        if key not in self.values:
            if not stored:
                return None
            self.prefetch([key])
        return self.values[key]

    def put(self, stage: Stage, key: K, value: V) -> None:
        stage.put(self.values, key, value)


@dataclass(frozen=True)
class ClientRef:
    id: int
    municipality_id: int


@dataclass(frozen=True)
class AssignmentRef:
    """What the handlers need of an assignment."""

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


@dataclass(frozen=True)
class ReferralRef:
    id: int
    client_id: int
    referrer_type: str


@dataclass(frozen=True)
class EpisodeRef:
    FIELDS: ClassVar[tuple[str, ...]] = ("id", "provider_id", "product_id", "assignment_id", "start", "end",
                                         "stop_reason")
    id: int
    provider_id: int
    product_id: int
    assignment_id: int | None
    start: date
    end: date | None
    stop_reason: str


@dataclass(frozen=True)
class DebitRef:
    """An accepted debit line, as a later credit line needs it."""

    assignment_id: int | None
    assignment_number: int
    product_code: str
    period_start: date
    period_end: date
    volume: int
    amount_cents: int
    reference: str
    credited: bool


OpenDebit = tuple[int, str, date, date]  # assignment id, product code and period of a debit line


class IngestContext:
    def __init__(self) -> None:
        self.protector: BsnProtector = protector_for(settings.BSN_KEY)
        self.ids = IdAllocator()
        self.stage = Stage(self.ids, WRITE_ORDER)
        self.municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        self.municipalities_by_id = {m.id: m for m in self.municipalities.values()}
        self.providers = {p.agb_code: p for p in Provider.objects.all()}
        self.products: dict[tuple[int, str], Product] = {
            (p.region_id, p.code): p for p in Product.objects.all()
        }
        self.products_by_id = {p.id: p for p in self.products.values()}
        self.tariffs = TariffBook()
        self.contracted_lots: dict[int, list[tuple[int, date, date]]] = {}
        self._contracted: dict[tuple[int, int, date], bool] = {}  # answers of is_contracted, this ingest
        for contract in Contract.objects.prefetch_related("lots"):
            for lot in contract.lots.all():
                self.contracted_lots.setdefault(contract.provider_id, []).append((lot.id, contract.start, contract.end))

        self.digests: Lookup[str, bool] = Lookup(_load_digests)
        self.identifications: Lookup[tuple[str, str, str], bool] = Lookup(_load_identifications)
        self.clients: Lookup[str, ClientRef] = Lookup(_load_clients)
        self.assignments: Lookup[tuple[int, int], AssignmentRef] = Lookup(_load_assignments)
        self.referrals: Lookup[tuple[int, str], ReferralRef] = Lookup(_load_referrals)
        self.change_requests: Lookup[tuple[int, str], int] = Lookup(_load_change_requests)
        # Per client and provider: references of requests not yet answered (TR374), and the client's
        # assignments there as (number, start, end) (TR349-351).
        self.open_requests: Lookup[tuple[int, int], frozenset[str]] = Lookup(_load_open_requests)
        self.client_assignments: Lookup[tuple[int, int], tuple[tuple[int, date, date | None], ...]] = Lookup(
            _load_client_assignments)
        self.episodes: Lookup[int, tuple[EpisodeRef, ...]] = Lookup(_load_episodes)
        self.declaration_numbers: Lookup[tuple[int, str], bool] = Lookup(_load_declaration_numbers)
        self.line_references: Lookup[tuple[int, str], bool] = Lookup(_load_line_references)
        self.debits: Lookup[tuple[int, str], DebitRef] = Lookup(_load_debits)
        self.open_debits: Lookup[OpenDebit, bool] = Lookup(_load_open_debits)
        self.turn: int | None = None  # the writer turn this ingest left at its last batch
        self._hashes: dict[str, str | None] = {}  # BSN -> lookup hash, this batch only; never logged or stored
        self.assignment_facts: dict[AssignmentRef, AssignmentFacts] = {}  # as the line rules see them, this batch
        self._lookups = [self.digests, self.identifications, self.clients, self.assignments, self.referrals,
                         self.change_requests, self.open_requests, self.client_assignments, self.episodes, self.declaration_numbers, self.line_references,
                         self.debits, self.open_debits]

    def clear(self) -> None:
        """Forget every stored fact (e.g. after a rolled-back transaction)."""
        self._hashes.clear()
        self.assignment_facts.clear()
        for lookup in self._lookups:
            lookup.values.clear()

    def take_turn(self) -> None:
        """Wait for other writers' transactions; forget everything cached when one of them committed since
        this ingest's last batch (what it cached may be stale)."""
        before = take_turn()
        if self.turn is not None and before != self.turn:
            self.clear()
        self.turn = before + 1

    def next_batch(self) -> None:
        """Between batches: forget the batch's facts, but keep clients and assignments, which the next batches
        mostly ask for again, until they pass KEEP_AT_MOST entries: memory stays bounded however much is
        ingested."""
        self._hashes.clear()
        self.assignment_facts.clear()
        for lookup in self._lookups:
            if lookup not in (self.clients, self.assignments) or len(lookup.values) > KEEP_AT_MOST:
                lookup.values.clear()

    def prefetch(self, messages: list[Message]) -> None:
        """Load, with a few set-based queries, the stored facts a batch of messages will look up."""
        bsns = {m.client.bsn for m in messages if isinstance(m, (RequestMessage, AssignmentMessage, StartMessage,
                                                                    StopMessage))}
        bsns.update(p.bsn for m in messages if isinstance(m, DeclarationMessage) for p in m.performances)
        bsns.update(m.bsn for m in messages if isinstance(m, ChangeRequestMessage))
        self.clients.prefetch(key for bsn in bsns if (key := self.lookup_hash(bsn)))
        self.identifications.prefetch((m.header.kind.name, m.header.sender, m.header.identification) for m in messages)
        assignments: set[tuple[int, int]] = set()
        referrals: set[tuple[int, str]] = set()
        change_requests: set[tuple[int, str]] = set()
        numbers: set[tuple[int, str]] = set()
        lines: set[tuple[int, str]] = set()
        debits: set[tuple[int, str]] = set()
        declared: dict[tuple[int, int], set[tuple[str, date, date]]] = {}
        episode_bsns: set[str] = set()
        pairs_by_bsn: set[tuple[str, int]] = set()  # (BSN, provider id) whose requests and assignments are checked
        for m in messages:
            sender, receiver = m.header.sender, m.header.receiver
            if isinstance(m, AssignmentMessage) and sender in self.municipalities and receiver in self.providers:
                municipality, provider = self.municipalities[sender].id, self.providers[receiver].id
                assignments.update((municipality, p.number) for p in m.products)
                referrals.update((provider, p.provider_reference) for p in m.products if p.provider_reference)
                change_requests.update((provider, p.provider_reference) for p in m.products if p.provider_reference)
                pairs_by_bsn.add((m.client.bsn, provider))
            elif receiver in self.municipalities and sender in self.providers:
                municipality, provider = self.municipalities[receiver].id, self.providers[sender].id
                if isinstance(m, RequestMessage):
                    referrals.update((provider, p.reference) for p in m.products)
                    pairs_by_bsn.add((m.client.bsn, provider))
                elif isinstance(m, ChangeRequestMessage):
                    referrals.add((provider, m.reference))
                    change_requests.add((provider, m.reference))
                    pairs_by_bsn.add((m.bsn, provider))
                elif isinstance(m, (StartMessage, StopMessage)):
                    assignments.update((municipality, p.assignment_number) for p in m.products if p.assignment_number)
                    episode_bsns.add(m.client.bsn)
                elif isinstance(m, DeclarationMessage):
                    numbers.add((provider, m.number))
                    for p in m.performances:
                        declared.setdefault((municipality, p.assignment_number), set()).add(
                            (p.product.code or "", p.period_start, p.period_end))
                    lines.update((provider, p.reference) for p in m.performances)
                    debits.update((provider, p.previous_reference) for p in m.performances if p.previous_reference)
        self.assignments.prefetch(assignments | set(declared))
        self.referrals.prefetch(referrals)
        self.change_requests.prefetch(change_requests)
        self.declaration_numbers.prefetch(numbers)
        self.line_references.prefetch(lines)
        self.debits.prefetch(debits)
        self.open_debits.prefetch((ref.id, *period) for key, periods in declared.items()
                                  if (ref := self.assignments.values.get(key)) for period in periods)
        pairs = {(client.id, provider) for bsn, provider in pairs_by_bsn
                 if (key := self.lookup_hash(bsn)) and (client := self.clients.values.get(key))}
        self.open_requests.prefetch(pairs)
        self.client_assignments.prefetch(pairs)
        clients = (self.clients.values.get(key) for bsn in episode_bsns if (key := self.lookup_hash(bsn)))
        self.episodes.prefetch({client.id for client in clients if client is not None})

    # --- reference data --------------------------------------------------------------------------------------
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

    def is_contracted(self, provider_id: int, product: Product | None, day: date) -> bool:
        """Whether the provider holds a contract for the product's lot on that day."""
        if product is None or product.lot_id is None:
            return False
        key = (provider_id, product.lot_id, day)
        if key not in self._contracted:
            self._contracted[key] = any(lot == product.lot_id and start <= day <= end
                                        for lot, start, end in self.contracted_lots.get(provider_id, ()))
        return self._contracted[key]

    # --- clients ---------------------------------------------------------------------------------------------
    def lookup_hash(self, bsn: str) -> str | None:
        """The BSN's keyed lookup hash, or None when it fails the 11-proef; worked out once per batch."""
        if bsn not in self._hashes:
            self._hashes[bsn] = self.protector.lookup_hash(bsn) if is_valid_bsn(bsn) else None
        return self._hashes[bsn]

    def bsn_key(self, bsn: str, record: str) -> str:
        key = self.lookup_hash(bsn)
        if key is None:
            raise MessageRejected(record, "CS002", "BSN voldoet niet aan de 11-proef")
        return key

    def client_id(self, bsn: str, record: str) -> int | None:
        known = self.clients.get(self.bsn_key(bsn, record))
        return known.id if known else None

    def client_for(self, person: Person, municipality: Municipality, record: str) -> int:
        """The client's id, registering the client on first sight; the municipality follows the latest message."""
        key = self.bsn_key(person.bsn, record)
        known = self.clients.get(key)
        if known is not None:
            if known.municipality_id != municipality.id:
                self.stage.update(Client, known.id, municipality_id=municipality.id)
                self.clients.put(self.stage, key, ClientRef(known.id, municipality.id))
            return known.id
        client = self.stage.add(
            Client, bsn_hash=key, bsn_encrypted=self.protector.encrypt(person.bsn),
            identity_encrypted=self.protector.encrypt(json.dumps({"surname": person.surname,
                                                                   "initials": person.initials})),
            pseudonym=self.protector.pseudonym(person.bsn), birth_date=person.birth_date, gender=person.gender,
            municipality_id=municipality.id)
        self.clients.put(self.stage, key, ClientRef(client.pk, municipality.id))
        self.episodes.put(self.stage, client.pk, ())  # a new client has no care yet
        return client.pk

    def assignment_elsewhere(self, number: int, provider_id: int, client_id: int, receiver_id: int) -> str | None:
        """The municipality that holds this client's assignment when the declaration went to another one."""
        for municipality_id, municipality in self.municipalities_by_id.items():  # what this batch staged, too
            ref = self.assignments.values.get((municipality_id, number))
            if (ref and ref.provider_id == provider_id and ref.client_id == client_id
                    and municipality_id != receiver_id):
                return municipality.cbs_code
        return (Assignment.objects.filter(number=number, provider_id=provider_id, client_id=client_id)
                .exclude(municipality_id=receiver_id).values_list("municipality__cbs_code", flat=True).first())


# --- the set-based loads behind the lookups ------------------------------------------------------------------
#
# Plain SQL through Django's connection: these run a few dozen times per batch with hundreds of keys each,
# where compiling the equivalent QuerySet cost more than running it.

def _columns(model: type[models.Model]) -> dict[str, str]:
    quote = connection.ops.quote_name
    return {field.attname: f"t.{quote(field.column)}" for field in model._meta.concrete_fields}


def _select(model: type[models.Model], columns: Iterable[str], where: dict[str, Collection],
            condition: str = "") -> list[tuple]:
    """Rows of `columns` (attnames) whose `where` columns each take one of the given values, with one query;
    `condition` is extra SQL on the table's own columns (as `t.column`), without parameters."""
    column = _columns(model)
    if connection.vendor == "postgresql":  # one array parameter per column: planned as fast for 500 as for 1
        tests = [f"{column[name]} = ANY(%s::{_db_type(model, name)}[])" for name in where]
        params: list = [list(values) for values in where.values()]
    else:
        tests = [f"{column[name]} IN ({', '.join(['%s'] * len(values))})" for name, values in where.items()]
        params = [value for values in where.values() for value in values]
    sql = (f"SELECT {', '.join(column[name] for name in columns)} FROM {connection.ops.quote_name(model._meta.db_table)} t "
           f"WHERE {' AND '.join(tests + ([condition] if condition else []))}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _db_type(model: type[models.Model], attname: str) -> str:
    """The column's type for a cast, without a length: `'x'::varchar(5)` would cut a longer key short."""
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return field.db_type(connection).split("(")[0]


def _matching(model: type[models.Model], key: tuple[str, ...], keys: Iterable[tuple], *columns: str,
              condition: str = "") -> list[tuple]:
    """Rows whose `key` columns equal one of the keys, with one query: (*key, *columns) each.

    The keys are joined as a table (PostgreSQL: arrays, one per key column, unnested; SQLite: a VALUES list),
    so that each is found through the table's index on the key columns; `column IN (...) AND other IN (...)`
    would also fetch every row matching one value of each. The join order is fixed, keys outside, each key one
    probe of the index: SQLite by CROSS JOIN (without statistics it may otherwise build a temporary index over
    the whole table for every query); PostgreSQL by a LATERAL subquery that OFFSET 0 keeps from being merged
    into the join (its cost model, made for disks, prefers reading and sorting a table of up to some 100,000
    rows for 500 keys: 20 ms and growing with the table, against 3 ms for the probes)."""
    keys = set(keys)
    if not keys:
        return []
    column = _columns(model)
    width = len(key)
    names = ", ".join(f"k{index}" for index in range(width))
    table = connection.ops.quote_name(model._meta.db_table)
    tests = " AND ".join([f"{column[name]} = k.k{index}" for index, name in enumerate(key)]
                         + ([condition] if condition else []))
    selected = ", ".join(column[name] for name in (*key, *columns))
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{_db_type(model, name)}[]" for name in key)
        sql = (f"SELECT s.* FROM unnest({arrays}) AS k({names}) "
               f"CROSS JOIN LATERAL (SELECT {selected} FROM {table} t WHERE {tests} OFFSET 0) AS s")
        params: list = [list(values) for values in zip(*keys)]
    else:
        rows = ", ".join([f"({', '.join(['%s'] * width)})"] * len(keys))
        sql = f"WITH k({names}) AS (VALUES {rows}) SELECT {selected} FROM k CROSS JOIN {table} t WHERE {tests}"
        params = [value for values in keys for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pairs(model: type[models.Model], first: str, second: str, keys: Iterable[tuple], *columns: str,
           condition: str = "") -> list[tuple]:
    """Rows whose (first, second) is one of the keys: (first, second, *columns) each."""
    return _matching(model, (first, second), keys, *columns, condition=condition)


def _load_digests(keys: list[str]) -> dict[str, bool]:
    return {sha256: True for sha256, in _select(ReceivedMessage, ["sha256"], {"sha256": keys})}


def stored_digests(digests: Iterable[str]) -> set[str]:
    """Which of these content hashes belong to messages already stored."""
    return {digest for chunk in _chunks(digests) for digest in _load_digests(chunk)}


def _load_identifications(keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], bool]:
    return {row: True for row in _matching(ReceivedMessage, ("kind", "sender", "identification"), keys)}


def _load_clients(keys: list[str]) -> dict[str, ClientRef]:
    return {key: ClientRef(id_, municipality) for key, id_, municipality in
            _select(Client, ["bsn_hash", "id", "municipality_id"], {"bsn_hash": keys})}


def _load_assignments(keys: list[tuple[int, int]]) -> dict[tuple[int, int], AssignmentRef]:
    return {(municipality, number): AssignmentRef(*row) for municipality, number, *row in
            _pairs(Assignment, "municipality_id", "number", keys, *AssignmentRef.FIELDS)}


def _load_referrals(keys: list[tuple[int, str]]) -> dict[tuple[int, str], ReferralRef]:
    return {(provider, reference): ReferralRef(*row) for provider, reference, *row in
            _pairs(Referral, "provider_id", "provider_reference", keys, "id", "client_id", "referrer_type")}


def _load_change_requests(keys: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    return {(provider, reference): id_ for provider, reference, id_ in
            _pairs(ChangeRequest, "provider_id", "provider_reference", keys, "id")}


def _load_open_requests(keys: list[tuple[int, int]]) -> dict[tuple[int, int], frozenset[str]]:
    """References of requests not answered yet: change requests still open, and referrals without a decision
    that no assignment names."""
    found: dict[tuple[int, int], set[str]] = {key: set() for key in keys}
    quote = connection.ops.quote_name
    open_change = f"t.{quote('status')} = '{ChangeRequest.Status.OPEN.value}'"
    assignment = Assignment._meta
    unanswered = (f"t.{quote('decision')} = '' AND NOT EXISTS (SELECT 1 FROM {quote(assignment.db_table)} a "
                  f"WHERE a.{quote(assignment.get_field('referral').column)} = t.id)")
    for model, condition in ((ChangeRequest, open_change), (Referral, unanswered)):
        for client, provider, reference in _pairs(model, "client_id", "provider_id", keys, "provider_reference",
                                                  condition=condition):
            found[(client, provider)].add(reference)
    return {key: frozenset(references) for key, references in found.items()}


def _load_client_assignments(keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    found: dict[tuple[int, int], list] = {key: [] for key in keys}
    for client, provider, number, start, end in _pairs(Assignment, "client_id", "provider_id", keys,
                                                       "number", "start", "end"):
        found[(client, provider)].append((number, start, end))
    return {key: tuple(rows) for key, rows in found.items()}


def _load_episodes(keys: list[int]) -> dict[int, tuple[EpisodeRef, ...]]:
    found: dict[int, list[EpisodeRef]] = {key: [] for key in keys}
    for client_id, *row in _select(CareEpisode, ["client_id", *EpisodeRef.FIELDS], {"client_id": keys}):
        found[client_id].append(EpisodeRef(*row))
    return {key: tuple(episodes) for key, episodes in found.items()}


def _load_declaration_numbers(keys: list[tuple[int, str]]) -> dict[tuple[int, str], bool]:
    return {row: True for row in _pairs(Declaration, "provider_id", "number", keys)}


def _load_line_references(keys: list[tuple[int, str]]) -> dict[tuple[int, str], bool]:
    return {row: True for row in _pairs(DeclarationLine, "provider_id", "reference", keys)}


def _accepted(debit_credit: DebitCredit | None = None) -> str:
    quote = connection.ops.quote_name
    condition = f"t.{quote('status')} = '{LineStatus.ACCEPTED.value}'"
    return condition + (f" AND t.{quote('debit_credit')} = '{debit_credit.value}'" if debit_credit else "")


def _load_debits(keys: list[tuple[int, str]]) -> dict[tuple[int, str], DebitRef]:
    debits = list(_pairs(DeclarationLine, "provider_id", "reference", keys, "assignment_id", "assignment_number",
                         "product_code", "period_start", "period_end", "volume", "amount_cents",
                         condition=_accepted(DebitCredit.DEBET)))
    credited = set(_pairs(DeclarationLine, "provider_id", "previous_reference", (row[:2] for row in debits),
                          condition=_accepted(DebitCredit.CREDIT))) if debits else set()
    return {(provider, reference): DebitRef(*row, reference=reference, credited=(provider, reference) in credited)
            for provider, reference, *row in debits}


def _load_open_debits(keys: list[OpenDebit]) -> dict[OpenDebit, bool]:
    """Whether an accepted debit line for this assignment, product and period stands: more accepted debits
    than credits (a credit reverses a debit of the same assignment, product and period, TR323)."""
    wanted = set(keys)
    balance: Counter[OpenDebit] = Counter()
    for assignment_id, start, code, end, debit_credit in _pairs(
            DeclarationLine, "assignment_id", "period_start", ((k[0], k[2]) for k in keys),
            "product_code", "period_end", "debit_credit", condition=_accepted()):
        key = (assignment_id, code, start, end)
        if key in wanted:
            balance[key] += 1 if debit_credit == DebitCredit.DEBET else -1
    return {key: True for key, count in balance.items() if count > 0}


WRITE_ORDER = [ReceivedMessage, Client, Referral, Assignment, CareEpisode, ChangeRequest, Declaration, DeclarationLine]


class TariffBook:
    """Tariffs per product and period, loaded once; a contract-specific tariff wins over the regional one."""

    def __init__(self) -> None:
        self.rows: dict[int, list[tuple[date, date, int, int | None]]] = {}
        self._found: dict[tuple[int | None, int, date], int | None] = {}
        for t in Tariff.objects.select_related("contract"):
            provider_id = t.contract.provider_id if t.contract_id else None
            self.rows.setdefault(t.product_id, []).append((t.valid_from, t.valid_to, t.amount_cents, provider_id))

    def tariff(self, product_id: int | None, provider_id: int, day: date) -> int | None:
        key = (product_id, provider_id, day)  # the lines of a declaration share product, provider and month
        if key not in self._found:
            matches = [(owner is not None, cents) for start, end, cents, owner in self.rows.get(product_id or -1, [])
                       if start <= day <= end and owner in (None, provider_id)]
            self._found[key] = max(matches)[1] if matches else None
        return self._found[key]
