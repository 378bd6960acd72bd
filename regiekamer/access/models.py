"""Who a user is in the region: a role and the municipalities or provider the user belongs to; and the audit
log of who viewed or exported client-level data."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality, Region


class Role(models.TextChoices):
    REGIO = "regio", "Regionale analist / contractmanager"
    GEMEENTE = "gemeente", "Medewerker gemeente"
    TOEGANG = "toegang", "Toegangsteam"
    AANBIEDER = "aanbieder", "Aanbieder"
    AUDITOR = "auditor", "Auditor (alleen lezen)"
    BEHEERDER = "beheerder", "Beheerder"


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=10, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="memberships",
                                            help_text="Voor gemeente en toegangsteam: de eigen gemeente(n)")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class AuditEvent(models.Model):
    """One look at, or export of, client-level data (pseudonymised or not)."""

    class Action(models.TextChoices):
        VIEW = "bekeken", "Bekeken"
        EXPORT = "geexporteerd", "Geëxporteerd"

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events")
    action = models.CharField(max_length=12, choices=Action.choices)
    what = models.CharField(max_length=200, help_text="De pagina of export, zonder BSN")
    records = models.PositiveIntegerField(help_text="Aantal regels op cliëntniveau")

    class Meta:
        verbose_name = "inzage"
        verbose_name_plural = "inzagelog"
        ordering = ["-at"]
