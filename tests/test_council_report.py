"""The council report (raadsrapportage): its figures are the engines' figures, it stays within the scope, and its
PDF is a real, multi-page PDF that poppler can turn into images (var/screenshots/raadsrapportage-pdf-*.png)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from click.testing import CliRunner
from django.conf import settings

from regiekamer.access.models import AuditEvent, Role
from regiekamer.cli import main
from regiekamer.monitoring.facts_cache import facts_for
from regiekamer.monitoring.kpis import BY_ID, Period, compute
from regiekamer.reports.council import REPORT_KPIS, per_thousand, report_as_of

pytestmark = pytest.mark.django_db
OWN, FOREIGN, YEAR = "0505", "0482", 2024


def _engine(facts, kpi_id: str, year: int):
    value = compute(BY_ID[kpi_id], facts, Period.of(year), [])[0]
    return None if value.suppressed else value.value


def _attr(html: str, kpi_id: str, figure: str) -> str:
    block = html.split(f'data-kpi="{kpi_id}"', 1)[1].split('class="kpi"', 1)[0]
    return unescape(re.search(rf'data-figure="{figure}">([^<]*)<', block).group(1))


def test_the_figures_are_the_kpi_engines_and_the_budget_monitors(make_user, client, demo_region):
    from regiekamer.budgets.monitor import monitor
    from regiekamer.reports.council import value_text

    client.force_login(make_user("raad-regio"))
    html = client.get(f"/raadsrapportage/{OWN}/{YEAR}/").content.decode()
    facts = facts_for(demo_region.id)
    own = facts.only({OWN})
    youth = int(facts.population.filter((facts.population["year"] == YEAR)
                                        & (facts.population["municipality"] == OWN))["age_0_17"].sum())
    region_youth = int(facts.population.filter(facts.population["year"] == YEAR)["age_0_17"].sum())
    for kpi_id in REPORT_KPIS:
        kpi = BY_ID[kpi_id]
        now, before, regional = _engine(own, kpi_id, YEAR), _engine(own, kpi_id, YEAR - 1), _engine(facts, kpi_id, YEAR)
        assert re.search(rf'data-kpi="{kpi_id}" data-value="{"" if now is None else now}"', html), kpi_id
        assert _attr(html, kpi_id, "dit-jaar") == value_text(kpi, now, now is None), kpi_id
        assert _attr(html, kpi_id, "vorig-jaar") == value_text(kpi, before, before is None), kpi_id
        if kpi_id in ("clienten-in-zorg", "instroom", "uitstroom", "uithuisplaatsingen"):
            rate = per_thousand(regional, region_youth)
            assert _attr(html, kpi_id, "regio") == str(rate).replace(".", ","), kpi_id
            assert _attr(html, kpi_id, "per-1000") == str(per_thousand(now, youth)).replace(".", ",")
        else:
            assert _attr(html, kpi_id, "regio") == value_text(kpi, regional, regional is None), kpi_id
        assert f'href="/definities/#kpi-{kpi_id}"' in html
    clients = _engine(own, "clienten-in-zorg", YEAR)
    assert f"In {YEAR} kregen {clients:,}".replace(",", ".") + " jeugdigen in Dordrecht jeugdhulp" in html
    for referrer in compute(BY_ID["verwijzer-aandeel"], own, Period.of(YEAR), []):
        if not referrer.suppressed:
            assert f'data-value="{referrer.value}"' in html

    as_of = report_as_of(YEAR, date.today())
    lines = monitor(YEAR, as_of, {OWN})
    assert len(lines) == html.count('<tr data-segment="') > 0
    for line in lines:
        row = html.split(f'<tr data-segment="{line.segment}"', 1)[1].split("</tr>", 1)[0]
        assert f'data-figure="budget" data-cents="{line.budget_cents}"' in row
        if "&lt;5" not in row:
            assert f'data-figure="gerealiseerd" data-cents="{line.realised_cents}"' in row
            assert f'data-figure="prognose" data-cents="{line.forecast.point_cents}"' in row
    assert f'data-figure="budget-totaal" data-cents="{sum(b.budget_cents or 0 for b in lines)}"' in html
    assert f'data-figure="prognose-totaal" data-cents="{sum(b.forecast.point_cents for b in lines)}"' in html
    # the strategy's target is a decrease against 2022 measured by its KPI; 2022 precedes the data, and the report
    # says so rather than comparing with another year
    assert 'data-doel="Daling gemiddelde kosten per cliënt"' in html and "ten minste 5 % lager dan in 2022" in html
    assert "Over 2022 zijn geen gegevens" in html
    assert "minder dan 5 personen" in html and 'data-version="' in html


def test_a_running_year_is_reported_as_of_today_and_a_year_without_data_is_not_found(make_user, client, demo_region):
    client.force_login(make_user("raad-regio-2"))
    html = client.get(f"/raadsrapportage/{OWN}/2025/?peildatum=2025-07-25").content.decode()
    assert "het jaar loopt nog" in html and "25 juli 2025" in html
    assert client.get(f"/raadsrapportage/{OWN}/1999/").status_code == 404
    assert client.get(f"/raadsrapportage/{OWN}/2025/?peildatum=gisteren").status_code == 404


def test_without_a_strategy_the_goals_section_says_none_are_set(make_user, client, demo_region):
    from regiekamer.strategy.models import Strategy

    Strategy.objects.filter(region=demo_region).delete()  # rolled back with the test
    client.force_login(make_user("raad-regio-3"))
    html = client.get(f"/raadsrapportage/{OWN}/{YEAR}/").content.decode()
    assert 'id="geen-doelen"' in html and "Er zijn geen doelen vastgesteld" in html
    assert "De inkoopstrategie van de regio bevat geen meetbare doelen." in html


def test_a_municipal_user_gets_only_its_own_report_and_the_pdf_is_not_an_inzage(make_user, client, demo_region):
    user = make_user("raad-gemeente", Role.GEMEENTE, municipality=OWN)
    client.force_login(user)
    assert client.get(f"/raadsrapportage/{FOREIGN}/{YEAR}/").status_code == 404
    assert client.get(f"/raadsrapportage/{FOREIGN}/{YEAR}/pdf/").status_code == 404
    page = client.get(f"/raadsrapportage/{OWN}/{YEAR}/")
    assert page.status_code == 200 and f'href="/raadsrapportage/{OWN}/{YEAR}/pdf/"' in page.content.decode()
    pdf = client.get(f"/raadsrapportage/{OWN}/{YEAR}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="raadsrapportage-dordrecht-2024.pdf"' in pdf["Content-Disposition"]
    assert not AuditEvent.objects.filter(user=user).exists()  # aggregates only: nothing to log
    from regiekamer.providers.models import Provider

    agb = Provider.objects.order_by("agb_code").values_list("agb_code", flat=True).first()
    provider = make_user("raad-aanbieder", Role.AANBIEDER, provider=agb)
    client.force_login(provider)
    assert client.get(f"/raadsrapportage/{OWN}/{YEAR}/").status_code == 403


def test_the_cli_prints_a_real_pdf_that_poppler_turns_into_images(demo_region, tmp_path):
    assert shutil.which("pdftoppm") and shutil.which("pdfinfo"), "poppler-utils: scripts/system-deps.sh"
    out = tmp_path / "raad.pdf"
    result = CliRunner().invoke(main, ["report", "--municipality", OWN, "--year", str(YEAR), "--out", str(out)])
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 2
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Raadsrapportage jeugdhulp Dordrecht 2024" in text and "Bijlage: verantwoording" in text
    assert f"pagina 1 van {pages}" in text
    shots = settings.VAR_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("raadsrapportage-pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "4", str(out), str(shots / "raadsrapportage-pdf")],
                   check=True)
    images = sorted(shots.glob("raadsrapportage-pdf-*.png"))
    assert len(images) == min(pages, 4)
    assert all(image.read_bytes().startswith(b"\x89PNG") and image.stat().st_size > 10_000 for image in images)


def test_the_cli_writes_the_html_document_and_refuses_an_unknown_municipality(demo_region, tmp_path):
    out = tmp_path / "raad.html"
    result = CliRunner().invoke(main, ["report", "--municipality", OWN, "--year", str(YEAR), "--out", str(out),
                                       "--html"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<script" not in html and "http" not in html.split("<body>")[1]
    assert html.count("<svg") >= len(REPORT_KPIS) + 1
    bad = CliRunner().invoke(main, ["report", "--municipality", "9999", "--year", str(YEAR), "--out", str(out)])
    assert bad.exit_code != 0 and "onbekende gemeente" in bad.output


def test_per_thousand_is_exact():
    assert per_thousand(123, 4567) == Decimal("26.9")
    assert per_thousand(None, 10) is None and per_thousand(5, 0) is None


def test_a_target_against_a_base_year_is_the_change_of_its_kpi_since_then(make_user, client, demo_region):
    from regiekamer.strategy.models import Kpi, SegmentStrategy

    own = facts_for(demo_region.id).only(municipalities={OWN}, segments={"4"})
    then, now = _engine(own, "kosten-per-client", YEAR - 1), _engine(own, "kosten-per-client", YEAR)
    change = (Decimal(now) * 100 / Decimal(then) - 100).quantize(Decimal("0.1"))
    segment = SegmentStrategy.objects.get(strategy__region=demo_region, segment__code="4")
    for name, norm in (("Relatief gehaald", change), ("Relatief gemist", change - 1)):
        Kpi.objects.create(segment_strategy=segment, name=name, kpi_id="kosten-per-client", norm=norm, unit="cent",
                           direction="max", base_year=YEAR - 1, deadline=date(YEAR, 12, 31))
    client.force_login(make_user("raad-relatief"))
    html = unescape(client.get(f"/raadsrapportage/{OWN}/{YEAR}/").content.decode())

    def row(name: str) -> str:
        return html.split(f'data-doel="{name}"', 1)[1].split("</tr>", 1)[0]

    for name, status in (("Relatief gehaald", "gehaald"), ("Relatief gemist", "niet gehaald")):
        assert f"dan in {YEAR - 1} (" in row(name) and f"in {YEAR})" in row(name), row(name)
        assert re.search(rf">\s*{status}\s*<", row(name)), row(name)
