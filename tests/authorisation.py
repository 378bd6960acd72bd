"""The authorisation matrix: every URL pattern × every role × an own and a foreign tenant.

`RULES` says, per URL name, how to build its URL for a municipality, which roles may open it, and how the
tenant shows (in the path, in a parameter, or only in the content). `violations()` tries them all and lists
every page that shows a user something outside its scope. A URL pattern without a rule is a violation too, so
a new view cannot slip past the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from regiekamer.access.models import Role
from regiekamer.access.scope import ALL_ROLES, MUNICIPAL_DATA, REGIONAL_ONLY

OWN, FOREIGN = "0505", "0482"  # Dordrecht and Alblasserdam in the demo region
NOT_ALLOWED = {302, 403, 404}
SKIP = {"login", "logout", "oidc_authentication_init", "oidc_authentication_callback"}  # public (sign-in);
# the admin (/beheer/) has Django's own staff check, tested separately


@dataclass(frozen=True)
class Rule:
    url: Callable[[str], str]
    roles: tuple[Role, ...]


RULES: dict[str, Rule] = {
    "dashboard": Rule(lambda m: "/?jaar=2024", MUNICIPAL_DATA),
    "definitions": Rule(lambda m: "/definities/", ALL_ROLES),
    "spending-lines": Rule(lambda m: f"/uitgaven/{m}/2024/", MUNICIPAL_DATA),
    "budget-monitor": Rule(lambda m: f"/budget/?jaar=2025&peildatum=2025-07-25&gemeente={m}", MUNICIPAL_DATA),
    "scenarios": Rule(lambda m: "/scenario/?segment=4&jaar=2024", REGIONAL_ONLY),
}


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


def _foreign_markers(html: str, role: Role, own_provider: str, municipalities: list[str], providers: list[str]
                     ) -> list[str]:
    found = []
    if role in (Role.GEMEENTE, Role.TOEGANG):
        found += [code for code in municipalities if code != OWN and f'data-gemeente="{code}"' in html]
    if role is Role.AANBIEDER:
        found += [agb for agb in providers if agb != own_provider and f'data-aanbieder="{agb}"' in html]
        found += [code for code in municipalities if f'data-gemeente="{code}"' in html]
    return found


def violations(client_for: Callable[[Role], object], own_provider: str, municipalities: list[str],
               providers: list[str], rules: dict[str, Rule] = RULES) -> list[str]:
    problems = [f"{name}: geen autorisatieregel" for name in url_names() if name not in rules]
    for role in Role:
        client = client_for(role)
        for name, rule in rules.items():
            if name not in url_names():
                continue
            for tenant in (OWN, FOREIGN):
                url = rule.url(tenant)
                response = client.get(url)
                status = response.status_code
                own_only = role in (Role.GEMEENTE, Role.TOEGANG, Role.AANBIEDER)
                if role not in rule.roles:
                    if status not in NOT_ALLOWED:
                        problems.append(f"{name} {url} {role.value}: {status}, verwacht 403/404")
                    continue
                if tenant == FOREIGN and own_only and url != rule.url(OWN):
                    if status not in NOT_ALLOWED:
                        problems.append(f"{name} {url} {role.value}: andere gemeente geeft {status}")
                    continue
                if status != 200:
                    problems.append(f"{name} {url} {role.value}: {status}, verwacht 200")
                    continue
                leaks = _foreign_markers(response.content.decode(), role, own_provider, municipalities, providers)
                if leaks:
                    problems.append(f"{name} {url} {role.value}: toont gegevens van {', '.join(sorted(leaks))}")
    return problems
