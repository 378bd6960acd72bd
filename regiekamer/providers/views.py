"""Provider pages: a provider sees only itself; regional roles see every contracted provider."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from regiekamer.access.models import AuditEvent, Role
from regiekamer.access.scope import REGIONAL_ONLY, requires
from regiekamer.budgets.charts import spread_strip
from regiekamer.care.models import Assignment
from regiekamer.declarations.models import DeclarationLine
from regiekamer.monitoring.facts_cache import facts_for
from regiekamer.monitoring.kpi_report import formatted
from regiekamer.monitoring.kpis import Period
from regiekamer.providers.mirror import MIN_PEERS, mirror
from regiekamer.providers.overview import provider_year, running_in

BY_PROVIDER = (*REGIONAL_ONLY, Role.AANBIEDER)
SHOWN_ASSIGNMENTS = 200
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@requires(*BY_PROVIDER)
def provider_list(request: HttpRequest) -> HttpResponse:
    return render(request, "providers/list.html", {"providers": request.scope.providers().order_by("name")})


def _year(request: HttpRequest, years: list[int]) -> int | None:
    if not request.GET.get("jaar"):
        return years[-1] if years else None
    try:
        return int(request.GET["jaar"])
    except ValueError:
        raise Http404("ongeldig jaar") from None


@requires(*BY_PROVIDER)
def provider_detail(request: HttpRequest, agb_code: str) -> HttpResponse:
    scope = request.scope
    provider = get_object_or_404(scope.providers(), agb_code=agb_code)
    lines = scope.lines(DeclarationLine.objects.filter(provider=provider))
    assignments = scope.lines(Assignment.objects.filter(provider=provider))
    years = sorted({d.year for d in lines.dates("period_start", "year")})
    year = _year(request, years)
    overview = provider_year(lines, assignments, year) if year else None
    shown = []
    if year:
        shown = list(running_in(assignments, year).select_related("client", "product", "municipality")
                     .order_by("-start", "number")[:SHOWN_ASSIGNMENTS])
        AuditEvent.objects.create(user=request.user, action=AuditEvent.Action.VIEW, records=len(shown),
                                  what=f"toewijzingen aanbieder {provider.agb_code} {year}")
    return render(request, "providers/detail.html", {
        "provider": provider, "years": years, "year": year, "overview": overview, "assignments": shown,
        "limit": SHOWN_ASSIGNMENTS, "month_names": MONTHS,
    })


@requires(*BY_PROVIDER)
def provider_mirror(request: HttpRequest, agb_code: str) -> HttpResponse:
    """The provider's figures per segment against the anonymous spread of its peers."""
    scope = request.scope
    provider = get_object_or_404(scope.providers(), agb_code=agb_code)
    facts = facts_for(scope.region_id)
    years = sorted({d.year for d in DeclarationLine.objects.filter(provider=provider).dates("period_start", "year")})
    year = _year(request, years)
    segments = mirror(facts, Period.of(year), provider.agb_code) if year else []
    rows = [(segment, [(row, formatted(_as_row(row.kpi, row.own)),
                        {name: formatted(_as_row(row.kpi, getattr(row.spread, name))) for name in SPREAD}
                        if row.spread else None,
                        spread_strip(*(getattr(row.spread, name) for name in SPREAD), row.own) if row.spread else "")
                       for row in segment.rows]) for segment in segments]
    return render(request, "providers/mirror.html", {
        "provider": provider, "years": years, "year": year, "segments": rows, "min_peers": MIN_PEERS,
    })


SPREAD = ("lowest", "first_quartile", "median", "third_quartile", "highest")


def _as_row(kpi, value) -> dict:
    return {"value": value, "unit": kpi.unit, "suppressed": False}
