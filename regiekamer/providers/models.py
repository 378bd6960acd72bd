"""Care providers, identified by their AGB code."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

agb_validator = RegexValidator(r"^[0-9]{8}$", "Een AGB-code bestaat uit acht cijfers.")
kvk_validator = RegexValidator(r"^[0-9]{8}$", "Een KvK-nummer bestaat uit acht cijfers.")


class Provider(models.Model):
    agb_code = models.CharField("AGB-code", max_length=8, unique=True, validators=[agb_validator])
    kvk_number = models.CharField("KvK-nummer", max_length=8, blank=True, validators=[kvk_validator])
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name = "aanbieder"
        verbose_name_plural = "aanbieders"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agb_code})"
