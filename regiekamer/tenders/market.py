"""Selection impact maths: pure functions over plain rows.

Market concentration follows the KPI set (docs/kpis.md): over the providers with a positive spending, the top-5
share is the spending of the five largest over the total (in %), and the HHI is Σ (100 × share)², computed exactly
as 10 000 × Σ cents² / (Σ cents)². After the selection, the spending of providers that are not contracted moves to
the contracted ones; ASSUMPTION: it moves in proportion to what each contracted provider already has in that
municipality, so the shares after are the shares among the contracted providers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Concentration:
    top5_percent: Decimal | None  # one decimal
    hhi: int | None  # 0..10 000


def concentration(cents_by_provider: dict[str, int]) -> Concentration:
    amounts = sorted((c for c in cents_by_provider.values() if c > 0), reverse=True)
    total = sum(amounts)
    if not total:
        return Concentration(None, None)
    top5 = (Decimal(sum(amounts[:5])) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
    hhi = int((Decimal(10_000 * sum(c * c for c in amounts)) / Decimal(total * total)).quantize(
        Decimal("1"), ROUND_HALF_UP))
    return Concentration(top5, hhi)


@dataclass(frozen=True)
class AssignmentRow:
    municipality: str  # CBS code
    provider: str  # AGB code
    client: int  # client id


@dataclass(frozen=True)
class SpendingRow:
    municipality: str
    provider: str
    cents: int  # signed: debit minus credit


@dataclass(frozen=True)
class MunicipalityImpact:
    municipality: str
    clients_moving: int  # distinct clients with a running assignment at a provider that is not contracted
    assignments_moving: int
    cents_moving: int  # last complete year's spending with those providers
    cents_total: int
    providers_before: int
    providers_after: int
    before: Concentration
    after: Concentration


def impact(winners: set[str], assignments: list[AssignmentRow], spending: list[SpendingRow]
           ) -> list[MunicipalityImpact]:
    """Per municipality (in code order): who and what must move, and the concentration before and after."""
    per_provider: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in spending:
        per_provider[row.municipality][row.provider] += row.cents
    moving_clients: dict[str, set[int]] = defaultdict(set)
    moving_assignments: dict[str, int] = defaultdict(int)
    for row in assignments:
        if row.provider not in winners:
            moving_clients[row.municipality].add(row.client)
            moving_assignments[row.municipality] += 1
    result = []
    for code in sorted(set(per_provider) | {row.municipality for row in assignments}):
        amounts = {p: c for p, c in per_provider.get(code, {}).items() if c > 0}
        kept = {p: c for p, c in amounts.items() if p in winners}
        result.append(MunicipalityImpact(
            code, len(moving_clients[code]), moving_assignments[code],
            sum(c for p, c in amounts.items() if p not in winners), sum(amounts.values()),
            len(amounts), len(kept), concentration(amounts), concentration(kept)))
    return result
