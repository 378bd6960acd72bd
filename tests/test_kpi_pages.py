"""The KPI pages: the figures equal the KPI engine's, each one leads to the records it rests on, and a
municipal user sees its own municipality only."""

from __future__ import annotations

from datetime import date

import pytest

from regiekamer.access.models import AuditEvent, Role
from regiekamer.ijw.constants import JW305
from regiekamer.ijw.model import Header, StartedProduct, StartMessage
from regiekamer.monitoring.facts import load_facts
from regiekamer.monitoring.kpis import BY_ID, Period, compute
from tests.authorisation import OWN
from tests.test_ingest import NUMBER, PERSON, PRODUCT, assignment, put

pytestmark = pytest.mark.django_db


def _figure(facts, kpi_id: str):
    return compute(BY_ID[kpi_id], facts, Period.of(2024), [])[0]


def test_each_figure_is_the_engines_and_its_records_add_up_to_it(make_user, client, demo_region):
    user = make_user("kpi-gemeente", Role.GEMEENTE, municipality=OWN)
    client.force_login(user)
    page = client.get("/kengetallen/?jaar=2024")
    assert page.status_code == 200
    facts = load_facts(demo_region.id).only({OWN})
    html = page.content.decode()
    for kpi_id in ("clienten-in-zorg", "instroom", "uitgaven", "uitval"):
        value = _figure(facts, kpi_id)
        assert f'data-kpi="{kpi_id}"' in html and f'data-value="{value.value}"' in html
    in_care = _figure(facts, "clienten-in-zorg")
    records = client.get(f"/kengetallen/clienten-in-zorg/onderbouwing/?jaar=2024&gemeente={OWN}")
    assert records.context["clients"] == in_care.numerator
    spending = _figure(facts, "uitgaven")
    lines = client.get(f"/kengetallen/uitgaven/onderbouwing/?jaar=2024&gemeente={OWN}")
    assert lines.context["total_cents"] == spending.numerator
    assert {row["municipality"] for row in lines.context["rows"]} == {OWN}
    assert AuditEvent.objects.filter(user=user, what__startswith="onderbouwing uitgaven 2024").exists()


def test_split_by_municipality_shows_a_municipal_user_only_its_own(make_user, client, demo_region):
    client.force_login(make_user("kpi-gemeente-2", Role.GEMEENTE, municipality=OWN))
    page = client.get("/kengetallen/?jaar=2024&per=municipality")
    assert [key for key, _ in page.context["split_rows"]] == [OWN]
    assert client.get("/kengetallen/?jaar=2024&gemeente=0482").status_code == 404
    client.force_login(make_user("kpi-regio", Role.REGIO))
    regional = client.get("/kengetallen/?jaar=2024&per=municipality")
    assert len(regional.context["split_rows"]) == demo_region.municipalities.count()


def _on_page(response, kpi_id: str) -> int:
    for _, items in response.context["themes"]:
        for kpi, values in items:
            if kpi.id == kpi_id:
                return values[0][0].numerator
    raise AssertionError(f"{kpi_id} not on the page")


def test_the_cached_facts_follow_new_data(make_user, client, demo_region, tmp_path):
    """The page keeps the facts in memory; an ingest in between is seen at once."""
    from regiekamer.messaging.ingest import ingest_paths
    from regiekamer.providers.models import Provider

    client.force_login(make_user("kpi-regio-2", Role.REGIO))
    before = _on_page(client.get("/kengetallen/?jaar=2024"), "trajecten")
    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    put(tmp_path, "1.xml", assignment(agb))
    put(tmp_path, "2.xml", StartMessage(Header(JW305, agb, "0505", "S1", date(2024, 2, 1)), PERSON, [
        StartedProduct(NUMBER, PRODUCT, date(2024, 1, 2), date(2024, 2, 1))]))
    report = ingest_paths([tmp_path])
    assert report.errors == [] and report.processed == 2
    assert _on_page(client.get("/kengetallen/?jaar=2024"), "trajecten") == before + 1
