"""What a handler reports back about one message it stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Handled:
    records: int
    lines_accepted: int = 0
    lines_rejected: int = 0
    rejected_by_rule: Counter = field(default_factory=Counter)
