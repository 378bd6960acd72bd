"""Who sees what: the authorisation matrix over every page, every role, an own and a foreign municipality."""

from __future__ import annotations

import pytest
from django.test import Client

from regiekamer.access.models import Role
from regiekamer.access.scope import MUNICIPAL_DATA, REGIONAL_ONLY
from tests.authorisation import DECIDERS, OWN, RULES, Rule, unruled, violations

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(make_user, demo_region, monkeypatch, settings):
    """A logged-in client per role. The council report's PDF is its print document as is: printing it in Chromium
    (tested in test_council_report.py) took most of the matrix's time and proves nothing about access, and the
    document's text shows the tenant markers that a PDF's compressed text would hide."""
    from regiekamer.providers.models import Provider

    monkeypatch.setattr("regiekamer.reports.views.html_to_pdf", lambda html, title="": html.encode())
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the clients log in by force
    providers = list(Provider.objects.order_by("agb_code").values_list("agb_code", flat=True))
    own_provider = providers[0]
    clients = {}
    for role in Role:
        user = make_user(f"matrix-{role.value}", role, municipality=OWN if role in (Role.GEMEENTE, Role.TOEGANG)
                         else None, provider=own_provider if role is Role.AANBIEDER else None)
        clients[role] = Client()
        clients[role].force_login(user)
    municipalities = list(demo_region.municipalities.values_list("cbs_code", flat=True))
    return clients.__getitem__, own_provider, municipalities, providers


def test_every_page_shows_every_role_only_its_own_tenant(matrix):
    assert violations(*matrix) == []


def test_the_matrix_fails_when_a_view_forgets_its_scope(matrix, settings):
    settings.ROOT_URLCONF = "tests.unscoped_urls"
    assert "lek: geen autorisatieregel" in unruled(RULES)  # a new page must get a rule ...
    found = violations(*matrix, rules={"lek": Rule(lambda m: "/lek/", MUNICIPAL_DATA),
                                       "api-lek": Rule(lambda m: "/api/v1/lek", MUNICIPAL_DATA)})
    assert any(problem.startswith("lek /lek/ gemeente: toont gegevens van") for problem in found), found  # ... and
    # then its missing scope shows, on a page and in a JSON answer
    assert any(problem.startswith("api-lek /api/v1/lek toegang: toont gegevens van") for problem in found), found


def test_the_matrix_fails_when_a_form_lets_a_reader_act(matrix, settings):
    """The post check per form: the auditor may read the page, but its POST must be refused."""
    settings.ROOT_URLCONF = "tests.unscoped_urls"
    rule = Rule(lambda m: "/lek-formulier/", REGIONAL_ONLY, post=lambda: {"naam": "x"}, posters=DECIDERS)
    found = [p for p in violations(*matrix, rules={"lek-formulier": rule}) if "geen autorisatieregel" not in p]
    assert found == ["lek-formulier POST /lek-formulier/ auditor: 200, verwacht 403/404"]
    # the same rule holds for a form that does check the role (a tender's setup page)
    found = [p for p in violations(*matrix, rules={"tender-setup": RULES["tender-setup"]})
             if "geen autorisatieregel" not in p]
    assert found == []


def test_without_a_role_nothing_is_shown_and_the_admin_is_for_administrators(make_user, client, demo_region):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("zonder-rol", password="x" * 16))
    assert client.get("/").status_code == 403
    client.force_login(make_user("regio-analist"))
    assert client.get("/beheer/").status_code == 302  # to the admin login: not staff


def test_viewing_client_level_lines_is_logged_without_a_bsn(make_user, client, demo_region):
    from regiekamer.access.models import AuditEvent

    user = make_user("inzager", Role.GEMEENTE, municipality=OWN)
    client.force_login(user)
    assert client.get(f"/uitgaven/{OWN}/2024/").status_code == 200
    event = AuditEvent.objects.get(user=user)
    assert event.action == "bekeken" and event.what == f"declaratieregels {OWN} 2024 pagina 1" and event.records > 0
