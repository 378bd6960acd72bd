"""A message that the municipality side refuses as a whole, after it parsed and validated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MessageRejected(Exception):
    record: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.record}] {self.rule}: {self.message}"
