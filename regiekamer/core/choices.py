"""Django choices built from the codec's enums, so each regulated code list is written down once."""

from __future__ import annotations

import enum

from django.db import models


def text_choices(name: str, codes: type[enum.StrEnum], labels: dict) -> type[models.TextChoices]:
    return models.TextChoices(name, [(member.name, (member.value, labels[member])) for member in codes])
