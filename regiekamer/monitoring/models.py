"""Outcome measurements that providers deliver beside the messages: goal realisation, client satisfaction and
crisis stabilisation, per assignment (so without a BSN). See docs/kpis.md, "Outcome measurements"."""

from __future__ import annotations

from django.db import models

from regiekamer.care.models import Assignment


class MeasurementKind(models.TextChoices):
    GOAL = "doelrealisatie", "Doelrealisatie"
    SATISFACTION = "tevredenheid", "Cliënttevredenheid"
    CRISIS_STABILISED = "crisis_24u", "Crisis gestabiliseerd binnen 24 uur"


class Measurement(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="measurements")
    kind = models.CharField(max_length=16, choices=MeasurementKind.choices)
    measured_on = models.DateField()
    value = models.CharField(max_length=12, help_text="ja, gedeeltelijk of nee; tevredenheid: een cijfer 1-10")
    source = models.CharField(max_length=255, help_text="bestand waaruit de meting kwam")

    class Meta:
        verbose_name = "meting"
        verbose_name_plural = "metingen"
        constraints = [models.UniqueConstraint(fields=["assignment", "kind", "measured_on"],
                                               name="unique_measurement")]
