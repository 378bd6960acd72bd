"""Material controls: a reproducible sample of accepted lines to verify, and signals worth a closer look.

Pure functions over plain rows; `declarations/controls.py` feeds them from the database.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class SampleLine:
    reference: str
    client: str  # pseudonym
    product_code: str
    period_start: str
    volume: int
    amount_cents: int


def sample(lines: list[SampleLine], size: int, seed: str) -> list[SampleLine]:
    """`size` lines drawn without replacement, reproducible for the same seed whatever the input order.

    Each line is ranked by a keyed hash of its reference; the lowest ranks are drawn. Adding lines later
    never changes which of the earlier lines are drawn unless they are outranked.
    """
    if size < 0:
        raise ValueError("steekproefomvang kan niet negatief zijn")

    def rank(line: SampleLine) -> str:
        return hashlib.sha256(f"{seed}:{line.reference}".encode()).hexdigest()

    return sorted(lines, key=rank)[:size]


@dataclass(frozen=True)
class UsageRow:
    client: str
    provider: str
    product_code: str
    volume: int


@dataclass(frozen=True)
class VolumeOutlier:
    client: str
    provider: str
    product_code: str
    volume: int
    peer_median: float
    threshold: float
    peers: int


def volume_outliers(rows: list[UsageRow], factor: float = 3.0, min_peers: int = 10) -> list[VolumeOutlier]:
    """Clients whose yearly volume of a product lies far above their peers for that same product.

    Threshold per product: third quartile + `factor` × interquartile range (Tukey's far-out fence), over the
    yearly volume per client and provider. Products with fewer than `min_peers` clients are not judged.
    """
    by_product: dict[str, list[UsageRow]] = defaultdict(list)
    for row in rows:
        by_product[row.product_code].append(row)
    found = []
    for product, group in by_product.items():
        if len(group) < min_peers:
            continue
        volumes = [row.volume for row in group]
        q1, median, q3 = statistics.quantiles(volumes, n=4, method="inclusive")
        threshold = q3 + factor * (q3 - q1)
        found.extend(VolumeOutlier(row.client, row.provider, product, row.volume, median, threshold, len(group))
                     for row in group if row.volume > threshold)
    return sorted(found, key=lambda o: (o.product_code, -o.volume))


@dataclass(frozen=True)
class MixRow:
    provider: str
    segment: str
    year: int
    expensive_cents: int  # spending on the segment's products with a tariff above the segment median
    total_cents: int


@dataclass(frozen=True)
class UpcodingSignal:
    provider: str
    segment: str
    year: int
    share_before: float
    share_now: float
    peer_change: float


def upcoding_signals(rows: list[MixRow], min_rise: float = 0.15) -> list[UpcodingSignal]:
    """Providers whose share of expensive products in a segment rose sharply from one year to the next,
    by at least `min_rise` more than the change among their peers in that segment."""
    shares: dict[tuple[str, str, int], float] = {}
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.total_cents > 0:
            shares[(row.provider, row.segment, row.year)] = row.expensive_cents / row.total_cents
        totals[(row.segment, row.year)][0] += row.expensive_cents
        totals[(row.segment, row.year)][1] += row.total_cents
    signals = []
    for (provider, segment, year), now in shares.items():
        before = shares.get((provider, segment, year - 1))
        if before is None:
            continue
        peers_now, peers_before = totals[(segment, year)], totals[(segment, year - 1)]
        if not peers_now[1] or not peers_before[1]:
            continue
        peer_change = peers_now[0] / peers_now[1] - peers_before[0] / peers_before[1]
        if now - before - peer_change >= min_rise:
            signals.append(UpcodingSignal(provider, segment, year, before, now, peer_change))
    return sorted(signals, key=lambda s: (s.year, s.segment, s.provider))
