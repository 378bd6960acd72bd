"""Errors of the message codec. Each names the file, the record and the rule."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MessageError(Exception):
    """A message that cannot be accepted as a whole.

    file:   the file (or name) the message came from
    record: where in the message (an XPath-like location or line number), '' for the whole file
    rule:   a stable rule code, e.g. 'XML-SIZE', 'XSD', 'XML-ENTITY'
    message: a human explanation in Dutch
    """

    file: str
    record: str
    rule: str
    message: str

    def __reduce__(self):  # picklable, so that worker processes can report it
        return (MessageError, (self.file, self.record, self.rule, self.message))

    def __str__(self) -> str:
        where = f"{self.file}" + (f" [{self.record}]" if self.record else "")
        return f"{where}: {self.rule}: {self.message}"
