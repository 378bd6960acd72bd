"""Outcome measurements: the import checks every line and stores all or nothing, re-import changes nothing,
and the outcome KPIs count them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from regiekamer.monitoring.measurements import MeasurementError, import_file
from regiekamer.monitoring.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(demo_region):
    from regiekamer.care.models import Assignment

    return Assignment.objects.filter(municipality__cbs_code="0505", start__year=2024).select_related(
        "provider", "municipality").order_by("id").first()


def _csv(tmp_path, lines: list[str], separator: str = ",", name: str = "metingen.csv"):
    path = tmp_path / name
    header = separator.join(("aanbieder", "gemeente", "toewijzingnummer", "meting", "datum", "waarde"))
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _line(a, kind: str, day: str, value: str, agb: str | None = None, separator: str = ",") -> str:
    return separator.join((agb or a.provider.agb_code, a.municipality.cbs_code, str(a.number), kind, day, value))


def test_a_good_file_is_stored_and_a_second_delivery_changes_nothing(assignment, tmp_path):
    day = assignment.start.isoformat()
    path = _csv(tmp_path, [_line(assignment, "doelrealisatie", day, "ja", separator=";"),
                           _line(assignment, "tevredenheid", day, "8", separator=";")], separator=";")
    report = import_file(path)
    assert (report.stored, report.known, report.by_kind) == (2, 0, {"doelrealisatie": 1, "tevredenheid": 1})
    again = import_file(path)
    assert (again.stored, again.known) == (0, 2) and Measurement.objects.count() == 2


BAD = [
    (lambda a, d: _line(a, "doelrealisatie", d, "misschien"), "MS08"),
    (lambda a, d: _line(a, "tevredenheid", d, "11"), "MS08"),
    (lambda a, d: _line(a, "geluk", d, "ja"), "MS05"),
    (lambda a, d: _line(a, "doelrealisatie", "2024-02-30", "ja"), "MS06"),
    (lambda a, d: _line(a, "doelrealisatie", "2001-01-01", "ja"), "MS07"),
    (lambda a, d: _line(a, "doelrealisatie", d, "ja", agb="99999999"), "MS04"),
    (lambda a, d: ",".join((a.provider.agb_code, a.municipality.cbs_code, "999999", "doelrealisatie", d, "ja")),
     "MS03"),
]


@pytest.mark.parametrize(("make", "code"), BAD)
def test_one_bad_line_refuses_the_file_naming_file_line_and_rule(assignment, tmp_path, make, code):
    day = assignment.start.isoformat()
    path = _csv(tmp_path, [_line(assignment, "crisis_24u", day, "ja"), make(assignment, day)])
    with pytest.raises(MeasurementError) as raised:
        import_file(path)
    assert (raised.value.rule.code, raised.value.line) == (code, 3) and str(path) in str(raised.value)
    assert not Measurement.objects.exists()


def test_a_changed_value_a_double_line_and_a_bad_header_are_refused(assignment, tmp_path):
    day = assignment.start.isoformat()
    import_file(_csv(tmp_path, [_line(assignment, "doelrealisatie", day, "ja")]))
    with pytest.raises(MeasurementError, match="MS10"):
        import_file(_csv(tmp_path, [_line(assignment, "doelrealisatie", day, "nee")], name="b.csv"))
    with pytest.raises(MeasurementError, match="MS09"):
        import_file(_csv(tmp_path, [_line(assignment, "tevredenheid", day, "6")] * 2, name="c.csv"))
    (tmp_path / "d.csv").write_text("aanbieder,gemeente\n1,2\n")
    with pytest.raises(MeasurementError, match="MS02.*toewijzingnummer"):
        import_file(tmp_path / "d.csv")
    (tmp_path / "e.csv").write_bytes("aanbieder,gemeente\n".encode("utf-16"))
    with pytest.raises(MeasurementError, match="MS01"):
        import_file(tmp_path / "e.csv")
    assert Measurement.objects.count() == 1


def test_the_outcome_kpis_count_the_measurements(assignment, tmp_path, demo_region, monkeypatch):
    from regiekamer.monitoring import kpis
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import BY_ID, Period, compute

    monkeypatch.setattr(kpis, "SMALL_CELL", 1)
    year = assignment.start.year
    days = [(assignment.start + timedelta(days=d)).isoformat() for d in range(4)]
    import_file(_csv(tmp_path, [_line(assignment, "doelrealisatie", days[0], "ja"),
                                _line(assignment, "doelrealisatie", days[1], "gedeeltelijk"),
                                _line(assignment, "tevredenheid", days[2], "7"),
                                _line(assignment, "tevredenheid", days[3], "6")]))
    facts = load_facts(demo_region.id)
    goal = compute(BY_ID["doelrealisatie"], facts, Period.of(year), [])[0]
    satisfaction = compute(BY_ID["clienttevredenheid"], facts, Period.of(year), ["municipality"])[0]
    assert (goal.numerator, goal.denominator, goal.value) == (1, 2, 50)
    assert (satisfaction.dims, satisfaction.numerator, satisfaction.denominator) == ({"municipality": "0505"}, 1, 2)


def test_the_command_reports_and_exits_non_zero_on_a_bad_file(assignment, tmp_path, monkeypatch):
    from regiekamer.cli import main

    monkeypatch.setattr("regiekamer.cli._migrate", lambda: None)
    day = assignment.start.isoformat()
    good = _csv(tmp_path, [_line(assignment, "crisis_24u", day, "nee")])
    bad = _csv(tmp_path, [_line(assignment, "crisis_24u", day, "soms")], name="fout.csv")
    result = CliRunner().invoke(main, ["measurements", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert Measurement.objects.count() == 1
