"""Ingest: idempotent, all-or-nothing per message, and the declaration line controls."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from lxml import etree

from regiekamer.care.models import Assignment, CareEpisode, Client
from regiekamer.declarations.models import Declaration, DeclarationLine
from regiekamer.ijw.constants import JW301, JW305, JW323, JW325, DebitCredit, Frequency, Unit
from regiekamer.ijw.model import (
    AssignedProduct,
    AssignmentMessage,
    DeclarationMessage,
    Header,
    Performance,
    Person,
    Product,
    StartedProduct,
    StartMessage,
    Volume,
)
from regiekamer.ijw.schemas import validate
from regiekamer.ijw.write import write
from regiekamer.messaging.ingest import AnswerTarget, ingest_paths
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.providers.models import Provider

pytestmark = pytest.mark.django_db

BSN = "111222333"
PERSON = Person(BSN, date(2014, 3, 1), "1", "Testkind", "T")
PRODUCT = Product("45", "45A48")  # Jeugdhulp ambulant regulier, per hour, segment 4 in the demo register
NUMBER = 990001


@pytest.fixture
def setup(demo_region, tmp_path):
    """A provider and tariff from the demo register, and a message folder."""
    from regiekamer.contracts.models import Tariff
    from regiekamer.providers.models import Provider

    provider = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first()
    tariff = Tariff.objects.get(product__code="45A48", valid_from=date(2024, 1, 1)).amount_cents
    return provider.agb_code, tariff, tmp_path


def put(folder, name, message) -> None:
    (folder / name).write_bytes(write(message))


def assignment(agb: str, number: int = NUMBER, product: Product = PRODUCT) -> AssignmentMessage:
    return AssignmentMessage(Header(JW301, "0505", agb, f"T{number}", date(2024, 1, 2)), PERSON, "3311AB", [
        AssignedProduct(number, product, date(2024, 1, 2), time(10, 0), date(2024, 1, 1), date(2024, 12, 31),
                        Volume(10, Unit.UUR, Frequency.PER_MAAND))])


def line(reference: str, volume: int, tariff: int, dc=DebitCredit.DEBET, previous=None, month=1,
         number=NUMBER) -> Performance:
    start = date(2024, month, 1)
    end = date(2024, month, 31 if month in (1, 3) else 29)
    return Performance(BSN, reference, previous, number, PRODUCT, start, end, volume, Unit.UUR, tariff,
                       volume * tariff, dc)


def declaration(agb: str, ident: str, lines: list[Performance], month=1, total=None) -> DeclarationMessage:
    net = sum(p.amount_cents if p.debit_credit is DebitCredit.DEBET else -p.amount_cents for p in lines)
    end = date(2024, month, 31 if month in (1, 3) else 29)
    return DeclarationMessage(Header(JW323, agb, "0505", ident, end), f"T{ident}", date(2024, month, 1), end, end,
                              abs(net) if total is None else total, DebitCredit.DEBET if net >= 0 else DebitCredit.CREDIT,
                              lines)


def test_reingesting_changes_nothing_and_says_so(setup):
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D1", [line("REF1", 4, tariff)]))
    first = ingest_paths([folder])
    assert (first.processed, first.rejected) == (2, 0)
    counts = (ReceivedMessage.objects.count(), DeclarationLine.objects.count(), Assignment.objects.count())
    again = ingest_paths([folder])
    assert (again.processed, again.already_ingested, again.rejected) == (0, 2, 0)
    assert (ReceivedMessage.objects.count(), DeclarationLine.objects.count(), Assignment.objects.count()) == counts


def test_a_rejected_message_stores_nothing(setup):
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    ingest_paths([folder])
    before = (ReceivedMessage.objects.count(), Declaration.objects.count(), DeclarationLine.objects.count())
    bad = declaration(agb, "D2", [line("REF2", 4, tariff), line("REF3", 2, tariff, month=1)], total=1)
    (folder / "1.xml").unlink()
    put(folder, "bad.xml", bad)
    report = ingest_paths([folder])
    assert report.rejected == 1
    error = report.errors[0]
    assert error.rule == "TR358" and error.file.endswith("bad.xml") and "TotaalIngediendBedrag" in error.record
    assert (ReceivedMessage.objects.count(), Declaration.objects.count(), DeclarationLine.objects.count()) == before


def test_a_line_whose_reference_is_spaces_alone_refuses_its_message_and_the_ingest_goes_on(setup):
    """The XSD lets a ReferentieNummer of spaces through; the message is refused with a named error (before,
    the decoder's assertion stopped the whole ingest), and the other files are ingested."""
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    data = write(declaration(agb, "D9", [line("REF9", 4, tariff)]))
    (folder / "2-leeg.xml").write_bytes(data.replace(b">REF9<", b">   <"))
    put(folder, "3.xml", declaration(agb, "D10", [line("REF10", 4, tariff)]))
    report = ingest_paths([folder])
    assert [(e.rule, Path(e.file).name) for e in report.errors] == [("XML-BLANK", "2-leeg.xml")]
    assert report.errors[0].record.startswith("Prestatie/ProductReferentie/ReferentieNummer (regel ")
    assert report.processed == 2 and report.lines_accepted == 1
    assert not Declaration.objects.filter(number="TD9").exists()
    assert Declaration.objects.filter(number="TD10").exists()


def test_a_refused_message_inside_a_batch_leaves_no_trace_for_the_messages_after_it(setup):
    """One batch: a good assignment, an assignment whose second product is unknown (refused as a whole, so its
    first product must not exist either), then a start on each. The start on the refused one is refused."""
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    refused = assignment(agb, number=NUMBER + 1)
    refused.products.append(replace(refused.products[0], number=NUMBER + 2, product=Product("45", "45A99")))
    put(folder, "2.xml", replace(refused, header=replace(refused.header, identification="T2")))
    for name, number in (("3.xml", NUMBER), ("4.xml", NUMBER + 1)):
        put(folder, name, StartMessage(Header(JW305, agb, "0505", f"S{number}", date(2024, 1, 9)), PERSON,
                                       [StartedProduct(number, PRODUCT, date(2024, 1, 1), date(2024, 1, 8))]))
    put(folder, "5.xml", declaration(agb, "D9", [line("B1", 4, tariff), line("B2", 4, tariff, number=NUMBER + 1)]))
    report = ingest_paths([folder])
    assert sorted((Path(e.file).name, e.rule) for e in report.errors) == [("2.xml", "TR381"), ("4.xml", "TR019")]
    assert set(Assignment.objects.filter(number__gte=NUMBER).values_list("number", flat=True)) == {NUMBER}
    assert CareEpisode.objects.filter(assignment__number=NUMBER).count() == 1
    assert codes_of("B1") == ("toegekend", "")
    assert codes_of("B2") == ("afgewezen", "TR338")  # no assignment with that number
    assert Client.objects.filter(bsn_hash=_hash(BSN)).count() == 1


def test_a_batch_that_collides_with_another_writer_is_redone_one_message_at_a_time(setup, monkeypatch):
    """When the bulk write of a batch hits a unique constraint (another ingest stored the same facts meanwhile),
    the batch is rolled back and every message is ingested on its own: nothing lost, nothing doubled."""
    from django.db import IntegrityError

    from regiekamer.messaging import stage

    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D1", [line("C1", 4, tariff)]))
    real_flush = stage.Stage.flush
    calls = []

    def flaky_flush(self):
        calls.append(len(self.new))
        if len(calls) == 1:
            real_flush(self)  # written, then the constraint fires: the transaction rolls all of it back
            raise IntegrityError("UNIQUE constraint failed (simulated concurrent writer)")
        real_flush(self)

    monkeypatch.setattr(stage.Stage, "flush", flaky_flush)
    report = ingest_paths([folder])
    assert (report.processed, report.rejected, report.lines_accepted) == (2, 0, 1)
    assert len(calls) == 3  # the batch, then each message alone
    assert ReceivedMessage.objects.filter(filename__in=["1.xml", "2.xml"]).count() == 2
    assert DeclarationLine.objects.filter(reference="C1").count() == 1


def _hash(bsn: str) -> str:
    from django.conf import settings

    from regiekamer.core.protect import protector_for

    return protector_for(settings.BSN_KEY).lookup_hash(bsn)


def test_assignment_for_unknown_product_creates_no_client(setup):
    agb, _, folder = setup
    put(folder, "1.xml", assignment(agb, product=Product("45", "45A99")))
    report = ingest_paths([folder])
    assert [e.rule for e in report.errors] == ["TR381"]
    assert not Client.objects.filter(pseudonym__isnull=False, birth_date=date(2014, 3, 1)).exists()


def test_start_without_assignment_is_refused(setup):
    agb, _, folder = setup
    put(folder, "1.xml", StartMessage(Header(JW305, agb, "0505", "S1", date(2024, 1, 9)), PERSON,
                                      [StartedProduct(424242, PRODUCT, date(2024, 1, 1), date(2024, 1, 8))]))
    report = ingest_paths([folder])
    assert [e.rule for e in report.errors] == ["TR019"]
    assert not CareEpisode.objects.filter(assignment__number=424242).exists()


def codes_of(reference: str) -> tuple[str, str]:
    row = DeclarationLine.objects.get(reference=reference)
    return row.status, row.rule_codes


def test_line_controls(setup):
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D3", [
        line("OK1", 4, tariff),
        line("NOA1", 2, tariff, number=555555),          # no such assignment
    ]))
    put(folder, "2b.xml", declaration(agb, "D3b", [line("TAR1", 2, tariff + 100, month=3)], month=3))  # wrong tariff
    put(folder, "3.xml", declaration(agb, "D4", [line("DUP1", 3, tariff)]))  # second debit for January
    report = ingest_paths([folder])
    assert report.rejected == 0
    assert codes_of("OK1") == ("toegekend", "")
    assert codes_of("TAR1") == ("afgewezen", "TR418")
    assert codes_of("NOA1") == ("afgewezen", "TR338")
    assert codes_of("DUP1") == ("afgewezen", "TR389")


def test_credit_reverses_an_accepted_line_exactly_once(setup):
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D5", [line("ORIG", 5, tariff)]))
    put(folder, "3.xml", declaration(agb, "D6", [line("CRED", 5, tariff, DebitCredit.CREDIT, previous="ORIG"),
                                                 line("CORR", 4, tariff)], month=1))
    put(folder, "4.xml", declaration(agb, "D7", [line("CRED2", 5, tariff, DebitCredit.CREDIT, previous="ORIG")]))
    put(folder, "5.xml", declaration(agb, "D8", [line("CRED3", 3, tariff, DebitCredit.CREDIT, previous="CORR")]))
    ingest_paths([folder])
    assert codes_of("CRED") == ("toegekend", "")
    assert codes_of("CORR") == ("toegekend", "")  # the corrected debit after a full credit
    assert codes_of("CRED2") == ("afgewezen", "TR390")  # credited twice
    assert codes_of("CRED3") == ("afgewezen", "TR323")  # credit that is not an exact copy
    net = DeclarationLine.objects.filter(reference__in=["ORIG", "CRED", "CORR"]).accepted().net_cents()
    assert net == 4 * tariff


def test_broken_file_is_reported_with_file_record_and_rule(setup):
    _, _, folder = setup
    (folder / "kapot.xml").write_bytes(b"<?xml version='1.0' encoding='UTF-8'?><Bericht><Header>")
    report = ingest_paths([folder])
    assert report.rejected == 1
    assert report.errors[0].rule == "XML-SYNTAX"
    assert report.errors[0].file.endswith("kapot.xml")
    assert report.errors[0].record.startswith("regel")


def test_bsn_is_stored_only_protected(setup):
    agb, _, folder = setup
    put(folder, "1.xml", assignment(agb))
    ingest_paths([folder])
    client = Client.objects.get(assignments__number=NUMBER)
    assert BSN not in client.bsn_hash and BSN not in client.bsn_encrypted and BSN not in client.pseudonym
    from django.conf import settings

    from regiekamer.core.protect import protector_for

    assert protector_for(settings.BSN_KEY).decrypt(client.bsn_encrypted) == BSN


def answers_in(folder) -> dict[str, list[etree._Element]]:
    """Schema-valid 325 answers by the identification of the 323 they answer."""
    found: dict[str, list[etree._Element]] = {}
    for path in sorted(folder.glob("antwoord-JW325-*.xml")):
        root = etree.parse(str(path)).getroot()
        validate(root, JW325, str(path))
        found.setdefault(xp(root, "Header/DeclaratieIdentificatie/Identificatie")[0], []).append(root)
    return found


def xp(root, path: str) -> list[str]:
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    return [e.text for e in root.xpath(steps)]


def test_every_declaration_gets_a_schema_valid_325(setup):
    agb, tariff, folder = setup
    answers = folder / "antwoorden"
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D10", [line("A1", 4, tariff)]))
    put(folder, "3.xml", declaration(agb, "D11", [line("A2", 2, tariff, month=3), line("A3", 2, tariff + 1, month=2)],
                                     month=3))
    put(folder, "4.xml", declaration(agb, "D10", [line("A4", 1, tariff, month=3)], month=3))  # identification again
    report = ingest_paths([folder], answers=AnswerTarget(answers))
    assert [e.rule for e in report.errors] == ["TR056"]
    assert report.answers == 3
    got = answers_in(answers)

    assert len(got["D10"]) == 2  # the repeated identification is answered separately, in the header
    accepted, repeated = sorted(got["D10"], key=lambda root: xp(root, "Header/RetourCodes/RetourCode"))
    assert xp(repeated, "Header/RetourCodes/RetourCode") == ["9056"]
    assert xp(accepted, "DeclaratieAntwoord/RetourCodes/RetourCode") == ["8001"]
    assert xp(accepted, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag") == [str(4 * tariff)]
    assert xp(accepted, "DeclaratieAntwoord/Clienten") == []

    [partly] = got["D11"]
    assert xp(partly, "DeclaratieAntwoord/RetourCodes/RetourCode") == ["0200"]
    assert xp(partly, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag") == [str(2 * tariff)]
    assert xp(partly, "DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie/ProductReferentie/ReferentieNummer") \
        == ["A3"]
    assert xp(partly, "DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie/RetourCodes/RetourCode") == ["0611"]


def test_refused_declarations_are_answered_on_the_right_level(setup):
    agb, tariff, folder = setup
    answers = folder / "antwoorden"
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D20", [line("B1", 4, tariff)]))
    again = declaration(agb, "D21", [line("B2", 1, tariff, month=3)], month=3)
    put(folder, "3.xml", DeclarationMessage(again.header, "TD20", again.period_start, again.period_end,
                                            again.signed_on, again.total_cents, again.total_debit_credit,
                                            again.performances))
    put(folder, "4.xml", declaration(agb, "D22", [line("B3", 1, tariff, month=3)], month=3, total=7))
    report = ingest_paths([folder], answers=AnswerTarget(answers))
    assert sorted(e.rule for e in report.errors) == ["TR333", "TR358"]
    got = answers_in(answers)
    [duplicate_number] = got["D21"]
    assert xp(duplicate_number, "DeclaratieAntwoord/RetourCodes/RetourCode") == ["9333"]
    assert xp(duplicate_number, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag") == ["0"]
    [wrong_total] = got["D22"]
    assert xp(wrong_total, "Header/RetourCodes/RetourCode") == ["0001"]
    assert xp(wrong_total, "DeclaratieAntwoord") == []
    # Ingesting again changes nothing: stored messages are skipped, refused ones are refused again with the
    # same answer file (named by the answer's identification), and our answers are not read back as input.
    names = sorted(p.name for p in answers.iterdir())
    again_report = ingest_paths([folder, answers], answers=AnswerTarget(answers))
    assert again_report.processed == 0 and again_report.already_ingested == 2
    assert sorted(e.rule for e in again_report.errors) == ["TR333", "TR358"]
    assert sorted(p.name for p in answers.iterdir()) == names


def test_start_and_stop_get_schema_valid_retour_messages(setup):
    from regiekamer.ijw.constants import JW305, MESSAGE_KINDS
    from regiekamer.ijw.model import StartedProduct, StartMessage

    agb, _, folder = setup
    answers = folder / "antwoorden"
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", StartMessage(Header(JW305, agb, "0505", "S1", date(2024, 1, 9)), PERSON,
                                      [StartedProduct(NUMBER, PRODUCT, date(2024, 1, 1), date(2024, 1, 8))]))
    put(folder, "3.xml", StartMessage(Header(JW305, agb, "0505", "S2", date(2024, 1, 9)), PERSON, [
        StartedProduct(NUMBER, PRODUCT, date(2024, 1, 1), date(2024, 1, 8)),   # already started: TR326
        StartedProduct(777, PRODUCT, date(2024, 1, 1), date(2024, 1, 8))]))
    report = ingest_paths([folder], answers=AnswerTarget(answers))
    assert [e.rule for e in report.errors] == ["TR326"]
    retours = {}
    for path in answers.glob("antwoord-JW306-*.xml"):
        root = etree.parse(str(path)).getroot()
        validate(root, MESSAGE_KINDS["JW306"], str(path))
        assert xp(root, "Header/Afzender") == [agb] and xp(root, "Header/Ontvanger") == ["0505"]  # copied (IV028)
        retours[xp(root, "Header/IdentificatieRetour")[0]] = root
    assert xp(retours["S1"], "Header/RetourCodes/RetourCode") == [] and xp(retours["S1"], "Client") == []
    assert xp(retours["S2"], "Client/StartProducten/StartProduct/RetourCodes/RetourCode") == ["9326", "0233"]
    assert xp(retours["S2"], "Client/RetourCodes/RetourCode") == ["0200"]


def test_summary_counts_lines_and_rules(setup):
    agb, tariff, folder = setup
    put(folder, "1.xml", assignment(agb))
    put(folder, "2.xml", declaration(agb, "D30", [line("S1", 4, tariff), line("S2", 1, tariff + 5, month=1)]))
    put(folder, "3.xml", declaration(agb, "D31", [line("S3", 1, tariff, month=3)], month=3, total=1))
    summary = ingest_paths([folder]).as_dict()
    assert summary["declaratieregels"]["toegekend"] == 1
    assert summary["declaratieregels"]["afgewezen"] == 1
    assert summary["declaratieregels"]["afgewezen_per_regel"] == {"TR418": 1, "TR389": 1}
    assert summary["berichten_afgewezen_per_regel"] == {"TR358": 1}



@pytest.fixture
def wmo_setup(setup):
    """A Wmo segment in the demo region with one product (08A01, per hour) and a contract for the provider."""
    from regiekamer.contracts.models import Contract, Tariff
    from regiekamer.contracts.models import Product as ProductRow
    from regiekamer.regions.models import Region
    from regiekamer.segments.models import Lot, Segment

    agb, _, folder = setup
    region = Region.objects.get()
    segment = Segment.objects.create(region=region, code="W1", name="Begeleiding (Wmo)", domain="wmo",
                                     funding_model="inspanning")
    lot = Lot.objects.create(segment=segment, code="W1", name="Begeleiding", funding_model="inspanning")
    product = ProductRow.objects.create(region=region, code="08A01", category="08", description="Begeleiding",
                                        unit="04", variant="inspanning", segment=segment, lot=lot)
    contract = Contract.objects.create(region=region, provider=Provider.objects.get(agb_code=agb), reference="WMO-1",
                                       start=date(2023, 1, 1), end=date(2026, 12, 31))
    contract.lots.add(lot)
    Tariff.objects.create(product=product, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31),
                          amount_cents=6850)
    return agb, 6850, folder


def test_iwmo_messages_go_through_the_same_municipality_flow(wmo_setup, tmp_path):
    """WMO301, WMO305 and WMO323 are checked like their iJw twins and answered with WMO306 and WMO325, which
    validate against the iWmo schemas (derived from the iJw ones, see regiekamer/ijw/derive.py)."""
    from regiekamer.ijw.constants import MESSAGE_KINDS
    from tests.test_codec import as_wmo

    agb, tariff, folder = wmo_setup
    put(folder, "1.xml", as_wmo(assignment(agb)))
    put(folder, "2.xml", as_wmo(StartMessage(Header(JW305, agb, "0505", "SW1", date(2024, 1, 9)), PERSON,
                                             [StartedProduct(NUMBER, PRODUCT, date(2024, 1, 1), date(2024, 1, 8))])))
    put(folder, "3.xml", as_wmo(declaration(agb, "W1", [line("WMO1", 4, tariff), line("WMO2", 40, tariff)])))
    answers = tmp_path / "antwoorden"
    report = ingest_paths([folder], answers=AnswerTarget(answers))
    assert (report.processed, report.rejected) == (3, 0), report.errors
    assert dict(report.by_kind) == {"WMO301": 1, "WMO305": 1, "WMO323": 1}
    assert codes_of("WMO1") == ("toegekend", "")
    assert codes_of("WMO2")[0] == "afgewezen" and "TR321" in codes_of("WMO2")[1].split()  # above the assigned hours
    written = {path.name.split("-")[1]: path for path in answers.iterdir()}
    assert set(written) == {"WMO306", "WMO325"}
    for kind, path in written.items():
        validate(etree.parse(str(path)).getroot(), MESSAGE_KINDS[kind], str(path))
    answer = etree.parse(str(written["WMO325"])).getroot()
    assert xp(answer, "DeclaratieAntwoord/Clienten/Client/Prestaties/Prestatie/ProductReferentie/ReferentieNummer"
              ) == ["WMO2"]
    assert xp(answer, "DeclaratieAntwoord/TotaalToegekendBedrag/TotaalBedrag") == [str(4 * tariff)]


def test_a_crash_mid_ingest_leaves_whole_batches_and_a_rerun_completes_the_rest(setup, monkeypatch):
    """700 assignments: the first batch of 500 is written, then the process dies while writing the second.
    Nothing of the second batch is stored; ingesting the folder again stores the rest, each message once."""
    import random

    from regiekamer.core.bsn import synthetic_bsn
    from regiekamer.messaging import ingest, stage

    agb, _, folder = setup
    monkeypatch.setattr(ingest, "BATCH", 500)
    monkeypatch.setattr(ingest, "FIRST_BATCH", 500)
    rng = random.Random(7)
    for index in range(700):
        person = Person(synthetic_bsn(rng), date(2012, 1, 1), "1", f"Crash{index}", "C")
        message = assignment(agb, number=800_000 + index)
        put(folder, f"{index:04d}.xml", AssignmentMessage(replace(message.header, identification=f"C{index:06d}"),
                                                          person, "", message.products))
    real_insert = stage.insert
    batches = []

    def dying_insert(model, rows):
        if model is ReceivedMessage:
            batches.append(len(rows))
            if len(batches) == 2:
                raise RuntimeError("power cut")
        real_insert(model, rows)

    monkeypatch.setattr(stage, "insert", dying_insert)
    with pytest.raises(RuntimeError, match="power cut"):
        ingest.ingest_paths([folder])
    numbers = Assignment.objects.filter(number__gte=800_000)
    assert numbers.count() == ingest.BATCH and batches == [ingest.BATCH, 200]
    assert not numbers.filter(number__gte=800_000 + ingest.BATCH).exists()
    monkeypatch.setattr(stage, "insert", real_insert)
    report = ingest.ingest_paths([folder])
    assert (report.already_ingested, report.processed, report.rejected) == (ingest.BATCH, 200, 0)
    assert numbers.count() == 700 and Client.objects.filter(assignments__number__gte=800_000).distinct().count() == 700
