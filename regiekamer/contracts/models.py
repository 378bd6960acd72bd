"""Products a region buys, contracts with providers, and tariffs per product per period."""

from __future__ import annotations

from datetime import date

from django.db import models

from regiekamer.contracts.constants import Unit, Variant
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Region
from regiekamer.segments.constants import FundingModel
from regiekamer.segments.models import Lot, Segment


class Product(models.Model):
    """A product of the national product code list (iJw JZ21) as this region uses it, in one segment."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="products")
    code = models.CharField(max_length=5)
    category = models.CharField(max_length=2, help_text="iJw productcategorie (JZ020)")
    description = models.CharField(max_length=200)
    unit = models.CharField(max_length=2, choices=Unit.choices)
    variant = models.CharField(max_length=12, choices=Variant.choices)
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, related_name="products")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="products")

    class Meta:
        verbose_name = "product"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unique_product_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Contract(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="contracts")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=40)
    lots = models.ManyToManyField(Lot, related_name="contracts")
    start = models.DateField()
    end = models.DateField()
    extension_options = models.CharField(max_length=20, blank=True, help_text="bijv. 4+1+1")

    class Meta:
        verbose_name = "contract"
        constraints = [models.UniqueConstraint(fields=["region", "reference"], name="unique_contract_reference")]

    def __str__(self) -> str:
        return f"{self.reference} – {self.provider.name}"

    def is_active_on(self, day: date) -> bool:
        return self.start <= day <= self.end


class Tariff(models.Model):
    """Price per unit of a product for a period; region-wide when contract is empty."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tariffs")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="tariffs")
    valid_from = models.DateField()
    valid_to = models.DateField()
    amount_cents = models.PositiveIntegerField("tarief (eurocent)")

    class Meta:
        verbose_name = "tarief"
        verbose_name_plural = "tarieven"
        ordering = ["product", "valid_from"]


class FundingTerms(models.Model):
    """How a contract pays for one lot: the funding model and its parameters (see regiekamer/funding/terms.py)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="funding_terms")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="funding_terms")
    kind = models.CharField(max_length=12, choices=FundingModel.choices)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "bekostigingsafspraak"
        verbose_name_plural = "bekostigingsafspraken"
        constraints = [models.UniqueConstraint(fields=["contract", "lot"], name="unique_funding_terms")]
