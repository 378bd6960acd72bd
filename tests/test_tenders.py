"""Tenders: knock-out rules, scoring by two assessors with consensus, ranking and selection, the selection impact
against an independent count over the database, the award with reasons, contracts and their alerts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from regiekamer.tenders import lifecycle, market, ranking, rules
from regiekamer.tenders.constants import AlertKind, RequirementKind

DECISION = date(2025, 6, 2)  # the impact's reference day: assignments running then, spending of 2024


# --- the pure core ---------------------------------------------------------------------------------------------

def test_requirements_knock_out_with_their_code_and_message():
    clients = rules.RequirementSpec("EIS-CLIENTEN", RequirementKind.MIN_CLIENTS_REGION, Decimal(30))
    distance = rules.RequirementSpec("EIS-AFSTAND", RequirementKind.MAX_DISTANCE_KM, Decimal(10))
    hkz = rules.RequirementSpec("EIS-HKZ", RequirementKind.CERTIFICATE, None, "HKZ")
    assert rules.knock_outs([clients, distance, hkz], {"EIS-CLIENTEN": 30, "EIS-AFSTAND": 10, "EIS-HKZ": True}) == []
    found = rules.knock_outs([clients, distance, hkz], {"EIS-CLIENTEN": 29, "EIS-AFSTAND": "12"})
    assert [ko.code for ko in found] == ["EIS-CLIENTEN", "EIS-AFSTAND", "EIS-HKZ"]
    assert found[0].message == ("EIS-CLIENTEN: minimaal 30 cliënten vereist om voor de hele regio in te schrijven "
                                "(antwoord: 29)")
    assert rules.check(clients, "veel").message.startswith("EIS-CLIENTEN: niet (goed) beantwoord")


def _bid(agb: str, scores: dict[str, tuple[int, int]], second: int = 0, consensus=None, out=()):
    return ranking.BidInput(agb, datetime(2025, 3, 1, 9, second, tzinfo=timezone.utc), tuple(out),
                            {c: {"a": s[0], "b": s[1]} for c, s in scores.items()}, consensus or {})


def test_ranking_needs_consensus_then_ranks_exactly_and_breaks_ties_by_the_heaviest_criterion():
    criteria = [ranking.CriterionSpec("K", 60, 0), ranking.CriterionSpec("P", 40, 1)]
    bids = [_bid("A", {"K": (6, 6), "P": (9, 9)}), _bid("B", {"K": (8, 8), "P": (6, 6)}, second=1),
            _bid("C", {"K": (2, 7), "P": (5, 5)}), _bid("D", {"K": (9, 9), "P": (9, 9)}, out=["EIS: te klein"])]
    with pytest.raises(ranking.RankingError) as error:
        ranking.rank(criteria, bids, cap=2, partners=1)
    assert error.value.problems == ["C K: scores [2, 7] verschillen meer dan 2 punten; leg een consensusscore vast"]
    bids[2] = _bid("C", {"K": (2, 7), "P": (5, 5)}, consensus={"K": 5})
    result = ranking.rank(criteria, bids, cap=2, partners=1)
    # A: 60×6/10 + 40×9/10 = 72; B: 48 + 24 = 72, a tie won by B on K (the heaviest); C: 30 + 20 = 50
    assert [(r.bidder, r.rank, r.total, r.winner, r.partner) for r in result] == [
        ("B", 1, Fraction(72), True, True), ("A", 2, Fraction(72), True, False), ("C", 3, Fraction(50), False, False),
        ("D", None, None, False, False)]
    assert ranking.reason(result[2], 3, 2) == ("Niet gegund: score 50.00 van 100, plaats 3 van 3; de strategie "
                                               "contracteert ten hoogste 2 aanbieders in dit segment.")
    assert ranking.reason(result[3], 3, 2) == "Uitgesloten: voldoet niet aan de minimumeisen: EIS: te klein."
    assert ranking.weight_problems([ranking.CriterionSpec("K", 60)]) == ["de wegingen tellen op tot 60, niet tot 100"]
    mean = ranking.rank(criteria, [_bid("E", {"K": (6, 7), "P": (5, 6)})], None, None)[0]
    assert mean.total == Fraction(60 * 13, 20) + Fraction(40 * 11, 20) and mean.total_shown == Decimal("61.00")


def test_concentration_is_exact():
    shares = market.concentration({"a": 50, "b": 30, "c": 20, "d": 0})
    assert shares == market.Concentration(Decimal("100.0"), 3800)  # 2500 + 900 + 400
    assert market.concentration({}) == market.Concentration(None, None)


def test_lifecycle_alerts():
    assert lifecycle.extensions_left("4+1+1", date(2026, 1, 1), date(2029, 12, 31)) == 2
    assert lifecycle.extensions_left("4+1+1", date(2026, 1, 1), date(2031, 12, 31)) == 0
    found = lifecycle.alerts("C1", date(2026, 1, 1), date(2029, 12, 31), "4+1+1",
                             [lifecycle.KpiResult("Uitval", Decimal(5), "max", Decimal("7.5"))], date(2029, 4, 1))
    assert [a.kind for a in found] == [AlertKind.EXTENSION, AlertKind.KPI_MISSED]
    found = lifecycle.alerts("C1", date(2026, 1, 1), date(2031, 12, 31), "4+1+1", [], date(2031, 8, 1))
    assert [a.kind for a in found] == [AlertKind.EXPIRY]


# --- a full tender on the demo data ------------------------------------------------------------------------------

def lot_spending(year: int) -> dict[str, int]:
    """Independent: accepted lines of lot 4b's products in `year`, per provider, summed in Python."""
    from regiekamer.declarations.models import DeclarationLine

    totals: dict[str, int] = defaultdict(int)
    for line in DeclarationLine.objects.filter(product__lot__code="4b", status="toegekend",
                                               period_start__year=year).select_related("provider"):
        totals[line.provider.agb_code] += line.amount_cents * (-1 if line.debit_credit == "C" else 1)
    return totals


def run_tender(make_user, contract_start: date = date(2026, 1, 1)):
    """The whole tender through the service, as the CLI and the pages drive it. Returns what the tests check."""
    from regiekamer.strategy.models import Kpi, SegmentStrategy
    from regiekamer.tenders import service

    segment = SegmentStrategy.objects.get(strategy__region__code="zuid-holland-zuid", segment__code="4")
    segment.max_providers, segment.strategic_partners = 6, 2  # the strategy caps segment 4 for this tender
    segment.save()
    Kpi.objects.get_or_create(segment_strategy=segment, name="Gemiddelde kosten per cliënt", defaults={
        "kpi_id": "kosten-per-client", "norm": Decimal(100_000), "unit": "cent", "direction": "max"})
    tender = service.create_tender("zuid-holland-zuid", "4b", date(2025, 3, 1), date(2025, 4, 15),
                                   contract_start=contract_start)
    service.add_requirement(tender, "EIS-CLIENTEN", RequirementKind.MIN_CLIENTS_REGION, Decimal(30))
    service.add_requirement(tender, "EIS-AFSTAND", RequirementKind.MAX_DISTANCE_KM, Decimal(10))
    service.add_criterion(tender, "KWALITEIT", "Kwaliteit en resultaat", 50)
    service.add_criterion(tender, "SAMENWERKING", "Samenwerking in de wijk", 30)
    service.add_criterion(tender, "INNOVATIE", "Innovatie en afschalen", 20)
    spending = lot_spending(2024)
    incumbents = sorted(spending, key=lambda agb: (-spending[agb], agb))[:8]  # the eight largest in 4b
    for n, agb in enumerate(incumbents):
        clients = 20 if n == 7 else 40  # the eighth has too few clients: knocked out
        service.submit_bid(tender, agb, {"EIS-CLIENTEN": clients, "EIS-AFSTAND": 8},
                           datetime(2025, 4, 1, 9, n, tzinfo=timezone.utc))
    first, second = make_user("beoordelaar-1"), make_user("beoordelaar-2")
    for n, agb in enumerate(incumbents[:7]):
        for code, base in (("KWALITEIT", 9 - n), ("SAMENWERKING", 8 - n // 2), ("INNOVATIE", 7)):
            service.record_score(tender, agb, code, first, max(base, 0), "onderbouwd in de inschrijving")
            other = base + 3 if (n, code) == (6, "KWALITEIT") else base  # 3 points apart: consensus needed
            service.record_score(tender, agb, code, second, max(min(other, 10), 0), "eens, zie verslag")
    return tender, incumbents, first


@pytest.mark.django_db
def test_a_full_tender_from_requirements_to_contracts(make_user, demo_region):
    from regiekamer.care.models import Assignment
    from regiekamer.contracts.models import Tariff
    from regiekamer.tenders import service
    from regiekamer.tenders.constants import Outcome, ReportDuty
    from regiekamer.tenders.models import AwardResult

    tender, incumbents, first = run_tender(make_user)
    assert tender.procedure == "sas-2" and tender.reference == "zuid-holland-zuid-2022-4b"
    with pytest.raises(ranking.RankingError):
        service.rank(tender)
    assert [(agb, code) for agb, code, _ in service.consensus_needed(tender)] == [(incumbents[6], "KWALITEIT")]
    service.record_consensus(tender, incumbents[6], "KWALITEIT", first, 4, "na overleg: gemiddeld")

    ranked = service.rank(tender)
    assert [r.bidder for r in ranked] == incumbents  # scores fall with the spending order; the knock-out last
    assert [r.winner for r in ranked] == [True] * 6 + [False, False]  # capped at the strategy's 6
    assert [r.partner for r in ranked] == [True, True] + [False] * 6
    assert ranked[7].knock_outs[0].startswith("EIS-CLIENTEN: minimaal 30 cliënten")
    assert ranked[0].total == Fraction(50 * 9 + 30 * 8 + 20 * 7, 10)

    winners = {r.bidder for r in ranked if r.winner}
    impact = {row.municipality: row for row in service.selection_impact(tender, winners, DECISION)}
    # Independently: running assignments of 4b's products on the decision day, per municipality, with the losers
    losers = set(incumbents[6:]) | (set(lot_spending(2024)) - set(incumbents))
    moving = defaultdict(set)
    count = defaultdict(int)
    for a in Assignment.objects.filter(product__lot__code="4b").select_related("municipality", "provider"):
        if a.start <= DECISION and (a.end is None or a.end >= DECISION) and a.provider.agb_code not in winners:
            moving[a.municipality.cbs_code].add(a.client_id)
            count[a.municipality.cbs_code] += 1
    assert {m: r.clients_moving for m, r in impact.items() if r.clients_moving} == {m: len(c) for m, c in
                                                                                   moving.items()}
    assert {m: r.assignments_moving for m, r in impact.items() if r.assignments_moving} == dict(count)
    assert sum(len(c) for c in moving.values()) > 0
    from regiekamer.declarations.models import DeclarationLine

    spent = defaultdict(lambda: defaultdict(int))
    for line in DeclarationLine.objects.filter(product__lot__code="4b", status="toegekend",
                                               period_start__year=2024).select_related("municipality", "provider"):
        spent[line.municipality.cbs_code][line.provider.agb_code] += line.amount_cents * (
            -1 if line.debit_credit == "C" else 1)
    for code, per in spent.items():
        positive = {p: c for p, c in per.items() if c > 0}
        assert impact[code].cents_moving == sum(c for p, c in positive.items() if p in losers)
        total = sum(positive.values())
        kept = {p: c for p, c in positive.items() if p in winners}
        assert impact[code].before.hhi == round(Decimal(10_000 * sum(c * c for c in positive.values())) / total**2)
        assert impact[code].providers_after == len(kept)
        if kept:
            assert impact[code].after.hhi >= impact[code].before.hhi or len(kept) == len(positive)

    decision = service.award(tender, date(2025, 6, 2), first)
    assert decision.standstill_end == date(2025, 6, 22)
    results = {r.bid.provider.agb_code: r for r in AwardResult.objects.filter(award=decision)}
    assert [results[a].outcome for a in incumbents] == [Outcome.GEGUND] * 6 + [Outcome.NIET_GEGUND,
                                                                                Outcome.UITGESLOTEN]
    assert results[incumbents[0]].reason == ("Gegund: score 83.00 van 100, plaats 1 van 7; geselecteerd als "
                                             "strategisch partner.")
    assert results[incumbents[7]].reason.startswith("Uitgesloten: voldoet niet aan de minimumeisen: EIS-CLIENTEN")
    with pytest.raises(service.TenderError, match="opschortende termijn"):
        service.create_contracts(tender, today=date(2025, 6, 22))

    contracts = service.create_contracts(tender, today=date(2025, 6, 23))
    assert len(contracts) == 6
    contract = contracts[0]
    assert (contract.start, contract.end, contract.extension_options) == (date(2026, 1, 1), date(2029, 12, 31),
                                                                          "4+1+1")
    assert list(contract.lots.values_list("code", flat=True)) == ["4b"]
    products = set(service.lot_products(tender.lot).values_list("code", flat=True))
    tariffs = Tariff.objects.filter(contract=contract)
    assert {t.product.code for t in tariffs} == products and len(products) == 3
    for t in tariffs:
        regional = Tariff.objects.filter(product=t.product, contract=None, valid_from__lte=date(2026, 1, 1)).order_by(
            "-valid_from").first()
        assert t.amount_cents == regional.amount_cents
    terms = contract.funding_terms.get()
    assert terms.kind == "inspanning" and terms.params["ceiling"] == "hard" and terms.params["ceiling_providers"] == 3
    assert {o.duty for o in contract.obligations.all()} == set(ReportDuty)
    target = contract.kpi_targets.get()
    assert (target.kpi_id, target.norm, target.direction) == ("kosten-per-client", Decimal(100_000), "max")
    assert service.create_contracts(tender, today=date(2025, 7, 1)) == []  # once only

    rows = {row.contract.reference: row for row in service.contract_alerts(demo_region.id, date(2029, 4, 1))}
    alerts = rows[contract.reference].alerts
    assert AlertKind.EXTENSION in [a.kind for a in alerts]
    # cost per client of 2028 is not known in the demo (it ends in 2025): no KPI alert then; in 2025 it is
    rows = {row.contract.reference: row for row in service.contract_alerts(demo_region.id, date(2025, 7, 1))}
    missed = [a for a in rows[contract.reference].alerts if a.kind is AlertKind.KPI_MISSED]
    assert missed and missed[0].message.startswith("Gemiddelde kosten per cliënt: ")


@pytest.mark.django_db
def test_ocds_release_packages_validate_against_the_official_schema(make_user, demo_region):
    import json

    from regiekamer.tenders import ocds, service

    tender, incumbents, first = run_tender(make_user)
    document = ocds.package(tender, date(2025, 3, 2))
    assert ocds.validate(document) == [] and [r["tag"] for r in document["releases"]] == [["tender"]]
    service.record_consensus(tender, incumbents[6], "KWALITEIT", first, 4, "na overleg")
    service.award(tender, date(2025, 6, 2), first)
    service.create_contracts(tender, today=date(2025, 6, 23))
    document = json.loads(json.dumps(ocds.package(tender, date(2025, 6, 23))))
    assert ocds.validate(document) == []
    assert [r["tag"] for r in document["releases"]] == [["tender"], ["award"], ["contract"]]
    awards = document["releases"][1]["awards"]
    assert len(awards) == 8 and sum(a["status"] == "active" for a in awards) == 6
    assert len(document["releases"][2]["contracts"]) == 6
    broken = {**document, "version": "één"}
    del broken["publisher"]
    found = ocds.validate(broken)
    assert any("publisher" in problem for problem in found) and any(p.startswith("version:") for p in found)
    bad_release = json.loads(json.dumps(document))
    bad_release["releases"][1]["awards"][0]["status"] = 7
    assert any(p.startswith("releases/1/awards/0/status") for p in ocds.validate(bad_release))


@pytest.mark.django_db
def test_the_cli_runs_a_tender(make_user, demo_region, tmp_path):
    import json

    from click.testing import CliRunner

    from regiekamer.cli import main

    run = CliRunner().invoke
    result = run(main, ["tender", "create", "--region", "zuid-holland-zuid", "--lot", "4b", "--published",
                        "2025-03-01", "--closes", "2025-04-15", "--requirement", "EIS-CLIENTEN:min-clienten-regio:30",
                        "--criterion", "KWALITEIT:100:Kwaliteit"])
    assert result.exit_code == 0, result.output
    reference = result.output.strip()
    agbs = sorted(lot_spending(2024))[:2]
    assert run(main, ["tender", "bid", reference, agbs[0], "--answer", "EIS-CLIENTEN=40"]).output == "voldoet\n"
    assert run(main, ["tender", "bid", reference, agbs[1], "--answer", "EIS-CLIENTEN=12"]).output.startswith(
        "uitgesloten: EIS-CLIENTEN: minimaal 30")
    for name in ("cli-a", "cli-b"):
        make_user(name)
        assert run(main, ["tender", "score", reference, agbs[0], "--assessor", name, "--criterion", "KWALITEIT",
                          "--score", "8", "--motivation", "goed"]).exit_code == 0
    assert run(main, ["tender", "rank", reference]).output.splitlines()[0] == f"1\t{agbs[0]}\t80.00\tgunnen"
    assert run(main, ["tender", "impact", reference, "--date", "2025-06-02"]).exit_code == 0
    result = run(main, ["tender", "award", reference, "--date", "2025-06-02", "--user", "cli-a"])
    assert "opschortende termijn tot en met 2025-06-22" in result.output
    assert run(main, ["tender", "contracts", reference]).output.strip() == f"{reference}-{agbs[0]}"
    out = tmp_path / "ocds.json"
    assert run(main, ["tender", "export-ocds", reference, "--out", str(out)]).exit_code == 0
    assert len(json.loads(out.read_text())["releases"]) == 3


@pytest.mark.django_db
def test_the_ocid_prefix_is_a_setting_with_a_test_prefix_by_default(make_user, demo_region, settings):
    from regiekamer.tenders import ocds, service

    tender = service.create_tender("zuid-holland-zuid", "4b", date(2025, 3, 1), date(2025, 4, 15))
    assert ocds.is_test_prefix() and settings.OCDS_OCID_PREFIX == "ocds-test00"
    assert ocds.package(tender)["releases"][0]["ocid"] == f"ocds-test00-{tender.reference}"
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"
    document = ocds.package(tender)
    assert document["releases"][0]["ocid"] == f"ocds-a1b2c3-{tender.reference}" and not ocds.is_test_prefix()
    assert ocds.validate(document) == []


@pytest.mark.parametrize(("value", "accepted"), [("ocds-a1b2c3", True), ("ocds-000000x", False), ("OCDS-ABCDEF", False)])
def test_a_malformed_ocid_prefix_stops_the_app(tmp_path, value, accepted):
    import os
    import subprocess
    import sys

    env = {**os.environ, "REGIEKAMER_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "regiekamer.settings",
           "REGIEKAMER_OCDS_PREFIX": value}
    run = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.OCDS_OCID_PREFIX)"],
                         env=env, capture_output=True, text=True, timeout=60)
    if accepted:
        assert run.returncode == 0 and run.stdout.strip() == value, run.stderr
    else:
        assert run.returncode != 0 and "REGIEKAMER_OCDS_PREFIX must be" in run.stderr


@pytest.mark.django_db
def test_the_cli_checks_input_as_the_forms_do_and_changes_nothing_on_a_problem(demo_region):
    from click.testing import CliRunner

    from regiekamer.cli import main
    from regiekamer.tenders.models import Bid, Requirement, Tender

    run = CliRunner().invoke
    create = ["tender", "create", "--region", "zuid-holland-zuid", "--lot", "4b", "--published", "2025-03-01"]
    result = run(main, [*create, "--closes", "2025-04-15", "--requirement", "EIS-A:max-afstand-km:10",
                        "--requirement", "EIS-A:min-clienten-regio:30"])
    assert result.exit_code == 1
    assert "--requirement EIS-A:min-clienten-regio:30 (code): EIS-CODE: code EIS-A is in deze aanbesteding al " \
           "gebruikt" in result.output
    assert not Tender.objects.exists() and not Requirement.objects.exists()  # the tender was not kept either
    result = run(main, [*create, "--closes", "2025-02-01", "--criterion", "K:120:Kwaliteit"])
    assert result.exit_code == 1 and "--closes: AANB-DATUM: de inschrijving sluit na de publicatiedatum" in result.output
    result = run(main, [*create, "--closes", "2025-04-15", "--criterion", "K:120:Kwaliteit"])
    assert result.exit_code == 1 and "--criterion K:120:Kwaliteit (weging): CRIT-WEGING" in result.output
    result = run(main, [*create, "--closes", "2025-04-15", "--requirement", "EIS-A:afstand:10"])
    assert result.exit_code == 1 and "(soort): EIS-SOORT" in result.output
    assert not Tender.objects.exists()

    result = run(main, [*create, "--closes", "2025-04-15", "--requirement", "EIS-CLIENTEN:min-clienten-regio:30"])
    assert result.exit_code == 0, result.output
    reference = result.output.strip()
    first, second = sorted(lot_spending(2024))[:2]
    result = run(main, ["tender", "bid", reference, first, "--answer", "EIS-CLIENTEN=veel"])
    assert result.exit_code == 1 and "--answer EIS-CLIENTEN: BOD-ANTWOORD" in result.output
    result = run(main, ["tender", "bid", reference, first, "--answer", "EIS-CLIENTEN=40", "--answer", "EIS-X=1"])
    assert result.exit_code == 1 and "--answer EIS-X: BOD-ANTWOORD: EIS-X: deze aanbesteding heeft geen eis" \
        in result.output
    result = run(main, ["tender", "bid", reference, "99999999", "--answer", "EIS-CLIENTEN=40"])
    assert result.exit_code == 1 and "AGB 99999999: BOD-AANBIEDER" in result.output
    assert not Bid.objects.exists()
    assert run(main, ["tender", "bid", reference, first, "--answer", "EIS-CLIENTEN=40"]).exit_code == 0
    result = run(main, ["tender", "bid", reference, first, "--answer", "EIS-CLIENTEN=12"])
    assert result.exit_code == 1 and f"AGB {first}: BOD-DUBBEL" in result.output and "niet overschreven" in result.output
    assert [b.answers for b in Bid.objects.all()] == [{"EIS-CLIENTEN": "40"}]  # the first bid stands
    assert run(main, ["tender", "bid", reference, second, "--answer", "EIS-CLIENTEN=12"]).output.startswith(
        "uitgesloten")
