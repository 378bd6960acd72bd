"""The dashboard in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import BROWSER_USER

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


def _signed_in(browser, web_server: str, path: str):
    """A new page, logged in and sent on to `path`, collecting console errors and page errors."""
    from urllib.parse import quote

    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{web_server}/login/?next={quote(path)}")
    page.fill("input[name=username]", BROWSER_USER[0])
    page.fill("input[name=password]", BROWSER_USER[1])
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
