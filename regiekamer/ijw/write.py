"""Writing iJw 3.2 messages as XML bytes (UTF-8, no BOM)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lxml import etree

from regiekamer.ijw.constants import CDT_ELEMENTS, XSD_VERSION, MessageKind
from regiekamer.ijw.model import (
    AssignmentMessage,
    ChangedProduct,
    ChangeRequestMessage,
    DeclarationAnswerMessage,
    DeclarationMessage,
    Header,
    NewProduct,
    Performance,
    Person,
    Product,
    RequestAnswerMessage,
    RequestedProduct,
    RequestMessage,
    RetourMessage,
    StartedProduct,
    StartMessage,
    StopMessage,
    StoppedProduct,
    Volume,
)


def _kind(message, number: int) -> MessageKind:
    """The message's own kind (iJw or iWmo), which must be the type this writer writes."""
    kind = message.header.kind
    if kind.number != number:
        raise ValueError(f"{kind.name} kan niet als {number}-bericht worden geschreven")
    return kind


class _Builder:
    def __init__(self, kind: MessageKind) -> None:
        self.kind = kind
        self.ns = kind.namespace
        self.base_ns = kind.base_namespace
        self.root = etree.Element(f"{{{self.ns}}}Bericht", nsmap={None: self.ns, kind.standard.value: self.base_ns})

    def sub(self, parent: etree._Element, tag: str, text: object | None = None) -> etree._Element:
        parent_name = etree.QName(parent)
        in_base = parent_name.namespace == self.base_ns or parent_name.localname in CDT_ELEMENTS
        element = etree.SubElement(parent, f"{{{self.base_ns if in_base else self.ns}}}{tag}")
        if text is not None:
            element.text = text.isoformat() if isinstance(text, date) else str(text)
        return element

    def header(self, header: Header) -> None:
        h = self.sub(self.root, "Header")
        self.sub(h, "BerichtCode", self.kind.code)
        self.sub(h, "BerichtVersie", 3)
        self.sub(h, "BerichtSubversie", 2)
        self.sub(h, "Afzender", header.sender)
        self.sub(h, "Ontvanger", header.receiver)
        ident = self.sub(h, "BerichtIdentificatie")
        self.sub(ident, "Identificatie", header.identification)
        self.sub(ident, "Dagtekening", header.sent_on)
        versions = self.sub(h, "XsdVersie")
        self.sub(versions, "BasisschemaXsdVersie", XSD_VERSION[self.kind.standard])
        self.sub(versions, "BerichtXsdVersie", XSD_VERSION[self.kind.standard])

    def person(self, parent: etree._Element, person: Person, full_name: bool) -> None:
        self.sub(parent, "Bsn", person.bsn)
        birth = self.sub(parent, "Geboortedatum")
        self.sub(birth, "Datum", person.birth_date)
        self.sub(parent, "Geslacht", person.gender)
        name = self.sub(parent, "Naam")
        surname = self.sub(name, "Geslachtsnaam")
        self.sub(surname, "Achternaam", person.surname)
        if person.initials:
            self.sub(name, "Voorletters", person.initials)
        if full_name:
            self.sub(name, "NaamGebruik", "1")

    def product(self, parent: etree._Element, product: Product) -> None:
        p = self.sub(parent, "Product")
        self.sub(p, "Categorie", product.category)
        if product.code:
            self.sub(p, "Code", product.code)

    def volume(self, parent: etree._Element, volume: Volume) -> None:
        v = self.sub(parent, "Omvang")
        self.sub(v, "Volume", volume.volume)
        self.sub(v, "Eenheid", volume.unit.value)
        self.sub(v, "Frequentie", volume.frequency.value)

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_assignment(message: AssignmentMessage) -> bytes:
    b = _Builder(_kind(message, 301))
    b.header(message.header)
    client = b.sub(b.root, "Client")
    b.person(client, message.client, full_name=True)
    contacts = b.sub(client, "Contactgegevens")
    contact = b.sub(contacts, "Contact")
    b.sub(contact, "Soort", "01")
    if message.postcode:
        b.sub(b.sub(contact, "Adres"), "Postcode", message.postcode)
    products = b.sub(client, "ToegewezenProducten")
    for item in message.products:
        p = b.sub(products, "ToegewezenProduct")
        b.sub(p, "ToewijzingNummer", item.number)
        if item.provider_reference:
            b.sub(p, "ReferentieAanbieder", item.provider_reference)
        b.product(p, item.product)
        b.sub(p, "Toewijzingsdatum", item.assigned_on)
        b.sub(p, "Toewijzingstijd", item.assigned_at.strftime("%H:%M:%S"))
        b.sub(p, "Ingangsdatum", item.start)
        if item.end:
            b.sub(p, "Einddatum", item.end)
        if item.change_reason:
            b.sub(p, "RedenWijziging", item.change_reason)
        if item.volume:
            b.volume(p, item.volume)
        if item.budget_cents is not None:
            b.sub(p, "Budget", item.budget_cents)
    return b.bytes()


def _delivery_key(b: _Builder, parent: etree._Element, item: StartedProduct | StoppedProduct) -> None:
    """The logical key of a start or stop: assignment number, product, assignment start, start date."""
    if item.assignment_number is not None:
        b.sub(parent, "ToewijzingNummer", item.assignment_number)
    if item.product:
        b.product(parent, item.product)
    if item.assignment_start:
        b.sub(parent, "ToewijzingIngangsdatum", item.assignment_start)
    b.sub(parent, "Begindatum", item.start)


def _client_section(b: _Builder, message: StartMessage | StopMessage | RequestMessage, list_tag: str) -> etree._Element:
    b.header(message.header)
    client = b.sub(b.root, "Client")
    b.person(client, message.client, full_name=False)
    return b.sub(client, list_tag)


def write_start(message: StartMessage) -> bytes:
    b = _Builder(_kind(message, 305))
    products = _client_section(b, message, "StartProducten")
    for item in message.products:
        p = b.sub(products, "StartProduct")
        _delivery_key(b, p, item)
        b.sub(p, "StatusAanlevering", item.status.value)
    return b.bytes()


def write_stop(message: StopMessage) -> bytes:
    b = _Builder(_kind(message, 307))
    products = _client_section(b, message, "StopProducten")
    for item in message.products:
        p = b.sub(products, "StopProduct")
        _delivery_key(b, p, item)
        b.sub(p, "RedenBeeindiging", str(item.reason))
        b.sub(p, "Einddatum", item.end)
        b.sub(p, "StatusAanlevering", item.status.value)
    return b.bytes()


def _requested(b: _Builder, p: etree._Element, item: RequestedProduct) -> None:
    b.sub(p, "ReferentieAanbieder", item.reference)
    b.product(p, item.product)
    b.sub(p, "ToewijzingIngangsdatum", item.start)
    if item.end:
        b.sub(p, "ToewijzingEinddatum", item.end)
    if item.volume:
        b.volume(p, item.volume)
    referrer = b.sub(p, "Verwijzer")
    b.sub(referrer, "Type", item.referrer.type.value)
    if item.referrer.name:
        b.sub(referrer, "Naam", item.referrer.name)
    if item.referrer.agb_code:
        b.sub(referrer, "ZorgverlenerCode", item.referrer.agb_code)


def write_request(message: RequestMessage) -> bytes:
    b = _Builder(_kind(message, 315))
    products = _client_section(b, message, "AangevraagdeProducten")
    for item in message.products:
        _requested(b, b.sub(products, "AangevraagdProduct"), item)
    return b.bytes()


def _omvang_and_budget(b: _Builder, parent: etree._Element, item: ChangedProduct | NewProduct) -> None:
    if item.end:
        b.sub(parent, "Einddatum", item.end)
    if item.volume:
        b.volume(parent, item.volume)
    if item.budget_cents is not None:
        b.sub(parent, "Budget", item.budget_cents)


def _change_request_body(b: _Builder, message: ChangeRequestMessage,
                         codes: tuple[tuple[str, ...], ...] | None = None,
                         request_codes: tuple[str, ...] = ()) -> etree._Element:
    """Client/Bsn and the Verzoek of a 317; with `codes` (one tuple per class, in order) as the 318 copy."""
    classes = iter(codes or ())
    client = b.sub(b.root, "Client")
    b.sub(client, "Bsn", message.bsn)
    request = b.sub(client, "Verzoek")
    b.sub(request, "ReferentieAanbieder", message.reference)
    b.sub(request, "RedenVerzoek", message.reason)
    if message.unchanged:
        unchanged = b.sub(request, "OngewijzigdeProducten")
        for number in message.unchanged:
            element = b.sub(unchanged, "OngewijzigdProduct")
            b.sub(element, "ToewijzingNummer", number)
            if codes:
                _codes(b, element, next(classes))
    if message.changed:
        changed = b.sub(request, "TeWijzigenProducten")
        for item in message.changed:
            element = b.sub(changed, "TeWijzigenProduct")
            b.sub(element, "ToewijzingNummer", item.assignment_number)
            b.sub(element, "GewensteIngangsdatum", item.desired_start)
            _omvang_and_budget(b, element, item)
            if codes:
                _codes(b, element, next(classes))
    if message.new:
        new = b.sub(request, "NieuweProducten")
        for item in message.new:
            element = b.sub(new, "NieuwProduct")
            if item.product:
                b.product(element, item.product)
            b.sub(element, "GewensteIngangsdatum", item.desired_start)
            _omvang_and_budget(b, element, item)
            if codes:
                _codes(b, element, next(classes))
    if codes:
        _codes(b, request, request_codes)
    return client


def write_change_request(message: ChangeRequestMessage) -> bytes:
    b = _Builder(_kind(message, 317))
    b.header(message.header)
    _change_request_body(b, message)
    return b.bytes()


def write_declaration(message: DeclarationMessage) -> bytes:
    b = _Builder(_kind(message, 323))
    b.header(message.header)
    d = b.sub(b.root, "Declaratie")
    b.sub(d, "DeclaratieNummer", message.number)
    period = b.sub(d, "DeclaratiePeriode")
    b.sub(period, "Begindatum", message.period_start)
    b.sub(period, "Einddatum", message.period_end)
    b.sub(d, "DeclaratieDagtekening", message.signed_on)
    total = b.sub(d, "TotaalIngediendBedrag")
    b.sub(total, "TotaalBedrag", message.total_cents)
    b.sub(total, "DebetCredit", message.total_debit_credit.value)
    clients = b.sub(d, "Clienten")
    by_bsn: dict[str, etree._Element] = {}
    for line in message.performances:
        performances = by_bsn.get(line.bsn)
        if performances is None:
            client = b.sub(clients, "Client")
            b.sub(client, "Bsn", line.bsn)
            performances = by_bsn[line.bsn] = b.sub(client, "Prestaties")
        _performance(b, performances, line)
    return b.bytes()


def _performance(b: _Builder, parent: etree._Element, line: Performance) -> etree._Element:
    p = b.sub(parent, "Prestatie")
    ref = b.sub(p, "ProductReferentie")
    b.sub(ref, "ReferentieNummer", line.reference)
    if line.previous_reference:
        b.sub(ref, "VorigReferentieNummer", line.previous_reference)
    b.sub(p, "ToewijzingNummer", line.assignment_number)
    b.sub(p, "ProductCategorie", line.product.category)
    b.sub(p, "ProductCode", line.product.code)
    period = b.sub(p, "ProductPeriode")
    b.sub(period, "Begindatum", line.period_start)
    b.sub(period, "Einddatum", line.period_end)
    b.sub(p, "GeleverdVolume", line.delivered_volume)
    b.sub(p, "Eenheid", line.unit.value)
    if line.tariff_cents is not None:
        b.sub(p, "ProductTarief", line.tariff_cents)
    amount = b.sub(p, "IngediendBedrag")
    b.sub(amount, "Bedrag", line.amount_cents)
    b.sub(amount, "DebetCredit", line.debit_credit.value)
    return p


def _codes(b: _Builder, parent: etree._Element, codes: tuple[str, ...]) -> None:
    holder = b.sub(parent, "RetourCodes")
    for code in codes:
        b.sub(holder, "RetourCode", code)


def write_declaration_answer(message: DeclarationAnswerMessage) -> bytes:
    b = _Builder(_kind(message, 325))
    b.header(message.header)
    h = b.root[0]
    ident = b.sub(h, "DeclaratieIdentificatie")
    b.sub(ident, "Identificatie", message.declaration_identification)
    b.sub(ident, "Dagtekening", message.declaration_sent_on)
    versions = b.sub(h, "XsdVersieDeclaratie")
    b.sub(versions, "BasisschemaXsdVersie", XSD_VERSION[b.kind.standard])
    b.sub(versions, "BerichtXsdVersie", XSD_VERSION[b.kind.standard])
    _codes(b, h, message.header_codes)
    answer = message.answer
    if answer is not None:
        d = b.sub(b.root, "DeclaratieAntwoord")
        b.sub(d, "DeclaratieNummer", answer.number)
        submitted = b.sub(d, "TotaalIngediendBedrag")
        b.sub(submitted, "TotaalBedrag", answer.submitted_cents)
        b.sub(submitted, "DebetCredit", answer.submitted_debit_credit.value)
        granted = b.sub(d, "TotaalToegekendBedrag")
        b.sub(granted, "TotaalBedrag", answer.granted_cents)
        b.sub(granted, "DebetCredit", answer.granted_debit_credit.value)
        if answer.clients:
            clients = b.sub(d, "Clienten")
            for bsn, client_codes, lines in answer.clients:
                client = b.sub(clients, "Client")
                b.sub(client, "Bsn", bsn)
                performances = b.sub(client, "Prestaties")
                for answered in lines:
                    _codes(b, _performance(b, performances, answered.performance), answered.codes)
                _codes(b, client, client_codes)
        _codes(b, d, answer.codes)
    return b.bytes()


def write_request_answer(message: RequestAnswerMessage) -> bytes:
    if message.answer == "1" and not message.reason:
        raise ValueError("een afwijzing (VerzoekAntwoord 1) heeft een RedenAfwijzingVerzoek nodig")
    if (message.reason == "8") != bool(message.responsible_municipality):
        raise ValueError("reden 8 (woonplaatsbeginsel) gaat samen met de verantwoordelijke gemeente (TR377)")
    b = _Builder(_kind(message, 319))
    b.header(message.header)
    answer = b.sub(b.root, "Antwoord")
    b.sub(answer, "ReferentieAanbieder", message.reference)
    b.sub(answer, "VerzoekAntwoord", message.answer)
    if message.reason:
        b.sub(answer, "RedenAfwijzingVerzoek", message.reason)
    if message.responsible_municipality:
        b.sub(b.sub(answer, "Woonplaatsbeginsel"), "Gemeente", message.responsible_municipality)
    return b.bytes()


_ITEM_WRITERS = {305: ("StartProducten", "StartProduct"), 307: ("StopProducten", "StopProduct"),
                 315: ("AangevraagdeProducten", "AangevraagdProduct")}


def write_retour(message: RetourMessage) -> bytes:
    """A 306, 308, 316 or 318: the original's header fields, the retour identification and, when refused, its codes."""
    original = message.original
    b = _Builder(message.kind)
    b.header(replace(original.header, identification=message.identification, sent_on=message.sent_on))
    h = b.root[0]
    b.sub(h, "IdentificatieRetour", original.header.identification)
    b.sub(h, "DagtekeningRetour", original.header.sent_on)
    versions = b.sub(h, "XsdVersieRetour")
    b.sub(versions, "BasisschemaXsdVersie", XSD_VERSION[b.kind.standard])
    b.sub(versions, "BerichtXsdVersie", XSD_VERSION[b.kind.standard])
    if message.header_codes:
        _codes(b, h, message.header_codes)
    if not message.item_codes:
        return b.bytes()
    if isinstance(original, ChangeRequestMessage):
        client = _change_request_body(b, original, message.item_codes, message.request_codes)
        _codes(b, client, message.client_codes)
        return b.bytes()
    client = b.sub(b.root, "Client")
    b.person(client, original.client, full_name=False)
    list_tag, item_tag = _ITEM_WRITERS[original.header.kind.number]
    items = b.sub(client, list_tag)
    for item, codes in zip(original.products, message.item_codes):
        element = b.sub(items, item_tag)
        if isinstance(item, StoppedProduct):
            _delivery_key(b, element, item)
            b.sub(element, "RedenBeeindiging", str(item.reason))
            b.sub(element, "Einddatum", item.end)
            b.sub(element, "StatusAanlevering", item.status.value)
        elif isinstance(item, StartedProduct):
            _delivery_key(b, element, item)
            b.sub(element, "StatusAanlevering", item.status.value)
        else:
            _requested(b, element, item)
        _codes(b, element, codes)
    _codes(b, client, message.client_codes)
    return b.bytes()


WRITERS = {
    AssignmentMessage: write_assignment,
    StartMessage: write_start,
    StopMessage: write_stop,
    RequestMessage: write_request,
    ChangeRequestMessage: write_change_request,
    DeclarationMessage: write_declaration,
    DeclarationAnswerMessage: write_declaration_answer,
    RetourMessage: write_retour,
    RequestAnswerMessage: write_request_answer,
}


def write(message: object) -> bytes:
    return WRITERS[type(message)](message)  # type: ignore[arg-type]
