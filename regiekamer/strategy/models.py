"""A region's procurement strategy as loaded from its file (load.py): per segment the four instruments."""

from __future__ import annotations

from django.db import models

from regiekamer.core.choices import text_choices
from regiekamer.regions.models import Region
from regiekamer.segments.constants import FundingModel
from regiekamer.segments.models import Lot, Segment
from regiekamer.strategy import constants

CaseDirection = text_choices("CaseDirection", constants.CaseDirection, constants.CASE_DIRECTION_LABELS)
ContractForm = text_choices("ContractForm", constants.ContractForm, constants.CONTRACT_FORM_LABELS)
KpiDirection = text_choices("KpiDirection", constants.KpiDirection,
                            {constants.KpiDirection.MAX: "hoogstens", constants.KpiDirection.MIN: "minstens"})


class Strategy(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="strategies")
    year = models.PositiveSmallIntegerField("jaar")
    source = models.CharField("bron", max_length=300)
    file_name = models.CharField("bestand", max_length=200)

    class Meta:
        verbose_name = "verwervingsstrategie"
        verbose_name_plural = "verwervingsstrategieën"
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="unique_strategy_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class SegmentStrategy(models.Model):
    """The four instruments of one segment: access, funding, contract and supplier management."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="segments")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="strategies")
    position = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    result_area = models.CharField("resultaatgebied", max_length=200, blank=True)
    # access (toegang)
    referrers = models.JSONField("verwijzers (COD327)", default=list)
    case_direction = models.CharField("casusregie", max_length=30, choices=CaseDirection.choices)
    access_criteria = models.TextField("criteria", blank=True)
    # funding (bekostiging)
    funding_model = models.CharField("bekostiging", max_length=12, choices=FundingModel.choices)
    funding_params = models.JSONField(default=dict, blank=True)
    funding_notes = models.TextField(blank=True)
    # contract
    contract_form = models.CharField("contractvorm", max_length=30, choices=ContractForm.choices)
    contract_term = models.CharField("looptijd", max_length=20, help_text="jaren met verlengingen, bijv. 4+1+1")
    contract_start = models.DateField(null=True, blank=True)
    requirements = models.JSONField("eisen", default=list, blank=True)
    award_criteria = models.JSONField("gunningscriteria", default=list, blank=True)
    duties = models.JSONField("meldplichten", default=list, blank=True)
    # supplier management (leveranciersmanagement)
    max_providers = models.PositiveIntegerField("maximum aantal aanbieders", null=True, blank=True)
    strategic_partners = models.PositiveIntegerField("strategische partners", null=True, blank=True)
    partnership_of = models.CharField("samenwerkingsverband uit segment", max_length=10, blank=True)
    supplier_notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "segmentstrategie"
        verbose_name_plural = "segmentstrategieën"
        ordering = ["strategy", "position"]
        constraints = [models.UniqueConstraint(fields=["strategy", "segment"], name="unique_segment_strategy")]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.segment}"


class LotStrategy(models.Model):
    """What the strategy says of one lot beyond its name and funding model."""

    segment_strategy = models.ForeignKey(SegmentStrategy, on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="strategies")
    min_clients = models.PositiveIntegerField("ondergrens cliënten", null=True, blank=True)
    contract_form = models.CharField("contractvorm", max_length=30, choices=ContractForm.choices, blank=True)
    funding_params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "perceelstrategie"
        verbose_name_plural = "perceelstrategieën"
        constraints = [models.UniqueConstraint(fields=["segment_strategy", "lot"], name="unique_lot_strategy")]


class KpiTargetFields(models.Model):
    """What a KPI target says: the strategy's targets, and the contracts' copies of them (`tenders.KpiTarget`)."""

    TARGET_FIELDS = ("name", "kpi_id", "norm", "unit", "direction", "deadline", "base_year")

    name = models.CharField("naam", max_length=200)
    kpi_id = models.CharField("KPI uit de kengetallenset", max_length=60, blank=True,
                              help_text="het id van de KPI die het doel meet (docs/kpis.md); de norm in haar eenheid")
    norm = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField("eenheid", max_length=60)
    direction = models.CharField("richting", max_length=3, choices=KpiDirection.choices)
    deadline = models.DateField("datum", null=True, blank=True)
    base_year = models.PositiveSmallIntegerField(
        "basisjaar", null=True, blank=True,
        help_text="met een basisjaar is de norm een verandering in procenten ten opzichte van dat jaar")

    class Meta:
        abstract = True

    def target(self) -> dict:
        """The target's fields, to copy it."""
        return {name: getattr(self, name) for name in self.TARGET_FIELDS}


class Kpi(KpiTargetFields):
    segment_strategy = models.ForeignKey(SegmentStrategy, on_delete=models.CASCADE, related_name="kpis")

    class Meta:
        verbose_name = "KPI"
        verbose_name_plural = "KPI's"
        ordering = ["segment_strategy", "id"]
        constraints = [models.UniqueConstraint(fields=["segment_strategy", "name"], name="unique_kpi_name")]

    def __str__(self) -> str:
        return self.name
