"""What a provider sees of itself: its declarations per month with what was accepted and rejected (and why),
and the assignments it holds. Computed in the database, for one provider and year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from regiekamer.care.models import Assignment
from regiekamer.declarations.constants import LineStatus
from regiekamer.declarations.models import DeclarationLine, signed_amount
from regiekamer.declarations.rules import LINE_RULES

RULE_MESSAGES = {rule.code: rule.message for rule in LINE_RULES}


@dataclass
class Month:
    month: int
    lines: int = 0
    accepted: int = 0
    rejected: int = 0
    accepted_cents: int = 0


@dataclass
class ProviderYear:
    year: int
    months: list[Month]
    rejections: list[tuple[str, str, int]] = field(default_factory=list)  # rule code, message, lines
    assignments: int = 0

    @property
    def lines(self) -> int:
        return sum(m.lines for m in self.months)

    @property
    def accepted_cents(self) -> int:
        return sum(m.accepted_cents for m in self.months)


def running_in(assignments: QuerySet[Assignment], year: int) -> QuerySet[Assignment]:
    """Assignments that ran on at least one day of the year."""
    return assignments.filter(start__lte=date(year, 12, 31)).exclude(end__lt=date(year, 1, 1))


def provider_year(lines: QuerySet[DeclarationLine], assignments: QuerySet[Assignment], year: int) -> ProviderYear:
    """`lines` and `assignments` are already scoped to the provider (and, for a municipality, to it)."""
    lines = lines.in_year(year)
    months = {m: Month(m) for m in range(1, 13)}
    accepted = Q(status=LineStatus.ACCEPTED)
    for row in (lines.annotate(month=ExtractMonth("period_start")).values("month")
                .annotate(n=Count("id"), ok=Count("id", filter=accepted),
                          cents=Sum(signed_amount(), filter=accepted))):
        month = months[row["month"]]
        month.lines, month.accepted = row["n"], row["ok"]
        month.rejected, month.accepted_cents = row["n"] - row["ok"], row["cents"] or 0
    reasons: Counter[str] = Counter()
    for codes in lines.exclude(accepted).values_list("rule_codes", flat=True):
        reasons.update(codes.split())
    return ProviderYear(
        year, list(months.values()),
        [(code, RULE_MESSAGES.get(code, ""), n) for code, n in sorted(reasons.items(), key=lambda item: -item[1])],
        running_in(assignments, year).count())
