"""Computing the usual pages' figures before anyone asks (`regiekamer warm`), so that the first visitor after a
change of the data does not wait for them.

The figures go into the shared figures cache (monitoring.facts_cache) under the current data version, exactly
as the pages would compute them: for every region and year the dashboard, the budget monitor and the provider
ceilings as of today, the KPI themes and every theme's KPIs per municipality for the whole region and for each single
municipality (what a regional user and what municipal staff see), every segment's funding scenarios, and the
spending lines behind each municipality's yearly figure. `follow` keeps doing so whenever the data changes;
`regiekamer serve` runs it beside the web server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import close_old_connections

from regiekamer.monitoring.facts_cache import Version, data_version

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
QUIET_SECONDS = 3.0  # the data must stand still this long before `follow` warms (an ingest writes in batches)
CHECK_SECONDS = 2.0  # how often `follow` looks at the data version


@dataclass(frozen=True)
class Figure:
    """One page's figures for one choice."""

    label: str
    compute: Callable[[], object]


def figures(today: date | None = None) -> list[Figure]:
    """Every figure to warm, in the order people are likely to ask for them (the latest year first)."""
    from regiekamer.budgets.models import Budget
    from regiekamer.budgets.views import budget_lines, ceiling_lines, scenario_outcomes
    from regiekamer.monitoring.figures import region_overview, region_years
    from regiekamer.monitoring.kpi_views import Choice, kpi_years, split_figures, theme_figures
    from regiekamer.monitoring.kpis import THEMES, Period
    from regiekamer.monitoring.views import spending_figure
    from regiekamer.regions.models import Region
    from regiekamer.segments.models import Segment

    as_of = today or date.today()
    result: list[Figure] = []
    budget_years = sorted(set(Budget.objects.values_list("year", flat=True)), reverse=True)
    for year in budget_years:
        result.append(Figure(f"budget {year}", lambda year=year: budget_lines(year, as_of)))
        result.append(Figure(f"plafonds {year}", lambda year=year: ceiling_lines(year, as_of)))
    for region in Region.objects.order_by("code"):
        municipalities = list(region.municipalities.order_by("name"))
        everyone = {m.cbs_code for m in municipalities}
        for year in reversed(region_years(region)):
            result.append(Figure(f"dashboard {region.code} {year}", lambda r=region, y=year: region_overview(r, y)))
        for year in reversed(kpi_years(region)):
            for allowed in [everyone, *({m.cbs_code} for m in municipalities)]:
                choice = Choice(region, Period.of(year), year, None, None, "", "", "", set(allowed))
                split = Choice(region, Period.of(year), year, None, None, "", "", "municipality", set(allowed))
                who = "regio" if allowed == everyone else next(iter(allowed))
                result.append(Figure(f"kengetallen {who} {year}", lambda c=choice: theme_figures(c)))
                for theme, _ in THEMES:
                    result.append(Figure(f"kengetallen {theme} per gemeente {who} {year}",
                                         lambda c=split, t=theme: split_figures(c, t)))
        for year in reversed(region_years(region)):
            for municipality in municipalities:
                result.append(Figure(f"uitgaven {municipality.cbs_code} {year}",
                                     lambda m=municipality, y=year: spending_figure(m, y, None)))
    for year in budget_years:
        for segment in Segment.objects.order_by("code"):
            result.append(Figure(f"scenario's segment {segment.code} {year}",
                                 lambda code=segment.code, year=year: scenario_outcomes(code, year)))
    return result


@dataclass(frozen=True)
class Warmed:
    version: Version
    figures: int
    seconds: float
    complete: bool  # False: the data changed meanwhile, the rest was left for the next round


def warm(progress: Progress | None = None, today: date | None = None) -> Warmed:
    """Compute every figure of `figures()` for the current data version; stop early when the data changes."""
    step = progress or (lambda label, done, total: None)
    started = time.monotonic()
    version = data_version()
    todo = figures(today)
    for done, figure in enumerate(todo):
        if data_version() != version:
            return Warmed(version, done, time.monotonic() - started, False)
        step("cijfers", done, len(todo))
        log.debug("warming %s", figure.label)
        figure.compute()
    step("cijfers", len(todo), len(todo))
    return Warmed(version, len(todo), time.monotonic() - started, True)


def follow(stop: Callable[[], bool] = lambda: False) -> None:
    """Warm whenever the data has changed and then stood still for QUIET_SECONDS, until `stop()`."""
    warmed: Version | None = None
    seen, seen_since = data_version(), time.monotonic()
    while not stop():
        close_old_connections()
        current = data_version()
        if current != seen:
            seen, seen_since = current, time.monotonic()
        elif current != warmed and time.monotonic() - seen_since >= QUIET_SECONDS:
            result = warm()
            log.info("regiekamer warm: %d figures for data version %s in %.1f s%s", result.figures,
                     ".".join(map(str, result.version)), result.seconds,
                     "" if result.complete else " (the data changed meanwhile)")
            if result.complete:
                warmed = result.version
        time.sleep(CHECK_SECONDS)
