"""Figures and fact tables per region, computed once per data version and kept between requests.

Every writer of care and declaration facts raises the writer turn (`messaging.turns`), so the turn is the
data's version: what was computed is used while it stands still and computed again when it moved. The highest
ids of messages, lines, episodes and measurements go into the version as well: a rolled-back transaction puts
the turn back, and then whatever it had added must not be mistaken for the data.

Computed figures are kept at two levels: in the process (the last `KEEP_RESULTS`), and in the shared figures
cache (Django's cache `figures`, files under the var folder unless REGIEKAMER_FIGURES_CACHE says otherwise),
which every server process and `regiekamer warm` read and write. So a figure is computed once per data version
for all server processes, and `regiekamer warm` can compute the usual pages before anyone asks. While one
process computes a figure, the others wait for it (up to `WAIT_SECONDS`) instead of computing it as well.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from regiekamer.care.models import CareEpisode
from regiekamer.declarations.models import DeclarationLine
from regiekamer.env import code_version
from regiekamer.messaging.models import ReceivedMessage, WriterTurn
from regiekamer.monitoring.facts import Facts, load_facts
from regiekamer.monitoring.models import Measurement

Version = tuple[int, ...]
T = TypeVar("T")
_lock = threading.Lock()
_cached: dict[int, tuple[Version, Facts]] = {}

KEEP_RESULTS = 512  # computed figures kept in the process; the oldest go first
WAIT_SECONDS = 120.0  # how long a process waits for another one that computes the same figure
POLL_SECONDS = 0.05


def data_version() -> Version:
    """The writer turn and the highest ids of the fact tables, in one query."""
    parts = [f"(SELECT turn FROM {WriterTurn._meta.db_table} WHERE id = 1)"] + [
        f"(SELECT MAX(id) FROM {model._meta.db_table})"
        for model in (ReceivedMessage, DeclarationLine, CareEpisode, Measurement)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(value or 0 for value in cursor.fetchone())


def facts_for(region_id: int) -> Facts:
    """The region's fact tables of the current data version, read once per process and version."""
    version = data_version()
    with _lock:
        cached = _cached.get(region_id)
        if cached and cached[0] == version:
            return cached[1]
    facts = load_facts(region_id)
    with _lock:
        _cached[region_id] = (version, facts)
    return facts


_results: OrderedDict[Hashable, object] = OrderedDict()
_computing: dict[Hashable, threading.Lock] = {}


def _canonical(value: object) -> str:
    """A text for a key that is the same in every process (sets sorted, no object addresses)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(_canonical(v) for v in value) + ")"
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + _canonical(tuple(getattr(value, f.name) for f in fields(value)))
    if value is None or isinstance(value, (str, int, date)):
        return repr(value)
    raise TypeError(f"{type(value).__name__} cannot be part of a figures key")


def shared_key(key: Hashable) -> str:
    """The key in the shared cache: the code and the database it was computed with (a test database and the
    demo's may share a var folder), and the key itself."""
    database = connection.settings_dict
    where = (database["ENGINE"], database["NAME"], database.get("HOST") or "", str(database.get("PORT") or ""))
    return "figures:" + hashlib.sha256(_canonical((code_version(), where, key)).encode()).hexdigest()


def _keep(key: Hashable, value: object) -> None:
    with _lock:
        _results[key] = value
        _results.move_to_end(key)
        while len(_results) > KEEP_RESULTS:
            _results.popitem(last=False)


def _kept(key: Hashable) -> tuple[bool, object]:
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return True, _results[key]
    return False, None


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per key for all processes; the key must contain the data version."""
    found, value = _kept(key)
    if found:
        return value  # type: ignore[return-value]
    with _lock:
        guard = _computing.setdefault(key, threading.Lock())
    with guard:  # threads of this process that ask for the same figure wait for the first
        found, value = _kept(key)
        if not found:
            value = _shared_or_computed(shared_key(key), compute)
            _keep(key, value)
    with _lock:
        _computing.pop(key, None)
    return value  # type: ignore[return-value]


def _shared_or_computed(name: str, compute: Callable[[], T]) -> T:
    cache = caches["figures"]
    missing = object()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(name, missing)
        if value is not missing:
            return value  # type: ignore[return-value]
        if cache.add(name + ":busy", True, timeout=WAIT_SECONDS) or time.monotonic() > deadline:
            break  # this process computes it
        time.sleep(POLL_SECONDS)  # another process is computing it
    try:
        value = compute()
        cache.set(name, value)
    finally:
        cache.delete(name + ":busy")
    return value
