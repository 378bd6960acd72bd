"""The fact tables per region, kept in memory between requests until the data changes.

Every writer of care and declaration facts raises the writer turn (`messaging.turns`), so the turn is the
data's version: the cached facts are used while it stands still and read again when it moved. The highest ids
of messages, lines and episodes go into the version as well: a rolled-back transaction puts the turn back,
and then whatever it had added must not be mistaken for the data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db.models import Max

from regiekamer.care.models import CareEpisode
from regiekamer.declarations.models import DeclarationLine
from regiekamer.messaging.models import ReceivedMessage, WriterTurn
from regiekamer.monitoring.facts import Facts, load_facts

Version = tuple[int, int, int, int]
T = TypeVar("T")
_lock = threading.Lock()
_cached: dict[int, tuple[Version, Facts]] = {}


def data_version() -> Version:
    turn = WriterTurn.objects.filter(id=1).values_list("turn", flat=True).first() or 0
    return (turn, *(model.objects.aggregate(n=Max("id"))["n"] or 0
                    for model in (ReceivedMessage, DeclarationLine, CareEpisode)))


def facts_for(region_id: int) -> Facts:
    return versioned_facts(region_id)[1]


def versioned_facts(region_id: int) -> tuple[Version, Facts]:
    version = data_version()
    with _lock:
        cached = _cached.get(region_id)
        if cached and cached[0] == version:
            return cached
    facts = load_facts(region_id)
    with _lock:
        _cached[region_id] = (version, facts)
    return version, facts


_results: OrderedDict[Hashable, object] = OrderedDict()
KEEP_RESULTS = 512  # computed pages kept; the oldest go first


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per key (the key must contain the data version), kept for the next requests."""
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _results[key] = value
        while len(_results) > KEEP_RESULTS:
            _results.popitem(last=False)
    return value
