"""Segments of a region's purchasing strategy and their lots (percelen)."""

from __future__ import annotations

from django.db import models

from regiekamer.regions.models import Region, Subregion
from regiekamer.segments.constants import Domain, FundingModel


class Segment(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="segments")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    domain = models.CharField(max_length=10, choices=Domain.choices, default=Domain.JEUGD)
    funding_model = models.CharField(max_length=12, choices=FundingModel.choices)

    class Meta:
        verbose_name = "segment"
        ordering = ["region", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unique_segment_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Lot(models.Model):
    """A procurement lot within a segment, for the whole region or one subregion."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="lots")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=120)
    funding_model = models.CharField(max_length=12, choices=FundingModel.choices)
    subregion = models.ForeignKey(Subregion, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = "perceel"
        verbose_name_plural = "percelen"
        constraints = [models.UniqueConstraint(fields=["segment", "code"], name="unique_lot_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
