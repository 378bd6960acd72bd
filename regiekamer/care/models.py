"""Clients, referrals (requests for assignment), assignments and care episodes.

A client's BSN is never stored in the clear: `bsn_hash` is a keyed hash for lookups,
`bsn_encrypted` the encrypted value for the few who may see it, `pseudonym` what analytics use.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from regiekamer.care.constants import Frequency, ReferrerType, StopReason
from regiekamer.contracts.constants import Unit
from regiekamer.contracts.models import Product
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality


class Client(models.Model):
    bsn_hash = models.CharField(max_length=64, unique=True, editable=False)
    bsn_encrypted = models.TextField(editable=False)
    pseudonym = models.CharField(max_length=13, unique=True, editable=False)
    identity_encrypted = models.TextField(editable=False, blank=True,
                                          help_text="Naam (versleuteld), nodig om zelf een 301 te kunnen sturen")
    birth_date = models.DateField()
    gender = models.CharField(max_length=1)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="clients",
                                     help_text="Woonplaatsgemeente volgens de laatste toewijzing")

    class Meta:
        verbose_name = "cliënt"
        verbose_name_plural = "cliënten"

    def __str__(self) -> str:
        return self.pseudonym


class Referral(models.Model):
    """A request for assignment (315) from a provider, carrying the legal referrer."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="referrals")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    provider_reference = models.CharField(max_length=36)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="referrals")
    referrer_type = models.CharField(max_length=2, choices=ReferrerType.choices)
    referrer_agb = models.CharField(max_length=8, blank=True)
    requested_on = models.DateField()
    requested_start = models.DateField()
    message = models.ForeignKey("messaging.ReceivedMessage", on_delete=models.PROTECT, related_name="referrals")
    decision = models.CharField(max_length=10, blank=True, help_text="Leeg zolang open; toegekend of afgewezen")
    rejection_reason = models.CharField(max_length=1, blank=True, help_text="WJ759 reden afwijzing verzoek")

    class Meta:
        verbose_name = "verzoek om toewijzing"
        verbose_name_plural = "verzoeken om toewijzing"
        constraints = [models.UniqueConstraint(fields=["provider", "provider_reference"],
                                               name="unique_referral_reference")]
        indexes = [models.Index(fields=["client", "provider"])]  # a client's open requests at a provider (TR374)


class AssignmentQuerySet(models.QuerySet):
    def current_on(self, day: date) -> "AssignmentQuerySet":
        """Assignments still valid on `day`: no end date, or ending on or after it."""
        return self.filter(models.Q(end=None) | models.Q(end__gte=day))


class Assignment(models.Model):
    """A toewijzing (301): product, volume, unit, frequency and period for one client at one provider."""

    number = models.PositiveIntegerField("toewijzingnummer")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assignments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assignments")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="assignments")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="assignments")
    referrer_type = models.CharField(max_length=2, choices=ReferrerType.choices,
                                     help_text="Uit het verzoek om toewijzing; anders gemeentelijke toegang")
    assigned_on = models.DateField()
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    volume = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=2, choices=Unit.choices, blank=True)
    frequency = models.CharField(max_length=1, choices=Frequency.choices, blank=True)
    budget_cents = models.PositiveIntegerField(null=True, blank=True)
    change_reason = models.CharField(max_length=2, blank=True)
    message = models.ForeignKey("messaging.ReceivedMessage", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="assignments",
                                help_text="Het ontvangen 301-bericht; leeg als de gemeente hier zelf toewees")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        constraints = [models.UniqueConstraint(fields=["municipality", "number"], name="unique_assignment_number")]
        indexes = [models.Index(fields=["provider", "client"])]


class CareEpisode(models.Model):
    """Care as delivered: started (305) and, once ended, stopped (307) with a reason."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="episodes")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="episodes")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="episodes")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="episodes")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=2, choices=StopReason.choices, blank=True)
    start_message = models.ForeignKey("messaging.ReceivedMessage", on_delete=models.PROTECT,
                                      related_name="started_episodes")
    stop_message = models.ForeignKey("messaging.ReceivedMessage", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="stopped_episodes")

    class Meta:
        verbose_name = "zorgperiode"
        verbose_name_plural = "zorgperiodes"
        indexes = [models.Index(fields=["municipality", "start"]), models.Index(fields=["provider", "client"])]


class ChangeRequest(models.Model):
    """A request for change (317): the provider's complete desired situation, for the access team to decide."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        HONOURED = "toegekend", "Toegekend"
        REJECTED = "afgewezen", "Afgewezen"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="change_requests")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="change_requests")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="change_requests")
    provider_reference = models.CharField(max_length=36)
    reason = models.CharField(max_length=1, help_text="RedenVerzoek")
    requested_on = models.DateField()
    desired = models.JSONField(help_text="Ongewijzigde, te wijzigen en nieuwe producten zoals gevraagd")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    message = models.ForeignKey("messaging.ReceivedMessage", on_delete=models.PROTECT,
                                related_name="change_requests")

    class Meta:
        verbose_name = "verzoek om wijziging"
        verbose_name_plural = "verzoeken om wijziging"
        constraints = [models.UniqueConstraint(fields=["provider", "provider_reference"],
                                               name="unique_change_request_reference")]
        indexes = [models.Index(fields=["client", "provider"])]  # a client's open requests at a provider (TR374)
