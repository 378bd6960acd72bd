"""Regional cost sharing: a cost the municipalities carry together (a regional lumpsum, availability) split
over them by a key, in cents that add up exactly to the cost."""

from __future__ import annotations

import enum
from decimal import Decimal

from regiekamer.core.money import allocate_cents


class CostKey(enum.StrEnum):
    USE = "gebruik"  # in proportion to each municipality's realised spending (or clients) in the segment
    POPULATION = "inwoners 0-17"  # in proportion to residents aged 0-17
    FIXED = "vaste verdeelsleutel"  # agreed shares


def share_costs(total_cents: int, key: CostKey, *, use: dict[str, int] | None = None,
                population: dict[str, int] | None = None, fixed: dict[str, Decimal] | None = None) -> dict[str, int]:
    """Each municipality's share of `total_cents` under the chosen key."""
    weights = {CostKey.USE: use, CostKey.POPULATION: population, CostKey.FIXED: fixed}[key]
    if not weights:
        raise ValueError(f"verdeelsleutel {key.value}: geen gegevens om te verdelen")
    return allocate_cents(total_cents, weights, order=sorted(weights))
