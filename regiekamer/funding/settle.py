"""Settlement: what was paid during a period against what the provider earned under its funding model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regiekamer.funding.calculate import Delivery, Earned, FundingModel, Period


@dataclass(frozen=True)
class Statement:
    provider: str
    period: Period
    earned: Earned
    paid_cents: int  # advances, or the accepted declarations as paid

    @property
    def balance_cents(self) -> int:
        """Positive: the municipality still pays the provider; negative: the provider pays back."""
        return self.earned.total_cents - self.paid_cents


def settle(provider: str, model: FundingModel, deliveries: Sequence[Delivery], period: Period) -> Statement:
    return Statement(provider, period, model.earned(deliveries, period),
                     sum(model.payments(deliveries, period).values()))
