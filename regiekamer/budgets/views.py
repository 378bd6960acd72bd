"""Budget monitoring pages: a thin view over budgets.monitor."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from regiekamer.access.scope import MUNICIPAL_DATA, REGIONAL_ONLY, requires
from regiekamer.budgets import monitor as budget_monitor
from regiekamer.budgets.charts import budget_bullet
from regiekamer.budgets.models import Budget
from regiekamer.monitoring.facts_cache import data_version, remembered

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def _as_of(request: HttpRequest) -> date:
    value = request.GET.get("peildatum")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("ongeldige peildatum") from None


# Computed once per data version and choice for all users and server processes (monitoring.facts_cache); each
# user then sees the municipalities of their scope.


def budget_lines(year: int, as_of: date) -> list[budget_monitor.BudgetLine]:
    return remembered((data_version(), "budget", year, as_of), lambda: budget_monitor.monitor(year, as_of, None))


def ceiling_lines(year: int, as_of: date) -> list[budget_monitor.CeilingLine]:
    return remembered((data_version(), "ceilings", year, as_of), lambda: budget_monitor.ceilings(year, as_of))


def scenario_outcomes(segment_code: str, year: int) -> list:
    from regiekamer.settlements.scenarios import compare

    return remembered((data_version(), "scenarios", segment_code, year), lambda: compare(segment_code, year))


@requires(*MUNICIPAL_DATA)
def monitor(request: HttpRequest) -> HttpResponse:
    years = sorted(set(Budget.objects.values_list("year", flat=True)))
    if not years:
        return render(request, "monitoring/empty.html")
    as_of = _as_of(request)
    year = max((y for y in years if y <= as_of.year), default=years[-1])
    if request.GET.get("jaar"):
        try:
            year = int(request.GET["jaar"])
        except ValueError:
            raise Http404("ongeldig jaar") from None
    scope = request.scope
    allowed = set(scope.municipalities().values_list("cbs_code", flat=True))
    lines = [b for b in budget_lines(year, as_of) if b.municipality in allowed]
    ceilings = ceiling_lines(year, as_of) if scope.regional else []
    ceiling_rows = [{"line": c, "chart": budget_bullet(c.ceiling_cents, c.realised_cents, c.forecast.point_cents,
                                                       c.forecast.low_cents, c.forecast.high_cents),
                     "crossing": MONTHS[c.crossing_month - 1] if c.crossing_month else ""}
                    for c in ceilings]
    municipalities = sorted({(b.municipality, b.municipality_name) for b in lines}, key=lambda m: m[1])
    chosen = request.GET.get("gemeente", "")
    if chosen and chosen not in {code for code, _ in municipalities}:
        raise Http404("onbekende gemeente")
    if not chosen and not scope.regional and municipalities:
        chosen = municipalities[0][0]  # municipal staff: their own municipality
    shown = [b for b in lines if not chosen or b.municipality == chosen]
    rows = [{"line": b, "chart": budget_bullet(b.budget_cents, b.realised_cents, b.forecast.point_cents,
                                                b.forecast.low_cents, b.forecast.high_cents),
             "crossing": MONTHS[b.crossing_month - 1] if b.crossing_month else ""} for b in shown]
    totals = {name: sum(getattr(b, name) or 0 for b in shown) for name in ("budget_cents", "realised_cents",
                                                                             "committed_cents")}
    totals["forecast_cents"] = sum(b.forecast.point_cents for b in shown)
    months = shown[0].forecast.months if shown else 0
    return render(request, "budgets/monitor.html", {
        "years": years, "year": year, "as_of": as_of, "municipalities": municipalities, "chosen": chosen,
        "rows": rows, "totals": totals, "ceiling_rows": ceiling_rows, "months": months, "alerts": sum(1 for r in rows if r["crossing"]),
        "definitions": budget_monitor.DEFINITIONS,
    })


@requires(*REGIONAL_ONLY)
def scenarios(request: HttpRequest) -> HttpResponse:
    """A segment's year replayed under other funding models, side by side (settlements.scenarios)."""
    from regiekamer.providers.models import Provider
    from regiekamer.segments.models import Segment

    segments = list(Segment.objects.order_by("code"))
    years = sorted(set(Budget.objects.values_list("year", flat=True)))
    if not segments or not years:
        return render(request, "monitoring/empty.html")
    code = request.GET.get("segment") or "4"
    segment = next((s for s in segments if s.code == code), None)
    if segment is None:
        raise Http404("onbekend segment")
    try:
        year = int(request.GET.get("jaar") or years[-1])
    except ValueError:
        raise Http404("ongeldig jaar") from None
    outcomes = scenario_outcomes(segment.code, year)
    names = dict(Provider.objects.values_list("agb_code", "name"))
    municipalities = dict(Budget.objects.values_list("municipality__cbs_code", "municipality__name").distinct())
    current = outcomes[0] if outcomes else None
    providers = sorted(current.revenue, key=lambda agb: -current.revenue[agb]) if current else []
    return render(request, "budgets/scenarios.html", {
        "segments": segments, "segment": segment, "years": years, "year": year, "outcomes": outcomes,
        "provider_rows": [(agb, names.get(agb, agb), [o.revenue.get(agb, 0) for o in outcomes]) for agb in providers],
        "municipality_rows": [(code, municipalities.get(code, code), [o.cost.get(code, 0) for o in outcomes])
                              for code in sorted({m for o in outcomes for m in o.cost},
                                                 key=lambda c: municipalities.get(c, c))],
    })
