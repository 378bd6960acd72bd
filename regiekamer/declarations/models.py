"""Declarations (323) and their lines, each line accepted or rejected with rule codes."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, Sum, When

from regiekamer.care.models import Assignment, Client
from regiekamer.contracts.constants import Unit
from regiekamer.contracts.models import Product
from regiekamer.declarations.constants import DebitCredit, LineStatus
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality


class Declaration(models.Model):
    message = models.OneToOneField(ReceivedMessage, on_delete=models.PROTECT, related_name="declaration")
    number = models.CharField(max_length=12)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="declarations")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="declarations")
    period_start = models.DateField()
    period_end = models.DateField()
    signed_on = models.DateField()
    total_cents = models.BigIntegerField()
    total_debit_credit = models.CharField(max_length=1, choices=DebitCredit.choices)

    class Meta:
        verbose_name = "declaratie"
        verbose_name_plural = "declaraties"
        constraints = [models.UniqueConstraint(fields=["provider", "number"], name="unique_declaration_number")]


class DeclarationLineQuerySet(models.QuerySet):
    def accepted(self) -> "DeclarationLineQuerySet":
        return self.filter(status=LineStatus.ACCEPTED)

    def in_year(self, year: int) -> "DeclarationLineQuerySet":
        return self.filter(period_start__year=year)

    def net_cents(self) -> int:
        """Debit minus credit, in cents."""
        return self.aggregate(total=Sum(signed_amount()))["total"] or 0


def signed_amount() -> Case:
    """Amount as a signed value: debit positive, credit negative."""
    return Case(When(debit_credit=DebitCredit.CREDIT, then=-F("amount_cents")), default=F("amount_cents"),
                output_field=models.BigIntegerField())


class DeclarationLine(models.Model):
    """One prestatie: delivered volume of one product for one client in one month."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="lines")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="declaration_lines", help_text="Leeg als het BSN onbekend is")
    # No index of their own for these three: the composite indexes below start with them, and every index
    # costs each of the millions of inserted lines.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="declaration_lines",
                                     db_index=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="declaration_lines",
                                 db_index=False)
    assignment_number = models.PositiveIntegerField()
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="declaration_lines", db_index=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="declaration_lines")
    product_code = models.CharField(max_length=5)
    reference = models.CharField(max_length=20)
    previous_reference = models.CharField(max_length=20, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    volume = models.PositiveIntegerField()
    unit = models.CharField(max_length=2, choices=Unit.choices)
    tariff_cents = models.PositiveIntegerField(null=True, blank=True)
    amount_cents = models.PositiveBigIntegerField()
    debit_credit = models.CharField(max_length=1, choices=DebitCredit.choices)
    status = models.CharField(max_length=10, choices=LineStatus.choices)
    rule_codes = models.CharField(max_length=200, blank=True, help_text="Afwijzingsredenen, gescheiden door spaties")

    objects = DeclarationLineQuerySet.as_manager()

    class Meta:
        verbose_name = "declaratieregel"
        verbose_name_plural = "declaratieregels"
        constraints = [models.UniqueConstraint(fields=["provider", "reference"], name="unique_accepted_line_reference",
                                               condition=models.Q(status="toegekend"))]
        indexes = [models.Index(fields=["municipality", "period_start"]),
                   models.Index(fields=["provider", "reference"]),
                   models.Index(fields=["provider", "previous_reference"]),
                   models.Index(fields=["assignment", "period_start"])]
