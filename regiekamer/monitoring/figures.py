"""The dashboard's figures per municipality and segment for one year, computed in the database."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Count, Q, Sum

from regiekamer.care.models import CareEpisode
from regiekamer.core.money import divide_cents
from regiekamer.declarations.models import DeclarationLine, signed_amount
from regiekamer.monitoring.facts_cache import data_version, remembered
from regiekamer.regions.models import Municipality, Region
from regiekamer.segments.models import Segment


@dataclass
class Cell:
    clients_in_care: int = 0
    spending_cents: int = 0
    clients_with_spending: int = 0

    @property
    def cost_per_client_cents(self) -> int | None:
        if self.clients_with_spending == 0:
            return None
        return divide_cents(self.spending_cents, self.clients_with_spending)


@dataclass
class Row:
    municipality: Municipality
    cells: dict[str, Cell] = field(default_factory=dict)  # by segment code
    total: Cell = field(default_factory=Cell)


@dataclass
class Overview:
    region: Region
    year: int
    segments: list[Segment]
    rows: list[Row]
    total: Cell  # of the whole region

    def only(self, municipality_ids: frozenset[int] | None) -> Overview:
        """The rows of these municipalities (None: all); the region total stays as it is."""
        if municipality_ids is None:
            return self
        return replace(self, rows=[row for row in self.rows if row.municipality.id in municipality_ids])


def _episodes_in_year(year: int):
    start, end = date(year, 1, 1), date(year, 12, 31)
    return CareEpisode.objects.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)


def overview(region: Region, year: int) -> Overview:
    """The figures per municipality and segment, and the region total."""
    segments = list(Segment.objects.filter(region=region).order_by("code"))
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    rows = {m.id: Row(m, {s.code: Cell() for s in segments}) for m in municipalities}
    codes = {s.id: s.code for s in segments}
    episodes = _episodes_in_year(year).filter(municipality__in=municipalities)
    for item in episodes.values("municipality_id", "product__segment_id").annotate(n=Count("client_id", distinct=True)):
        rows[item["municipality_id"]].cells[codes[item["product__segment_id"]]].clients_in_care = item["n"]
    for item in episodes.values("municipality_id").annotate(n=Count("client_id", distinct=True)):
        rows[item["municipality_id"]].total.clients_in_care = item["n"]
    lines = DeclarationLine.objects.accepted().in_year(year).filter(municipality__in=municipalities)
    for item in lines.values("municipality_id", "product__segment_id").annotate(
            cents=Sum(signed_amount()), n=Count("client_id", distinct=True)):
        cell = rows[item["municipality_id"]].cells[codes[item["product__segment_id"]]]
        cell.spending_cents, cell.clients_with_spending = item["cents"] or 0, item["n"]
    for item in lines.values("municipality_id").annotate(cents=Sum(signed_amount()), n=Count("client_id", distinct=True)):
        total = rows[item["municipality_id"]].total
        total.spending_cents, total.clients_with_spending = item["cents"] or 0, item["n"]
    region_total = Cell(
        clients_in_care=episodes.aggregate(n=Count("client_id", distinct=True))["n"],
        spending_cents=lines.aggregate(cents=Sum(signed_amount()))["cents"] or 0,
        clients_with_spending=lines.aggregate(n=Count("client_id", distinct=True))["n"],
    )
    return Overview(region, year, segments, list(rows.values()), region_total)


def available_years(region: Region) -> list[int]:
    years = DeclarationLine.objects.filter(municipality__region=region).dates("period_start", "year")
    return sorted({d.year for d in years})


def region_years(region: Region) -> list[int]:
    return remembered((data_version(), "years", region.id), lambda: available_years(region))


def region_overview(region: Region, year: int) -> Overview:
    """`overview`, computed once per data version for every user and server process (monitoring.facts_cache);
    each user sees the rows of their own municipalities (`Overview.only`)."""
    return remembered((data_version(), "overview", region.id, year), lambda: overview(region, year))
