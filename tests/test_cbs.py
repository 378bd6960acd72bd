"""The CBS-compatible extract: flows per hulpvorm that add up, referrers with durations, trajectories by
pseudonym, and agreement with the KPI set."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from regiekamer.monitoring import cbs
from regiekamer.monitoring.facts import load_facts
from regiekamer.monitoring.kpis import BY_ID, Period, compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(demo_region):
    return load_facts(demo_region.id)


def test_flows_add_up_per_hulpvorm_and_match_the_trajectories_kpi(facts):
    period = Period.of(2024)
    table = cbs.flows(facts, period)
    for row in table.iter_rows(named=True):
        assert row["beginstand"] + row["instroom"] - row["uitstroom"] == row["eindstand"], row["hulpvorm"]
    total = table.row(0, named=True)
    assert total["hulpvorm"] == "Totaal aantal jeugdhulptrajecten"
    assert total["actief"] == sum(table["actief"][1:])
    youth = facts.only(segments=set(facts.segments.filter(facts.segments["domain"] == "jeugd")["segment"]))
    assert total["actief"] == compute(BY_ID["trajecten"], youth, period, [])[0].numerator


def test_every_demo_product_has_its_cbs_hulpvorm_and_half_years_add_up(facts):
    hulpvormen = cbs.youth_trajectories(facts)["hulpvorm"].unique().to_list()
    assert "Met verblijf: pleegzorg" in hulpvormen and "Zonder verblijf: ambulante jeugdhulp op locatie van de aanbieder" in hulpvormen
    first, second = (cbs.flows(facts, cbs.half_year(2024, h)).row(0, named=True) for h in (1, 2))
    assert first["eindstand"] == second["beginstand"]
    year = cbs.flows(facts, Period.of(2024)).row(0, named=True)
    assert first["instroom"] + second["instroom"] == year["instroom"]


def test_referrers_in_the_layout_of_statline_85096ned(facts):
    table = cbs.referrers(facts, Period.of(2024))
    assert table.columns[:4] == ["verwijzer", "totaal_trajecten", "begonnen_totaal", "beeindigd_totaal"]
    total = table.row(0, named=True)
    assert total["totaal_trajecten"] == sum(table["totaal_trajecten"][1:])
    assert total["beeindigd_totaal"] == sum(total[name] for name, _, _ in cbs.DURATION_CLASSES)
    assert set(table["verwijzer"][1:]) <= {*cbs.REFERRERS.values(), cbs.NO_ASSIGNMENT}


def test_the_command_writes_csv_with_pseudonyms_and_suppresses_small_counts(demo_region):
    from regiekamer.care.models import Client
    from regiekamer.cli import main

    result = CliRunner().invoke(main, ["cbs", "--year", "2024", "--table", "trajecten", "--municipality", "0505"])
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    assert header.startswith("periode,pseudoniem,geboortejaar,gemeente") and lines
    pseudonyms = set(Client.objects.values_list("pseudonym", flat=True))
    assert all(line.split(",")[1] in pseudonyms and line.split(",")[3] == "0505" for line in lines)
    flows = CliRunner().invoke(main, ["cbs", "--year", "2024", "--half", "1", "--municipality", "0505"])
    cells = [cell for line in flows.stdout.splitlines()[1:] for cell in line.split(",")[2:]]
    assert cells and not [cell for cell in cells if cell in {"1", "2", "3", "4"}]
