"""Mirror information ("spiegelinformatie"): a provider's KPIs in each segment it works in, against the
distribution of its peers there. Peers stay anonymous: only their spread is shown (lowest, quartiles,
highest), never who they are, and only when there are enough of them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regiekamer.monitoring.facts import Facts
from regiekamer.monitoring.kpis import BY_ID, Kpi, Period, compute

MIRROR_KPIS = ("clienten-in-zorg", "kosten-per-client", "kosten-per-traject", "duur-mediaan", "uitval",
               "wachttijd-binnen-4-weken", "geen-nieuwe-start-6-maanden", "lang-niet-afgeschaald-1-jaar")
MIN_PEERS = 3  # fewer peers than this: no distribution, it would point at the few others


@dataclass(frozen=True)
class Spread:
    peers: int
    lowest: Decimal
    first_quartile: Decimal
    median: Decimal
    third_quartile: Decimal
    highest: Decimal


@dataclass(frozen=True)
class MirrorRow:
    kpi: Kpi
    own: Decimal | int | None  # None: suppressed or not measurable for this provider
    spread: Spread | None  # None: too few peers with a value
    below: int  # peers with a lower value (for the position)


@dataclass(frozen=True)
class SegmentMirror:
    segment: str
    name: str
    rows: list[MirrorRow]


def _quantile(ordered: list[Decimal], share: Decimal) -> Decimal:
    """The value at `share` of the ordered list by the nearest-rank method (no interpolation)."""
    index = max(0, int((share * len(ordered)).to_integral_value(rounding="ROUND_CEILING")) - 1)
    return ordered[index]


def spread_of(values: list[Decimal]) -> Spread | None:
    if len(values) < MIN_PEERS:
        return None
    ordered = sorted(values)
    return Spread(len(ordered), ordered[0], _quantile(ordered, Decimal("0.25")), _quantile(ordered, Decimal("0.5")),
                  _quantile(ordered, Decimal("0.75")), ordered[-1])


def mirror(facts: Facts, period: Period, provider: str) -> list[SegmentMirror]:
    """Per segment in which the provider had care or declarations in the period."""
    segments = dict(facts.segments.select("segment", "name").iter_rows())
    active = set(facts.episodes.filter(facts.episodes["provider"] == provider)["segment"].unique().to_list())
    active |= set(facts.lines.filter(facts.lines["provider"] == provider)["segment"].unique().to_list())
    result = []
    for segment in sorted(active):
        scoped = facts.only(segments={segment})
        rows = []
        for kpi_id in MIRROR_KPIS:
            kpi = BY_ID[kpi_id]
            values = {v.dims["provider"]: v.value for v in compute(kpi, scoped, period, ["provider"])
                      if not v.suppressed and v.value is not None}
            own = values.pop(provider, None)
            peers = [Decimal(value) for value in values.values()]
            below = sum(1 for value in peers if own is not None and value < Decimal(own))
            rows.append(MirrorRow(kpi, own, spread_of(peers), below))
        result.append(SegmentMirror(segment, segments.get(segment, segment), rows))
    return result
