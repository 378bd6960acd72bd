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
                                               name="unique_message_identification")]  # also ingest's lookup

    def __str__(self) -> str:
        return f"{self.kind} {self.sender}→{self.receiver} {self.identification}"


class WriterTurn(models.Model):
    """One row whose counter every writer of care and declaration facts raises inside its transaction.

    Raising it takes the row lock, so writers (several ingests, a decision taken meanwhile) take turns per
    transaction; a writer that finds the counter moved since its own last turn knows another writer
    committed in between and forgets what it had cached."""

    turn = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "schrijfbeurt"
        verbose_name_plural = "schrijfbeurten"
