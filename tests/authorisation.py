"""The authorisation matrix: every URL pattern × every role × an own and a foreign tenant.

`RULES` says, per URL name, how to build its URL for a municipality, which roles may open it, and how the
tenant shows (in the path, in a parameter, or only in the content). `violations()` tries them all and lists
every page that shows a user something outside its scope. A URL pattern without a rule is a violation too, so
a new view cannot slip past the matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from regiekamer.access.models import Role
from regiekamer.access.scope import ALL_ROLES, MUNICIPAL_DATA, REGIONAL_ONLY

OWN, FOREIGN = "0505", "0482"  # Dordrecht and Alblasserdam in the demo region
NOT_ALLOWED = {302, 403, 404}
SKIP = {"login", "logout", "oidc_authentication_init", "oidc_authentication_callback"}  # public (sign-in);
# the admin (/beheer/) has Django's own staff check, tested separately
SKIP.add("api-root")  # /api/v1/ itself: always 404 (it only marks the API's base path)
SKIP.add("start")  # after sign-in: only redirects to the first page of the role, shows nothing itself


@dataclass(frozen=True)
class Rule:
    """`url(tenant)` builds the URL for a tenant: a municipality's CBS code, or with `by_provider` a provider's
    AGB code (the API's /aanbieders/… routes, where a provider is the tenant).

    A page with a form that changes something declares `post`: a valid form body, or a list of them for a page
    with several forms. Every role outside `posters` posts each and must be refused (403/404), so a role that may
    read a page still cannot act on it."""

    url: Callable[[str], str]
    roles: tuple[Role, ...]
    by_provider: bool = False
    post: Callable[[], dict[str, str] | list[dict[str, str]]] | None = None
    posters: tuple[Role, ...] = ()


BY_PROVIDER = (*REGIONAL_ONLY, Role.AANBIEDER)
DECIDERS = (Role.REGIO, Role.BEHEERDER)  # the regional roles that act on tenders; the auditor only reads


def _tender_rule(path: str, post: Callable[[], dict[str, str] | list[dict[str, str]]] | None = None) -> Rule:
    return Rule(lambda m: f"/aanbestedingen/{_a_tender()}/{path}", REGIONAL_ONLY, post=post,
                posters=DECIDERS if post else ())


RULES: dict[str, Rule] = {
    "dashboard": Rule(lambda m: "/?jaar=2024", MUNICIPAL_DATA),
    "definitions": Rule(lambda m: "/definities/", ALL_ROLES),
    "spending-lines": Rule(lambda m: f"/uitgaven/{m}/2024/", MUNICIPAL_DATA),
    "budget-monitor": Rule(lambda m: f"/budget/?jaar=2025&peildatum=2025-07-25&gemeente={m}", MUNICIPAL_DATA),
    "scenarios": Rule(lambda m: "/scenario/?segment=4&jaar=2024", REGIONAL_ONLY),
    "strategy-overview": Rule(lambda m: "/strategie/", REGIONAL_ONLY),
    "tender-list": Rule(lambda m: "/aanbestedingen/", REGIONAL_ONLY),
    "tender-create": Rule(lambda m: "/aanbestedingen/nieuw/", REGIONAL_ONLY, posters=DECIDERS, post=lambda: {
        "perceel": "4b", "gepubliceerd": "2025-03-01", "sluiting": "2025-04-15"}),
    "tender-detail": _tender_rule(""),
    "tender-setup": _tender_rule("opzetten/", post=lambda: [
        {"actie": "criterium", "code": "MATRIX", "naam": "Matrix", "weging": "10"},
        {"actie": "eis", "code": "EIS-MATRIX", "soort": "max-afstand-km", "grens": "10"},
        {"actie": "eis-verwijderen", "code": "EIS-CLIENTEN"}, {"actie": "criterium-verwijderen", "code": "MATRIX"}]),
    "tender-bid": _tender_rule("inschrijven/", post=lambda: {"aanbieder": str(_a_provider_id()),
                                                             "ontvangen": "2025-04-01T09:00"}),
    "tender-score": _tender_rule("beoordelen/", post=lambda: {}),
    "tender-consensus": _tender_rule("consensus/", post=lambda: {}),
    "tender-ranking": Rule(lambda m: f"/aanbestedingen/{_a_tender()}/rangorde/?keuze=1&winnaar=x", REGIONAL_ONLY),
    "tender-award": _tender_rule("gunning/", post=lambda: {"besluitdatum": "2025-06-02"}),
    "tender-ocds": _tender_rule("ocds.json"),
    "contract-list": Rule(lambda m: "/contracten/?peildatum=2025-07-01", REGIONAL_ONLY),
    "contract-detail": Rule(lambda m: f"/contracten/{_a_contract()}/?peildatum=2025-07-01", REGIONAL_ONLY),
    "kpi-overview": Rule(lambda m: f"/kengetallen/?jaar=2024&per=municipality&gemeente={m}", MUNICIPAL_DATA),
    "kpi-records": Rule(lambda m: f"/kengetallen/clienten-in-zorg/onderbouwing/?jaar=2024&gemeente={m}",
                        MUNICIPAL_DATA),
    "council-report": Rule(lambda m: f"/raadsrapportage/{m}/2024/", MUNICIPAL_DATA),
    "council-report-pdf": Rule(lambda m: f"/raadsrapportage/{m}/2024/pdf/", MUNICIPAL_DATA),
    "provider-list": Rule(lambda m: "/aanbieders/", BY_PROVIDER),
    "provider-detail": Rule(lambda a: f"/aanbieders/{a}/?jaar=2024", BY_PROVIDER, by_provider=True),
    "provider-mirror": Rule(lambda a: f"/aanbieders/{a}/spiegel/?jaar=2024", BY_PROVIDER, by_provider=True),
    "client-search": Rule(lambda m: "/clienten/zoeken/", (Role.TOEGANG,)),
    "client-detail": Rule(lambda m: f"/clienten/{_a_client_of(m)}/", MUNICIPAL_DATA),
    # The REST API: the same scoping, as JSON.
    "openapi-json": Rule(lambda m: "/api/v1/openapi.json", ALL_ROLES),
    "openapi-view": Rule(lambda m: "/api/v1/docs", ALL_ROLES),
    "api-gemeenten": Rule(lambda m: "/api/v1/gemeenten", MUNICIPAL_DATA),
    "api-kengetallen": Rule(lambda m: f"/api/v1/gemeenten/{m}/kengetallen?jaar=2024", MUNICIPAL_DATA),
    "api-budgetten": Rule(lambda m: f"/api/v1/gemeenten/{m}/budgetten?jaar=2025&peildatum=2025-07-25",
                          MUNICIPAL_DATA),
    "api-gemeente-declaratieregels": Rule(lambda m: f"/api/v1/gemeenten/{m}/declaratieregels?jaar=2024",
                                          MUNICIPAL_DATA),
    "api-gemeente-toewijzingen": Rule(lambda m: f"/api/v1/gemeenten/{m}/toewijzingen?jaar=2024", MUNICIPAL_DATA),
    "api-aanbieder-declaratieregels": Rule(lambda a: f"/api/v1/aanbieders/{a}/declaratieregels?jaar=2024",
                                           BY_PROVIDER, by_provider=True),
    "api-aanbieder-toewijzingen": Rule(lambda a: f"/api/v1/aanbieders/{a}/toewijzingen?jaar=2024", BY_PROVIDER,
                                       by_provider=True),
}


def _a_client_of(cbs_code: str) -> str:
    from regiekamer.care.models import Client

    return Client.objects.filter(municipality__cbs_code=cbs_code).order_by("id").values_list("pseudonym",
                                                                                              flat=True).first()


def _a_tender() -> int:
    """A tender of the demo region (an empty one is made when there is none yet)."""
    from datetime import date

    from regiekamer.tenders.models import Tender
    from regiekamer.tenders.service import create_tender

    tender = Tender.objects.order_by("id").first() or create_tender("zuid-holland-zuid", "4b", date(2025, 3, 1),
                                                                    date(2025, 4, 15))
    return tender.pk


def _a_contract() -> int:
    from regiekamer.contracts.models import Contract

    return Contract.objects.filter(region__code="zuid-holland-zuid").order_by("id").values_list("id", flat=True)[0]


def _a_provider_id() -> int:
    from regiekamer.providers.models import Provider

    return Provider.objects.filter(contracts__region__code="zuid-holland-zuid").order_by("agb_code").values_list(
        "id", flat=True)[0]


def url_names(patterns=None, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            names += url_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIP:
            names.append(entry.name)
    return names


JSON_MUNICIPALITY = re.compile(r'"gemeente":\s*"(\d{4})"')
JSON_PROVIDER = re.compile(r'"aanbieder":\s*"(\d{8})"')


def _foreign_markers(content: str, role: Role, own_provider: str, municipalities: list[str], providers: list[str]
                     ) -> list[str]:
    """Tenants on a page (data-gemeente / data-aanbieder attributes) or in an API answer ("gemeente" /
    "aanbieder" members) that the role may not see. A provider may see which municipality a line of its own
    went to (in the API), but no municipality's pages."""
    found = []
    shown_municipalities = {code for code in municipalities if f'data-gemeente="{code}"' in content}
    shown_providers = {agb for agb in providers if f'data-aanbieder="{agb}"' in content}
    shown_providers |= set(JSON_PROVIDER.findall(content))
    if role in (Role.GEMEENTE, Role.TOEGANG):
        shown_municipalities |= set(JSON_MUNICIPALITY.findall(content))
        found += [code for code in shown_municipalities if code != OWN]
    if role is Role.AANBIEDER:
        found += [agb for agb in shown_providers if agb != own_provider]
        found += list(shown_municipalities)
    return found


def unruled(rules: dict[str, Rule] = RULES) -> list[str]:
    """Every URL pattern without a rule: a new view cannot slip past the matrix."""
    return [f"{name}: geen autorisatieregel" for name in url_names() if name not in rules]


def violations(client_for: Callable[[Role], object], own_provider: str, municipalities: list[str],
               providers: list[str], rules: dict[str, Rule] = RULES) -> list[str]:
    problems = unruled(rules)
    names = set(url_names())
    foreign_provider = next(agb for agb in providers if agb != own_provider)
    for role in Role:
        client = client_for(role)
        for name, rule in rules.items():
            if name not in names:
                continue
            own, foreign = (own_provider, foreign_provider) if rule.by_provider else (OWN, FOREIGN)
            for tenant in (own, foreign):
                url = rule.url(tenant)
                response = client.get(url)
                status = response.status_code
                own_only = role in (Role.GEMEENTE, Role.TOEGANG, Role.AANBIEDER)
                if role not in rule.roles:
                    if status not in NOT_ALLOWED:
                        problems.append(f"{name} {url} {role.value}: {status}, verwacht 403/404")
                    continue
                if tenant == foreign and own_only and url != rule.url(own):
                    if status not in NOT_ALLOWED:
                        problems.append(f"{name} {url} {role.value}: andere {'aanbieder' if rule.by_provider else 'gemeente'} geeft {status}")
                    continue
                if status != 200:
                    problems.append(f"{name} {url} {role.value}: {status}, verwacht 200")
                    continue
                content = response.content.decode(errors="replace")  # a PDF is bytes; its markers would be text
                leaks = _foreign_markers(content, role, own_provider, municipalities, providers)
                if leaks:
                    problems.append(f"{name} {url} {role.value}: toont gegevens van {', '.join(sorted(leaks))}")
            if rule.post is not None and role not in rule.posters:
                url = rule.url(own)
                bodies = rule.post()
                for body in bodies if isinstance(bodies, list) else [bodies]:
                    status = client.post(url, body).status_code
                    if status not in NOT_ALLOWED:
                        what = " ".join(filter(None, (name, "POST", url, role.value, body.get("actie"))))
                        problems.append(f"{what}: {status}, verwacht 403/404")
    return problems
