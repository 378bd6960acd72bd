"""The municipality decides on requests for assignment: a 301 or a 319 goes out, and the decision is stored."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from lxml import etree

from regiekamer.care.decisions import DecisionError, honour, reject
from regiekamer.care.models import Assignment, Referral
from regiekamer.ijw.constants import MESSAGE_KINDS, Frequency, Unit
from regiekamer.ijw.read import decode
from regiekamer.ijw.schemas import validate
from regiekamer.messaging.ingest import ingest_paths
from tests.test_ingest import assignment, put, xp
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
