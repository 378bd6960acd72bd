"""The iJw codec: round trips, schema validation, and hostile or broken input."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from regiekamer.ijw.constants import (
    JW301,
    JW305,
    JW307,
    JW315,
    JW317,
    JW323,
    DebitCredit,
    Frequency,
    ReferrerType,
    StopReason,
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
from regiekamer.ijw.read import decode
from regiekamer.ijw.safe import MAX_MESSAGE_BYTES
from regiekamer.ijw.write import write

PERSON = Person("123456782", date(2012, 5, 17), "2", "de Vries", "A")
PRODUCT = Product("45", "45A48")


def declaration(lines: list[Performance]) -> DeclarationMessage:
    net = sum(p.amount_cents if p.debit_credit is DebitCredit.DEBET else -p.amount_cents for p in lines)
    return DeclarationMessage(Header(JW323, "98000001", "0505", "323000000001", date(2024, 2, 6)), "0505202401",
                              date(2024, 1, 1), date(2024, 1, 31), date(2024, 2, 6), abs(net),
                              DebitCredit.DEBET if net >= 0 else DebitCredit.CREDIT, lines)


MESSAGES = [
    AssignmentMessage(Header(JW301, "0505", "98000001", "301000000001", date(2024, 1, 2)), PERSON, "3311AB", [
        AssignedProduct(17, PRODUCT, date(2024, 1, 2), time(9, 30), date(2024, 1, 8), date(2024, 12, 31),
                        Volume(8, Unit.UUR, Frequency.PER_MAAND), provider_reference="VOT1")]),
    StartMessage(Header(JW305, "98000001", "0505", "305000000001", date(2024, 1, 12)), PERSON,
                 [StartedProduct(17, PRODUCT, date(2024, 1, 8), date(2024, 1, 10))]),
    StopMessage(Header(JW307, "98000001", "0505", "307000000001", date(2024, 7, 3)), PERSON,
                [StoppedProduct(17, PRODUCT, date(2024, 1, 8), date(2024, 1, 10), StopReason.VOORTIJDIG_CLIENT,
                                date(2024, 7, 1))]),
    RequestMessage(Header(JW315, "98000001", "0505", "315000000001", date(2023, 12, 28)), PERSON, [
        RequestedProduct("VOT1", PRODUCT, date(2024, 1, 8), None, Volume(8, Unit.UUR, Frequency.PER_MAAND),
                         Referrer(ReferrerType.HUISARTS, agb_code="01123456"))]),
    ChangeRequestMessage(Header(JW317, "98000001", "0505", "317000000001", date(2024, 3, 1)), "123456782", "VOW1", "1",
                         unchanged=[16], changed=[ChangedProduct(17, date(2024, 4, 1), date(2024, 12, 31),
                                                                 Volume(12, Unit.UUR, Frequency.PER_MAAND))],
                         new=[NewProduct(Product("45", "45A05"), date(2024, 4, 1), date(2024, 9, 30),
                                         Volume(4, Unit.UUR, Frequency.PER_MAAND))]),
    declaration([Performance("123456782", "R1", None, 17, PRODUCT, date(2024, 1, 8), date(2024, 1, 31), 6, Unit.UUR,
                             7250, 43500, DebitCredit.DEBET)]),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.header.kind.name)
def test_every_message_type_round_trips_and_validates(message):
    data = write(message)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert decode(data, "test.xml") == message


def test_shared_types_use_the_base_schema_namespace():
    root = etree.fromstring(write(MESSAGES[0]))
    ns = {"m": JW301.namespace, "b": JW301.base_namespace}
    assert root.xpath("string(m:Header/m:BerichtIdentificatie/b:Identificatie)", namespaces=ns) == "301000000001"
    assert root.xpath("string(m:Client/m:ToegewezenProducten/m:ToegewezenProduct/m:Product/b:Code)",
                      namespaces=ns) == "45A48"


amounts = st.integers(min_value=0, max_value=99_999_999)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=50_000),
                          st.sampled_from([DebitCredit.DEBET, DebitCredit.CREDIT])), min_size=1, max_size=8))
def test_declarations_round_trip_with_exact_cents(rows):
    lines = [Performance("123456782", f"R{i}", "R0" if dc is DebitCredit.CREDIT else None, 17, PRODUCT,
                         date(2024, 1, 1), date(2024, 1, 31), volume, Unit.UUR, tariff, volume * tariff, dc)
             for i, (volume, tariff, dc) in enumerate(rows)]
    message = declaration(lines)
    decoded = decode(write(message), "d.xml")
    assert decoded == message
    net = sum(p.amount_cents if p.debit_credit is DebitCredit.DEBET else -p.amount_cents for p in decoded.performances)
    assert net == (decoded.total_cents if decoded.total_debit_credit is DebitCredit.DEBET else -decoded.total_cents)


def error_of(data: bytes) -> MessageError:
    with pytest.raises(MessageError) as caught:
        decode(data, "bad.xml")
    assert caught.value.file == "bad.xml"
    return caught.value


def test_schema_violation_names_the_element():
    data = write(MESSAGES[1]).replace(b"<StatusAanlevering>1<", b"<StatusAanlevering>7<")
    error = error_of(data)
    assert error.rule == "XSD"
    assert "StatusAanlevering" in error.message


def test_external_entities_are_refused():
    data = (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Bericht [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Bericht xmlns="' + JW305.namespace.encode() + b'">&x;</Bericht>')
    assert error_of(data).rule == "XML-ENTITY"


def test_entity_expansion_bomb_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<Bericht>&lol2;</Bericht>")
    assert error_of(data).rule == "XML-ENTITY"


def test_wrong_encodings_are_refused():
    assert error_of(b"\xef\xbb\xbf" + write(MESSAGES[1])).rule == "XML-ENCODING"
    assert error_of(write(MESSAGES[1]).decode().encode("utf-16")).rule == "XML-ENCODING"
    latin = write(MESSAGES[1]).replace(b"de Vries", "Öztürk".encode("latin-1"))
    assert error_of(latin).rule == "XML-ENCODING"


def test_truncated_and_empty_files_are_refused():
    data = write(MESSAGES[-1])
    assert error_of(data[: len(data) // 2]).rule == "XML-SYNTAX"
    assert error_of(b"").rule == "XML-EMPTY"


def test_unknown_message_type_is_refused():
    data = b'<?xml version="1.0" encoding="UTF-8"?><Bericht xmlns="urn:example:other"><Header/></Bericht>'
    assert error_of(data).rule == "MSG-TYPE"


def test_oversized_message_is_refused_before_parsing():
    data = write(MESSAGES[-1]) + b" " * (MAX_MESSAGE_BYTES + 1)
    assert error_of(data).rule == "XML-SIZE"


def as_wmo(message):
    """The same message in iWmo 3.2: only the kind (namespace, BerichtCode) and Wmo codes differ."""
    from dataclasses import replace

    from regiekamer.ijw.constants import MESSAGE_KINDS

    kind = MESSAGE_KINDS[message.header.kind.name.replace("JW", "WMO")]
    wmo_product = Product("08", "08A01")  # Wmo productcategorie 08, a region's own product code
    changed = {"header": replace(message.header, kind=kind)}
    if hasattr(message, "products"):
        changed["products"] = [replace(p, product=wmo_product) if getattr(p, "product", None) else p
                               for p in message.products]
        if isinstance(message, StopMessage):
            changed["products"] = [replace(p, reason="02") for p in changed["products"]]
    if isinstance(message, ChangeRequestMessage):
        changed["new"] = [replace(p, product=wmo_product) for p in message.new]
    if isinstance(message, DeclarationMessage):
        changed["performances"] = [replace(p, product=wmo_product) for p in message.performances]
    return replace(message, **changed)


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.header.kind.name.replace("JW", "WMO"))
def test_iwmo_messages_round_trip_and_validate_against_the_iwmo_schemas(message):
    wmo = as_wmo(message)
    data = write(wmo)
    assert b"http://www.istandaarden.nl/iwmo/3_2/" in data
    assert decode(data, "wmo.xml") == wmo


def test_a_writer_refuses_another_message_type():
    from dataclasses import replace

    from regiekamer.ijw.write import write_start

    with pytest.raises(ValueError):
        write_start(replace(MESSAGES[1], header=replace(MESSAGES[1].header, kind=JW307)))


def test_derived_iwmo_schemas_are_exactly_their_ijw_source_with_iwmo_names():
    """The iWmo retour and answer schemas were not in the collected set; they are derived from the iJw ones.
    The files on disk must be what the derivation gives (no hand edits) and must compile."""
    from lxml import etree

    from regiekamer.ijw.derive import derived_schemas
    from regiekamer.ijw.schemas import schema_for

    for path, text in derived_schemas().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} differs from its derivation"
        assert "ijw" not in text.replace("Bijwerken", "")
        from regiekamer.ijw.constants import MESSAGE_KINDS

        kind = MESSAGE_KINDS[path.stem]
        assert isinstance(schema_for(kind), etree.XMLSchema)
        assert f'<xs:pattern value="{kind.code}"/>' in text


def _big_declaration(lines: int):
    from dataclasses import replace

    declaration = next(m for m in MESSAGES if isinstance(m, DeclarationMessage))
    performances = [replace(declaration.performances[0], reference=f"R{i:08d}",
                            bsn="111222333" if i < lines // 2 else "123456782") for i in range(lines)]
    total = sum(p.amount_cents for p in performances)
    return replace(declaration, performances=performances, total_cents=total)


def test_large_declarations_are_decoded_while_parsed_with_the_same_result():
    """Above STREAM_FROM bytes a 323 is decoded line by line during the parse (memory follows the decoded lines,
    not the XML tree); the result is exactly what the whole-tree decoder gives."""
    message = _big_declaration(400)
    data = write(message)
    streamed = decode(data, "big.xml", stream_from=1)
    assert streamed == decode(data, "big.xml", stream_from=len(data) + 1) == message
    for wmo in (as_wmo(message),):
        assert decode(write(wmo), "big.xml", stream_from=1) == wmo


def test_a_streamed_declaration_reports_schema_and_syntax_errors_like_the_tree_decoder():
    data = write(_big_declaration(50))
    invalid = data.replace(b"<GeleverdVolume>", b"<GeleverdVolume>x", 1)
    for stream_from in (1, len(data) * 2):
        with pytest.raises(MessageError) as caught:
            decode(invalid, "bad.xml", stream_from=stream_from)
        assert caught.value.rule == "XSD" and caught.value.file == "bad.xml" and "regel" in caught.value.record
        with pytest.raises(MessageError) as caught:
            decode(data[: len(data) // 2], "cut.xml", stream_from=stream_from)
        assert caught.value.rule == "XML-SYNTAX"
    with pytest.raises(MessageError) as caught:  # the checks before parsing still apply
        decode(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + data[38:], "xxe.xml", stream_from=1)
    assert caught.value.rule == "XML-ENTITY"


def test_a_reference_of_spaces_alone_is_refused_naming_the_element_and_line():
    """LDT_ReferentieNummer is a string of at least one character, so the XSD lets "   " through; a line
    without a reference cannot be checked or answered, so the message is refused, streamed or not."""
    data = write(_big_declaration(20))
    start = data.index(b"<ijw:ReferentieNummer>", data.index(b"<Prestatie>", data.index(b"<Prestatie>") + 1))
    end = data.index(b"</ijw:ReferentieNummer>", start)
    blank = data[:start] + b"<ijw:ReferentieNummer>   " + data[end:]
    line = blank[:start].count(b"\n") + 1
    for stream_from in (1, len(data) * 2):
        with pytest.raises(MessageError) as caught:
            decode(blank, "leeg.xml", stream_from=stream_from)
        error = caught.value
        assert (error.rule, error.file) == ("XML-BLANK", "leeg.xml")
        assert error.record.startswith("Prestatie/ProductReferentie/ReferentieNummer (regel ")
        assert error.record.endswith(f"(regel {line})")
