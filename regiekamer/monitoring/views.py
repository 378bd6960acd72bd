"""Dashboard pages: thin views over monitoring.figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from regiekamer.monitoring.definitions import DEFINITIONS
from regiekamer.monitoring.figures import available_years, overview
from regiekamer.regions.models import Region


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
