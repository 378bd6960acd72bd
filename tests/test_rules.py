"""A rejected example for every message and line control listed in docs/rules.md."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from regiekamer.declarations.models import DeclarationLine
from regiekamer.ijw.constants import (
    JW305,
    JW307,
    JW315,
    JW317,
    DebitCredit,
    Frequency,
    ReferrerType,
    StopReason,
    SubmissionStatus,
    Unit,
)
from regiekamer.ijw.model import (
    ChangedProduct,
    ChangeRequestMessage,
    Header,
    NewProduct,
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
from regiekamer.messaging.ingest import ingest_paths
from tests.test_ingest import NUMBER, PERSON, PRODUCT, assignment, declaration, line, put

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


@pytest.fixture
def env(demo_region, tmp_path):
    from regiekamer.contracts.models import Tariff
    from regiekamer.providers.models import Provider

    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    tariff = Tariff.objects.get(product__code="45A48", valid_from=date(2024, 1, 1)).amount_cents
    return agb, tariff, tmp_path


def start(agb, ident="S1", number=NUMBER, status=SubmissionStatus.NIEUW, begin=date(2024, 1, 8), person=PERSON,
          product=PRODUCT):
    return StartMessage(Header(JW305, agb, "0505", ident, date(2024, 1, 10)), person,
                        [StartedProduct(number, product, date(2024, 1, 1), begin, status)])


def stop(agb, ident="E1", reason=StopReason.VOLGENS_PLAN, end=date(2024, 3, 1), status=SubmissionStatus.NIEUW,
         begin=date(2024, 1, 8)):
    return StopMessage(Header(JW307, agb, "0505", ident, date(2024, 3, 3)), PERSON,
                       [StoppedProduct(NUMBER, PRODUCT, date(2024, 1, 1), begin, reason, end, status)])


def request(agb, reference="VOT-T1", ident="V1"):
    return RequestMessage(Header(JW315, agb, "0505", ident, date(2023, 12, 20)), PERSON, [
        RequestedProduct(reference, PRODUCT, date(2024, 1, 1), None, None, Referrer(ReferrerType.HUISARTS))])


def change(agb, ident="W1", reference="VOW-T1", unchanged=(NUMBER,), changed=(), new=()):
    return ChangeRequestMessage(Header(JW317, agb, "0505", ident, date(2024, 3, 1)), PERSON.bsn, reference, "1",
                                list(unchanged), list(changed), list(new))


NEW = NewProduct(Product("45", "45A05"), date(2024, 4, 1), date(2024, 9, 30), Volume(4, Unit.UUR, Frequency.PER_MAAND))


def run(folder: Path, messages: list) -> list[str]:
    for index, message in enumerate(messages):
        put(folder, f"{index:02d}.xml", message)
    return [error.rule for error in ingest_paths([folder]).errors]


MESSAGE_CASES = {
    "TR378": lambda agb, t: [replace(assignment(agb), header=replace(assignment(agb).header, sender="0999"))],
    "AGB-ONBEKEND": lambda agb, t: [assignment("12345678")],
    "CS002": lambda agb, t: [replace(assignment(agb), client=replace(PERSON, bsn="123456789"))],
    "TR347": lambda agb, t: [request(agb), request(agb, ident="V2")],
    "TR379": lambda agb, t: [replace(assignment(agb), products=[replace(assignment(agb).products[0],
                                                                        provider_reference="ONBEKEND")])],
    "TR332": lambda agb, t: [assignment(agb), replace(assignment(agb), header=replace(
        assignment(agb).header, identification="T2"), client=replace(PERSON, bsn="123456782"))],
    "IV075": lambda agb, t: [assignment(agb), start(agb, product=Product("45", "45A05"))],
    "TR304": lambda agb, t: [assignment(agb), start(agb, person=replace(PERSON, bsn="123456782"))],
    "TR326": lambda agb, t: [assignment(agb), start(agb), start(agb, ident="S2", begin=date(2024, 1, 9))],
    "TR063": lambda agb, t: [assignment(agb), start(agb, status=SubmissionStatus.VERWIJDEREN)],
    "TR071": lambda agb, t: [assignment(agb), start(agb), stop(agb), start(agb, ident="S2",
                                                                          status=SubmissionStatus.VERWIJDEREN)],
    "TR382": lambda agb, t: [assignment(agb), stop(agb)],
    "TR018": lambda agb, t: [assignment(agb), start(agb), stop(agb, end=date(2024, 1, 2))],
    "TR415": lambda agb, t: [assignment(agb), start(agb), stop(agb), stop(agb, ident="E2", end=date(2024, 3, 5))],
    "TR349": lambda agb, t: [assignment(agb), change(agb, unchanged=(), new=(NEW,))],
    "TR350": lambda agb, t: [assignment(agb), change(agb, unchanged=(NUMBER, 4711))],
    "TR351": lambda agb, t: [assignment(agb), change(agb, unchanged=(), changed=(
        ChangedProduct(4711, date(2024, 4, 1), date(2024, 12, 31)),))],
    "TR374": lambda agb, t: [assignment(agb), change(agb, new=(NEW,)), change(agb, ident="W2", reference="VOW-T2")],
    "CS340": lambda agb, t: [assignment(agb), replace(declaration(agb, "D1", [line("R1", 1, t)]),
                                                      period_end=date(2024, 1, 30))],
}


@pytest.mark.parametrize("code", sorted(MESSAGE_CASES))
def test_message_control_rejects_and_stores_nothing(env, code):
    agb, tariff, folder = env
    assert code in run(folder, MESSAGE_CASES[code](agb, tariff))


def feb(reference, volume, tariff, **kw):
    return line(reference, volume, tariff, month=2, **kw)


LINE_CASES = {
    "TR314": lambda agb, t: [declaration(agb, "L2", [feb("SAME", 1, t)], month=2),
                             declaration(agb, "L3", [line("SAME", 1, t, month=3)], month=3)],
    "CS337": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 1, t), period_end=date(2024, 3, 2))], month=2)],
    "TR346": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 2, t), amount_cents=t)], month=2)],
    "TR340": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 2, t), product=Product("45", "45A05"))],
                                         month=2)],
    "TR341": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 2, t), unit=Unit.DAGDEEL)], month=2)],
    "TR307": lambda agb, t: [declaration(agb, "L2", [replace(line("X1", 2, t), period_start=date(2023, 12, 31),
                                                             period_end=date(2023, 12, 31))], month=1)],
    "TR308": lambda agb, t: [declaration(agb, "L2", [replace(line("X1", 2, t), period_start=date(2025, 1, 1),
                                                             period_end=date(2025, 1, 31))], month=1)],
    "TR418": lambda agb, t: [declaration(agb, "L2", [feb("X1", 2, t + 1)], month=2)],
    "TR319": lambda agb, t: [declaration(agb, "L2", [line("X1", 2, t, month=3)], month=2)],
    "TR387": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 2, t), period_start=date(2024, 2, 5))],
                                         month=2)],
    "TR388": lambda agb, t: [declaration(agb, "L2", [replace(feb("X1", 2, t), period_end=date(2024, 2, 20))],
                                         month=2)],
    "TR321": lambda agb, t: [declaration(agb, "L2", [feb("X1", 11, t)], month=2)],  # 10 hours a month assigned
    "CS325": lambda agb, t: [declaration(agb, "L2", [feb("X1", 0, t, dc=DebitCredit.CREDIT)], month=2)],
    "RK-CONTRACT": lambda agb, t: [_uncontracted_declaration(agb, t)],
    "RK-WOONPLAATS": lambda agb, t: [replace(declaration(agb, "L2", [feb("X1", 2, t)], month=2),
                                             header=replace(declaration(agb, "L2", []).header, receiver="0482"))],
    "TR338": lambda agb, t: [declaration(agb, "L2", [feb("X1", 2, t, number=123)], month=2)],
    "TR389": lambda agb, t: [declaration(agb, "L2", [feb("X1", 2, t)], month=2),
                             declaration(agb, "L3", [feb("X2", 1, t)], month=3)],
    "TR323": lambda agb, t: [declaration(agb, "L2", [feb("X1", 2, t, dc=DebitCredit.CREDIT, previous="NOPE")],
                                         month=2)],
    "TR390": lambda agb, t: [declaration(agb, "L2", [feb("X1", 2, t)], month=2),
                             declaration(agb, "L3", [feb("C1", 2, t, dc=DebitCredit.CREDIT, previous="X1")], month=3),
                             declaration(agb, "L4", [feb("X2", 2, t, dc=DebitCredit.CREDIT, previous="X1")], month=3)],
}


def _uncontracted_declaration(agb: str, tariff: int):
    """A declaration for February after the provider's contract was ended on 31 January."""
    from regiekamer.contracts.models import Contract

    Contract.objects.filter(provider__agb_code=agb).update(end=date(2024, 1, 31))
    return declaration(agb, "L2", [feb("X1", 2, tariff)], month=2)


@pytest.mark.parametrize("code", sorted(LINE_CASES))
def test_line_control_rejects_the_line_with_its_code(env, code):
    agb, tariff, folder = env
    messages = [assignment(agb)] + LINE_CASES[code](agb, tariff)
    assert run(folder, messages) == []
    rejected = DeclarationLine.objects.filter(status="afgewezen", provider__agb_code=agb)
    assert code in {c for row in rejected.values_list("rule_codes", flat=True) for c in row.split()}


def test_every_documented_control_has_a_rejected_example():
    documented = set(re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", DOCS.read_text(), re.M)) - {"code"}
    # File-level controls have their examples in tests/test_codec.py.
    file_level = {"XML-SIZE", "XML-EMPTY", "XML-ENCODING", "XML-ENTITY", "XML-SYNTAX", "MSG-TYPE", "XSD", "XML-BLANK"}
    covered_elsewhere = {"TR056", "TR333", "TR358", "TR381", "TR019"}  # tests/test_ingest.py
    missing = documented - set(MESSAGE_CASES) - set(LINE_CASES) - file_level - covered_elsewhere
    assert missing == set()
    assert len(documented) >= 39


def test_request_for_change_is_stored_and_answered_with_a_318(env):
    from lxml import etree

    from regiekamer.care.models import ChangeRequest
    from regiekamer.ijw.constants import MESSAGE_KINDS
    from regiekamer.ijw.schemas import validate
    from regiekamer.messaging.ingest import AnswerTarget
    from tests.test_ingest import xp

    agb, _, folder = env
    answers = folder / "antwoorden"
    for index, message in enumerate([assignment(agb), change(agb, new=(NEW,)),
                                     change(agb, ident="W2", reference="VOW-T2", unchanged=(), new=(NEW,))]):
        put(folder, f"{index}.xml", message)
    report = ingest_paths([folder], answers=AnswerTarget(answers))
    assert [e.rule for e in report.errors] == ["TR374"]
    request = ChangeRequest.objects.get(provider_reference="VOW-T1")
    assert request.status == "open" and request.desired["ongewijzigd"] == [NUMBER]
    assert request.desired["nieuw"][0]["product"] == "45A05"
    retours = {}
    for path in answers.glob("antwoord-JW318-*.xml"):
        root = etree.parse(str(path)).getroot()
        validate(root, MESSAGE_KINDS["JW318"], str(path))
        retours[xp(root, "Header/IdentificatieRetour")[0]] = root
    assert xp(retours["W1"], "Client") == []
    assert xp(retours["W2"], "Client/Verzoek/RetourCodes/RetourCode") == ["9374"]
    assert xp(retours["W2"], "Client/Verzoek/NieuweProducten/NieuwProduct/RetourCodes/RetourCode") == ["0233"]
