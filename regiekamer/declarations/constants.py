from django.db import models


class DebitCredit(models.TextChoices):
    DEBET = "D", "Debet"
    CREDIT = "C", "Credit"


class LineStatus(models.TextChoices):
    ACCEPTED = "toegekend", "Toegekend"
    REJECTED = "afgewezen", "Afgewezen"
