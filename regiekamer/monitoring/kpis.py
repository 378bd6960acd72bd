"""The KPI set: each indicator with its definition, formula, unit and the records it counts, computed from the
pseudonymised facts (`monitoring.facts`) for a period, grouped by the dimensions asked for.

A KPI's `count` function returns, per group, whole numbers only: a numerator, where it is a ratio a
denominator, and the number of persons the figure rests on (distinct clients; a declaration line whose client is
unknown counts in money, not as a person). The value is then computed exactly from those
(`Measure`), so percentages and amounts never pass through floating point. Cells resting on fewer than
`SMALL_CELL` persons (but more than none) are suppressed: the value and its counts are withheld.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

import polars as pl

from regiekamer.monitoring.facts import Facts

SMALL_CELL = 5  # a cell resting on fewer persons is suppressed (docs/kpis.md)
DIMENSIONS = ("municipality", "segment", "provider", "category", "referrer")
DROPOUT_REASONS = ("32", "33")  # ended early, unilaterally, by the client or by the provider (JZ588)
NOT_AN_END = ("20", "37")  # a temporary stop, and an administrative end for a change request
OUT_OF_HOME = ("43", "44")  # product categories: youth care with stay (residential, foster care, family homes)
RESIDENTIAL = ("43",)  # residential youth care with treatment: the beds to build down
CRISIS = "46"
NO_ASSIGNMENT = "geen toewijzing"  # the referrer of care that started without an assignment (task-based care)
ETMAAL = "14"
REENTRY_DAYS = 183  # "no new start of care within six months"
INTAKE_NORM_DAYS, TREATMENT_NORM_DAYS = 28, 70  # waiting norms: 4 weeks to intake, 10 weeks to treatment
BUILD_DOWN_PER_YEAR = Decimal("4")  # beds: 20 % fewer in five years (seed 001)


class Measure(enum.Enum):
    COUNT = "aantal"
    PERCENT = "procent"
    PER = "per"  # numerator / denominator, rounded to whole units (cents, days)
    VALUE = "waarde"  # the numerator is the value (a median, a count of cents)
    CHANGE = "verandering"  # percentage change of numerator against denominator
    PER_DAY = "per dag"  # numerator / days in the period, one decimal


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def of(cls, year: int, quarter: int | None = None, month: int | None = None) -> Period:
        if month:
            end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
            return cls(f"{year}-{month:02d}", date(year, month, 1), end)
        if quarter:
            first = 3 * quarter - 2
            end = date(year + (first + 3) // 13, (first + 2) % 12 + 1, 1) - timedelta(days=1)
            return cls(f"{year}-K{quarter}", date(year, first, 1), end)
        return cls(str(year), date(year, 1, 1), date(year, 12, 31))


Counter = Callable[[Facts, Period, list[str]], pl.DataFrame]


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    unit: str
    measure: Measure
    definition: str
    formula: str
    records: str
    count: Counter
    dimensions: tuple[str, ...] = DIMENSIONS  # the dimensions this KPI can be split by
    extra: str | None = None  # a dimension of its own that every row carries (e.g. the referrer)

    def __reduce__(self) -> tuple:
        """Kept figures (the shared figures cache) refer to a KPI by its id."""
        return (kpi_by_id, (self.id,))


@dataclass(frozen=True)
class KpiValue:
    kpi: Kpi
    period: str
    dims: dict[str, str | None]
    value: Decimal | int | None
    numerator: int | None
    denominator: int | None
    persons: int | None
    suppressed: bool

    def as_dict(self) -> dict:
        return {"id": self.kpi.id, "naam": self.kpi.name, "period": self.period, **self.dims,
                "value": str(self.value) if isinstance(self.value, Decimal) else self.value, "unit": self.kpi.unit,
                "numerator": self.numerator, "denominator": self.denominator, "persons": self.persons,
                "suppressed": self.suppressed, "definition": self.kpi.definition, "formula": self.kpi.formula}


# --- shared work ---------------------------------------------------------------------------------------------

T = TypeVar("T")
_SHARED: ContextVar[dict[tuple, tuple[Facts, object]] | None] = ContextVar("kpi_shared_work", default=None)


@contextmanager
def shared_work() -> Iterator[None]:
    """Within this block, KPIs computed over the same facts share their intermediate results (a period's lines, the
    episodes running in it, the sums per provider, ...) instead of each filtering the facts again. The results are
    the same; they are dropped when the block ends."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(facts: Facts, key: tuple, make: Callable[[], T]) -> T:
    memo = _SHARED.get()
    if memo is None:
        return make()
    found = memo.get((id(facts), *key))
    if found is None or found[0] is not facts:
        found = (facts, make())
        memo[(id(facts), *key)] = found
    return found[1]  # type: ignore[return-value]


# --- building blocks -----------------------------------------------------------------------------------------

def _persons() -> pl.Expr:
    """Distinct clients; a line whose client is unknown (no BSN matched) counts in money, not as a person."""
    return pl.col("client").drop_nulls().n_unique()


def _group(frame: pl.DataFrame, keys: list[str], *aggregations: pl.Expr) -> pl.DataFrame:
    if keys:
        return frame.group_by(keys).agg(*aggregations)
    return frame.select(*aggregations)


def _running(episodes: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Episodes that ran on at least one day of [start, end]."""
    return episodes.filter((pl.col("start") <= end) & (pl.col("end").is_null() | (pl.col("end") >= start)))


def _in_care_on(episodes: pl.DataFrame, day: date) -> pl.DataFrame:
    return _running(episodes, day, day)


def _ended_in(episodes: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Episodes with an end in the period that is a real end: not a temporary stop nor an administrative end (an
    end without a reason is a real end)."""
    return episodes.filter(pl.col("end").is_between(period.start, period.end)
                           & ~pl.col("stop_reason").fill_null("").is_in(NOT_AN_END))


def _with_duration(episodes: pl.DataFrame) -> pl.DataFrame:
    return episodes.with_columns(((pl.col("end") - pl.col("start")).dt.total_days() + 1).alias("days"))


def _clients(frame: pl.DataFrame, keys: list[str], name: str = "numerator") -> pl.DataFrame:
    return _group(frame, keys, _persons().alias(name))


def _lines_in(facts: Facts, period: Period) -> pl.DataFrame:
    return _shared(facts, ("lines", period), lambda: facts.lines.filter(
        pl.col("period_start").is_between(period.start, period.end)))


def _running_episodes(facts: Facts, start: date, end: date) -> pl.DataFrame:
    return _shared(facts, ("running", start, end), lambda: _running(facts.episodes, start, end))


def _clients_on(facts: Facts, day: date, keys: list[str]) -> pl.DataFrame:
    """(client, *keys) of the clients in care on the day."""
    return _shared(facts, ("clients on", day, *keys),
                   lambda: _running_episodes(facts, day, day).select(["client", *keys]).unique())


def _started(facts: Facts, period: Period) -> pl.DataFrame:
    return _shared(facts, ("started", period), lambda: facts.episodes.filter(
        pl.col("start").is_between(period.start, period.end)))


def _ended(facts: Facts, period: Period) -> pl.DataFrame:
    """The episodes that really ended in the period, with their duration."""
    return _shared(facts, ("ended", period), lambda: _with_duration(_ended_in(facts.episodes, period)))


def _join(left: pl.DataFrame, right: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    if keys:
        return left.join(right, on=keys, how="full", coalesce=True)
    return pl.concat([left, right], how="horizontal")


# --- volume and flow -----------------------------------------------------------------------------------------

def _clients_in_care(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    frame = _clients(_running_episodes(facts, period.start, period.end), keys)
    return frame.with_columns(pl.col("numerator").alias("persons"))


def _inflow(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    before = _clients_on(facts, period.start - timedelta(days=1), keys)
    new = _started(facts, period).join(before, on=["client", *keys], how="anti")
    return _clients(new, keys).with_columns(pl.col("numerator").alias("persons"))


def _leavers(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    """Per client and group: in care during the period, no longer in care on its last day; with the last end."""
    def leavers() -> pl.DataFrame:
        running = _running_episodes(facts, period.start, period.end)
        staying = _clients_on(facts, period.end, keys)
        return (running.join(staying, on=["client", *keys], how="anti")
                .group_by(["client", *keys]).agg(pl.col("end").max().alias("last_end")))
    return _shared(facts, ("leavers", period, *keys), leavers)


def _outflow(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _clients(_leavers(facts, period, keys), keys).with_columns(pl.col("numerator").alias("persons"))


def _throughflow(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    first, last = _clients_on(facts, period.start, keys), _clients_on(facts, period.end, keys)
    both = first.join(last, on=["client", *keys], how="semi")
    return _clients(both, keys).with_columns(pl.col("numerator").alias("persons"))


def _trajectories(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    running = _running_episodes(facts, period.start, period.end)
    return _group(running, keys, pl.len().alias("numerator"), _persons().alias("persons"))


def _share_in_care(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    youth = facts.segments.filter(pl.col("domain") == "jeugd")["segment"]
    running = _running_episodes(facts, period.start, period.end)
    clients = _clients(running.filter(pl.col("segment").is_in(youth.implode())), keys)
    by_municipality = ["municipality"] if "municipality" in keys else []
    residents = _group(facts.population.filter(pl.col("year") == period.start.year), by_municipality,
                       pl.col("age_0_17").sum().alias("denominator"))
    frame = clients.join(residents, on=by_municipality, how="left") if by_municipality else clients.join(
        residents, how="cross")
    return frame.with_columns(pl.col("numerator").alias("persons"))


# --- cost ----------------------------------------------------------------------------------------------------

def _line_totals(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    """Per group: the money (cents), the clients with lines and the trajectories (client, provider, product)."""
    trajectories = pl.struct("client", "provider", "product").filter(pl.col("client").is_not_null()).n_unique()
    return _shared(facts, ("line totals", period, *keys), lambda: _group(
        _lines_in(facts, period), keys, pl.col("cents").sum().alias("cents"), _persons().alias("clients"),
        trajectories.alias("trajectories")))


def _spending(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _line_totals(facts, period, keys).select(*keys, pl.col("cents").alias("numerator"),
                                                    pl.col("clients").alias("persons"))


def _cost_per_client(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _line_totals(facts, period, keys).select(*keys, pl.col("cents").alias("numerator"),
                                                    pl.col("clients").alias("denominator"),
                                                    pl.col("clients").alias("persons"))


def _cost_per_trajectory(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _line_totals(facts, period, keys).select(*keys, pl.col("cents").alias("numerator"),
                                                    pl.col("trajectories").alias("denominator"),
                                                    pl.col("clients").alias("persons"))


def _spending_by_funding(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    funding = pl.col("segment").replace_strict(facts.segments["segment"], facts.segments["funding_model"],
                                               default=None, return_dtype=pl.String)
    return _group(_lines_in(facts, period).with_columns(funding.alias("funding")), [*keys, "funding"],
                  pl.col("cents").sum().alias("numerator"), _persons().alias("persons"))


# --- duration ------------------------------------------------------------------------------------------------

def _median_duration(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    ended = _ended(facts, period)
    return _group(ended, keys, pl.col("days").quantile(0.5, interpolation="lower").cast(pl.Int64).alias("numerator"),
                  pl.len().alias("denominator"), _persons().alias("persons"))


def _ended_within(days: int) -> Counter:
    def count(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
        return _group(_ended(facts, period), keys, (pl.col("days") <= days).sum().cast(pl.Int64).alias("numerator"),
                      pl.len().alias("denominator"), _persons().alias("persons"))
    return count


DURATION_CLASSES = ((0, 91, "tot 3 maanden"), (92, 182, "3 tot 6 maanden"), (183, 365, "6 tot 12 maanden"),
                    (366, 730, "1 tot 2 jaar"), (731, 10**6, "2 jaar of langer"))


def _duration_classes(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    ended = _ended(facts, period)
    label = pl.lit(None, dtype=pl.String)
    for low, high, name in reversed(DURATION_CLASSES):
        label = pl.when(pl.col("days").is_between(low, high)).then(pl.lit(name)).otherwise(label)
    classes = pl.Enum([name for _, _, name in DURATION_CLASSES])  # sorts from short to long, not by name
    ended = ended.with_columns(label.cast(classes).alias("duration_class"))
    per_class = _group(ended, [*keys, "duration_class"], pl.len().alias("numerator"),
                       _persons().alias("persons"))
    totals = _group(ended, keys, pl.len().alias("denominator"))
    return per_class.join(totals, on=keys, how="left") if keys else per_class.join(totals, how="cross")


TRAJECTORY = ["client", "provider", "product"]


def _long(facts: Facts, period: Period, years: int) -> pl.DataFrame:
    """Episodes in care on the period's last day that by then ran more than `years` × 365 days."""
    days = (pl.lit(period.end) - pl.col("start")).dt.total_days() + 1
    return _shared(facts, ("long", period, years), lambda: _running_episodes(facts, period.end, period.end)
                   .with_columns(days.alias("running_days")).filter(pl.col("running_days") > 365 * years))


def _volumes(facts: Facts, period: Period) -> pl.DataFrame:
    """The first and the last assigned volume (by start, then record) of the trajectories that run long, from
    the assignments that started by the period's end."""
    def volumes() -> pl.DataFrame:
        wanted = _long(facts, period, 1).select(TRAJECTORY).unique()
        return (facts.assignments.filter(pl.col("start") <= period.end).join(wanted, on=TRAJECTORY, how="semi")
                .sort("start", "id").group_by(TRAJECTORY)
                .agg(pl.col("volume").first().alias("first_volume"), pl.col("volume").last().alias("last_volume")))
    return _shared(facts, ("volumes", period), volumes)


def _long_not_scaled_down(years: int) -> Counter:
    def count(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
        long = _long(facts, period, 1).filter(pl.col("running_days") > 365 * years)
        long = long.join(_volumes(facts, period), on=TRAJECTORY, how="left").with_columns(
            (pl.col("last_volume").is_null() | pl.col("first_volume").is_null()
             | (pl.col("last_volume") >= pl.col("first_volume"))).alias("not_scaled_down"))
        return _group(long, keys, pl.col("not_scaled_down").sum().cast(pl.Int64).alias("numerator"),
                      pl.len().alias("denominator"), _persons().alias("persons"))
    return count


# --- referral and waiting ------------------------------------------------------------------------------------

def _referrer_share(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    started = _started(facts, period).with_columns(pl.col("referrer").fill_null(NO_ASSIGNMENT))
    rest = [k for k in keys if k != "referrer"]
    per_referrer = _group(started, [*rest, "referrer"], pl.len().alias("numerator"),
                          _persons().alias("persons"))
    totals = _group(started, rest, pl.len().alias("denominator"))
    return per_referrer.join(totals, on=rest, how="left") if rest else per_referrer.join(totals, how="cross")


def _waits(facts: Facts, period: Period) -> pl.DataFrame:
    def waits() -> pl.DataFrame:
        started = _started(facts, period).filter(pl.col("assigned_on").is_not_null())
        return started.with_columns((pl.col("start") - pl.col("assigned_on")).dt.total_days().clip(0).alias("wait"))
    return _shared(facts, ("waits", period), waits)


def _median_wait(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _group(_waits(facts, period), keys,
                  pl.col("wait").quantile(0.5, interpolation="lower").cast(pl.Int64).alias("numerator"),
                  pl.len().alias("denominator"), _persons().alias("persons"))


def _within(days: int) -> Counter:
    def count(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
        return _group(_waits(facts, period), keys, (pl.col("wait") <= days).sum().cast(pl.Int64).alias("numerator"),
                      pl.len().alias("denominator"), _persons().alias("persons"))
    return count


# --- outcome -------------------------------------------------------------------------------------------------

def _dropout(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    ended = _ended(facts, period)
    return _group(ended, keys, pl.col("stop_reason").is_in(DROPOUT_REASONS).sum().cast(pl.Int64).alias("numerator"),
                  pl.len().alias("denominator"), _persons().alias("persons"))


def horizon(facts: Facts) -> date:
    """The last day the facts know about: the latest start, end or declared day."""
    days = [facts.episodes["start"].max(), facts.episodes["end"].max(), facts.lines["period_end"].max()]
    return max(day for day in days if day is not None)


def _no_new_start(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    observable = horizon(facts) - timedelta(days=REENTRY_DAYS)
    leavers = _leavers(facts, period, keys).filter(pl.col("last_end") <= observable)
    restarts = (leavers.join(facts.episodes.select(["client", *keys, "start"]), on=["client", *keys])
                .filter((pl.col("start") > pl.col("last_end"))
                        & ((pl.col("start") - pl.col("last_end")).dt.total_days() <= REENTRY_DAYS))
                .select(["client", *keys]).unique())
    leavers = leavers.join(restarts.with_columns(pl.lit(True).alias("restarted")), on=["client", *keys], how="left")
    return _group(leavers, keys, pl.col("restarted").is_null().sum().cast(pl.Int64).alias("numerator"),
                  pl.len().alias("denominator"), pl.len().alias("persons"))


def _measured(kind: str, success: pl.Expr) -> Counter:
    def count(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
        measured = facts.measurements.filter((pl.col("kind") == kind)
                                             & pl.col("measured_on").is_between(period.start, period.end))
        return _group(measured, keys, success.sum().cast(pl.Int64).alias("numerator"),
                      pl.len().alias("denominator"), _persons().alias("persons"))
    return count


def _measurement_rows(kind: str) -> Callable[[Facts, Period], pl.DataFrame]:
    def rows(facts: Facts, period: Period) -> pl.DataFrame:
        return facts.measurements.filter((pl.col("kind") == kind)
                                         & pl.col("measured_on").is_between(period.start, period.end))
    return rows


# --- segment norms and the market ----------------------------------------------------------------------------

def _crisis_within(unit_is_stay: bool, days: int) -> Counter:
    def count(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
        ended = _ended(facts, period).filter((pl.col("category") == CRISIS)
                                             & ((pl.col("unit") == ETMAAL) == unit_is_stay))
        return _group(ended, keys, (pl.col("days") <= days).sum().cast(pl.Int64).alias("numerator"),
                      pl.len().alias("denominator"), _persons().alias("persons"))
    return count


def _out_of_home(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    placed = _running_episodes(facts, period.start, period.end).filter(pl.col("category").is_in(OUT_OF_HOME))
    return _clients(placed, keys).with_columns(pl.col("numerator").alias("persons"))


def _bed_days(facts: Facts, start: date, end: date, keys: list[str], name: str) -> pl.DataFrame:
    residential = _shared(facts, ("bed lines",), lambda: facts.lines.filter(
        pl.col("category").is_in(RESIDENTIAL) & (pl.col("unit") == ETMAAL)))
    signed = pl.when(pl.col("cents") < 0).then(-pl.col("volume")).otherwise(pl.col("volume"))
    days = _shared(facts, ("bed days", start, end, *keys), lambda: _group(
        residential.filter(pl.col("period_start").is_between(start, end)), keys,
        signed.sum().cast(pl.Int64).alias("days"), _persons().alias("persons")))
    return days.rename({"days": name, "persons": f"{name}_persons"})


def _occupied_beds(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _bed_days(facts, period.start, period.end, keys, "numerator").rename({"numerator_persons": "persons"})


def first_year(facts: Facts) -> int:
    return facts.lines["period_start"].min().year


def _beds_against_base_year(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    base = first_year(facts)
    now = _bed_days(facts, period.start, period.end, keys, "numerator").rename({"numerator_persons": "persons"})
    then = _bed_days(facts, date(base, 1, 1), date(base, 12, 31), keys, "denominator").drop("denominator_persons")
    # Compare like with like: the base year's bed days scaled to the period's length.
    then = then.with_columns((pl.col("denominator") * period.days // 365).alias("denominator"))
    return now.join(then, on=keys, how="left") if keys else pl.concat([now, then], how="horizontal")


def _per_provider(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    """Per group and provider the balance of its lines in the period, for the providers with a positive one."""
    return _shared(facts, ("per provider", period, *keys), lambda: _group(
        _lines_in(facts, period), [*keys, "provider"], pl.col("cents").sum().alias("cents"))
        .filter(pl.col("cents") > 0))


def _providers(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _group(_per_provider(facts, period, keys), keys, pl.len().alias("numerator"))


def _market(facts: Facts, period: Period, keys: list[str], top: int | None) -> pl.DataFrame:
    per_provider = _per_provider(facts, period, keys)
    if top is not None:
        rank = pl.col("cents").rank("ordinal", descending=True)
        ranked = per_provider.with_columns((rank.over(keys) if keys else rank).alias("rank"))
        return _group(ranked, keys, pl.col("cents").filter(pl.col("rank") <= top).sum().alias("numerator"),
                      pl.col("cents").sum().alias("denominator"))
    # HHI: Σ (100 × share)², computed exactly as 10 000 × Σ cents² / (Σ cents)²
    wide = pl.col("cents").cast(pl.Decimal(38, 0))
    return _group(per_provider, keys, (wide * wide).sum().alias("numerator"),
                  (wide.sum() * wide.sum()).alias("denominator"))


def _top5(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _market(facts, period, keys, 5)


def _hhi(facts: Facts, period: Period, keys: list[str]) -> pl.DataFrame:
    return _market(facts, period, keys, None)


MEASUREMENT_RECORDS = "Metingen die aanbieders aanleveren per toewijzing (regiekamer measurements import)."
EPISODE_RECORDS = "Zorgperiodes uit start- en stopberichten (305/307), met verwijzer en toewijzingsdatum van de toewijzing (301)."
LINE_RECORDS = "Toegekende declaratieregels (323); bedrag debet min credit; periode = begindatum van de productperiode."
NO_REFERRER = tuple(d for d in DIMENSIONS if d != "referrer")
MARKET_DIMENSIONS = ("municipality", "segment", "category")

KPIS: tuple[Kpi, ...] = (
    Kpi("clienten-in-zorg", "Cliënten in zorg", "personen", Measure.COUNT,
        "Verschillende cliënten met ten minste één zorgperiode die in de periode liep.",
        "aantal unieke cliënten met start ≤ einde periode en (geen einde of einde ≥ begin periode)",
        EPISODE_RECORDS, _clients_in_care),
    Kpi("instroom", "Instroom", "personen", Measure.COUNT,
        "Cliënten die in de periode een zorgperiode begonnen en op de dag vóór de periode geen zorg hadden (binnen "
        "dezelfde indeling: per segment telt een start in een nieuw segment als instroom in dat segment).",
        "aantal unieke cliënten met start in periode, zonder lopende zorg op begin periode − 1 dag",
        EPISODE_RECORDS, _inflow),
    Kpi("uitstroom", "Uitstroom", "personen", Measure.COUNT,
        "Cliënten die in de periode zorg hadden en op de laatste dag van de periode niet meer.",
        "aantal unieke cliënten in zorg in periode, niet in zorg op einde periode", EPISODE_RECORDS, _outflow),
    Kpi("doorstroom", "Doorstroom", "personen", Measure.COUNT,
        "Cliënten die zowel op de eerste als op de laatste dag van de periode zorg hadden.",
        "aantal unieke cliënten in zorg op begin én einde periode", EPISODE_RECORDS, _throughflow),
    Kpi("trajecten", "Trajecten", "trajecten", Measure.COUNT,
        "Zorgperiodes (een product bij een aanbieder voor een cliënt) die in de periode liepen.",
        "aantal zorgperiodes met start ≤ einde periode en (geen einde of einde ≥ begin periode)",
        EPISODE_RECORDS, _trajectories),
    Kpi("aandeel-jeugd-in-zorg", "Aandeel jeugdigen in zorg", "procent", Measure.PERCENT,
        "Cliënten in jeugdhulp in de periode als deel van de inwoners van 0 tot en met 17 jaar op 1 januari (CBS).",
        "100 × cliënten in zorg / inwoners 0-17 jaar", EPISODE_RECORDS + " Bevolking: CBS, per gemeente en jaar.",
        _share_in_care, dimensions=("municipality", "segment")),
    Kpi("uitgaven", "Uitgaven", "cent", Measure.VALUE,
        "De som van de toegekende declaratieregels met een productperiode die in de periode begint.",
        "Σ debet − Σ credit (toegekend)", LINE_RECORDS, _spending, dimensions=NO_REFERRER),
    Kpi("kosten-per-client", "Gemiddelde kosten per cliënt", "cent", Measure.PER,
        "Uitgaven gedeeld door het aantal verschillende cliënten met toegekende declaratieregels in de periode "
        "(regels zonder bekende cliënt tellen mee in de uitgaven, niet als cliënt).",
        "uitgaven / unieke cliënten met uitgaven", LINE_RECORDS, _cost_per_client, dimensions=NO_REFERRER),
    Kpi("kosten-per-traject", "Gemiddelde kosten per traject", "cent", Measure.PER,
        "Uitgaven gedeeld door het aantal trajecten (cliënt × aanbieder × product) met toegekende regels.",
        "uitgaven / unieke (cliënt, aanbieder, product) met uitgaven", LINE_RECORDS, _cost_per_trajectory,
        dimensions=NO_REFERRER),
    Kpi("uitgaven-per-bekostiging", "Uitgaven per bekostigingsvorm", "cent", Measure.VALUE,
        "Uitgaven zoals hierboven, gesplitst naar de bekostigingsvorm van het segment. Taakgerichte segmenten "
        "declareren niet per cliënt; hun lumpsum staat in de afrekening (regiekamer settle), niet hier.",
        "Σ debet − Σ credit per bekostigingsvorm", LINE_RECORDS + " Bekostigingsvorm: het segment.",
        _spending_by_funding, dimensions=NO_REFERRER, extra="funding"),
    Kpi("duur-mediaan", "Mediane duur van beëindigde trajecten", "dagen", Measure.VALUE,
        "De middelste duur (bij een even aantal de lagere van de twee middelste) van zorgperiodes die in de periode "
        "eindigden, in dagen van start tot en met einde. Tijdelijke stops en administratieve beëindigingen bij een "
        "wijzigingsverzoek tellen niet als einde.",
        "mediaan(einde − start + 1) over zorgperiodes met einde in periode", EPISODE_RECORDS, _median_duration),
    Kpi("duur-klasse", "Duur van beëindigde trajecten per klasse", "procent", Measure.PERCENT,
        "Het deel van de in de periode beëindigde zorgperiodes per duurklasse (tot 3 maanden, 3-6, 6-12 maanden, "
        "1-2 jaar, 2 jaar of langer), zoals de CBS-beleidsinformatie ze indeelt.",
        "100 × trajecten in klasse / beëindigde trajecten", EPISODE_RECORDS, _duration_classes,
        extra="duration_class"),
    Kpi("binnen-een-jaar-beeindigd", "Trajecten binnen een jaar beëindigd", "procent", Measure.PERCENT,
        "Het deel van de in de periode beëindigde zorgperiodes dat hoogstens 365 dagen duurde (de norm 'maximaal "
        "een jaar' van een segment met kortdurende hulp).", "100 × (duur ≤ 365) / beëindigde trajecten",
        EPISODE_RECORDS, _ended_within(365)),
    Kpi("lang-niet-afgeschaald-1-jaar", "Langer dan een jaar, niet afgeschaald", "procent", Measure.PERCENT,
        "Van de zorgperiodes die op de laatste dag van de periode langer dan een jaar liepen: het deel waarvan de "
        "laatst toegewezen omvang niet lager is dan de eerst toegewezen omvang (zelfde cliënt, aanbieder, product; "
        "eerste en laatste naar ingangsdatum, bij gelijke ingangsdatum naar volgorde van ontvangst, van de "
        "toewijzingen die uiterlijk op de laatste dag van de periode ingingen). Zonder toewijzing telt een "
        "zorgperiode als niet afgeschaald.",
        "100 × (lopend > 365 dagen en laatste omvang ≥ eerste omvang) / lopend > 365 dagen",
        EPISODE_RECORDS + " Omvang: toewijzingen (301).", _long_not_scaled_down(1)),
    Kpi("lang-niet-afgeschaald-2-jaar", "Langer dan twee jaar, niet afgeschaald", "procent", Measure.PERCENT,
        "Als hierboven, voor zorgperiodes die langer dan twee jaar liepen.",
        "100 × (lopend > 730 dagen en laatste omvang ≥ eerste omvang) / lopend > 730 dagen",
        EPISODE_RECORDS + " Omvang: toewijzingen (301).", _long_not_scaled_down(2)),
    Kpi("verwijzer-aandeel", "Verwijzers", "procent", Measure.PERCENT,
        "Het deel van de in de periode gestarte zorgperiodes per verwijzer (gemeentelijke toegang, huisarts, "
        "jeugdarts, GI, medisch specialist, rechter, geen verwijzer) volgens de toewijzing.",
        "100 × gestarte trajecten met verwijzer / gestarte trajecten", EPISODE_RECORDS, _referrer_share,
        extra="referrer"),
    Kpi("wachttijd-mediaan", "Mediane wachttijd", "dagen", Measure.VALUE,
        "De middelste wachttijd van zorgperiodes die in de periode startten: dagen van de toewijzing (301) tot de "
        "start van de zorg (305).", "mediaan(start − toewijzingsdatum)", EPISODE_RECORDS, _median_wait),
    Kpi("wachttijd-binnen-4-weken", "Start binnen 4 weken", "procent", Measure.PERCENT,
        "Het deel van de in de periode gestarte zorgperiodes dat binnen 28 dagen na de toewijzing startte (norm: "
        "4 weken tot intake).", "100 × (start − toewijzing ≤ 28) / gestarte trajecten met toewijzing",
        EPISODE_RECORDS, _within(INTAKE_NORM_DAYS)),
    Kpi("wachttijd-binnen-10-weken", "Start binnen 10 weken", "procent", Measure.PERCENT,
        "Als hierboven, binnen 70 dagen (norm: 10 weken tot behandeling).",
        "100 × (start − toewijzing ≤ 70) / gestarte trajecten met toewijzing", EPISODE_RECORDS,
        _within(TREATMENT_NORM_DAYS)),
    Kpi("uitval", "Uitval", "procent", Measure.PERCENT,
        "Het deel van de in de periode beëindigde zorgperiodes dat voortijdig en eenzijdig eindigde, door de cliënt "
        "(reden 32) of door de aanbieder (reden 33) (NJi/VNG-outcome-indicator).",
        "100 × beëindigd met reden 32 of 33 / beëindigd", EPISODE_RECORDS, _dropout),
    Kpi("geen-nieuwe-start-6-maanden", "Geen nieuwe start binnen 6 maanden", "procent", Measure.PERCENT,
        "Van de cliënten die in de periode uitstroomden (en van wie de 183 dagen daarna al bekend zijn): het deel "
        "zonder nieuwe zorgperiode binnen 183 dagen na het laatste einde (NJi/VNG-outcome-indicator). Binnen "
        "dezelfde indeling, zoals bij uitstroom: per gemeente telt alleen een nieuwe start in die gemeente. "
        "Bekend is wat vóór de laatste start, het laatste einde of de laatste gedeclareerde dag ligt.",
        "100 × uitgestroomden zonder start binnen 183 dagen / uitgestroomden met 183 dagen bekend",
        EPISODE_RECORDS, _no_new_start),
    Kpi("doelrealisatie", "Doelrealisatie", "procent", Measure.PERCENT,
        "Het deel van de metingen van doelrealisatie in de periode waarin de overeengekomen doelen volledig zijn "
        "bereikt ('ja'; 'gedeeltelijk' telt niet als bereikt) (NJi/VNG-outcome-indicator).",
        "100 × metingen 'ja' / metingen doelrealisatie", MEASUREMENT_RECORDS,
        _measured("doelrealisatie", pl.col("value") == "ja")),
    Kpi("clienttevredenheid", "Cliënttevredenheid", "procent", Measure.PERCENT,
        "Het deel van de tevredenheidsmetingen in de periode met een cijfer van 7 of hoger "
        "(NJi/VNG-outcome-indicator).", "100 × metingen met cijfer ≥ 7 / tevredenheidsmetingen",
        MEASUREMENT_RECORDS, _measured("tevredenheid", pl.col("value").cast(pl.Int64, strict=False) >= 7)),
    Kpi("crisis-gestabiliseerd-24-uur", "Crisis gestabiliseerd binnen 24 uur", "procent", Measure.PERCENT,
        "Het deel van de gemeten crises in de periode dat binnen 24 uur gestabiliseerd was (norm crisiszorg); "
        "uit metingen van de crisisdienst, niet uit berichten.", "100 × metingen 'ja' / metingen crisis_24u",
        MEASUREMENT_RECORDS, _measured("crisis_24u", pl.col("value") == "ja")),
    Kpi("crisis-verblijf-binnen-7-dagen", "Crisisverblijf binnen 7 dagen beëindigd", "procent", Measure.PERCENT,
        "Het deel van de in de periode beëindigde crisisverblijven (productcategorie 46, eenheid etmaal) dat "
        "hoogstens 7 dagen duurde (norm crisiszorg).", "100 × (duur ≤ 7) / beëindigde crisisverblijven",
        EPISODE_RECORDS, _crisis_within(True, 7)),
    Kpi("crisis-ambulant-binnen-4-weken", "Ambulante crisishulp binnen 4 weken beëindigd", "procent",
        Measure.PERCENT,
        "Het deel van de in de periode beëindigde ambulante crisishulp (productcategorie 46, niet per etmaal) dat "
        "hoogstens 28 dagen duurde (norm crisiszorg).", "100 × (duur ≤ 28) / beëindigde ambulante crisistrajecten",
        EPISODE_RECORDS, _crisis_within(False, 28)),
    Kpi("uithuisplaatsingen", "Jeugdigen met verblijf buiten het gezin", "personen", Measure.COUNT,
        "Cliënten met in de periode een zorgperiode in jeugdhulp met verblijf (productcategorie 43 of 44: "
        "residentieel, pleegzorg, gezinshuis).", "aantal unieke cliënten in zorg met categorie 43/44",
        EPISODE_RECORDS, _out_of_home),
    Kpi("bezette-bedden", "Gemiddeld bezette bedden (residentieel)", "bedden", Measure.PER_DAY,
        "Verblijfsdagen (etmalen in toegekende regels van productcategorie 43) gedeeld door de dagen in de periode.",
        "Σ etmalen (debet − credit) / dagen in periode", LINE_RECORDS, _occupied_beds, dimensions=NO_REFERRER),
    Kpi("bedden-ten-opzichte-van-basisjaar", "Bedden ten opzichte van het eerste jaar", "procent", Measure.CHANGE,
        "Verandering van de residentiële verblijfsdagen ten opzichte van het eerste jaar met declaraties (naar de "
        "lengte van de periode herrekend). Doel: 20 % minder bedden in vijf jaar, 4 procentpunt per jaar.",
        "100 × (etmalen periode / ⌊etmalen basisjaar × dagen periode / 365⌋ − 1)", LINE_RECORDS + " Etmalen van "
        "creditregels tellen negatief; basisjaar: het jaar van de vroegste productperiode.", _beds_against_base_year,
        dimensions=NO_REFERRER),
    Kpi("aantal-aanbieders", "Aanbieders met uitgaven", "aanbieders", Measure.COUNT,
        "Aanbieders met een positief saldo toegekende declaraties in de periode.",
        "aantal aanbieders met Σ (debet − credit) > 0", LINE_RECORDS, _providers, dimensions=MARKET_DIMENSIONS),
    Kpi("top5-aandeel", "Aandeel van de vijf grootste aanbieders", "procent", Measure.PERCENT,
        "Het deel van de uitgaven dat naar de vijf aanbieders met de hoogste uitgaven gaat (marktconcentratie), "
        "over de aanbieders met een positief saldo in de periode.",
        "100 × Σ uitgaven top-5 / Σ uitgaven van aanbieders met positief saldo", LINE_RECORDS, _top5, dimensions=MARKET_DIMENSIONS),
    Kpi("hhi", "Herfindahl-Hirschman-index", "index", Measure.PER,
        "De som van de kwadraten van de marktaandelen (in procenten) van de aanbieders: 10 000 bij één aanbieder, "
        "onder 1 500 een ongeconcentreerde markt. Over de aanbieders met een positief saldo in de periode.",
        "Σ (100 × uitgaven aanbieder / Σ uitgaven)²", LINE_RECORDS,
        _hhi, dimensions=MARKET_DIMENSIONS),
)
BY_ID = {kpi.id: kpi for kpi in KPIS}


def kpi_by_id(kpi_id: str) -> Kpi:
    return BY_ID[kpi_id]


THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Volume en stroom", ("clienten-in-zorg", "instroom", "uitstroom", "doorstroom", "trajecten",
                          "aandeel-jeugd-in-zorg")),
    ("Kosten", ("uitgaven", "kosten-per-client", "kosten-per-traject", "uitgaven-per-bekostiging")),
    ("Duur", ("duur-mediaan", "duur-klasse", "binnen-een-jaar-beeindigd", "lang-niet-afgeschaald-1-jaar", "lang-niet-afgeschaald-2-jaar")),
    ("Verwijzing en wachttijd", ("verwijzer-aandeel", "wachttijd-mediaan", "wachttijd-binnen-4-weken",
                                 "wachttijd-binnen-10-weken")),
    ("Uitkomst", ("uitval", "geen-nieuwe-start-6-maanden", "doelrealisatie", "clienttevredenheid")),
    ("Normen per segment", ("crisis-gestabiliseerd-24-uur", "crisis-verblijf-binnen-7-dagen", "crisis-ambulant-binnen-4-weken",
                            "uithuisplaatsingen", "bezette-bedden", "bedden-ten-opzichte-van-basisjaar")),
    ("Markt", ("aantal-aanbieders", "top5-aandeel", "hhi")),
)


# --- the records behind a figure ------------------------------------------------------------------------------

def _rows_of_clients(frame: pl.DataFrame, clients: pl.DataFrame) -> pl.DataFrame:
    return frame.join(clients.select("client").unique(), on="client", how="semi")


def _running_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _running(facts.episodes, period.start, period.end)


def _inflow_rows(facts: Facts, period: Period) -> pl.DataFrame:
    started = facts.episodes.filter(pl.col("start").is_between(period.start, period.end))
    before = _in_care_on(facts.episodes, period.start - timedelta(days=1)).select("client").unique()
    return started.join(before, on="client", how="anti")


def _outflow_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _rows_of_clients(_running(facts.episodes, period.start, period.end), _leavers(facts, period, []))


def _throughflow_rows(facts: Facts, period: Period) -> pl.DataFrame:
    first = _in_care_on(facts.episodes, period.start).select("client")
    last = _in_care_on(facts.episodes, period.end).select("client")
    return _rows_of_clients(_running(facts.episodes, period.start, period.end), first.join(last, on="client", how="semi"))


def _started_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return facts.episodes.filter(pl.col("start").is_between(period.start, period.end))


def _ended_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _with_duration(_ended_in(facts.episodes, period))


def _long_rows(facts: Facts, period: Period) -> pl.DataFrame:
    on_end = _in_care_on(facts.episodes, period.end)
    return on_end.filter((pl.lit(period.end) - pl.col("start")).dt.total_days() + 1 > 365)


def _crisis_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _with_duration(_ended_in(facts.episodes.filter(pl.col("category") == CRISIS), period))


def _placed_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _running(facts.episodes.filter(pl.col("category").is_in(OUT_OF_HOME)), period.start, period.end)


def _bed_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _lines_in(facts, period).filter(pl.col("category").is_in(RESIDENTIAL) & (pl.col("unit") == ETMAAL))


def _reentry_rows(facts: Facts, period: Period) -> pl.DataFrame:
    return _rows_of_clients(_running(facts.episodes, period.start, period.end), _leavers(facts, period, []))


RowsOf = Callable[[Facts, Period], pl.DataFrame]
ROWS: dict[str, RowsOf] = {
    "clienten-in-zorg": _running_rows, "instroom": _inflow_rows, "uitstroom": _outflow_rows,
    "doorstroom": _throughflow_rows, "trajecten": _running_rows, "aandeel-jeugd-in-zorg": _running_rows,
    "uitgaven": _lines_in, "kosten-per-client": _lines_in, "kosten-per-traject": _lines_in,
    "uitgaven-per-bekostiging": _lines_in, "duur-mediaan": _ended_rows, "duur-klasse": _ended_rows,
    "binnen-een-jaar-beeindigd": _ended_rows,
    "lang-niet-afgeschaald-1-jaar": _long_rows, "lang-niet-afgeschaald-2-jaar": _long_rows,
    "verwijzer-aandeel": _started_rows, "wachttijd-mediaan": _waits, "wachttijd-binnen-4-weken": _waits,
    "wachttijd-binnen-10-weken": _waits, "uitval": _ended_rows, "geen-nieuwe-start-6-maanden": _reentry_rows,
    "doelrealisatie": _measurement_rows("doelrealisatie"), "clienttevredenheid": _measurement_rows("tevredenheid"),
    "crisis-gestabiliseerd-24-uur": _measurement_rows("crisis_24u"), "crisis-verblijf-binnen-7-dagen": _crisis_rows, "crisis-ambulant-binnen-4-weken": _crisis_rows,
    "uithuisplaatsingen": _placed_rows, "bezette-bedden": _bed_rows, "bedden-ten-opzichte-van-basisjaar": _bed_rows,
    "aantal-aanbieders": _lines_in, "top5-aandeel": _lines_in, "hhi": _lines_in,
}


def rows_behind(kpi: Kpi, facts: Facts, period: Period) -> pl.DataFrame:
    """The records a KPI's figure for these facts rests on (for the municipality, segment, ... already chosen
    with `Facts.only`): episodes or declaration lines, with their database ids."""
    return ROWS[kpi.id](facts, period)


# --- values --------------------------------------------------------------------------------------------------

def _rounded(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def value_of(kpi: Kpi, numerator: int | None, denominator: int | None, period: Period) -> Decimal | int | None:
    """The KPI's value from its whole-number counts, exactly."""
    if numerator is None:
        return None
    if kpi.measure in (Measure.COUNT, Measure.VALUE):
        return int(numerator)
    if kpi.measure is Measure.PER_DAY:
        return _rounded(Decimal(numerator) / period.days, "0.1")
    if not denominator:
        return None
    if kpi.measure is Measure.PERCENT:
        return _rounded(Decimal(numerator) * 100 / Decimal(denominator), "0.1")
    if kpi.measure is Measure.PER:
        factor = 10_000 if kpi.id == "hhi" else 1
        return int(_rounded(Decimal(numerator) * factor / Decimal(denominator)))
    return _rounded((Decimal(numerator) / Decimal(denominator) - 1) * 100, "0.1")  # Measure.CHANGE


def compute(kpi: Kpi, facts: Facts, period: Period, keys: list[str]) -> list[KpiValue]:
    """The KPI per group; empty when it cannot be split by one of `keys`."""
    if any(key not in kpi.dimensions for key in keys):
        return []
    frame = kpi.count(facts, period, keys)
    columns = [*keys, *([kpi.extra] if kpi.extra else [])]
    if frame.is_empty():
        return []
    frame = frame.sort([c for c in columns], nulls_last=True) if columns else frame
    values = []
    for row in frame.iter_rows(named=True):
        numerator, denominator = row.get("numerator"), row.get("denominator")
        numerator = int(numerator) if numerator is not None else None
        denominator = int(denominator) if denominator is not None else None
        persons = row.get("persons")
        suppressed = persons is not None and 0 < persons < SMALL_CELL
        dims = {name: row.get(name) for name in DIMENSIONS if name in keys}
        if kpi.extra:
            dims[kpi.extra] = row.get(kpi.extra)
        values.append(KpiValue(kpi, period.label, dims,
                               None if suppressed else value_of(kpi, numerator, denominator, period),
                               None if suppressed else numerator, None if suppressed else denominator,
                               None if suppressed else persons, suppressed))
    return values


def compute_all(facts: Facts, period: Period, keys: list[str], only: list[str] | None = None) -> list[KpiValue]:
    with shared_work():
        return [value for kpi in KPIS if not only or kpi.id in only for value in compute(kpi, facts, period, keys)]
