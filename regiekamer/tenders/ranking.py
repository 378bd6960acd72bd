"""Scoring, consensus, ranking and selection: pure functions over plain data, exact (fractions, never floats).

- Every bid is scored on every criterion by at least MIN_ASSESSORS assessors (0-10).
- Where their scores differ more than CONSENSUS_SPREAD points, the assessors must record a consensus score before
  the tender can be ranked; a recorded consensus always counts. Otherwise the criterion's score is the mean of the
  assessors' scores.
- The weighted score of a bid is Σ weight × score / 10, so 100 is the best possible.
- Ranking: bids that failed a requirement are out; the others by weighted score, highest first. Ties are broken
  by the criteria in order of weight (highest weight first, then position): the higher score on the first that
  differs wins; then by the earlier bid; then by AGB code, so the order is always the same.
- Selection: the first `cap` ranked bids win (the strategy's maximum number of providers; no cap when it sets
  none); the first `partners` winners are strategic partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from regiekamer.tenders.constants import CONSENSUS_SPREAD, MIN_ASSESSORS, SCORE_MAX, WEIGHT_TOTAL


class RankingError(Exception):
    """The tender cannot be ranked yet; `problems` says why, one line each, in Dutch."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: int
    position: int = 0


@dataclass(frozen=True)
class BidInput:
    bidder: str  # AGB code
    received: datetime
    knock_outs: tuple[str, ...]  # reasons; empty when every requirement is met
    scores: dict[str, dict[str, int]]  # criterion code -> assessor -> score
    consensus: dict[str, int] = field(default_factory=dict)  # criterion code -> agreed score


@dataclass(frozen=True)
class Ranked:
    bidder: str
    rank: int | None  # None when knocked out
    total: Fraction | None
    per_criterion: dict[str, Fraction]
    knock_outs: tuple[str, ...]
    winner: bool = False
    partner: bool = False

    @property
    def total_shown(self) -> Decimal | None:
        return shown(self.total)


def shown(value: Fraction | None) -> Decimal | None:
    """A score for display: two decimals, half up. Ranking uses the exact fraction."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def weight_problems(criteria: list[CriterionSpec]) -> list[str]:
    total = sum(c.weight for c in criteria)
    return [] if total == WEIGHT_TOTAL else [f"de wegingen tellen op tot {total}, niet tot {WEIGHT_TOTAL}"]


def needs_consensus(scores: dict[str, int]) -> bool:
    return len(scores) >= 2 and max(scores.values()) - min(scores.values()) > CONSENSUS_SPREAD


def criterion_score(bid: BidInput, code: str) -> Fraction:
    if code in bid.consensus:
        return Fraction(bid.consensus[code])
    scores = bid.scores.get(code, {})
    return Fraction(sum(scores.values()), len(scores))


def problems(criteria: list[CriterionSpec], bids: list[BidInput]) -> list[str]:
    """Everything that stands in the way of ranking: weights, missing scores, missing consensus."""
    found = weight_problems(criteria)
    for bid in bids:
        if bid.knock_outs:
            continue
        for criterion in criteria:
            scores = bid.scores.get(criterion.code, {})
            if criterion.code in bid.consensus:
                continue
            if len(scores) < MIN_ASSESSORS:
                found.append(f"{bid.bidder} {criterion.code}: {len(scores)} beoordelaar(s), minimaal {MIN_ASSESSORS}")
            elif needs_consensus(scores):
                found.append(f"{bid.bidder} {criterion.code}: scores {sorted(scores.values())} verschillen meer dan "
                             f"{CONSENSUS_SPREAD} punten; leg een consensusscore vast")
    return found


def rank(criteria: list[CriterionSpec], bids: list[BidInput], cap: int | None, partners: int | None
         ) -> list[Ranked]:
    """The ranked bids (knocked-out bids last, without a rank), winners and strategic partners marked."""
    found = problems(criteria, bids)
    if found:
        raise RankingError(found)
    by_weight = sorted(criteria, key=lambda c: (-c.weight, c.position, c.code))
    eligible = []
    for bid in bids:
        if bid.knock_outs:
            continue
        per = {c.code: criterion_score(bid, c.code) for c in criteria}
        total = sum((Fraction(c.weight) * per[c.code] / SCORE_MAX for c in criteria), Fraction(0))
        eligible.append((bid, per, total))
    eligible.sort(key=lambda item: (-item[2], *(-item[1][c.code] for c in by_weight), item[0].received,
                                    item[0].bidder))
    ranked = []
    for position, (bid, per, total) in enumerate(eligible, start=1):
        winner = cap is None or position <= cap
        partner = winner and partners is not None and position <= partners
        ranked.append(Ranked(bid.bidder, position, total, per, (), winner, partner))
    out = sorted((b for b in bids if b.knock_outs), key=lambda b: b.bidder)
    return ranked + [Ranked(b.bidder, None, None, {}, b.knock_outs) for b in out]


def reason(item: Ranked, count: int, cap: int | None) -> str:
    """The award decision's reason for one bidder, in Dutch."""
    if item.knock_outs:
        return "Uitgesloten: voldoet niet aan de minimumeisen: " + "; ".join(item.knock_outs) + "."
    score = f"score {item.total_shown} van 100, plaats {item.rank} van {count}"
    if item.winner:
        partner = "; geselecteerd als strategisch partner" if item.partner else ""
        return f"Gegund: {score}{partner}."
    return f"Niet gegund: {score}; de strategie contracteert ten hoogste {cap} aanbieders in dit segment."
