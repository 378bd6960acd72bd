"""Settlement of the demo region: every euro reconciles between declarations, payments, earnings and the
municipalities' shares."""

from __future__ import annotations

import io
import json
from collections import defaultdict

import pytest

from regiekamer.declarations.models import DeclarationLine
from regiekamer.settlements.export import as_csv, as_json, as_xlsx, municipalities_csv
from regiekamer.settlements.statements import lot_statements, municipality_costs

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture(scope="module")
def statements(django_db_blocker, _demo_loaded):
    with django_db_blocker.unblock():
        return lot_statements(YEAR)


def test_effort_based_lots_earn_and_are_paid_exactly_the_accepted_declarations(statements):
    accepted = defaultdict(int)
    for provider, lot, cents in (DeclarationLine.objects.accepted().in_year(YEAR)
                                 .values_list("provider__agb_code", "product__lot__code", "amount_cents")):
        accepted[(provider, lot)] += cents
    credits = defaultdict(int)
    for provider, lot, cents in (DeclarationLine.objects.accepted().in_year(YEAR).filter(debit_credit="C")
                                 .values_list("provider__agb_code", "product__lot__code", "amount_cents")):
        credits[(provider, lot)] += cents
    effort = [s for s in statements if s.statement.earned.kind == "inspanning"
              and not any("plafond" in line.text for line in s.statement.earned.lines)]
    assert effort
    for s in effort:
        net = accepted[(s.provider, s.lot)] - 2 * credits[(s.provider, s.lot)]
        assert s.statement.paid_cents == s.statement.earned.total_cents == net, (s.provider, s.lot)
        assert s.statement.balance_cents == 0


def test_lumpsums_and_availability_are_paid_in_twelve_advances_and_earned_in_full(statements):
    task = [s for s in statements if s.statement.earned.kind == "taak"]
    hybrid = [s for s in statements if s.statement.earned.kind == "hybride"]
    assert task and hybrid
    for s in task:
        assert s.statement.paid_cents == s.statement.earned.total_cents > 0
        assert s.statement.earned.lines[0].records == 12
    for s in hybrid:
        assert s.statement.earned.lines[0].text.startswith("beschikbaarheid 12 maanden")


def test_municipality_shares_add_up_to_what_the_providers_earned(statements):
    for s in statements:
        assert sum(s.municipality_shares.values()) == s.statement.earned.total_cents
    costs = municipality_costs(statements)
    assert sum(sum(per.values()) for per in costs.values()) == sum(s.statement.earned.total_cents for s in statements)
    # declared care (without a ceiling crossed) is charged to the municipality whose client it was
    for s in statements:
        if s.statement.earned.kind != "inspanning" or any("plafond" in x.text for x in s.statement.earned.lines):
            continue
        net = defaultdict(int)
        for municipality, cents, dc in (DeclarationLine.objects.accepted().in_year(YEAR)
                                        .filter(provider__agb_code=s.provider, product__lot__code=s.lot)
                                        .values_list("municipality__cbs_code", "amount_cents", "debit_credit")):
            net[municipality] += -cents if dc == "C" else cents
        assert s.municipality_shares == {m: c for m, c in net.items() if c > 0}, (s.provider, s.lot)


def test_exports_carry_the_same_totals(statements):
    from openpyxl import load_workbook

    data = as_json(YEAR, statements)
    assert data["totaal"]["verdiend_cent"] == sum(s.statement.earned.total_cents for s in statements)
    json.dumps(data)  # serialisable as it is
    rows = as_csv(statements).splitlines()
    assert rows[0].startswith("aanbieder;naam;contract") and len(rows) == len(statements) + 1
    per_municipality = [row.split(";") for row in municipalities_csv(statements).splitlines()[1:]]
    assert sum(int(cents) for _, _, cents in per_municipality) == data["totaal"]["verdiend_cent"]
    book = load_workbook(io.BytesIO(as_xlsx(YEAR, statements)))
    assert book.sheetnames == ["Aanbieders", "Toelichting", "Gemeenten"]
    total_row = [row for row in book["Aanbieders"].iter_rows(values_only=True) if row[0] == "Totaal"][0]
    assert round(total_row[7] * 100) == data["totaal"]["verdiend_cent"]


def test_settle_command(demo_region, tmp_path):
    from click.testing import CliRunner

    from regiekamer.cli import main

    result = CliRunner().invoke(main, ["settle", "--year", str(YEAR), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["aanbieders"]
    out = tmp_path / "afrekening.xlsx"
    result = CliRunner().invoke(main, ["settle", "--year", str(YEAR), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0


def test_a_hard_ceiling_caps_what_is_earned_and_the_excess_is_owed_back(statements):
    capped = [s for s in statements if any("boven het plafond" in line.text for line in s.statement.earned.lines)]
    assert capped, "the demo region has providers above their hard ceiling in 2024"
    for s in capped:
        excess = -s.statement.earned.lines[-1].cents
        assert s.statement.balance_cents == -excess < 0  # paid as declared; what is above the ceiling goes back
        assert sum(s.municipality_shares.values()) == s.statement.earned.total_cents
