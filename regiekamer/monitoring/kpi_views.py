"""KPI pages: the KPI set for a period with filters, every figure linked to its definition and to the
(pseudonymised) records behind it. Thin views over monitoring.kpis; the scope decides which municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from regiekamer.access.models import AuditEvent
from regiekamer.access.scope import MUNICIPAL_DATA, Scope, requires
from regiekamer.ijw.constants import REFERRER_LABELS
from regiekamer.monitoring.facts import Facts
from regiekamer.monitoring.facts_cache import data_version, facts_for, remembered
from regiekamer.monitoring.kpi_report import formatted
from regiekamer.monitoring.kpis import (
    BY_ID,
    DIMENSIONS,
    KPIS,
    THEMES,
    KpiValue,
    Period,
    compute,
    rows_behind,
    shared_work,
)
from regiekamer.regions.models import Region
from regiekamer.segments.models import Segment

SPLITS = {"": "niet uitsplitsen", "municipality": "gemeente", "segment": "segment", "provider": "aanbieder",
          "category": "productcategorie", "referrer": "verwijzer"}
RECORD_LIMIT = 500
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


@dataclass(frozen=True)
class Choice:
    """What the user asked for, checked against the scope."""

    region: Region
    period: Period
    year: int
    quarter: int | None
    month: int | None
    municipality: str
    segment: str
    split: str
    allowed: set[str]

    def facts(self) -> Facts:
        municipalities = {self.municipality} if self.municipality else self.allowed
        return facts_for(self.region.id).only(municipalities, {self.segment} if self.segment else None)

    def key(self) -> tuple:
        return (self.region.id, self.period, self.municipality, self.segment, self.split, frozenset(self.allowed))

    def query(self, **extra: str) -> str:
        from urllib.parse import urlencode

        values = {"jaar": self.year, "kwartaal": self.quarter or "", "maand": self.month or "",
                  "gemeente": self.municipality, "segment": self.segment, **extra}
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _number(request: HttpRequest, name: str, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise Http404(f"ongeldige {name}")
    return int(raw)


def _choice(request: HttpRequest, scope: Scope) -> Choice:
    region = Region.objects.filter(id=scope.region_id).first()
    if region is None:
        raise Http404("geen regio")
    allowed = set(scope.municipalities().values_list("cbs_code", flat=True))
    municipality = request.GET.get("gemeente", "")
    if municipality and municipality not in allowed:
        raise Http404("onbekende gemeente")
    segment = request.GET.get("segment", "")
    if segment and not Segment.objects.filter(region=region, code=segment).exists():
        raise Http404("onbekend segment")
    split = request.GET.get("per", "")
    if split not in SPLITS:
        raise Http404("onbekende uitsplitsing")
    year = _number(request, "jaar", 2000, 2100) or latest_year(region)
    quarter, month = _number(request, "kwartaal", 1, 4), _number(request, "maand", 1, 12)
    return Choice(region, Period.of(year, quarter, None if quarter else month), year, quarter,
                  None if quarter else month, municipality, segment, split, allowed)


def latest_year(region: Region) -> int:
    """Without a chosen year: the last year with declarations, else this year."""
    years = kpi_years(region)
    return years[-1] if years else date.today().year


def _years(facts: Facts) -> list[int]:
    starts = facts.lines["period_start"]
    if starts.is_empty():
        return []
    return list(range(starts.min().year, starts.max().year + 1))


def _label(value: KpiValue) -> str:
    """The KPI's own extra dimension of this value, for people (e.g. the referrer's name)."""
    extra = value.kpi.extra
    if extra is None:
        return ""
    raw = value.dims.get(extra) or ""
    return REFERRER_LABELS.get(raw, raw) if extra == "referrer" else raw


def _themes(facts: Facts, period: Period) -> list:
    with shared_work():
        return [(theme, [(BY_ID[i], [(v, formatted(v.as_dict()), _label(v))
                                     for v in compute(BY_ID[i], facts, period, [])]) for i in ids])
                for theme, ids in THEMES]


def _split(facts: Facts, period: Period, split: str, ids: tuple[str, ...]) -> tuple[list, list]:
    split_kpis = [BY_ID[i] for i in ids if BY_ID[i].extra is None and split in BY_ID[i].dimensions]
    by_value: dict[str, dict[str, KpiValue]] = {}
    with shared_work():
        for kpi in split_kpis:
            for value in compute(kpi, facts, period, [split]):
                by_value.setdefault(value.dims[split] or "–", {})[kpi.id] = value
    rows = [(key, [(cells.get(k.id), formatted(cells[k.id].as_dict()) if k.id in cells else "–")
                   for k in split_kpis]) for key, cells in sorted(by_value.items())]
    return split_kpis, rows


# Computed once per data version and choice for all users and server processes (monitoring.facts_cache); the
# facts are read only when a figure is not computed yet.


def theme_figures(choice: Choice) -> list:
    return remembered((data_version(), "themes", choice.key()), lambda: _themes(choice.facts(), choice.period))


def split_figures(choice: Choice, theme_name: str) -> tuple[list, list]:
    ids = dict(THEMES)[theme_name]
    return remembered((data_version(), "split", choice.key(), theme_name),
                      lambda: _split(choice.facts(), choice.period, choice.split, ids))


def kpi_years(region: Region) -> list[int]:
    return remembered((data_version(), "kpi-years", region.id), lambda: _years(facts_for(region.id)))


@requires(*MUNICIPAL_DATA)
def kpi_overview(request: HttpRequest) -> HttpResponse:
    """The figures are computed once per data version and choice, and kept (`remembered`)."""
    choice = _choice(request, request.scope)
    themes: list = []
    split_rows: list = []
    split_kpis: list = []
    theme_name = request.GET.get("thema") or THEMES[0][0]
    if theme_name not in dict(THEMES):
        raise Http404("onbekend thema")
    if not choice.split:
        themes = theme_figures(choice)
    else:
        split_kpis, split_rows = split_figures(choice, theme_name)
    years = kpi_years(choice.region)
    return render(request, "monitoring/kpis.html", {
        "choice": choice, "themes": themes, "theme_names": [t for t, _ in THEMES],
        "theme": theme_name, "splits": SPLITS, "split_kpis": split_kpis,
        "split_rows": split_rows, "years": years, "months": list(enumerate(MONTHS, 1)),
        "municipalities": choice.region.municipalities.filter(cbs_code__in=choice.allowed).order_by("name"),
        "segments": Segment.objects.filter(region=choice.region).order_by("code"), "kpi_count": len(KPIS),
    })


RECORD_COLUMNS = ("id", "client", "municipality", "segment", "provider", "product", "start", "end", "stop_reason",
                  "referrer", "assigned_on", "period_start", "period_end", "volume", "cents")


@requires(*MUNICIPAL_DATA)
def kpi_records(request: HttpRequest, kpi_id: str) -> HttpResponse:
    """The records one figure rests on, with the same filters (and the split value, if any)."""
    kpi = BY_ID.get(kpi_id)
    if kpi is None:
        raise Http404("onbekende KPI")
    choice = _choice(request, request.scope)
    facts = choice.facts()
    narrowed = {key: request.GET[key] for key in DIMENSIONS if key not in ("municipality", "segment")
                and request.GET.get(key)}
    if narrowed:
        facts = facts.only(**narrowed)
    rows = rows_behind(kpi, facts, choice.period)
    columns = [c for c in RECORD_COLUMNS if c in rows.columns]
    shown = rows.sort("id").head(RECORD_LIMIT).select(columns).to_dicts()
    total_cents = int(rows["cents"].sum()) if "cents" in rows.columns else None
    AuditEvent.objects.create(user=request.user, action=AuditEvent.Action.VIEW, records=len(shown),
                              what=f"onderbouwing {kpi.id} {choice.period.label} {choice.query()}"[:200])
    return render(request, "monitoring/kpi_records.html", {
        "kpi": kpi, "choice": choice, "rows": shown, "columns": columns, "count": rows.height,
        "clients": rows["client"].n_unique() if "client" in rows.columns else None, "total_cents": total_cents,
        "limit": RECORD_LIMIT, "narrowed": narrowed,
    })
