"""Reading iJw 3.2 messages: safe parse, schema validation, then decoding into dataclasses."""

from __future__ import annotations

from datetime import date, time
from functools import cache
from io import BytesIO
from pathlib import Path

from lxml import etree

from regiekamer.ijw.constants import (
    KIND_BY_NAMESPACE,
    DebitCredit,
    Frequency,
    MessageKind,
    ReferrerType,
    SubmissionStatus,
    Unit,
)
from regiekamer.ijw.errors import MessageError
from regiekamer.ijw.model import (
    AssignedProduct,
    AssignmentMessage,
    ChangedProduct,
    ChangeRequestMessage,
    DeclarationMessage,
    Header,
    Message,
    NewProduct,
    Performance,
    Person,
    Product,
    Referrer,
    RequestedProduct,
    RequestMessage,
    StartedProduct,
    StartMessage,
    StopMessage,
    StoppedProduct,
    Volume,
)
from regiekamer.ijw.safe import PARSER_OPTIONS, check_bytes, parse_bytes, read_bounded
from regiekamer.ijw.schemas import is_supported, kind_of, schema_for, validate

Node = dict[str, list]  # an element's children by local name: a Node each, or the text of a leaf
_LOCAL_NAMES: dict[str, str] = {}  # "{namespace}Name" -> "Name"; the schemas have a few hundred names


class _Blank(ValueError):
    """A required value that holds only spaces: the schema lets a few text types (ReferentieNummer) through
    so. `decode` reports it as a MessageError naming the element."""

    def __init__(self, record: str) -> None:
        super().__init__(record)
        self.record = record


def _local_name(tag: object) -> str:
    """An element's local name, cached per tag; "" for comments and processing instructions (whose tag is not
    a string)."""
    name = _LOCAL_NAMES.get(tag)  # type: ignore[call-overload]
    if name is None:
        if not isinstance(tag, str):
            return ""
        name = _LOCAL_NAMES[tag] = tag[tag.index("}") + 1:] if tag[0] == "{" else tag
    return name


def _node(element: etree._Element, skip: str = "") -> Node:
    """The element as nested dicts, in one pass: lookups afterwards cost a dict access instead of a search.
    Elements named `skip` are left out, with all they hold (a declaration's clients are read another way)."""
    node: Node = {}
    names = _LOCAL_NAMES
    for child in element:
        tag = child.tag
        name = names.get(tag) or _local_name(tag)
        if not name or name == skip:
            continue
        if len(child):
            value = _node(child, skip)
        else:
            text = child.text
            value = text.strip() if text else ""
        found = node.get(name)
        if found is None:
            node[name] = [value]
        else:
            found.append(value)
    return node


@cache
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _first(node: Node, steps: tuple[str, ...], depth: int = 0):
    """The first element or text at the path below node, in document order; None when there is none."""
    found = node.get(steps[depth])
    if not found:
        return None
    if depth + 1 == len(steps):
        return found[0]
    for child in found:
        if type(child) is dict:
            value = _first(child, steps, depth + 1)
            if value is not None:
                return value
    return None


class _Reader:
    """Lookups by local name in the decoded tree, after the schema has vouched for its structure (and so for
    the namespaces). Values that repeat across lines (dates, products, BSNs) are decoded once and shared, which
    keeps a large declaration small in memory."""

    def __init__(self) -> None:
        self._shared: dict[object, object] = {}

    def shared(self, value, make=None):
        """One object per distinct value (made by `make` from it, when given)."""
        found = self._shared.get(value)
        if found is None:
            found = self._shared[value] = make(value) if make else value
        return found

    def all(self, parent: Node, path: str) -> list:
        steps = _steps(path)
        found = parent.get(steps[0], ())
        for step in steps[1:]:
            found = [child for node in found for child in node.get(step, ())]
        return found

    def el(self, parent: Node, path: str) -> Node | None:
        return _first(parent, _steps(path))

    def text(self, parent: Node, path: str) -> str | None:
        value = _first(parent, _steps(path))
        return value if value and type(value) is str else None

    def req(self, parent: Node, path: str) -> str:
        value = self.text(parent, path)
        if value is None:  # present, the schema says; but some text types let spaces alone through
            raise _Blank(path)
        return value

    def date(self, parent: Node, path: str) -> date | None:
        value = self.text(parent, path)
        return self.shared(value, date.fromisoformat) if value else None

    def req_date(self, parent: Node, path: str) -> date:
        return self.shared(self.req(parent, path), date.fromisoformat)

    def int(self, parent: Node, path: str) -> int | None:
        value = self.text(parent, path)
        return int(value) if value is not None else None

    def product(self, parent: Node) -> Product | None:
        element = self.el(parent, "Product")
        if element is None:
            return None
        return Product(category=self.req(element, "Categorie"), code=self.text(element, "Code"))

    def volume(self, parent: Node) -> Volume | None:
        element = self.el(parent, "Omvang")
        if element is None:
            return None
        return Volume(int(self.req(element, "Volume")), Unit(self.req(element, "Eenheid")),
                      Frequency(self.req(element, "Frequentie")))

    def header(self, root: Node, kind: MessageKind) -> Header:
        h = self.el(root, "Header")
        assert h is not None
        return Header(kind=kind, sender=self.req(h, "Afzender"), receiver=self.req(h, "Ontvanger"),
                      identification=self.req(h, "BerichtIdentificatie/Identificatie"),
                      sent_on=self.req_date(h, "BerichtIdentificatie/Dagtekening"))

    def person(self, client: Node) -> Person:
        return Person(bsn=self.req(client, "Bsn"), birth_date=self.req_date(client, "Geboortedatum/Datum"),
                      gender=self.req(client, "Geslacht"), surname=self.req(client, "Naam/Geslachtsnaam/Achternaam"),
                      initials=self.text(client, "Naam/Voorletters") or "")


def _assignment(r: _Reader, root: Node, header: Header) -> AssignmentMessage:
    client = r.el(root, "Client")
    assert client is not None
    products = []
    for p in r.all(client, "ToegewezenProducten/ToegewezenProduct"):
        product = r.product(p)
        products.append(AssignedProduct(
            number=int(r.req(p, "ToewijzingNummer")),
            product=product or Product(category=""),
            assigned_on=r.req_date(p, "Toewijzingsdatum"),
            assigned_at=time.fromisoformat(r.req(p, "Toewijzingstijd")),
            start=r.req_date(p, "Ingangsdatum"),
            end=r.date(p, "Einddatum"),
            volume=r.volume(p),
            budget_cents=r.int(p, "Budget"),
            provider_reference=r.text(p, "ReferentieAanbieder"),
            change_reason=r.text(p, "RedenWijziging"),
        ))
    return AssignmentMessage(header=header, client=r.person(client),
                             postcode=r.text(client, "Contactgegevens/Contact/Adres/Postcode") or "",
                             products=products)


def _start(r: _Reader, root: Node, header: Header) -> StartMessage:
    client = r.el(root, "Client")
    assert client is not None
    products = [StartedProduct(assignment_number=r.int(p, "ToewijzingNummer"), product=r.product(p),
                               assignment_start=r.date(p, "ToewijzingIngangsdatum"), start=r.req_date(p, "Begindatum"),
                               status=SubmissionStatus(r.req(p, "StatusAanlevering")))
                for p in r.all(client, "StartProducten/StartProduct")]
    return StartMessage(header=header, client=r.person(client), products=products)


def _stop(r: _Reader, root: Node, header: Header) -> StopMessage:
    client = r.el(root, "Client")
    assert client is not None
    products = [StoppedProduct(assignment_number=r.int(p, "ToewijzingNummer"), product=r.product(p),
                               assignment_start=r.date(p, "ToewijzingIngangsdatum"), start=r.req_date(p, "Begindatum"),
                               reason=r.req(p, "RedenBeeindiging"), end=r.req_date(p, "Einddatum"),
                               status=SubmissionStatus(r.req(p, "StatusAanlevering")))
                for p in r.all(client, "StopProducten/StopProduct")]
    return StopMessage(header=header, client=r.person(client), products=products)


def _request(r: _Reader, root: Node, header: Header) -> RequestMessage:
    client = r.el(root, "Client")
    assert client is not None
    products = []
    for p in r.all(client, "AangevraagdeProducten/AangevraagdProduct"):
        referrer = r.el(p, "Verwijzer")
        assert referrer is not None
        products.append(RequestedProduct(
            reference=r.req(p, "ReferentieAanbieder"), product=r.product(p) or Product(category=""),
            start=r.req_date(p, "ToewijzingIngangsdatum"), end=r.date(p, "ToewijzingEinddatum"),
            volume=r.volume(p),
            referrer=Referrer(type=ReferrerType(r.req(referrer, "Type")), name=r.text(referrer, "Naam"),
                              agb_code=r.text(referrer, "ZorgverlenerCode")),
        ))
    return RequestMessage(header=header, client=r.person(client), products=products)


def _change_request(r: _Reader, root: Node, header: Header) -> ChangeRequestMessage:
    client = r.el(root, "Client")
    assert client is not None
    request = r.el(client, "Verzoek")
    assert request is not None
    return ChangeRequestMessage(
        header=header, bsn=r.req(client, "Bsn"), reference=r.req(request, "ReferentieAanbieder"),
        reason=r.req(request, "RedenVerzoek"),
        unchanged=[int(r.req(p, "ToewijzingNummer"))
                   for p in r.all(request, "OngewijzigdeProducten/OngewijzigdProduct")],
        changed=[ChangedProduct(int(r.req(p, "ToewijzingNummer")), r.req_date(p, "GewensteIngangsdatum"),
                                r.date(p, "Einddatum"), r.volume(p), r.int(p, "Budget"))
                 for p in r.all(request, "TeWijzigenProducten/TeWijzigenProduct")],
        new=[NewProduct(r.product(p), r.req_date(p, "GewensteIngangsdatum"), r.date(p, "Einddatum"), r.volume(p),
                        r.int(p, "Budget"))
             for p in r.all(request, "NieuweProducten/NieuwProduct")],
    )


_UNITS = {unit.value: unit for unit in Unit}
_DEBIT_CREDIT = {side.value: side for side in DebitCredit}


def _performance(r: _Reader, element: etree._Element, bsn: str) -> Performance:
    """One Prestatie, the hot path of a declaration, read in one pass over its elements: within a Prestatie
    every leaf has a local name of its own (JW323 and WMO323: ReferentieNummer, VorigReferentieNummer,
    ToewijzingNummer, ProductCategorie, ProductCode, Begindatum, Einddatum, GeleverdVolume, Eenheid,
    ProductTarief, Bedrag, DebetCredit; some in the message's namespace, some in the base schema's), so a flat
    map by local name holds them all. Empty leaves read as absent, as everywhere."""
    leaves: dict[str, str] = {}
    names = _LOCAL_NAMES
    for child in element.iter():
        text = child.text
        if text:
            tag = child.tag
            leaves[names.get(tag) or _local_name(tag)] = text
    get = leaves.get
    tariff, unit, side = get("ProductTarief", "").strip(), get("Eenheid", "").strip(), get("DebetCredit", "").strip()
    reference = get("ReferentieNummer", "").strip()
    if not reference:  # numbers, dates and codes with spaces alone fail the schema; this text does not
        line = next((child.sourceline for child in element.iter() if _local_name(child.tag) == "ReferentieNummer"),
                    element.sourceline)
        raise _Blank(f"Prestatie/ProductReferentie/ReferentieNummer (regel {line})")
    return Performance(
        bsn=bsn,
        reference=reference,
        previous_reference=get("VorigReferentieNummer", "").strip() or None,
        assignment_number=int(get("ToewijzingNummer", "")),
        product=r.shared((get("ProductCategorie", "").strip(), get("ProductCode", "").strip()), _product),
        period_start=r.shared(get("Begindatum", "").strip(), date.fromisoformat),
        period_end=r.shared(get("Einddatum", "").strip(), date.fromisoformat),
        delivered_volume=int(get("GeleverdVolume", "")),
        unit=_UNITS.get(unit) or Unit(unit),
        tariff_cents=int(tariff) if tariff else None,
        amount_cents=int(get("Bedrag", "")),
        debit_credit=_DEBIT_CREDIT.get(side) or DebitCredit(side),
    )


def _product(key: tuple[str, str]) -> Product:
    return Product(category=key[0], code=key[1])


def _declaration_with(r: _Reader, root: Node, header: Header, performances: list[Performance]) -> DeclarationMessage:
    d = r.el(root, "Declaratie")
    assert d is not None
    return DeclarationMessage(
        header=header, number=r.req(d, "DeclaratieNummer"),
        period_start=r.req_date(d, "DeclaratiePeriode/Begindatum"), period_end=r.req_date(d, "DeclaratiePeriode/Einddatum"),
        signed_on=r.req_date(d, "DeclaratieDagtekening"), total_cents=int(r.req(d, "TotaalIngediendBedrag/TotaalBedrag")),
        total_debit_credit=DebitCredit(r.req(d, "TotaalIngediendBedrag/DebetCredit")), performances=performances,
    )


def _declaration(r: _Reader, root: etree._Element, kind: MessageKind) -> DeclarationMessage:
    """A validated 323 tree: its lines read element by element, the rest through the decoded tree."""
    performances: list[Performance] = []
    client_tag, bsn_tag, line_tag = (f"{{{kind.namespace}}}{name}" for name in ("Client", "Bsn", "Prestatie"))
    for client in root.iter(client_tag):
        bsn = r.shared((client.findtext(bsn_tag) or "").strip())
        performances.extend(_performance(r, line, bsn) for line in client.iter(line_tag))
    node = _node(root, skip="Clienten")
    return _declaration_with(r, node, r.header(node, kind), performances)


STREAM_FROM = 1024 * 1024  # bytes: larger declarations are decoded while they are parsed, line by line


def _root_kind(data: bytes) -> MessageKind | None:
    """The message kind from the root element's namespace, reading no further than the root's start tag."""
    try:
        for _, element in etree.iterparse(BytesIO(data), events=("start",), **PARSER_OPTIONS):
            return KIND_BY_NAMESPACE.get(etree.QName(element).namespace or "")
    except etree.XMLSyntaxError:
        return None  # the full parse reports it
    return None


def _decode_streaming(kind: MessageKind, data: bytes) -> DeclarationMessage | None:
    """A declaration parsed, schema-checked and decoded in one pass; each Prestatie is dropped from the tree once
    decoded, so memory grows with the decoded lines, not with the XML tree. None when the message is not valid:
    the whole-tree decoder then names the error precisely (a rare path, where memory does not matter)."""
    reader = _Reader()
    performances: list[Performance] = []
    events = etree.iterparse(BytesIO(data), events=("end",), tag=f"{{{kind.namespace}}}Prestatie",
                             schema=schema_for(kind), **PARSER_OPTIONS)
    client, bsn = None, ""
    try:
        for _, element in events:
            if element.getparent().getparent() is not client:  # the client's Bsn, read once per client
                client = element.getparent().getparent()
                text = next(child.text for child in client if etree.QName(child).localname == "Bsn")
                bsn = reader.shared((text or "").strip())
            performances.append(_performance(reader, element, bsn))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except (etree.XMLSyntaxError, ValueError, AssertionError, StopIteration):
        return None
    root = _node(events.root, skip="Clienten")
    return _declaration_with(reader, root, reader.header(root, kind), performances)


# Decoded from the whole tree; a 323 reads its lines element by element (`_declaration`).
_DECODERS = {301: _assignment, 305: _start, 307: _stop, 315: _request, 317: _change_request}
_DECODED_KINDS = {*_DECODERS, 323}


def decode(data: bytes, source: str, stream_from: int = STREAM_FROM) -> Message:
    """Parse, validate against the XSD and decode one message; raises MessageError."""
    if len(data) >= stream_from:
        check_bytes(data, source)
        kind = _root_kind(data)
        if kind is not None and kind.number == 323 and is_supported(kind):
            streamed = _decode_streaming(kind, data)
            if streamed is not None:
                return streamed
    root = parse_bytes(data, source)
    kind = kind_of(root, source)
    if kind.number not in _DECODED_KINDS:
        raise MessageError(source, "/", "MSG-TYPE", f"berichttype {kind.name} kan niet worden ingelezen")
    validate(root, kind, source)
    reader = _Reader()
    try:
        if kind.number == 323:
            return _declaration(reader, root, kind)
        node = _node(root)
        return _DECODERS[kind.number](reader, node, reader.header(node, kind))
    except _Blank as blank:
        raise MessageError(source, blank.record, "XML-BLANK",
                           "verplicht gegeven bevat alleen spaties; er moet een waarde staan") from None


def decode_or_error(data: bytes, source: str) -> Message | MessageError:
    """`decode` for worker processes: the error is returned, not raised."""
    try:
        return decode(data, source)
    except MessageError as error:
        return error


def read_file(path: Path) -> tuple[bytes, Message]:
    data = read_bounded(path)
    return data, decode(data, str(path))
