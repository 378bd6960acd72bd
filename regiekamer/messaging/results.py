"""What a handler reports back about one message it staged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Handled:
    records: int
    lines_accepted: int = 0
    lines_rejected: int = 0
    rejected_by_rule: Counter = field(default_factory=Counter)
    lines: list[Any] = field(default_factory=list)  # the declaration lines as staged, for the 325 answer
