"""Writers of care and declaration facts take turns: one transaction at a time raises `WriterTurn`.

On PostgreSQL the UPDATE holds the row lock until the transaction ends, so a second ingest (or a decision
taken meanwhile) waits for the first batch to commit and then sees everything it wrote. On SQLite every write
transaction already holds the database lock from its start; the counter still tells a writer whether
someone else committed since its own last turn.
"""

from __future__ import annotations

from django.db.models import F

from regiekamer.messaging.models import WriterTurn

ROW = 1


def take_turn() -> int:
    """Raise the counter inside the current transaction and return the value it had before: when that is not
    the value this writer left at its last turn, another writer has committed in between."""
    if not WriterTurn.objects.filter(id=ROW).update(turn=F("turn") + 1):
        WriterTurn.objects.get_or_create(id=ROW)
        WriterTurn.objects.filter(id=ROW).update(turn=F("turn") + 1)
    return WriterTurn.objects.values_list("turn", flat=True).get(id=ROW) - 1
