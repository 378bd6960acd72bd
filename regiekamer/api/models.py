"""API keys: a user's programs call the API with a bearer token that acts as that user (same role, same
scope). Only a hash of the token is stored; the token itself is shown once, when it is made."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Waarvoor de sleutel dient, bijv. 'koppeling BI'")
    prefix = models.CharField(max_length=8, help_text="De eerste tekens van de sleutel, om hem te herkennen")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.prefix}…)"
