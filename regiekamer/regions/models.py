"""Regions, their subregions and member municipalities (CBS gemeentecode)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

cbs_code_validator = RegexValidator(r"^[0-9]{4}$", "Een CBS-gemeentecode bestaat uit vier cijfers.")


class Region(models.Model):
    code = models.SlugField(unique=True, help_text="Korte naam, bijv. zuid-holland-zuid")
    name = models.CharField(max_length=120)
    cbs_code = models.CharField(max_length=4, blank=True, help_text="CBS jeugdregio, bijv. JZ31")

    class Meta:
        verbose_name = "regio"
        verbose_name_plural = "regio's"

    def __str__(self) -> str:
        return self.name


class Subregion(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="subregions")
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name = "subregio"
        verbose_name_plural = "subregio's"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unique_subregion_name")]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField("CBS-gemeentecode", max_length=4, unique=True, validators=[cbs_code_validator])
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    subregion = models.ForeignKey(Subregion, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="municipalities")

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"


class Population(models.Model):
    """Residents aged 0-17 on 1 January of a year (CBS), the denominator of the share in care."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    age_0_17 = models.PositiveIntegerField("inwoners 0-17 jaar")

    class Meta:
        verbose_name = "bevolking"
        verbose_name_plural = "bevolking"
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="unique_population_year")]
