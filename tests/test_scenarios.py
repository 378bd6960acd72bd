"""Scenario comparison over the demo region's real deliveries: every scenario's money adds up, and each
alternative starts from the level of the year itself."""

from __future__ import annotations

import json

import pytest

from regiekamer.declarations.models import DeclarationLine
from regiekamer.settlements.scenarios import compare

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture(scope="module")
def outcomes(django_db_blocker, _demo_loaded):
    with django_db_blocker.unblock():
        return compare("4", YEAR)


def test_every_scenario_charges_the_municipalities_exactly_what_the_providers_earn(outcomes):
    assert len(outcomes) == 6
    for outcome in outcomes:
        assert sum(outcome.cost.values()) == outcome.total_cents == sum(outcome.revenue.values())
        assert outcome.scenario.incentive


def test_the_current_scenario_is_the_year_as_declared_and_the_others_start_there(outcomes):
    current, raised, capped, output, lumpsum, hybrid = outcomes
    lines = DeclarationLine.objects.accepted().in_year(YEAR).filter(product__segment__code="4",
                                                                    product__lot__funding_model="inspanning")
    declared = sum(c if dc == "D" else -c for c, dc in lines.values_list("amount_cents", "debit_credit"))
    assert current.total_cents == declared
    assert abs(raised.total_cents - declared * 103 // 100) <= len(raised.revenue) * 100  # +3 %, rounded per tariff
    for provider, cents in capped.revenue.items():  # a hard ceiling at 95 % of what each earned
        assert abs(cents - current.revenue[provider] * 95 / 100) <= 1
    assert abs(lumpsum.total_cents - current.total_cents * 97 / 100) <= len(lumpsum.revenue)
    client_months = len({(d.client, d.product, d.month) for d in _deliveries() if d.volume > 0})
    assert abs(output.total_cents - current.total_cents) <= client_months  # one rounded amount per client month
    assert abs(hybrid.total_cents - current.total_cents) <= 2 * sum(1 for _ in hybrid.revenue) * 100


def test_a_lumpsum_moves_cost_between_municipalities_but_use_based_models_keep_it_with_the_user(outcomes):
    current, _, _, output, lumpsum, _ = outcomes
    assert current.cost != lumpsum.cost  # shared by residents 0-17 instead of by use
    shares = {m: c / current.total_cents for m, c in current.cost.items()}
    assert all(abs(output.cost.get(m, 0) / output.total_cents - share) < 0.05 for m, share in shares.items())


def test_scenario_command(demo_region):
    from click.testing import CliRunner

    from regiekamer.cli import main

    result = CliRunner().invoke(main, ["scenario", "--segment", "4", "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["bekostiging"] for s in data["scenarios"]] == ["inspanning", "inspanning", "inspanning", "output",
                                                            "taak", "hybride"]


def _deliveries():
    from regiekamer.settlements.scenarios import segment_data

    delivered, _ = segment_data("4", YEAR)
    return [d for rows in delivered.values() for d in rows]
