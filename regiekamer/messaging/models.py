"""Every message that entered the system, once: the basis for idempotent ingest and for tracing."""

from __future__ import annotations

from django.db import models


class ReceivedMessage(models.Model):
    kind = models.CharField(max_length=6, help_text="bijv. JW323")
    sender = models.CharField(max_length=8)
    receiver = models.CharField(max_length=8)
    identification = models.CharField(max_length=12)
    sent_on = models.DateField()
    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ontvangen bericht"
        verbose_name_plural = "ontvangen berichten"
        constraints = [models.UniqueConstraint(fields=["kind", "sender", "identification"],
                                               name="unique_message_identification")]
        indexes = [models.Index(fields=["identification"])]  # ingest looks up a batch's identifications at once

    def __str__(self) -> str:
        return f"{self.kind} {self.sender}→{self.receiver} {self.identification}"
