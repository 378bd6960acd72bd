"""The municipality decides on requests for assignment: a 301 or a 319 goes out, and the decision is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.conf import settings
from lxml import etree

from regiekamer.care.changes import ChangeNotPossible, PlannedAssignment, WantedChange, plan_change
from regiekamer.care.decisions import DecisionError, assign, honour, honour_change, reject
from regiekamer.care.models import Assignment, ChangeRequest, Referral
from regiekamer.ijw.constants import MESSAGE_KINDS, Frequency, Unit
from regiekamer.ijw.model import AssignmentMessage, ChangedProduct, Person, Volume
from regiekamer.ijw.read import decode
from regiekamer.ijw.schemas import validate
from regiekamer.messaging.ingest import ingest_paths
from tests.test_ingest import NUMBER, assignment, put, xp
from tests.test_rules import request

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_request(demo_region, tmp_path):
    from regiekamer.providers.models import Provider

    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    put(tmp_path, "1.xml", assignment(agb))  # the client already has one assignment at this provider
    put(tmp_path, "2.xml", request(agb, reference="VOT-D1"))
    assert ingest_paths([tmp_path]).errors == []
    return agb, tmp_path / "uit"


def test_honouring_writes_a_301_with_all_current_assignments(open_request):
    agb, outbox = open_request
    decision = honour(agb, "VOT-D1", volume=6, unit=Unit.UUR, frequency=Frequency.PER_MAAND, start=date(2024, 2, 1),
                      end=date(2024, 7, 31), today=date(2024, 1, 25), outbox=outbox, bsn_key=settings.BSN_KEY)
    message = decode(decision.outbox_file.read_bytes(), str(decision.outbox_file))
    assert message.header.kind.name == "JW301" and message.header.receiver == agb
    numbers = [p.number for p in message.products]
    assert decision.assignment.number in numbers and len(numbers) == 2  # the earlier one is repeated (OP087)
    assert [p.provider_reference for p in message.products if p.number == decision.assignment.number] == ["VOT-D1"]
    assert [p.provider_reference for p in message.products if p.number != decision.assignment.number] == [None]
    assert message.client.surname == "Testkind"
    assert Referral.objects.get(provider_reference="VOT-D1").decision == "toegekend"
    assert Assignment.objects.get(number=decision.assignment.number, municipality__cbs_code="0505").referrer_type == "02"
    with pytest.raises(DecisionError):
        honour(agb, "VOT-D1", volume=6, unit=Unit.UUR, frequency=Frequency.PER_MAAND, start=date(2024, 2, 1),
               end=date(2024, 7, 31), today=date(2024, 1, 25), outbox=outbox, bsn_key=settings.BSN_KEY)


def test_rejecting_writes_a_319_with_the_reason(open_request):
    agb, outbox = open_request
    with pytest.raises(DecisionError):  # reason 8 needs the responsible municipality (TR377)
        reject(agb, "VOT-D1", reason="8", today=date(2024, 1, 25), outbox=outbox)
    assert Referral.objects.get(provider_reference="VOT-D1").decision == ""
    decision = reject(agb, "VOT-D1", reason="8", responsible_municipality="0482", today=date(2024, 1, 25),
                      outbox=outbox)
    root = etree.parse(str(decision.outbox_file)).getroot()
    validate(root, MESSAGE_KINDS["JW319"], str(decision.outbox_file))
    assert xp(root, "Antwoord/VerzoekAntwoord") == ["1"]
    assert xp(root, "Antwoord/RedenAfwijzingVerzoek") == ["8"]
    assert xp(root, "Antwoord/Woonplaatsbeginsel/Gemeente") == ["0482"]
    referral = Referral.objects.get(provider_reference="VOT-D1")
    assert (referral.decision, referral.rejection_reason) == ("afgewezen", "8")


def test_request_commands(open_request):
    import json

    from click.testing import CliRunner

    from regiekamer.cli import main

    agb, outbox = open_request
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["requests", "list", "--json"]).stdout)
    assert any(row["referentie"] == "VOT-D1" and row["aanbieder"] == agb for row in listed)
    assert all(not row["client"].isdigit() for row in listed)
    result = runner.invoke(main, ["requests", "reject", agb, "VOT-D1", "--reason", "3", "--outbox", str(outbox)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["requests", "reject", agb, "VOT-D1", "--reason", "3", "--outbox", str(outbox)])
    assert again.exit_code != 0 and "al besloten" in again.output
    listed = json.loads(runner.invoke(main, ["requests", "list", "--json"]).stdout)
    assert not any(row["referentie"] == "VOT-D1" for row in listed)


# --- requests for change (317) ----------------------------------------------------------------------------------

@pytest.fixture
def open_change(demo_region, tmp_path):
    """The client has assignment NUMBER (10 hours a month, 2024) at the provider, which asks to raise it to 14
    hours a month from April and to add product 45A05 from April to September."""
    from regiekamer.providers.models import Provider
    from tests.test_rules import NEW, change

    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    put(tmp_path, "1.xml", assignment(agb))
    put(tmp_path, "2.xml", change(agb, reference="VOW-D1", unchanged=(), new=(NEW,), changed=(
        ChangedProduct(NUMBER, date(2024, 4, 1), date(2024, 12, 31), Volume(14, Unit.UUR, Frequency.PER_MAAND)),)))
    assert ingest_paths([tmp_path]).errors == []
    return agb, tmp_path / "uit"


def test_honouring_a_change_of_volume_ends_the_assignment_and_adds_a_new_one(open_change):
    agb, outbox = open_change
    decision = honour_change(agb, "VOW-D1", today=date(2024, 3, 5), outbox=outbox, bsn_key=settings.BSN_KEY)
    message = decode(decision.outbox_file.read_bytes(), str(decision.outbox_file))
    by_number = {p.number: p for p in message.products}
    ended = by_number.pop(NUMBER)
    assert (ended.end, ended.change_reason, ended.volume.volume) == (date(2024, 3, 31), "12", 10)
    added, successor = sorted(by_number.values(), key=lambda p: p.product.code)  # 45A05, 45A48
    assert (successor.product.code, successor.start, successor.end, successor.volume.volume,
            successor.change_reason) == ("45A48", date(2024, 4, 1), date(2024, 12, 31), 14, None)
    assert (added.product.code, added.start, added.end, added.volume.volume) == ("45A05", date(2024, 4, 1),
                                                                                 date(2024, 9, 30), 4)
    assert {p.provider_reference for p in message.products} == {"VOW-D1"}  # IV093: all carry the reference
    stored = Assignment.objects.filter(municipality__cbs_code="0505", client__change_requests__provider_reference="VOW-D1")
    assert stored.get(number=NUMBER).end == date(2024, 3, 31)
    assert stored.get(number=successor.number).referrer_type == stored.get(number=NUMBER).referrer_type
    assert ChangeRequest.objects.get(provider_reference="VOW-D1").status == "toegekend"
    with pytest.raises(DecisionError, match="al besloten"):
        honour_change(agb, "VOW-D1", today=date(2024, 3, 5), outbox=outbox, bsn_key=settings.BSN_KEY)


def test_a_longer_assignment_keeps_its_number():
    current = {7: PlannedAssignment(7, "45A48", date(2024, 1, 1), date(2024, 6, 30), 10, "04", "4")}
    plan = plan_change(current, [], [WantedChange(7, date(2024, 7, 1), date(2024, 12, 31))], [])
    assert plan == [PlannedAssignment(7, "45A48", date(2024, 1, 1), date(2024, 12, 31), 10, "04", "4",
                                      change_reason="12")]
    total = {7: PlannedAssignment(7, "45A48", date(2024, 1, 1), date(2024, 6, 30), 100, "04", "6")}
    raised = plan_change(total, [], [WantedChange(7, date(2024, 3, 1), None, 120, "04", "6")], [])
    assert [(p.number, p.volume, p.end) for p in raised] == [(7, 120, date(2024, 6, 30))]  # frequency 6: same number
    with pytest.raises(ChangeNotPossible):  # the request must name every current assignment
        plan_change(current, [], [], [])


def test_rejecting_a_change_request_writes_a_319(open_change):
    agb, outbox = open_change
    decision = reject(agb, "VOW-D1", reason="4", today=date(2024, 3, 5), outbox=outbox)
    root = etree.parse(str(decision.outbox_file)).getroot()
    validate(root, MESSAGE_KINDS["JW319"], str(decision.outbox_file))
    assert xp(root, "Antwoord/ReferentieAanbieder") == ["VOW-D1"]
    assert ChangeRequest.objects.get(provider_reference="VOW-D1").status == "afgewezen"
    assert Assignment.objects.get(number=NUMBER, municipality__cbs_code="0505").end == date(2024, 12, 31)


def test_a_301_received_for_a_change_request_marks_it_honoured(open_change, tmp_path):
    """In a region where the municipality's own system sends the 301, ingesting it closes the request."""
    agb, outbox = open_change
    answer = assignment(agb)
    honoured = AssignmentMessage(replace(answer.header, identification="T-VOW"), answer.client, "", [
        replace(answer.products[0], end=date(2024, 3, 31), change_reason="12", provider_reference="VOW-D1")])
    folder = tmp_path / "in2"
    folder.mkdir()
    put(folder, "3.xml", honoured)
    assert ingest_paths([folder]).errors == []
    assert ChangeRequest.objects.get(provider_reference="VOW-D1").status == "toegekend"


def test_assigning_from_an_access_decision_registers_the_client_and_writes_a_301(demo_region, tmp_path):
    from regiekamer.providers.models import Provider

    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    person = Person("123456782", date(2015, 5, 5), "2", "Nieuwkind", "N")
    decision = assign("0505", person, agb, "45A48", volume=8, unit=Unit.UUR, frequency=Frequency.PER_MAAND,
                      start=date(2024, 5, 1), end=date(2024, 10, 31), today=date(2024, 4, 20), outbox=tmp_path,
                      bsn_key=settings.BSN_KEY)
    message = decode(decision.outbox_file.read_bytes(), str(decision.outbox_file))
    assert [(p.number, p.provider_reference, p.volume.volume) for p in message.products] == [
        (decision.assignment.number, None, 8)]
    assert message.client.surname == "Nieuwkind"
    assert decision.assignment.referrer_type == "01"  # gemeentelijke toegang
    with pytest.raises(DecisionError, match="al toegewezen"):  # OP259: not twice for the same period
        assign("0505", person, agb, "45A48", volume=8, unit=Unit.UUR, frequency=Frequency.PER_MAAND,
               start=date(2024, 6, 1), end=None, today=date(2024, 4, 20), outbox=tmp_path, bsn_key=settings.BSN_KEY)
    with pytest.raises(DecisionError, match="11-proef"):
        assign("0505", replace(person, bsn="123456789"), agb, "45A48", volume=8, unit=Unit.UUR,
               frequency=Frequency.PER_MAAND, start=date(2024, 5, 1), end=None, today=date(2024, 4, 20),
               outbox=tmp_path, bsn_key=settings.BSN_KEY)


def test_change_and_assign_commands(open_change):
    import json

    from click.testing import CliRunner

    from regiekamer.cli import main

    agb, outbox = open_change
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["requests", "list", "--json"]).stdout)
    assert [row["te_wijzigen"] for row in listed if row["referentie"] == "VOW-D1"] == [[NUMBER]]
    result = runner.invoke(main, ["requests", "honour", agb, "VOW-D1", "--outbox", str(outbox)])
    assert result.exit_code == 0, result.output
    assert ChangeRequest.objects.get(provider_reference="VOW-D1").status == "toegekend"
    new_client = "\n".join(["123456782", "2015-05-05", "2", "Nieuwkind", "N"]) + "\n"
    result = runner.invoke(main, ["assign", "0505", agb, "45A48", "--volume", "8", "--start", "2024-05-01",
                                  "--outbox", str(outbox)], input=new_client)
    assert result.exit_code == 0, result.output
    assert "123456782" not in result.output  # the BSN is read hidden and never echoed
    again = runner.invoke(main, ["assign", "0505", agb, "45A48", "--volume", "8", "--start", "2024-05-01",
                                 "--outbox", str(outbox)], input="123456782\n")
    assert again.exit_code != 0 and "al toegewezen" in again.output  # known client: no identity asked


def test_every_request_for_change_in_the_demo_region_is_closed_by_a_301(demo_region):
    """The generator extends assignments that run out before the care does: a 317 from the provider, answered
    by the municipality's 301 with the same number, the new end date and the request's reference."""
    requests = ChangeRequest.objects.select_related("client")
    assert requests.count() > 0
    assert set(requests.values_list("status", flat=True)) == {"toegekend"}
    sample = requests.order_by("id").first()
    extended = Assignment.objects.filter(client=sample.client, provider=sample.provider,
                                         number=sample.desired["te_wijzigen"][0]["toewijzing"]).get()
    assert extended.end.isoformat() == sample.desired["te_wijzigen"][0]["einde"]
    assert extended.change_reason == "12"
