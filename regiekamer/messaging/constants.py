from django.db import models


class Outcome(models.TextChoices):
    PROCESSED = "verwerkt", "Verwerkt"
    REJECTED = "afgewezen", "Afgewezen"
