"""Tenders per lot of a loaded strategy: requirements, criteria, bids, scores, consensus, the award decision, and
what the contracts made from it carry (report duties, KPI targets)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from regiekamer.contracts.models import Contract
from regiekamer.core.choices import text_choices
from regiekamer.providers.models import Provider
from regiekamer.segments.models import Lot
from regiekamer.strategy.models import ContractForm, KpiTargetFields, SegmentStrategy
from regiekamer.tenders import constants
from regiekamer.tenders.constants import SCORE_MAX, WEIGHT_TOTAL

RequirementKind = text_choices("RequirementKind", constants.RequirementKind, constants.REQUIREMENT_LABELS)
TenderStatus = text_choices("TenderStatus", constants.TenderStatus, constants.TENDER_STATUS_LABELS)
Outcome = text_choices("Outcome", constants.Outcome, constants.OUTCOME_LABELS)
ReportDuty = text_choices("ReportDuty", constants.ReportDuty, constants.REPORT_DUTY_LABELS)


class Tender(models.Model):
    """A tender for one lot of a segment of a loaded strategy; its procedure is the lot's (or segment's) form."""

    segment_strategy = models.ForeignKey(SegmentStrategy, on_delete=models.PROTECT, related_name="tenders")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="tenders")
    reference = models.CharField("kenmerk", max_length=40, unique=True)
    title = models.CharField("titel", max_length=200)
    procedure = models.CharField("procedure", max_length=30, choices=ContractForm.choices)
    published_on = models.DateField("gepubliceerd op")
    closes_on = models.DateField("sluiting inschrijving")
    contract_start = models.DateField("ingang contracten")
    status = models.CharField(max_length=10, choices=TenderStatus.choices, default=constants.TenderStatus.OPEN)

    class Meta:
        verbose_name = "aanbesteding"
        verbose_name_plural = "aanbestedingen"
        ordering = ["-published_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def region_id(self) -> int:
        return self.segment_strategy.strategy.region_id

    def clean(self) -> None:
        total = sum(self.criteria.values_list("weight", flat=True)) if self.pk else WEIGHT_TOTAL
        if total != WEIGHT_TOTAL:
            raise ValidationError(f"de wegingen van de gunningscriteria tellen op tot {total}, niet tot 100")


class Requirement(models.Model):
    """A minimum requirement (knock-out); its message is in regiekamer/tenders/rules.py."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="requirements")
    code = models.CharField(max_length=30)
    kind = models.CharField("soort", max_length=30, choices=RequirementKind.choices)
    threshold = models.DecimalField("grens", max_digits=9, decimal_places=2, null=True, blank=True)
    certificate = models.CharField("certificaat", max_length=100, blank=True)

    class Meta:
        verbose_name = "minimumeis"
        verbose_name_plural = "minimumeisen"
        ordering = ["tender", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "code"], name="unique_requirement_code")]


class Criterion(models.Model):
    """A weighted award criterion; the weights of a tender add up to 100 (checked before scoring and ranking)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=30)
    name = models.CharField("naam", max_length=200)
    weight = models.PositiveSmallIntegerField("weging", validators=[MaxValueValidator(WEIGHT_TOTAL)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "gunningscriterium"
        verbose_name_plural = "gunningscriteria"
        ordering = ["tender", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "code"], name="unique_criterion_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Bid(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="bids")
    received_at = models.DateTimeField("ontvangen")
    answers = models.JSONField("antwoorden op de minimumeisen", default=dict, blank=True,
                               help_text="per eiscode het antwoord: een getal, of ja/nee voor een certificaat")

    class Meta:
        verbose_name = "inschrijving"
        verbose_name_plural = "inschrijvingen"
        ordering = ["tender", "provider__agb_code"]
        constraints = [models.UniqueConstraint(fields=["tender", "provider"], name="unique_bid")]


class Score(models.Model):
    """One assessor's score of one bid on one criterion."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tender_scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    motivation = models.TextField("motivering")

    class Meta:
        verbose_name = "score"
        constraints = [models.UniqueConstraint(fields=["bid", "criterion", "assessor"], name="unique_score"),
                       models.CheckConstraint(condition=models.Q(score__lte=SCORE_MAX), name="score_at_most_10")]


class ConsensusScore(models.Model):
    """The score the assessors agreed on for one bid and criterion; required where they differ too much."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="consensus")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="consensus")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    motivation = models.TextField("motivering")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "consensusscore"
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="unique_consensus"),
                       models.CheckConstraint(condition=models.Q(score__lte=SCORE_MAX), name="consensus_at_most_10")]


class Award(models.Model):
    """The award decision (gunningsbeslissing) with the end of the standstill period."""

    tender = models.OneToOneField(Tender, on_delete=models.CASCADE, related_name="award")
    decided_on = models.DateField("besluitdatum")
    standstill_end = models.DateField("einde opschortende termijn")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "gunningsbeslissing"
        verbose_name_plural = "gunningsbeslissingen"


class AwardResult(models.Model):
    """What the decision says of one bid, with its reason."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="results")
    bid = models.OneToOneField(Bid, on_delete=models.CASCADE, related_name="result")
    outcome = models.CharField("uitkomst", max_length=12, choices=Outcome.choices)
    rank = models.PositiveSmallIntegerField("plaats", null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    strategic_partner = models.BooleanField("strategisch partner", default=False)
    reason = models.TextField("motivering")
    contract = models.OneToOneField(Contract, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="award_result")

    class Meta:
        verbose_name = "gunningsresultaat"
        verbose_name_plural = "gunningsresultaten"
        ordering = ["award", "rank", "bid__provider__agb_code"]


class Obligation(models.Model):
    """A duty to report (meldplicht) of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    duty = models.CharField("meldplicht", max_length=30, choices=ReportDuty.choices)
    term = models.CharField("termijn", max_length=100)

    class Meta:
        verbose_name = "meldplicht"
        verbose_name_plural = "meldplichten"
        constraints = [models.UniqueConstraint(fields=["contract", "duty"], name="unique_obligation")]


class KpiTarget(KpiTargetFields):
    """A KPI target of a contract, copied from the strategy when the contract is made, so that a later change of
    the strategy does not change what was agreed; `kpi_id` names the KPI of the KPI set it is measured by."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpi_targets")

    class Meta:
        verbose_name = "KPI-doel"
        verbose_name_plural = "KPI-doelen"
        ordering = ["contract", "id"]
