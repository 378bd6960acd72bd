"""Budgets per municipality, segment and year."""

from __future__ import annotations

from django.db import models

from regiekamer.regions.models import Municipality
from regiekamer.segments.models import Segment


class Budget(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="budgets")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField("budget (eurocent)")

    class Meta:
        verbose_name = "budget"
        constraints = [models.UniqueConstraint(fields=["municipality", "segment", "year"], name="unique_budget")]
