"""The dashboard in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import BROWSER_ACCESS_TEAM, BROWSER_PROVIDER, BROWSER_USER

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop in this thread; Django's database calls from the test's own
    # fixtures would otherwise be refused as "async unsafe". The server thread is a plain WSGI thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed; `make test` installs it (scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def screenshot_dir() -> Path:
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_login_and_dashboard_render_with_data(browser, web_server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{web_server}/")
    assert "/login/" in page.url
    page.fill("input[name=username]", BROWSER_USER[0])
    page.fill("input[name=password]", BROWSER_USER[1])
    page.click("main button[type=submit]")
    page.wait_for_selector("#per-gemeente")
    page.select_option("select[name=jaar]", "2024")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#per-gemeente")

    rows = page.locator("#per-gemeente tbody tr")
    assert rows.count() == 10
    dordrecht = page.locator('#per-gemeente tr[data-gemeente="0505"] td[data-figure="uitgaven"]')
    assert dordrecht.inner_text().startswith("€ ")
    assert int(dordrecht.get_attribute("data-cents")) > 0
    assert page.locator("h1").inner_text().startswith("Zuid-Holland Zuid")
    shot = screenshot_dir() / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    dordrecht_cents = dordrecht.get_attribute("data-cents")
    page.click('#per-gemeente tr[data-gemeente="0505"] td[data-figure="uitgaven"] a')
    page.wait_for_selector("#regels")
    assert page.locator("#totaal").get_attribute("data-cents") == dordrecht_cents  # the lines add up to the figure
    page.screenshot(path=str(screenshot_dir() / "uitgaven-regels.png"))
    page.go_back()
    page.wait_for_selector("#per-gemeente")

    page.click('th a[href="/definities/#kosten-per-client"]')
    page.wait_for_selector("#kosten-per-client")
    assert "gedeeld door" in page.locator("#kosten-per-client").inner_text()
    page.screenshot(path=str(screenshot_dir() / "definities.png"), full_page=True)
    assert problems == []
    page.close()


def test_budget_monitor_renders_figures_charts_and_alerts(browser, web_server):
    """The budget page for a mid-year reference date: every row has its chart, the figures match the monitor,
    alerts are marked, and the definitions are on the page."""
    from datetime import date

    from regiekamer.budgets.monitor import monitor

    expected = {(b.municipality, b.segment): b for b in monitor(2025, date(2025, 7, 25)) if b.municipality == "0505"}
    page, problems = _signed_in(browser, web_server, "/budget/?jaar=2025&peildatum=2025-07-25&gemeente=0505")
    page.wait_for_selector("#budget")
    rows = page.locator("#budget tbody tr")
    assert rows.count() == len(expected) == 7
    assert page.locator("#budget tbody svg.bullet").count() == 7
    for segment in ("1", "4"):
        cell = page.locator(f'#budget tr[data-segment="{segment}"] td[data-figure="gerealiseerd"]').inner_text()
        assert cell.replace("\xa0", " ") == _euros(expected[("0505", segment)].realised_cents)
    alerts = sum(1 for b in expected.values() if b.crossing_month)
    assert page.locator("#budget tbody tr.alert").count() == alerts
    assert "compleet vanaf de 20e" in page.locator("#definitie").inner_text()
    assert page.locator("#budget thead th").first.inner_text() == "Segment"  # one municipality chosen
    page.screenshot(path=str(screenshot_dir() / "budget.png"), full_page=True)
    assert problems == []
    page.close()


def _signed_in(browser, web_server: str, path: str, user: tuple[str, str] = BROWSER_USER):
    """A new page, logged in as `user` and sent on to `path`, collecting console errors and page errors."""
    from urllib.parse import quote

    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{web_server}/login/?next={quote(path)}")
    page.fill("input[name=username]", user[0])
    page.fill("input[name=password]", user[1])
    page.click("main button[type=submit]")
    return page, problems


def _euros(cents: int) -> str:
    from regiekamer.monitoring.templatetags.money import euros

    return euros(cents)


def test_scenario_page_shows_models_side_by_side(browser, web_server):
    from regiekamer.settlements.scenarios import compare

    outcomes = compare("4", 2024)
    page, problems = _signed_in(browser, web_server, "/scenario/?segment=4&jaar=2024")
    page.wait_for_selector("#gemeenten")
    totals = [int(cell.get_attribute("data-cents")) for cell in page.locator("#prikkels td[data-cents]").all()]
    assert totals == [o.total_cents for o in outcomes]
    assert page.locator("#gemeenten tbody tr").count() == 10
    assert page.locator("#aanbieders tbody tr").count() == len(outcomes[0].revenue)
    assert "volumerisico" in page.locator("#prikkels").inner_text()
    page.screenshot(path=str(screenshot_dir() / "scenario.png"), full_page=True)
    assert problems == []
    page.close()


def test_a_provider_signs_in_and_sees_only_its_own_page(browser, web_server):
    from regiekamer.providers.models import Provider

    provider = Provider.objects.get(memberships__user__username=BROWSER_PROVIDER[0])
    page, problems = _signed_in(browser, web_server, "/start/", BROWSER_PROVIDER)
    page.wait_for_selector("#maanden")
    assert page.url.endswith(f"/aanbieders/{provider.agb_code}/")
    assert provider.name in page.locator("h1").inner_text()
    assert page.locator("#maanden tbody tr").count() == 12 and page.locator("#toewijzingen tbody tr").count() > 0
    nav = page.locator("header nav").inner_text()
    assert "Aanbieders" in nav and "Dashboard" not in nav and "Budget" not in nav
    page.screenshot(path=str(screenshot_dir() / "aanbieder.png"), full_page=True)
    page.click("#spiegel")
    page.wait_for_selector("table.mirror")
    assert page.locator("tr[data-kpi=kosten-per-client]").count() >= 1
    page.screenshot(path=str(screenshot_dir() / "aanbieder-spiegel.png"), full_page=True)
    assert problems == []
    page.close()


def test_the_access_team_finds_a_client_by_bsn_without_the_bsn_in_any_url(browser, web_server):
    from regiekamer.care.models import Client
    from regiekamer.core.protect import protector_for

    client = Client.objects.filter(municipality__cbs_code="0505").exclude(identity_encrypted="").order_by("id").first()
    bsn = protector_for(settings.BSN_KEY).decrypt(client.bsn_encrypted)
    page, problems = _signed_in(browser, web_server, "/clienten/zoeken/", BROWSER_ACCESS_TEAM)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.wait_for_selector("#zoeken")
    page.fill("input[name=bsn]", bsn)
    page.click("#zoeken button[type=submit]")
    page.wait_for_selector("#identiteit")
    assert page.url.endswith(f"/clienten/{client.pseudonym}/")
    assert page.locator("[data-bsn]").inner_text() == bsn
    assert urls and not [url for url in urls if bsn in url]
    page.screenshot(path=str(screenshot_dir() / "client-toegang.png"), full_page=True)
    assert problems == []
    page.close()


def test_kpi_page_shows_themes_and_leads_to_the_records(browser, web_server):
    page, problems = _signed_in(browser, web_server, "/kengetallen/?jaar=2024")
    page.wait_for_selector("tr[data-kpi=clienten-in-zorg]")
    assert page.locator("section.card h2").all_inner_texts()[:3] == ["Volume en stroom", "Kosten", "Duur"]
    page.screenshot(path=str(screenshot_dir() / "kengetallen.png"), full_page=True)
    shown = page.locator("tr[data-kpi=clienten-in-zorg] td.num").first.get_attribute("data-value")
    page.locator("tr[data-kpi=clienten-in-zorg] td.num a").first.click()
    page.wait_for_selector("#records")
    assert page.locator("[data-clients]").get_attribute("data-clients") == shown
    page.screenshot(path=str(screenshot_dir() / "kengetallen-onderbouwing.png"))
    page.goto(f"{web_server}/kengetallen/?jaar=2024&per=municipality&thema=Kosten")
    page.wait_for_selector("#uitsplitsing")
    assert page.locator("#uitsplitsing tbody tr").count() == 10
    page.screenshot(path=str(screenshot_dir() / "kengetallen-per-gemeente.png"), full_page=True)
    assert problems == []
    page.close()


def test_council_report_renders_offline_with_charts_and_prints(browser, web_server):
    """The council report in Chromium: every section, an inline SVG chart per KPI, no request beyond the page
    itself (no scripts, no CDN), and the print view without the site's navigation."""
    page, problems = _signed_in(browser, web_server, "/raadsrapportage/0505/2024/")
    page.wait_for_selector("#raadsrapportage")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    page.wait_for_selector("#raadsrapportage")
    for section in ("samenvatting", "budget", "kengetallen", "doelen", "verantwoording"):
        assert page.locator(f"#{section}").count() == 1, section
    assert page.locator("#kengetallen div.kpi svg.chart").count() >= 10
    assert page.locator("#budget-tabel tbody tr").count() == 7
    assert page.locator("#samenvatting li").first.inner_text().startswith("In 2024 kregen ")
    assert [url for url in requests if not url.startswith(web_server)] == []
    assert page.locator("script").count() == 0
    page.screenshot(path=str(screenshot_dir() / "raadsrapportage.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden() and page.locator("#pdf").is_hidden()
    page.screenshot(path=str(screenshot_dir() / "raadsrapportage-print.png"), full_page=True)
    assert problems == []
    page.close()


def test_a_tender_is_set_up_by_form_scored_by_two_assessors_ranked_and_awarded_in_the_browser(browser, web_server,
                                                                                              django_db_blocker):
    """The analyst creates the tender, adds a requirement and two criteria and registers two bids on the pages
    (two more bids and the second assessor's scores come through the service); assessor 1 scores on the page, a
    consensus is recorded, the ranking and impact show (also for an own winner set), the award is decided, the
    contracts are made and one is opened."""
    from datetime import datetime, timezone

    from django.contrib.auth import get_user_model

    from regiekamer.tenders import service
    from tests.test_tenders import lot_spending

    spending = _committed(django_db_blocker, lambda: lot_spending(2024))
    bidders = sorted(spending, key=lambda agb: (-spending[agb], agb))[:4]
    page, problems = _signed_in(browser, web_server, "/aanbestedingen/")
    tender_id: list[int] = []
    try:
        _tender_forms(page, bidders, tender_id)

        def more_bids_and_the_second_assessor():
            from regiekamer.tenders.models import Tender

            tender = Tender.objects.get(pk=tender_id[0])
            for n, agb in ((1, bidders[1]), (2, bidders[2])):
                service.submit_bid(tender, agb, {"EIS-CLIENTEN": 50}, datetime(2025, 4, 1, 9, n, tzinfo=timezone.utc))
            other = get_user_model().objects.create_user("beoordelaar-b", password="x" * 16)
            for n, agb in enumerate(bidders[:3]):
                service.record_score(tender, agb, "KWALITEIT", other, 9 - n, "zie verslag")
                service.record_score(tender, agb, "PRIJS", other, 7, "zie verslag")
            return tender

        tender = _committed(django_db_blocker, more_bids_and_the_second_assessor)
        _tender_pages(page, problems, web_server, tender, bidders)
    finally:
        if tender_id:
            _committed(django_db_blocker, lambda: _remove_tender(tender_id[0]))


def _tender_forms(page, bidders, tender_id: list[int]) -> None:
    page.wait_for_selector("#aanbestedingen")
    page.click("#nieuw")
    page.wait_for_selector("#nieuwe-aanbesteding")
    page.select_option("select[name=perceel]", "4b")
    page.fill("input[name=gepubliceerd]", "2025-04-15")
    page.fill("input[name=sluiting]", "2025-03-01")  # before the publication: refused, shown at the field
    page.click("#nieuwe-aanbesteding button[type=submit]")
    page.wait_for_selector("#fouten")
    assert "de inschrijving sluit na de publicatiedatum" in page.locator("#nieuwe-aanbesteding").inner_text()
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-nieuw-fout.png"), full_page=True)
    page.fill("input[name=gepubliceerd]", "2025-03-01")
    page.fill("input[name=sluiting]", "2025-04-15")
    page.click("#nieuwe-aanbesteding button[type=submit]")
    page.wait_for_selector("#eis-toevoegen")
    tender_id.append(int(page.url.rstrip("/").split("/")[-2]))
    page.fill("#eis-toevoegen input[name=code]", "EIS-CLIENTEN")
    page.select_option("#eis-toevoegen select[name=soort]", "min-clienten-regio")
    page.fill("#eis-toevoegen input[name=grens]", "30")
    page.click("#eis-toevoegen button[type=submit]")
    page.wait_for_selector('#eisen tr[data-eis="EIS-CLIENTEN"]')
    for code, name, weight in (("KWALITEIT", "Kwaliteit", "60"), ("PRIJS", "Samenwerking", "40")):
        page.fill("#criterium-toevoegen input[name=code]", code)
        page.fill("#criterium-toevoegen input[name=naam]", name)
        page.fill("#criterium-toevoegen input[name=weging]", weight)
        page.click("#criterium-toevoegen button[type=submit]")
        page.wait_for_selector(f'#criteria tr[data-criterium="{code}"]')
    page.fill("#criterium-toevoegen input[name=code]", "EXTRA")
    page.fill("#criterium-toevoegen input[name=naam]", "Te veel")
    page.fill("#criterium-toevoegen input[name=weging]", "5")
    page.click("#criterium-toevoegen button[type=submit]")
    page.wait_for_selector("#criterium-toevoegen .field-error")
    assert "er is nog 0 over tot 100" in page.locator("#criterium-toevoegen").inner_text()
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-opzetten.png"), full_page=True)
    for n, (agb, clients) in enumerate(((bidders[0], "50"), (bidders[3], "10"))):  # the second is knocked out
        page.click("#stappen >> text=Inschrijving registreren")
        page.wait_for_selector("#inschrijving")
        label = page.locator(f'select[name=aanbieder] option:has-text("({agb})")').inner_text()
        page.select_option("select[name=aanbieder]", label=label)
        page.fill('input[name="antwoord-EIS-CLIENTEN"]', clients)
        page.fill("input[name=ontvangen]", f"2025-04-01T09:0{3 * n}")
        if n == 0:
            page.screenshot(path=str(screenshot_dir() / "aanbesteding-inschrijving.png"), full_page=True)
        page.click("#inschrijving button[type=submit]")
        page.wait_for_selector(f'#inschrijvingen tr[data-aanbieder="{agb}"]')


def _tender_pages(page, problems, web_server, tender, bidders) -> None:
    page.goto(f"{web_server}/aanbestedingen/{tender.pk}/")
    page.wait_for_selector("#inschrijvingen")
    assert page.locator('#inschrijvingen td[data-knockout="ja"]').count() == 1
    page.screenshot(path=str(screenshot_dir() / "aanbesteding.png"), full_page=True)
    page.click("#stappen >> text=Beoordelen")
    page.wait_for_selector("#beoordeling")
    assert page.locator("#beoordeling tbody tr").count() == 3  # the knocked-out bid is not scored
    for n, agb in enumerate(bidders[:3]):
        row = page.locator(f'#beoordeling tr[data-aanbieder="{agb}"]')
        quality = 4 if n == 0 else 9 - n  # 4 against 9: consensus needed on the first bidder
        row.locator("input").nth(0).fill(str(quality))
        row.locator("textarea").nth(0).fill("sterk plan")
        row.locator("input").nth(1).fill("7")
        row.locator("textarea").nth(1).fill("goed")
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-beoordelen.png"), full_page=True)
    page.click("#beoordeling button[type=submit]")
    page.wait_for_selector("#beoordeling")
    page.click("#stappen >> text=Consensus")
    page.wait_for_selector("#consensus")
    assert page.locator("#consensus tbody tr[data-criterium]").count() == 1
    page.fill(f'input[name="consensus-{bidders[0]}-KWALITEIT"]', "8")
    page.fill(f'textarea[name="motivering-{bidders[0]}-KWALITEIT"]', "samen besproken")
    page.click("#consensus button[type=submit]")
    page.wait_for_selector("#geen-consensus-nodig")
    page.click("#stappen >> text=Rangorde en impact")
    page.wait_for_selector("#rangorde")
    assert page.locator("#rangorde tbody tr").count() == 4
    assert page.locator("#impact tbody tr").count() == 10
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-impact.png"), full_page=True)
    proposed = page.locator("#totaal-clienten").inner_text()
    page.uncheck(f'#rangorde input[name=winnaar][value="{bidders[1]}"]')  # an own winner set: without the second
    page.click("#selectie button[type=submit]")
    page.wait_for_selector("#eigen-selectie")
    assert int(page.locator("#totaal-clienten").inner_text()) >= int(proposed)
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-impact-eigen-selectie.png"), full_page=True)
    page.click("#terug-naar-voorstel")
    page.wait_for_selector("#rangorde")
    assert page.locator("#eigen-selectie").count() == 0 and page.locator("#totaal-clienten").inner_text() == proposed
    page.click("#stappen >> text=Gunning")
    page.wait_for_selector("#voorstel")
    page.fill("input[name=besluitdatum]", "2025-06-02")
    page.click("#gunnen button[type=submit]")
    page.wait_for_selector("#gunning")
    assert "22-06-2025" in page.locator("#besluit").inner_text()
    assert page.locator('#gunning tr[data-uitkomst="uitgesloten"]').count() == 1
    page.screenshot(path=str(screenshot_dir() / "aanbesteding-gunning.png"), full_page=True)
    page.click("#contracten-maken button[type=submit]")
    page.wait_for_selector("#contracten")
    assert page.locator(f'#contracten tr[data-contract^="{tender.reference}-"]').count() == 3
    page.goto(f"{web_server}/contracten/?peildatum=2025-07-01")
    page.wait_for_selector("#contracten")
    page.screenshot(path=str(screenshot_dir() / "contracten.png"), full_page=True)
    page.click(f'#contracten tr[data-contract="{tender.reference}-{bidders[0]}"] a')
    page.wait_for_selector("#kpi-doelen")
    assert page.locator("#meldplichten tbody tr").count() == 5 and page.locator("#tarieven tbody tr").count() == 3
    page.screenshot(path=str(screenshot_dir() / "contract.png"), full_page=True)
    refused = [p for p in problems if "status of 400 (Bad Request)" in p]
    assert len(refused) == 2  # the two refused forms answer 400 on purpose; nothing else went wrong
    assert [p for p in problems if p not in refused] == []
    page.close()


def _committed(blocker, work):
    """Run `work` on its own connection in another thread, committed at once, so the server thread sees it (the
    test's own transaction would hold SQLite's write lock)."""
    import threading

    from django.db import connection

    result: list = []

    def run():
        with blocker.unblock():
            try:
                result.append(work())
            except BaseException as error:  # noqa: BLE001 - handed to the test below
                result.append(error)
            finally:
                connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


def _remove_tender(pk: int) -> None:
    """Leave the shared test database as it was: the tender, its contracts and the second assessor go."""
    from django.contrib.auth import get_user_model

    from regiekamer.contracts.models import Contract
    from regiekamer.tenders.models import Tender

    tender = Tender.objects.get(pk=pk)
    contracts = list(Contract.objects.filter(award_result__bid__tender=tender).values_list("id", flat=True))
    tender.delete()
    Contract.objects.filter(id__in=contracts).delete()
    get_user_model().objects.filter(username="beoordelaar-b").delete()
