"""The REST API: scoped like the pages, API keys, problem details, paging, and an OpenAPI 3 document that keeps
to the Dutch API Design Rules (the checks below follow the rules of the Logius linter ruleset)."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from django.test import Client

from regiekamer.access.models import AuditEvent, Role
from regiekamer.api.tokens import create_token
from tests.authorisation import OWN

pytestmark = pytest.mark.django_db

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
KEBAB_PATH = re.compile(r"^(/([a-z0-9\-]+|\{[^}]+\}))+/?$")  # a trailing slash is its own rule
CAMEL = re.compile(r"^[a-z][a-z\d]*([A-Z][a-z\d]*)*$")


def design_rule_violations(document: dict) -> list[str]:
    """The Dutch API Design Rules that can be read off an OpenAPI document (rule names as in the standard)."""
    found = []
    if not re.match(r"^3(\.\d+){1,2}$", document.get("openapi", "")):
        found.append("openapi3: geen OpenAPI 3")
    contact = document.get("info", {}).get("contact", {})
    if not all(contact.get(key) for key in ("name", "url", "email")):
        found.append("doc-openapi-contact: contact zonder naam, url of e-mail")
    if not SEMVER.match(document.get("info", {}).get("version", "")):
        found.append("semver: versie niet als major.minor.patch")
    if not any(re.search(r"/v\d", server.get("url", "")) for server in document.get("servers", [])):
        found.append("uri-version: hoofdversie niet in de URI")
    for path, operations in document["paths"].items():
        if path.endswith("/"):
            found.append(f"no-trailing-slash: {path}")
        if not KEBAB_PATH.match(path):
            found.append(f"paths-kebab-case: {path}")
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                found.append(f"http-methods: {method} {path}")
            parameters = operation.get("parameters", [])
            found += [f"query-keys-camel-case: {p['name']} in {path}" for p in parameters
                      if p["in"] == "query" and not CAMEL.match(p["name"])]
            responses = {str(status): response for status, response in operation["responses"].items()}
            if parameters and "400" not in responses:
                found.append(f"problem-invalid-input: {method} {path} zonder 400")
            for status, response in responses.items():
                if status[0] in "23" and "API-Version" not in response.get("headers", {}):
                    found.append(f"version-header: {status} van {method} {path}")
                if status[0] in "45" and "application/problem+json" not in response.get("content", {}):
                    found.append(f"use-problem-schema: {status} van {method} {path}")
    problem = document.get("components", {}).get("schemas", {}).get("Problem", {})
    if not {"status", "title", "detail"} <= set(problem.get("properties", {})):
        found.append("problem-schema-members: status, title en detail ontbreken")
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        for field, spec in schema.get("properties", {}).items():
            if re.search(r"(datum|Begin|Eind)$", field) and spec.get("format") != "date" and not any(
                    option.get("format") == "date" for option in spec.get("anyOf", [])):
                found.append(f"specify-format-for-date: {name}.{field}")
    return found


@pytest.fixture
def api(make_user):
    """A client with an API key per role: api(Role.GEMEENTE) → (client, user)."""
    from regiekamer.providers.models import Provider

    own_provider = Provider.objects.filter(declaration_lines__isnull=False).order_by("agb_code").first().agb_code

    def client_for(role: Role, name: str = ""):
        user = make_user(f"api-{role.value}{name}", role, municipality=OWN if role in (Role.GEMEENTE, Role.TOEGANG)
                         else None, provider=own_provider if role is Role.AANBIEDER else None)
        return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'test')}"), user

    client_for.own_provider = own_provider
    return client_for


def test_the_openapi_document_keeps_to_the_dutch_api_design_rules(client, demo_region):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert design_rule_violations(document) == []
    assert set(document["paths"]) == {
        "/gemeenten", "/gemeenten/{gemeente}/kengetallen", "/gemeenten/{gemeente}/budgetten",
        "/gemeenten/{gemeente}/declaratieregels", "/gemeenten/{gemeente}/toewijzingen",
        "/aanbieders/{aanbieder}/declaratieregels", "/aanbieders/{aanbieder}/toewijzingen"}
    # The check itself can fail: a trailing slash, a snake_case parameter and a missing header are caught.
    broken = copy.deepcopy(document)
    broken["paths"]["/gemeenten/"] = broken["paths"].pop("/gemeenten")
    broken["paths"]["/gemeenten/{gemeente}/kengetallen"]["get"]["parameters"][1]["name"] = "per_segment"
    del broken["paths"]["/gemeenten/{gemeente}/budgetten"]["get"]["responses"]["200"]["headers"]
    assert sorted(design_rule_violations(broken)) == [
        "no-trailing-slash: /gemeenten/",
        "query-keys-camel-case: per_segment in /gemeenten/{gemeente}/kengetallen",
        "version-header: 200 van get /gemeenten/{gemeente}/budgetten",
    ]


def test_without_a_key_or_with_a_revoked_key_the_api_says_401_as_a_problem(api):
    anonymous = Client().get("/api/v1/gemeenten")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"
    assert anonymous.json()["status"] == 401 and anonymous["API-Version"] == "1.0.0"
    client, user = api(Role.GEMEENTE)
    assert client.get("/api/v1/gemeenten").status_code == 200
    user.api_tokens.update(revoked=True)
    assert client.get("/api/v1/gemeenten").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer niet-bestaand").get("/api/v1/gemeenten").status_code == 401


def test_municipal_staff_see_their_own_municipality_and_nothing_else(api):
    from regiekamer.monitoring.figures import overview
    from regiekamer.regions.models import Municipality

    client, _ = api(Role.GEMEENTE)
    response = client.get("/api/v1/gemeenten")
    assert response.json() == [{"gemeente": OWN, "naam": "Dordrecht"}] and response["API-Version"] == "1.0.0"
    figures = client.get(f"/api/v1/gemeenten/{OWN}/kengetallen?jaar=2024").json()
    municipality = Municipality.objects.get(cbs_code=OWN)
    expected = next(row for row in overview(municipality.region, 2024).rows if row.municipality == municipality)
    total = next(f for f in figures["kengetallen"] if f["segment"] == "")
    assert (total["clientenInZorg"], total["uitgavenCent"]) == (expected.total.clients_in_care,
                                                                expected.total.spending_cents)
    assert {d["id"] for d in figures["definities"]} >= {"clienten-in-zorg", "uitgaven"}
    foreign = client.get("/api/v1/gemeenten/0482/declaratieregels?jaar=2024")
    assert foreign.status_code == 404 and foreign["Content-Type"] == "application/problem+json"
    assert "0482" in foreign.json()["detail"] and foreign.json()["instance"] == "/api/v1/gemeenten/0482/declaratieregels"
    assert client.get(f"/api/v1/aanbieders/{api.own_provider}/toewijzingen?jaar=2024").status_code == 403


def test_a_provider_sees_its_own_lines_and_assignments_only(api):
    from regiekamer.providers.models import Provider

    client, _ = api(Role.AANBIEDER)
    lines = client.get(f"/api/v1/aanbieders/{api.own_provider}/declaratieregels?jaar=2024&paginaGrootte=1000").json()
    assert lines["aantal"] > 0 and {line["aanbieder"] for line in lines["regels"]} == {api.own_provider}
    assignments = client.get(f"/api/v1/aanbieders/{api.own_provider}/toewijzingen?jaar=2024").json()
    assert assignments["aantal"] > 0
    assert {a["aanbieder"] for a in assignments["toewijzingen"]} == {api.own_provider}
    other = Provider.objects.exclude(agb_code=api.own_provider).order_by("agb_code").first().agb_code
    assert client.get(f"/api/v1/aanbieders/{other}/declaratieregels?jaar=2024").status_code == 404
    assert client.get(f"/api/v1/gemeenten/{OWN}/declaratieregels?jaar=2024").status_code == 403
    assert client.get("/api/v1/gemeenten").status_code == 403


def test_paging_through_lines_gives_every_line_once_and_the_total_reconciles(api):
    from regiekamer.declarations.models import DeclarationLine

    client, user = api(Role.REGIO)
    url = f"/api/v1/gemeenten/{OWN}/declaratieregels?jaar=2024&paginaGrootte=250"
    seen, net, pages = Counter(), 0, 0
    while url:
        page = client.get(url).json()
        pages += 1
        seen.update((line["aanbieder"], line["referentie"], line["status"]) for line in page["regels"])
        net += sum((1 if line["debetCredit"] == "D" else -1) * line["bedragCent"] for line in page["regels"]
                   if line["status"] == "toegekend")
        url = page["_links"]["next"]["href"] if page["_links"]["next"] else None
    lines = DeclarationLine.objects.filter(municipality__cbs_code=OWN, period_start__year=2024)
    assert seen == Counter(lines.values_list("provider__agb_code", "reference", "status"))
    assert seen.total() == page["aantal"] and pages > 1
    assert net == page["nettoBedragToegekendCent"] == lines.accepted().net_cents()
    # Reading client-level rows through the API is in the inzagelog, a line per page, without a BSN.
    events = AuditEvent.objects.filter(user=user)
    assert events.count() == pages and all(e.action == AuditEvent.Action.EXPORT for e in events)
    assert sum(e.records for e in events) == seen.total()


def test_invalid_parameters_are_a_400_problem_naming_the_parameter(api):
    client, _ = api(Role.REGIO)
    response = client.get(f"/api/v1/gemeenten/{OWN}/declaratieregels?jaar=twintig")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == ["jaar"]
    assert client.get(f"/api/v1/gemeenten/{OWN}/toewijzingen?jaar=2024&paginaGrootte=100000").status_code == 400


def test_token_create_prints_a_key_that_works_once_and_revoke_ends_it(make_user, monkeypatch):
    from regiekamer.cli import main

    monkeypatch.setattr("regiekamer.cli._migrate", lambda: None)  # the test database is migrated already
    make_user("bi-koppeling", Role.REGIO)
    result = CliRunner().invoke(main, ["token", "create", "bi-koppeling", "--name", "koppeling BI"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/gemeenten").status_code == 200
    assert CliRunner().invoke(main, ["token", "revoke", key[:8]]).exit_code == 0
    assert client.get("/api/v1/gemeenten").status_code == 401
    assert CliRunner().invoke(main, ["token", "create", "onbekend", "--name", "x"]).exit_code != 0
