"""Dashboard pages: thin views over monitoring.figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from regiekamer.access.models import AuditEvent
from regiekamer.access.scope import ALL_ROLES, MUNICIPAL_DATA, requires
from regiekamer.declarations.models import DeclarationLine
from regiekamer.monitoring.definitions import DEFINITIONS
from regiekamer.monitoring.facts_cache import data_version, remembered
from regiekamer.monitoring.figures import region_overview, region_years
from regiekamer.monitoring.kpis import KPIS, SMALL_CELL
from regiekamer.regions.models import Municipality, Region
from regiekamer.segments.models import Segment


@requires(*MUNICIPAL_DATA)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = request.scope
    regions = list(Region.objects.filter(id=scope.region_id))
    if not regions:
        return render(request, "monitoring/empty.html")
    region = regions[0]
    if request.GET.get("regio") and request.GET["regio"] != region.code:
        raise Http404("onbekende regio")
    years = region_years(region)
    year = years[-1] if years else None
    if request.GET.get("jaar"):
        try:
            year = int(request.GET["jaar"])
        except ValueError:
            raise Http404("ongeldig jaar") from None
    data = region_overview(region, year).only(scope.municipality_ids) if year else None
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
        "show_region_total": scope.regional,
        "segment_code": segment_code,
        "segment": next((s for s in data.segments if s.code == segment_code), None) if data else None,
    }
    return render(request, "monitoring/dashboard.html", context)


@requires(*ALL_ROLES)
def definitions(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/definitions.html", {"definitions": DEFINITIONS, "kpis": KPIS,
                                                            "small_cell": SMALL_CELL})


DRILL_PAGE = 100  # lines per page of a drill-down


@dataclass(frozen=True)
class SpendingLines:
    """One page of the accepted declaration lines behind a spending figure, with the figure itself."""

    total_cents: int  # of all the lines, debit minus credit
    count: int  # all the lines
    page: int  # 1 is the first
    rows: int  # on this page
    table: SafeString  # this page's rows as table rows, rendered once for everyone

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // DRILL_PAGE))

    @property
    def first(self) -> int:
        return (self.page - 1) * DRILL_PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * DRILL_PAGE + self.rows


def spending_figure(municipality: Municipality, year: int, segment: Segment | None, page: int = 1) -> SpendingLines:
    """The net amount and number of the accepted lines behind one spending figure, and page `page` of those
    lines. Everyone who may see the municipality sees the same lines, so one computed page serves them all."""
    lines = DeclarationLine.objects.accepted().in_year(year).filter(municipality=municipality)
    if segment is not None:
        lines = lines.filter(product__segment=segment)
    key = (data_version(), "spending-lines", municipality.id, year, segment.id if segment else None)
    total, count = remembered(key, lambda: (lines.net_cents(), lines.count()))

    def read() -> tuple[int, SafeString]:
        offset = (page - 1) * DRILL_PAGE
        rows = list(lines.order_by("period_start", "provider__name", "reference", "id")
                    .values("reference", "provider__name", "provider__agb_code", "client__pseudonym", "product_code",
                            "period_start", "period_end", "volume", "unit", "tariff_cents", "amount_cents",
                            "debit_credit", "declaration__number")[offset:offset + DRILL_PAGE])
        return len(rows), render_to_string("monitoring/_spending_rows.html", {"rows": rows})  # escaped, safe

    return SpendingLines(total, count, page, *remembered((*key, page), read))


@requires(*MUNICIPAL_DATA)
def spending_lines(request: HttpRequest, cbs_code: str, year: int) -> HttpResponse:
    """The accepted declaration lines behind one spending figure (clients by pseudonym). Viewing them is logged."""
    scope = request.scope
    municipality = get_object_or_404(scope.municipalities(), cbs_code=cbs_code)
    segment = None
    if request.GET.get("segment"):
        segment = get_object_or_404(Segment, region=municipality.region, code=request.GET["segment"])
    page = request.GET.get("pagina", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("ongeldige pagina")
    shown = spending_figure(municipality, year, segment, int(page))
    if shown.page > shown.pages:
        raise Http404("die pagina is er niet")
    AuditEvent.objects.create(user=request.user, action=AuditEvent.Action.VIEW, records=shown.rows,
                              what=f"declaratieregels {municipality.cbs_code} {year}"
                                   + (f" segment {segment.code}" if segment else "") + f" pagina {shown.page}")
    return render(request, "monitoring/spending_lines.html", {
        "municipality": municipality, "year": year, "segment": segment, "lines": shown,
        "segment_query": f"segment={segment.code}&" if segment else "",
    })
