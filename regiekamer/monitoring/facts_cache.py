"""The fact tables per region, kept in memory between requests until the data changes.

Every writer of care and declaration facts raises the writer turn (`messaging.turns`), so the turn is the
data's version: the cached facts are used while it stands still and read again when it moved. The highest ids
of messages, lines and episodes go into the version as well: a rolled-back transaction puts the turn back,
and then whatever it had added must not be mistaken for the data.
"""

from __future__ import annotations

import threading

from django.db.models import Max

from regiekamer.care.models import CareEpisode
from regiekamer.declarations.models import DeclarationLine
from regiekamer.messaging.models import ReceivedMessage, WriterTurn
from regiekamer.monitoring.facts import Facts, load_facts

Version = tuple[int, int, int, int]
_lock = threading.Lock()
_cached: dict[int, tuple[Version, Facts]] = {}


def data_version() -> Version:
    turn = WriterTurn.objects.filter(id=1).values_list("turn", flat=True).first() or 0
    return (turn, *(model.objects.aggregate(n=Max("id"))["n"] or 0
                    for model in (ReceivedMessage, DeclarationLine, CareEpisode)))


def facts_for(region_id: int) -> Facts:
    version = data_version()
    with _lock:
        cached = _cached.get(region_id)
        if cached and cached[0] == version:
            return cached[1]
    facts = load_facts(region_id)
    with _lock:
        _cached[region_id] = (version, facts)
    return facts
