"""Dashboard pages: thin views over monitoring.figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from regiekamer.declarations.models import DeclarationLine
from regiekamer.monitoring.definitions import DEFINITIONS
from regiekamer.monitoring.figures import available_years, overview
from regiekamer.regions.models import Municipality, Region
from regiekamer.segments.models import Segment


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    regions = list(Region.objects.order_by("name"))
    if not regions:
        return render(request, "monitoring/empty.html")
    region = regions[0]
    if request.GET.get("regio"):
        region = next((r for r in regions if r.code == request.GET["regio"]), None)
        if region is None:
            raise Http404("onbekende regio")
    years = available_years(region)
    year = years[-1] if years else None
    if request.GET.get("jaar"):
        try:
            year = int(request.GET["jaar"])
        except ValueError:
            raise Http404("ongeldig jaar") from None
    data = overview(region, year) if year else None
    segment_code = request.GET.get("segment", "")
    if data and segment_code and segment_code not in {s.code for s in data.segments}:
        raise Http404("onbekend segment")
    rows = []
    if data:
        for row in data.rows:
            rows.append((row.municipality, row.cells[segment_code] if segment_code else row.total,
                         [row.cells[s.code] for s in data.segments]))
    context = {
        "regions": regions, "region": region, "years": years, "year": year, "data": data, "rows": rows,
        "segment_code": segment_code,
        "segment": next((s for s in data.segments if s.code == segment_code), None) if data else None,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/definitions.html", {"definitions": DEFINITIONS})


DRILL_LIMIT = 500


@login_required
def spending_lines(request: HttpRequest, cbs_code: str, year: int) -> HttpResponse:
    """The accepted declaration lines behind one spending figure (clients by pseudonym)."""
    municipality = get_object_or_404(Municipality, cbs_code=cbs_code)
    lines = DeclarationLine.objects.accepted().in_year(year).filter(municipality=municipality)
    segment = None
    if request.GET.get("segment"):
        segment = get_object_or_404(Segment, region=municipality.region, code=request.GET["segment"])
        lines = lines.filter(product__segment=segment)
    total = lines.net_cents()
    rows = (lines.select_related("provider", "client", "product").order_by("period_start", "provider__name", "reference")
            .values("reference", "provider__name", "provider__agb_code", "client__pseudonym", "product_code",
                    "period_start", "period_end", "volume", "unit", "tariff_cents", "amount_cents", "debit_credit",
                    "declaration__number"))
    count = lines.count()
    return render(request, "monitoring/spending_lines.html", {
        "municipality": municipality, "year": year, "segment": segment, "total": total, "count": count,
        "rows": rows[:DRILL_LIMIT], "limit": DRILL_LIMIT,
    })
