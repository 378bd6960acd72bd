from django.db import models

from regiekamer.core.choices import text_choices
from regiekamer.ijw import constants as ijw

DebitCredit = text_choices("DebitCredit", ijw.DebitCredit, ijw.DEBIT_CREDIT_LABELS)


class LineStatus(models.TextChoices):
    ACCEPTED = "toegekend", "Toegekend"
    REJECTED = "afgewezen", "Afgewezen"
