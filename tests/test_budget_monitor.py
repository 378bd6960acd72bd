"""Budget monitoring of the demo region: realised figures trace back to the accepted lines and advances; the
forecast and its interval behave as defined."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db.models import Sum

from regiekamer.budgets.monitor import complete_months, monitor
from regiekamer.declarations.models import DeclarationLine, signed_amount

pytestmark = pytest.mark.django_db


def _declared(municipality: str, segment: str, year: int, months: int, as_of: date) -> int:
    return (DeclarationLine.objects.accepted()
            .filter(municipality__cbs_code=municipality, product__segment__code=segment, period_start__year=year,
                    period_start__month__lte=months, declaration__signed_on__lte=as_of)
            .aggregate(total=Sum(signed_amount()))["total"] or 0)


def test_a_month_counts_from_the_20th_of_the_next_month():
    assert complete_months(2025, date(2025, 7, 19)) == 5
    assert complete_months(2025, date(2025, 7, 20)) == 6
    assert complete_months(2024, date(2026, 1, 1)) == 12
    assert complete_months(2025, date(2025, 1, 15)) == 0


def test_a_closed_year_is_realised_in_full_and_traces_to_the_declarations(demo_region):
    as_of = date(2026, 3, 1)
    lines = {(b.municipality, b.segment): b for b in monitor(2024, as_of)}
    assert lines
    for (municipality, segment), line in lines.items():
        if segment in ("1", "2", "3", "6"):  # declared care only
            assert line.realised_cents == _declared(municipality, segment, 2024, 12, as_of)
        assert line.forecast.months == 12
        assert line.forecast.point_cents == line.forecast.low_cents == line.forecast.high_cents == line.realised_cents
        assert line.committed_cents == 0


def test_mid_year_realised_forecast_and_alert(demo_region):
    as_of = date(2025, 7, 25)
    lines = monitor(2025, as_of)
    assert {line.forecast.months for line in lines} == {6}
    for line in lines:
        if line.segment in ("1", "2", "3", "6"):
            assert line.realised_cents == _declared(line.municipality, line.segment, 2025, 6, as_of)
        forecast = line.forecast
        assert forecast.low_cents <= forecast.point_cents <= forecast.high_cents
        assert forecast.path_cents[5] == line.realised_cents and forecast.path_cents[11] == forecast.point_cents
        crossing = line.crossing_month
        if crossing is not None:
            assert forecast.path_cents[crossing - 1] > line.budget_cents
            assert crossing == 1 or forecast.path_cents[crossing - 2] <= line.budget_cents
        elif line.budget_cents is not None:
            assert forecast.point_cents <= line.budget_cents
    assert any(line.committed_cents > 0 for line in lines)  # open assignments still to run this year


def test_budget_command_gives_figures_with_their_definition(demo_region):
    from click.testing import CliRunner

    from regiekamer.cli import main

    result = CliRunner().invoke(main, ["budget", "--year", "2025", "--as-of", "2025-07-25", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["peildatum"] == "2025-07-25" and "compleet" in data["definitie"]
    assert {"budget_cent", "gerealiseerd_cent", "verplicht_cent", "prognose_laag_cent",
            "overschrijding_verwacht_in_maand"} <= set(data["regels"][0])


def test_provider_ceilings_are_monitored_like_budgets(demo_region):
    from regiekamer.budgets.monitor import ceilings

    as_of = date(2025, 7, 25)
    lines = ceilings(2025, as_of)
    assert len(lines) == 3 and {c.lot for c in lines} == {"4b"}  # the three largest providers of lot 4b
    for c in lines:
        declared = (DeclarationLine.objects.accepted()
                    .filter(provider__agb_code=c.provider, product__lot__code="4b", period_start__year=2025,
                            period_start__month__lte=6, declaration__signed_on__lte=as_of)
                    .aggregate(total=Sum(signed_amount()))["total"] or 0)
        assert c.realised_cents == declared
        if c.crossing_month:
            assert c.forecast.path_cents[c.crossing_month - 1] > c.ceiling_cents
