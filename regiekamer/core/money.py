"""Money as integer euro cents. Formatting for Dutch pages; never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def cents_to_euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def group_thousands(value: int) -> str:
    """Dutch digit grouping: 1234567 -> '1.234.567'."""
    return f"{value:,}".replace(",", ".")


def format_euros(cents: int) -> str:
    """Format cents as Dutch euros: 123456 -> '€ 1.234,56'."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}€ {group_thousands(whole)},{rest:02d}"


def divide_cents(total_cents: int, count: int) -> int:
    """Average in whole cents, rounded half up; refuses to divide by zero."""
    if count <= 0:
        raise ZeroDivisionError("cannot average over zero items")
    return int((Decimal(total_cents) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def allocate_cents(total_cents: int, weights: dict, *, order: list | None = None) -> dict:
    """Split `total_cents` over the keys in proportion to their weights, in whole cents that add up exactly to
    the total (largest remainder: the cents left after rounding down go to the largest fractions; ties to the
    key that comes first in `order`, default the weights' own order). Weights are non-negative and not all zero.
    """
    keys = order or list(weights)
    total_weight = sum(Decimal(weights[key]) for key in keys)
    if total_weight <= 0 or any(Decimal(weights[key]) < 0 for key in keys):
        raise ValueError("weights must be non-negative and not all zero")
    sign = -1 if total_cents < 0 else 1
    exact = {key: Decimal(abs(total_cents)) * Decimal(weights[key]) / total_weight for key in keys}
    shares = {key: int(value) for key, value in exact.items()}  # rounded down
    left = abs(total_cents) - sum(shares.values())
    by_fraction = sorted(keys, key=lambda key: (-(exact[key] - shares[key]), keys.index(key)))
    for key in by_fraction[:left]:
        shares[key] += 1
    return {key: sign * cents for key, cents in shares.items()}


def apply_rate(cents: int, rate: Decimal) -> int:
    """cents × rate, rounded half up to a whole cent (e.g. a tariff indexed by 1.035)."""
    return int((Decimal(cents) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
