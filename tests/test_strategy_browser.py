"""The strategy overview in headless Chromium: segments × the four instruments for the demo region."""

from __future__ import annotations

import pytest

from tests.conftest import BROWSER_ACCESS_TEAM
from tests.test_browser import _signed_in, browser, screenshot_dir  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_strategy_page_shows_each_segment_with_its_four_instruments(browser, web_server):  # noqa: F811
    page, problems = _signed_in(browser, web_server, "/strategie/")
    page.wait_for_selector("#strategie")
    page.screenshot(path=str(screenshot_dir() / "strategie.png"), full_page=True)
    headers = page.locator("#strategie thead th").all_inner_texts()
    assert headers == ["Segment", "Toegang", "Bekostiging", "Contract", "Leveranciersmanagement"]
    rows = page.locator("#strategie tbody tr")
    assert [rows.nth(i).get_attribute("data-segment") for i in range(rows.count())] == list("1234567")
    crisis = page.locator("#strategie tr[data-segment='5']").inner_text()
    assert "Hybride" in crisis and "Casusregie: samenwerkingsverband" in crisis
    local = page.locator("#strategie tr[data-segment='4']").inner_text()
    assert "4a Jeugdhulp lokaal" in local and "begrotingssubsidie" in local and "Hard plafond" in local
    assert problems == []
    page.close()


def test_the_access_team_does_not_see_the_strategy(browser, web_server):  # noqa: F811
    page, _ = _signed_in(browser, web_server, "/strategie/", BROWSER_ACCESS_TEAM)
    assert "#strategie" not in page.content() and page.locator("#strategie").count() == 0
    page.close()
