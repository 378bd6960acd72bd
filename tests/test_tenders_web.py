"""Tenders through the pages' forms: creating a tender, adding requirements (subregion clients, distance) and
criteria, registering bids, the knock-outs through to the award; refused input changes nothing; only the analyst
and the administrator may post; the impact of an own winner set; the contract page with its measured KPI targets."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.utils import timezone

from regiekamer.access.models import Role
from tests.test_tenders import lot_spending

pytestmark = pytest.mark.django_db


def _client(make_user, name: str, role=Role.REGIO, **kwargs) -> Client:
    client = Client()
    client.force_login(make_user(name, role, **kwargs))
    return client


def _counts() -> tuple[int, ...]:
    from regiekamer.tenders.models import Bid, Criterion, Requirement, Tender

    return tuple(model.objects.count() for model in (Tender, Requirement, Criterion, Bid))


def _subregion_lot():
    """Lot 4a as a lot for the subregion Drechtsteden with a lower limit of 15 clients (within the test only)."""
    from regiekamer.regions.models import Subregion
    from regiekamer.strategy.models import LotStrategy

    row = LotStrategy.objects.select_related("lot").get(segment_strategy__strategy__region__code="zuid-holland-zuid",
                                                        lot__code="4a")
    row.lot.subregion = Subregion.objects.get(name="Drechtsteden")
    row.lot.save()
    row.min_clients = 15
    row.save()
    return row.lot


def _provider_ids(agbs: list[str]) -> list[str]:
    from regiekamer.providers.models import Provider

    ids = dict(Provider.objects.filter(agb_code__in=agbs).values_list("agb_code", "id"))
    return [str(ids[agb]) for agb in agbs]


def _create(client: Client, lot: str = "4b") -> int:
    response = client.post("/aanbestedingen/nieuw/", {"perceel": lot, "gepubliceerd": "2025-03-01",
                                                       "sluiting": "2025-04-15", "ingang": "2026-01-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pk = int(re.search(r"/aanbestedingen/(\d+)/opzetten/", response["Location"]).group(1))
    return pk


def test_a_tender_is_created_with_the_lots_subregion_requirement_and_refused_input_changes_nothing(make_user,
                                                                                                   demo_region):
    from regiekamer.tenders.models import Tender

    client = _client(make_user, "form-analist")
    page = client.get("/aanbestedingen/nieuw/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and '<option value="4b">' in page
    before = _counts()
    refused = client.post("/aanbestedingen/nieuw/", {"perceel": "9z", "gepubliceerd": "2025-04-15",
                                                      "sluiting": "2025-03-01", "ingang": "morgen"})
    html = refused.content.decode()
    assert refused.status_code == 400 and _counts() == before
    assert "De aanbesteding is niet aangemaakt." in html
    assert "AANB-PERCEEL: perceel 9z staat niet in de strategie" in html
    assert "AANB-DATUM: de inschrijving sluit na de publicatiedatum" in html
    assert "AANB-DATUM: de ingangsdatum is geen datum" in html
    assert 'value="2025-04-15"' in html  # what was typed stays in the form

    _subregion_lot()
    tender = Tender.objects.get(pk=_create(client, "4a"))
    assert tender.contract_start == date(2026, 1, 1)
    requirement = tender.requirements.get()
    assert (requirement.code, requirement.kind, requirement.threshold) == ("EIS-CLIENTEN", "min-clienten-subregio",
                                                                           Decimal(15))
    assert "cliënten: in subregio Drechtsteden" in client.get(f"/aanbestedingen/{tender.pk}/inschrijven/").content.decode()


def test_requirements_and_criteria_are_added_by_form_and_checked(make_user, demo_region):
    client = _client(make_user, "form-analist")
    pk = _create(client)
    url = f"/aanbestedingen/{pk}/opzetten/"
    before = _counts()
    for body, message in [
        ({"actie": "eis", "code": "eis afstand", "soort": "max-afstand-km", "grens": "10"}, "EIS-CODE: een code"),
        ({"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km", "grens": "tien"}, "EIS-GRENS: vul de grens"),
        ({"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km", "grens": "-3"}, "EIS-GRENS: de grens is"),
        ({"actie": "eis", "code": "EIS-HKZ", "soort": "certificaat", "certificaat": " "}, "EIS-CERTIFICAAT"),
        ({"actie": "eis", "code": "EIS-X", "soort": "afstand"}, "EIS-SOORT: kies een soort eis"),
        ({"actie": "criterium", "code": "K", "naam": "", "weging": "0"}, "CRIT-NAAM"),
        ({"actie": "criterium", "code": "K", "naam": "Kwaliteit", "weging": "101"}, "CRIT-WEGING"),
    ]:
        response = client.post(url, body)
        assert response.status_code == 400 and message in response.content.decode(), body
    assert _counts() == before

    for body in ({"actie": "eis", "code": "eis-subregio", "soort": "min-clienten-subregio", "grens": "15"},
                 {"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km", "grens": "7,5"},
                 {"actie": "eis", "code": "EIS-HKZ", "soort": "certificaat", "certificaat": "HKZ"},
                 {"actie": "criterium", "code": "KWALITEIT", "naam": "Kwaliteit", "weging": "70"}):
        assert client.post(url, body).status_code == 302
    duplicate = client.post(url, {"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km", "grens": "5"})
    assert "EIS-CODE: code EIS-AFSTAND is in deze aanbesteding al gebruikt" in duplicate.content.decode()
    too_heavy = client.post(url, {"actie": "criterium", "code": "PRIJS", "naam": "Prijs", "weging": "40"})
    assert "de wegingen tellen dan op tot 110; er is nog 30 over tot 100" in too_heavy.content.decode()
    from regiekamer.tenders.models import Tender

    tender = Tender.objects.get(pk=pk)
    assert [(r.code, r.kind, r.threshold, r.certificate) for r in tender.requirements.all()] == [
        ("EIS-SUBREGIO", "min-clienten-subregio", Decimal(15), ""), ("EIS-AFSTAND", "max-afstand-km", Decimal("7.5"), ""),
        ("EIS-HKZ", "certificaat", None, "HKZ")]
    assert [(c.code, c.weight) for c in tender.criteria.all()] == [("KWALITEIT", 70)]


def test_only_the_analyst_and_the_administrator_post_and_nobody_else_changes_anything(make_user, demo_region):
    analyst = _client(make_user, "form-analist")
    pk = _create(analyst)
    provider = _provider_ids(sorted(lot_spending(2024))[:1])[0]
    posts = [("/aanbestedingen/nieuw/", {"perceel": "4b", "gepubliceerd": "2025-03-01", "sluiting": "2025-04-15"}),
             (f"/aanbestedingen/{pk}/opzetten/", {"actie": "criterium", "code": "K", "naam": "K", "weging": "100"}),
             (f"/aanbestedingen/{pk}/opzetten/", {"actie": "eis", "code": "E", "soort": "max-afstand-km", "grens": "5"}),
             (f"/aanbestedingen/{pk}/inschrijven/", {"aanbieder": provider, "ontvangen": "2025-04-01T09:00",
                                                     "antwoord-EIS-CLIENTEN": "40"})]
    auditor = _client(make_user, "form-auditor", Role.AUDITOR)
    municipality = _client(make_user, "form-gemeente", Role.GEMEENTE, municipality="0505")
    agb = sorted(lot_spending(2024))[0]
    provider_user = _client(make_user, "form-aanbieder", Role.AANBIEDER, provider=agb)
    before = _counts()
    for url, body in posts:
        assert auditor.get(url).status_code == 200  # reads ...
        assert "Alleen de analist van de regio en de beheerder" in auditor.get(url).content.decode()
        assert auditor.post(url, body).status_code == 403  # ... but does not act
        for outsider in (municipality, provider_user):
            assert outsider.get(url).status_code in (403, 404)
            assert outsider.post(url, body).status_code in (403, 404)
    assert _counts() == before
    administrator = _client(make_user, "form-beheerder", Role.BEHEERDER)
    assert administrator.post(*posts[1]).status_code == 302
    no_csrf = Client(enforce_csrf_checks=True)
    no_csrf.force_login(make_user("form-zonder-csrf"))
    assert no_csrf.post(*posts[2]).status_code == 403 and _counts()[1] == before[1]


def test_subregion_and_distance_knock_outs_through_the_whole_flow(make_user, demo_region):
    """Through the forms: subregion clients ≥ 15 and help within 10 km; bids at the limits pass, one client or one
    km over fails; the failures are excluded with their requirement's code, the others scored, ranked, awarded,
    contracted."""
    from regiekamer.tenders import service
    from regiekamer.tenders.constants import Outcome
    from regiekamer.tenders.models import AwardResult, Tender

    client = _client(make_user, "flow-analist")
    _subregion_lot()
    pk = _create(client, "4a")  # EIS-CLIENTEN: at least 15 clients in the subregion, from the strategy
    setup = f"/aanbestedingen/{pk}/opzetten/"
    assert client.post(setup, {"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km",
                               "grens": "10"}).status_code == 302
    for code, weight in (("KWALITEIT", "60"), ("SAMENWERKING", "40")):
        assert client.post(setup, {"actie": "criterium", "code": code, "naam": code.title(),
                                   "weging": weight}).status_code == 302
    agbs = sorted(lot_spending(2024))[:4]
    ids = _provider_ids(agbs)
    answers = [("15", "10"), ("40", "3"), ("14", "5"), ("30", "10.5")]  # pass at both limits, pass, fail, fail
    bid_url = f"/aanbestedingen/{pk}/inschrijven/"
    before = _counts()
    missing = client.post(bid_url, {"aanbieder": ids[0], "ontvangen": "2025-04-01T09:00",
                                    "antwoord-EIS-CLIENTEN": "15", "antwoord-EIS-AFSTAND": ""})
    assert missing.status_code == 400 and "BOD-ANTWOORD: EIS-AFSTAND: vul een getal van 0 of meer in" in (
        missing.content.decode()) and _counts() == before
    for n, (provider, (clients, km)) in enumerate(zip(ids, answers, strict=True)):
        response = client.post(bid_url, {"aanbieder": provider, "ontvangen": f"2025-04-01T09:0{n}",
                                         "antwoord-EIS-CLIENTEN": clients, "antwoord-EIS-AFSTAND": km})
        assert response.status_code == 302, response.content.decode()[:3000]
    again = client.post(bid_url, {"aanbieder": ids[0], "ontvangen": "2025-04-02T09:00",
                                  "antwoord-EIS-CLIENTEN": "99", "antwoord-EIS-AFSTAND": "1"})
    assert "BOD-DUBBEL" in again.content.decode()

    detail = client.get(f"/aanbestedingen/{pk}/").content.decode()
    knocked = re.findall(r'data-aanbieder="(\d+)"[^>]*>.*?data-knockout="(ja|nee)"', detail, flags=re.S)
    assert dict(knocked) == {agbs[0]: "nee", agbs[1]: "nee", agbs[2]: "ja", agbs[3]: "ja"}
    assert ("EIS-CLIENTEN: minimaal 15 cliënten vereist om voor een subregio in te schrijven (antwoord: 14)"
            in detail)
    assert "EIS-AFSTAND: hulp moet binnen 10 km van de cliënt geboden worden (antwoord: 10.5)" in detail

    tender = Tender.objects.get(pk=pk)
    assessors = [make_user("flow-a"), make_user("flow-b")]
    for n, agb in enumerate(agbs[:2]):
        for assessor in assessors:
            service.record_score(tender, agb, "KWALITEIT", assessor, 8 - n, "zie verslag")
            service.record_score(tender, agb, "SAMENWERKING", assessor, 7, "zie verslag")
    ranked = service.rank(tender)
    assert [(r.bidder, r.rank) for r in ranked] == [(agbs[0], 1), (agbs[1], 2), (agbs[2], None), (agbs[3], None)]
    assert client.post(f"/aanbestedingen/{pk}/gunning/", {"besluitdatum": "2025-06-02"}).status_code == 302
    results = {r.bid.provider.agb_code: r for r in AwardResult.objects.filter(award__tender=tender)}
    assert [results[a].outcome for a in agbs] == [Outcome.GEGUND, Outcome.GEGUND, Outcome.UITGESLOTEN,
                                                   Outcome.UITGESLOTEN]
    assert "EIS-CLIENTEN: minimaal 15 cliënten vereist om voor een subregio" in results[agbs[2]].reason
    assert "EIS-AFSTAND: hulp moet binnen 10 km" in results[agbs[3]].reason
    made = service.create_contracts(tender, today=date(2025, 6, 23))
    assert sorted(c.provider.agb_code for c in made) == agbs[:2]


def test_the_impact_page_recomputes_for_an_own_winner_set(make_user, demo_region):
    from regiekamer.tenders import service
    from tests.test_tenders import run_tender

    tender, incumbents, first = run_tender(make_user)
    service.record_consensus(tender, incumbents[6], "KWALITEIT", first, 4, "na overleg")
    client = _client(make_user, "impact-analist")
    url = f"/aanbestedingen/{tender.pk}/rangorde/?peildatum=2025-06-02"
    default = client.get(url).content.decode()
    proposed = service.proposed_winners(tender)
    day = date(2025, 6, 2)
    expected = sum(m.clients_moving for m in service.selection_impact(tender, proposed, day))
    assert f'id="totaal-clienten">{expected}<' in default and 'id="eigen-selectie"' not in default
    for agb in incumbents[:7]:  # the ranked bidders have a checkbox, checked when proposed
        box = re.search(rf'name="winnaar" value="{agb}"( checked)?', default)
        assert box and bool(box.group(1)) == (agb in proposed)
    assert f'name="winnaar" value="{incumbents[7]}"' not in default  # knocked out: cannot be chosen

    own = {incumbents[0], incumbents[6]}
    query = "&".join(f"winnaar={agb}" for agb in [*own, incumbents[7]])  # the knocked-out one is ignored
    page = client.get(f"{url}&keuze=1&{query}").content.decode()
    rows = {m.municipality: m for m in service.selection_impact(tender, own, day)}
    assert f'id="totaal-clienten">{sum(m.clients_moving for m in rows.values())}<' in page
    for code, m in rows.items():
        assert re.search(rf'data-gemeente="{code}"><td>{code}</td><td class="num" data-figure="clienten">'
                         rf'{m.clients_moving}</td><td class="num">{m.assignments_moving}</td><td class="num" '
                         rf'data-cents="{m.cents_moving}"', page)
    assert sum(m.clients_moving for m in rows.values()) > expected
    assert 'id="eigen-selectie"' in page and "Eigen selectie van 2 aanbieders" in page
    everyone = "&".join(f"winnaar={agb}" for agb in incumbents[:7])
    assert "meer dan de 6 die de strategie toestaat" in client.get(f"{url}&keuze=1&{everyone}").content.decode()
    nobody = client.get(f"{url}&keuze=1").content.decode()  # an empty choice: everyone must move
    assert 'id="eigen-selectie"' in nobody


def test_the_contract_page_shows_tariffs_funding_duties_and_kpi_targets_against_their_measured_value(make_user,
                                                                                                       demo_region):
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import BY_ID, Period, compute
    from regiekamer.tenders import service
    from tests.test_tenders import run_tender

    tender, incumbents, first = run_tender(make_user)
    service.record_consensus(tender, incumbents[6], "KWALITEIT", first, 4, "na overleg")
    service.award(tender, date(2025, 6, 2), first)
    contract = service.create_contracts(tender, today=date(2025, 6, 23))[0]
    client = _client(make_user, "contract-analist")
    listing = client.get("/contracten/?peildatum=2025-07-01").content.decode()
    assert f'href="/contracten/{contract.pk}/?peildatum=2025-07-01"' in listing
    html = client.get(f"/contracten/{contract.pk}/?peildatum=2025-07-01").content.decode()
    for tariff in contract.tariffs.all():
        assert f'data-product="{tariff.product.code}"' in html and f'data-cents="{tariff.amount_cents}"' in html
    assert html.count("data-meldplicht=") == 5 and "calamiteiten en geweld bij de zorg" in html
    assert "Inspanningsgericht (P×Q)" in html and "Hard plafond per aanbieder voor de 3 grootste aanbieders" in html
    # the target against the KPI set's value for this provider in segment 4 over 2024, recomputed here
    value = next(v.value for v in compute(BY_ID["kosten-per-client"], load_facts(demo_region.id), Period.of(2024),
                                          ["segment", "provider"])
                 if v.dims["segment"] == "4" and v.dims["provider"] == contract.provider.agb_code)
    row = re.search(r'<tr data-kpi="kosten-per-client" data-status="([^"]+)".*?data-value="([^"]*)"', html, re.S)
    assert row and row.group(2) == str(value)
    assert row.group(1) == ("niet gehaald" if value > 100_000 else "gehaald")
    assert "hoogstens € 1.000,00" in html
    if value > 100_000:
        assert 'data-signaal="kpi-gemist"' in html

    from regiekamer.contracts.models import Contract
    from regiekamer.regions.models import Region

    elsewhere = Region.objects.create(code="elders", name="Elders", cbs_code="JZ99")
    foreign = Contract.objects.create(region=elsewhere, provider=contract.provider, reference="X-1",
                                      start=date(2026, 1, 1), end=date(2029, 12, 31))
    assert client.get(f"/contracten/{foreign.pk}/").status_code == 404


def test_a_relative_kpi_target_is_measured_against_its_base_year_on_the_contract_page_and_in_the_alerts(
        make_user, demo_region):
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import BY_ID, Period, compute
    from regiekamer.strategy.models import Kpi, SegmentStrategy
    from regiekamer.tenders import service
    from tests.test_tenders import run_tender

    tender, incumbents, first = run_tender(make_user)
    service.record_consensus(tender, incumbents[6], "KWALITEIT", first, 4, "na overleg")
    service.award(tender, date(2025, 6, 2), first)
    agb = next(r.bidder for r in service.rank(tender) if r.winner)

    def cost(year: int) -> int:  # the provider's cost per client in segment 4, recomputed here
        return next(v.value for v in compute(BY_ID["kosten-per-client"], load_facts(demo_region.id), Period.of(year),
                                             ["segment", "provider"])
                    if v.dims["segment"] == "4" and v.dims["provider"] == agb)

    then, now = cost(2023), cost(2024)
    change = (Decimal(now) * 100 / Decimal(then) - 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    segment = SegmentStrategy.objects.get(strategy__region=demo_region, segment__code="4")
    for name, base_year, norm in (("Gehaald t.o.v. 2023", 2023, change), ("Gemist t.o.v. 2023", 2023, change - 1),
                                  ("Zonder basisjaar", 2019, Decimal(-5))):
        Kpi.objects.create(segment_strategy=segment, name=name, kpi_id="kosten-per-client", norm=norm, unit="cent",
                           direction="max", base_year=base_year)
    contract = next(c for c in service.create_contracts(tender, today=date(2025, 6, 23)) if c.provider.agb_code == agb)
    html = _client(make_user, "relatief-analist").get(f"/contracten/{contract.pk}/?peildatum=2025-07-01").content.decode()

    def row(name: str) -> str:
        return html.split(f"<td>{name}</td>", 1)[1].split("</tr>", 1)[0]

    word = "lager" if change < 0 else "hoger"
    assert "gehaald" in row("Gehaald t.o.v. 2023") and "niet gehaald" not in row("Gehaald t.o.v. 2023")
    assert f'data-value="{change}"' in row("Gehaald t.o.v. 2023") and "dan in 2023 (" in row("Gehaald t.o.v. 2023")
    assert word in row("Gehaald t.o.v. 2023") or change == 0
    assert "niet gehaald" in row("Gemist t.o.v. 2023")
    assert "niet te meten" in row("Zonder basisjaar") and "Over 2019 zijn geen gegevens" in row("Zonder basisjaar")
    assert "ten minste 5 % lager dan in 2019" in row("Zonder basisjaar")
    alerts = [a.message for a in service.contract_row(contract, date(2025, 7, 1)).alerts if a.kind == "kpi-gemist"]
    assert any(m.startswith("Gemist t.o.v. 2023: ") and "ten opzichte van 2023" in m for m in alerts), alerts
    assert not any(m.startswith(("Gehaald", "Zonder")) for m in alerts)


def test_requirements_and_criteria_are_removed_by_form_until_bids_or_scores_fix_them(make_user, demo_region):
    from regiekamer.tenders import service
    from regiekamer.tenders.models import Tender

    analyst = _client(make_user, "weg-analist")
    pk = _create(analyst)
    url = f"/aanbestedingen/{pk}/opzetten/"
    for body in ({"actie": "eis", "code": "EIS-AFSTAND", "soort": "max-afstand-km", "grens": "10"},
                 {"actie": "eis", "code": "EIS-HKZ", "soort": "certificaat", "certificaat": "HKZ"},
                 {"actie": "criterium", "code": "KWALITEIT", "naam": "Kwaliteit", "weging": "60"},
                 {"actie": "criterium", "code": "PRIJS", "naam": "Prijs", "weging": "40"}):
        assert analyst.post(url, body).status_code == 302
    page = analyst.get(url).content.decode()
    assert 'aria-label="Eis EIS-HKZ verwijderen"' in page and 'aria-label="Criterium PRIJS verwijderen"' in page
    tender = Tender.objects.get(pk=pk)
    auditor = _client(make_user, "weg-auditor", Role.AUDITOR)
    assert auditor.post(url, {"actie": "eis-verwijderen", "code": "EIS-HKZ"}).status_code == 403
    assert 'verwijderen</button>' not in auditor.get(url).content.decode()
    unknown = analyst.post(url, {"actie": "eis-verwijderen", "code": "EIS-NIETS"})
    assert unknown.status_code == 400 and "EIS-CODE: eis EIS-NIETS staat niet in deze aanbesteding" in \
        unknown.content.decode()
    assert analyst.post(url, {"actie": "eis-verwijderen", "code": "EIS-HKZ"}).status_code == 302
    assert analyst.post(url, {"actie": "criterium-verwijderen", "code": "prijs"}).status_code == 302
    assert [r.code for r in tender.requirements.all()] == ["EIS-AFSTAND"]
    assert [c.code for c in tender.criteria.all()] == ["KWALITEIT"]
    # once a bid is in, the requirements are fixed; once a score is given, the criteria are
    assert analyst.post(url, {"actie": "criterium", "code": "PRIJS", "naam": "Prijs", "weging": "40"}).status_code == 302
    agb = sorted(lot_spending(2024))[0]
    service.submit_bid(tender, agb, {"EIS-AFSTAND": "5"}, timezone.now())
    fixed = analyst.post(url, {"actie": "eis-verwijderen", "code": "EIS-AFSTAND"})
    assert fixed.status_code == 400 and "EIS-VAST" in fixed.content.decode()
    assert 'aria-label="Eis EIS-AFSTAND verwijderen"' not in analyst.get(url).content.decode()
    assert analyst.post(url, {"actie": "criterium-verwijderen", "code": "PRIJS"}).status_code == 302  # no score yet
    assert analyst.post(url, {"actie": "criterium", "code": "PRIJS", "naam": "Prijs", "weging": "40"}).status_code == 302
    service.record_score(tender, agb, "KWALITEIT", make_user("weg-beoordelaar"), 7, "goed")
    fixed = analyst.post(url, {"actie": "criterium-verwijderen", "code": "PRIJS"})
    assert fixed.status_code == 400 and "CRIT-VAST: er is al gescoord" in fixed.content.decode()
    assert [r.code for r in tender.requirements.all()] == ["EIS-AFSTAND"]
    assert [c.code for c in tender.criteria.all()] == ["KWALITEIT", "PRIJS"]
