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
