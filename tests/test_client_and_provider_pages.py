"""Client pages (the access team sees identities, municipal staff pseudonyms) and the provider's own page."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from regiekamer.access.models import AuditEvent, Role
from regiekamer.care.models import Client
from regiekamer.core.protect import protector_for
from tests.authorisation import FOREIGN, OWN

pytestmark = pytest.mark.django_db


def _client_with_bsn(cbs_code: str) -> tuple[Client, str]:
    client = Client.objects.filter(municipality__cbs_code=cbs_code).exclude(identity_encrypted="").order_by("id").first()
    return client, protector_for(settings.BSN_KEY).decrypt(client.bsn_encrypted)


def test_the_access_team_finds_a_client_by_bsn_in_a_form_and_sees_who_it_is(make_user, client, caplog):
    caplog.set_level(logging.DEBUG)
    own, bsn = _client_with_bsn(OWN)
    user = make_user("toegangsteam", Role.TOEGANG, municipality=OWN)
    client.force_login(user)
    response = client.post("/clienten/zoeken/", {"bsn": bsn})
    assert response.status_code == 302 and response["Location"] == f"/clienten/{own.pseudonym}/"
    assert bsn not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert bsn in page and "data-bsn" in page
    assert [e.what for e in AuditEvent.objects.filter(user=user).order_by("id")] == [
        f"cliënt gezocht op BSN: {own.pseudonym}", f"cliënt {own.pseudonym} met identiteit"]
    assert bsn not in caplog.text and not AuditEvent.objects.filter(what__contains=bsn).exists()


def test_a_client_of_another_municipality_is_not_found_and_looks_like_an_unknown_one(make_user, client):
    foreign, bsn = _client_with_bsn(FOREIGN)
    client.force_login(make_user("toegangsteam-2", Role.TOEGANG, municipality=OWN))
    response = client.post("/clienten/zoeken/", {"bsn": bsn})
    assert response.status_code == 422 and "Geen cliënt met dit BSN in uw gemeente" in response.content.decode()
    assert client.get(f"/clienten/{foreign.pseudonym}/").status_code == 404
    wrong = client.post("/clienten/zoeken/", {"bsn": "123456789"})  # fails the elfproef
    assert wrong.status_code == 422 and "elfproef" in wrong.content.decode()


def test_municipal_staff_see_the_client_by_pseudonym_without_identity(make_user, client):
    own, bsn = _client_with_bsn(OWN)
    client.force_login(make_user("beleidsmedewerker", Role.GEMEENTE, municipality=OWN))
    page = client.get(f"/clienten/{own.pseudonym}/").content.decode()
    assert own.pseudonym in page and bsn not in page and "data-bsn" not in page
    assert client.get("/clienten/zoeken/").status_code == 403  # searching by BSN is for the access team


def test_a_provider_lands_on_its_own_page_whose_figures_add_up_to_its_lines(make_user, client):
    from regiekamer.declarations.models import DeclarationLine
    from regiekamer.providers.models import Provider
    from regiekamer.providers.overview import provider_year

    agb = (DeclarationLine.objects.exclude(status="toegekend").values_list("provider__agb_code", flat=True)
           .order_by("provider__agb_code").first())  # a provider with rejected lines
    client.force_login(make_user("aanbieder", Role.AANBIEDER, provider=agb))
    landing = client.get("/start/")
    assert landing.status_code == 302 and landing["Location"] == f"/aanbieders/{agb}/"
    page = client.get(f"/aanbieders/{agb}/?jaar=2024")
    assert page.status_code == 200 and 'id="maanden"' in page.content.decode()
    provider = Provider.objects.get(agb_code=agb)
    lines = DeclarationLine.objects.filter(provider=provider, period_start__year=2024)
    overview = page.context["overview"]
    assert overview.lines == lines.count()
    assert overview.accepted_cents == lines.accepted().net_cents()
    assert sum(m.rejected for m in overview.months) == lines.exclude(status="toegekend").count()
    assert sum(n for _, _, n in overview.rejections) == sum(len(codes.split()) for codes in
                                                            lines.exclude(status="toegekend").values_list("rule_codes", flat=True))
    assert overview == provider_year(DeclarationLine.objects.filter(provider=provider),
                                     provider.assignments.all(), 2024)
    other = Provider.objects.exclude(agb_code=agb).order_by("agb_code").first().agb_code
    assert client.get(f"/aanbieders/{other}/").status_code == 404
    assert client.get("/").status_code == 403


def test_the_mirror_shows_a_provider_itself_against_an_anonymous_spread_of_peers(make_user, client, demo_region):
    from decimal import Decimal

    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import BY_ID, Period, compute
    from regiekamer.providers.models import Provider

    facts = load_facts(demo_region.id).only(segments={"4"})
    per_provider = {v.dims["provider"]: v.value for v in compute(BY_ID["kosten-per-client"], facts, Period.of(2024),
                                                               ["provider"]) if not v.suppressed}
    agb = sorted(per_provider)[0]
    client.force_login(make_user("spiegel", Role.AANBIEDER, provider=agb))
    page = client.get(f"/aanbieders/{agb}/spiegel/?jaar=2024")
    assert page.status_code == 200
    segment = next(s for s, _ in page.context["segments"] if s.segment == "4")
    row = next(r for r in segment.rows if r.kpi.id == "kosten-per-client")
    peers = sorted(Decimal(v) for a, v in per_provider.items() if a != agb)
    assert row.own == per_provider[agb] and row.spread.peers == len(peers)
    assert (row.spread.lowest, row.spread.median, row.spread.highest) == (peers[0], peers[(len(peers) + 1) // 2 - 1],
                                                                          peers[-1])
    assert row.below == sum(1 for p in peers if p < row.own)
    html = page.content.decode()
    others = Provider.objects.exclude(agb_code=agb)
    assert not [p for p in others if p.agb_code in html or p.name in html]  # peers stay anonymous
