"""The dashboard's figures agree with an independent count over the generated source messages."""

from __future__ import annotations

import re

import pytest

from regiekamer.monitoring.figures import overview
from regiekamer.monitoring.views import DRILL_PAGE
from tests.independent import count

YEAR = 2024


@pytest.fixture(scope="module")
def independent(demo_source):
    out, _ = demo_source
    return count(out, YEAR)


@pytest.mark.django_db
def test_overview_matches_independent_count(demo_region, independent):
    data = overview(demo_region, YEAR)
    assert data.total.spending_cents > 0
    for row in data.rows:
        code = row.municipality.cbs_code
        assert row.total.clients_in_care == len(independent.total(independent.in_care, code)), code
        assert row.total.spending_cents == independent.total(independent.spending, code), code
        assert row.total.clients_with_spending == len(independent.total(independent.with_spending, code)), code
        for segment in data.segments:
            cell = row.cells[segment.code]
            key = (code, segment.code)
            assert cell.clients_in_care == len(independent.in_care.get(key, ())), key
            assert cell.spending_cents == independent.spending.get(key, 0), key
    assert data.total.spending_cents == sum(independent.spending.values())
    all_clients = set().union(*independent.in_care.values())
    assert data.total.clients_in_care == len(all_clients)


@pytest.mark.django_db
def test_task_based_segment_shows_clients_but_no_spending(demo_region, independent):
    data = overview(demo_region, YEAR)
    in_care = sum(row.cells["7"].clients_in_care for row in data.rows)
    assert in_care > 0
    assert all(row.cells["7"].spending_cents == 0 for row in data.rows)


@pytest.mark.django_db
def test_dashboard_page_shows_the_same_figures(client, make_user, demo_region, independent):
    client.force_login(make_user("analist"))
    response = client.get("/", {"jaar": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    for municipality in demo_region.municipalities.all():
        row = re.search(rf'<tr data-gemeente="{municipality.cbs_code}">(.*?)</tr>', html, re.S).group(1)
        cents = int(re.search(r'data-figure="uitgaven" data-cents="(-?\d+)"', row).group(1))
        assert cents == independent.total(independent.spending, municipality.cbs_code)
        clients = re.search(r'data-figure="clienten-in-zorg">([\d.]+)<', row).group(1)
        assert int(clients.replace(".", "")) == len(independent.total(independent.in_care, municipality.cbs_code))
    assert 'href="/definities/#uitgaven"' in html
    assert 'href="/definities/#clienten-in-zorg"' in html


@pytest.mark.django_db
def test_segment_filter_shows_that_segment(client, make_user, demo_region, independent):
    client.force_login(make_user("analist2"))
    html = client.get("/", {"jaar": YEAR, "segment": "4"}).content.decode()
    code = "0505"
    row = re.search(rf'<tr data-gemeente="{code}">(.*?)</tr>', html, re.S).group(1)
    cents = int(re.search(r'data-figure="uitgaven" data-cents="(-?\d+)"', row).group(1))
    assert cents == independent.spending[(code, "4")]


@pytest.mark.django_db
def test_dashboard_requires_login_and_rejects_unknown_filters(client, make_user, demo_region):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(make_user("analist3"))
    assert client.get("/", {"segment": "99", "jaar": YEAR}).status_code == 404
    assert client.get("/", {"jaar": "abc"}).status_code == 404


@pytest.mark.django_db
def test_definitions_page_explains_every_figure(client, make_user):
    client.force_login(make_user("lezer"))
    html = client.get("/definities/").content.decode()
    for anchor in ("clienten-in-zorg", "uitgaven", "kosten-per-client", "clienten-met-uitgaven"):
        assert f'id="{anchor}"' in html


@pytest.mark.django_db
def test_every_generated_fault_is_caught_and_nothing_else(demo_region, demo_source, _demo_loaded):
    """The generator wrote 1 % of the lines with a typical error: exactly those are rejected, each by its control."""
    import json

    from regiekamer.declarations.models import DeclarationLine

    out, summary = demo_source
    faults = json.loads((out / "faults.json").read_text())
    assert summary.faults == len(faults) > 20
    assert {f["rule"] for f in faults} == {"TR418", "TR321", "TR389"}
    rejected = {(provider, reference): codes.split() for provider, reference, codes in DeclarationLine.objects.filter(
        status="afgewezen").values_list("provider__agb_code", "reference", "rule_codes")}
    assert set(rejected) == {(f["provider"], f["reference"]) for f in faults}
    for fault in faults:
        assert fault["rule"] in rejected[(fault["provider"], fault["reference"])], fault
    assert _demo_loaded.lines_rejected == len(faults)
    assert DeclarationLine.objects.count() > 1000


@pytest.mark.django_db
def test_spending_drills_down_to_its_declaration_lines(client, make_user, demo_region, independent):
    client.force_login(make_user("analist4"))
    dashboard = client.get("/", {"jaar": YEAR}).content.decode()
    assert f'href="/uitgaven/0505/{YEAR}/"' in dashboard
    html = client.get(f"/uitgaven/0505/{YEAR}/").content.decode()
    total = int(re.search(r'id="totaal" data-cents="(-?\d+)"', html).group(1))
    assert total == independent.total(independent.spending, "0505")
    assert re.search(r"<td>P[0-9A-F]{12}</td>", html)  # clients by pseudonym
    assert not any(bsn in html for bsn in independent.total(independent.with_spending, "0505"))
    segment_html = client.get(f"/uitgaven/0505/{YEAR}/", {"segment": "4"}).content.decode()
    segment_total = int(re.search(r'id="totaal" data-cents="(-?\d+)"', segment_html).group(1))
    assert segment_total == independent.spending[("0505", "4")]
    assert client.get(f"/uitgaven/9999/{YEAR}/").status_code == 404


def _amounts(html: str) -> list[int]:
    """The signed amount of every line on a drill-down page, from its own cells."""
    rows = re.findall(r'<td class="num">([^<]*)</td>\s*<td>([DC])</td>', html)
    return [(1 if dc == "D" else -1) * int(amount.replace("€", "").replace(".", "").replace(",", "").strip())
            for amount, dc in rows]


@pytest.mark.django_db
def test_the_drill_down_pages_hold_every_line_and_add_up_to_the_figure(client, make_user, demo_region, independent):
    client.force_login(make_user("analist-pagina"))
    first = client.get(f"/uitgaven/0505/{YEAR}/").content.decode()
    lines = int(re.search(r'id="aantal" data-count="(\d+)"', first).group(1))
    pages = -(-lines // DRILL_PAGE)
    assert pages > 1, "the test region should need more than one page"
    assert 'rel="next"' in first and 'rel="prev"' not in first
    amounts: list[int] = []
    for number in range(1, pages + 1):
        html = client.get(f"/uitgaven/0505/{YEAR}/", {"pagina": number}).content.decode()
        on_page = _amounts(html)
        assert len(on_page) == (DRILL_PAGE if number < pages else lines - DRILL_PAGE * (pages - 1))
        amounts += on_page
    assert 'rel="next"' not in html
    assert sum(amounts) == independent.total(independent.spending, "0505")
    assert len(amounts) == lines
    assert client.get(f"/uitgaven/0505/{YEAR}/", {"pagina": pages + 1}).status_code == 404
    assert client.get(f"/uitgaven/0505/{YEAR}/", {"pagina": "0"}).status_code == 404
