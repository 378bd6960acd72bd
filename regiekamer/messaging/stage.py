"""Staged writes: what a batch of messages creates, changes and deletes, kept in memory and written in bulk.

Ingest checks every message against the database *plus* what earlier messages of the same batch staged,
then writes the whole batch with a few bulk statements. Each message is still all-or-nothing: `begin()`
opens a message, `rollback()` undoes exactly what that message staged (new rows, changed fields, cache
entries), `commit()` keeps it. Nothing reaches the database before `flush()`.

New rows get their primary key when they are staged (`IdAllocator`), so that later messages can refer to
them by id before they are written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from functools import cache
from itertools import count
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.utils import timezone

Undo = Callable[[], None]
_MISSING = object()


class Row(SimpleNamespace):
    """A row staged for insert: field values by attname, and `pk`. Much lighter than a model instance."""

    @property
    def id(self) -> int:
        return self.pk


@cache
def _defaulted(model: type[models.Model]) -> list[tuple[str, models.Field]]:
    return [(field.attname, field) for field in model._meta.concrete_fields if not field.primary_key]


class IdAllocator:
    """Primary keys handed out before the row is written.

    PostgreSQL: blocks taken from the table's own identity sequence, safe with concurrent writers.
    SQLite: the next free id read inside the batch transaction; the transaction holds SQLite's single write
    lock (BEGIN IMMEDIATE), so no other writer can take the same id. Call `reset()` after each transaction.
    """

    BLOCK = 1000

    def __init__(self) -> None:
        self._free: dict[type[models.Model], Iterator[int]] = {}

    def reset(self) -> None:
        if connection.vendor != "postgresql":  # sequence blocks stay valid; SQLite ids are per transaction
            self._free.clear()

    def take(self, model: type[models.Model]) -> int:
        free = self._free.get(model)
        if free is not None:
            taken = next(free, None)
            if taken is not None:
                return taken
        free = self._free[model] = self._fetch(model)
        return next(free)

    def _fetch(self, model: type[models.Model]) -> Iterator[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, self.BLOCK])
                return iter([row[0] for row in cursor.fetchall()])
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return count(start)  # this transaction holds the write lock


class Stage:
    def __init__(self, ids: IdAllocator, order: list[type[models.Model]]) -> None:
        self.ids = ids
        self.order = order  # written in this order, so every row's foreign keys exist before it does
        self.new: dict[type[models.Model], dict[int, Row]] = defaultdict(dict)
        self.changes: dict[type[models.Model], dict[int, dict[str, Any]]] = defaultdict(dict)
        self.deletes: dict[type[models.Model], set[int]] = defaultdict(set)
        self._undo: list[Undo] = []
        self.written: Counter[type[models.Model]] = Counter()  # rows inserted by flushes, until taken

    # --- one message at a time -------------------------------------------------------------------------
    def begin(self) -> None:
        self._undo.clear()

    def commit(self) -> None:
        self._undo.clear()

    def rollback(self) -> None:
        while self._undo:
            self._undo.pop()()

    # --- staging rows ------------------------------------------------------------------------------------
    def add(self, model: type[models.Model], **values: Any) -> Row:
        """Stage a new row from field values by attname (`client_id`, not `client`); it gets its primary key now.

        Fields left out get their default, as in a model instance."""
        defaulted = _defaulted(model)
        if len(values) < len(defaulted):  # some left out (a handler never passes a field twice)
            for name, field in defaulted:
                if name not in values:
                    values[name] = field.get_default()
        row = Row(pk=self.ids.take(model), **values)
        rows = self.new[model]
        rows[row.pk] = row
        self._undo.append(lambda: rows.pop(row.pk))
        return row

    def update(self, model: type[models.Model], pk: int, **values: Any) -> None:
        """Change fields of a row, whether it is staged in this batch or already stored."""
        staged = self.new[model].get(pk)
        if staged is not None:
            old = {name: getattr(staged, name) for name in values}
            for name, value in values.items():
                setattr(staged, name, value)
            self._undo.append(lambda: [setattr(staged, name, value) for name, value in old.items()])
            return
        pending = self.changes[model]
        before = pending.get(pk)
        pending[pk] = {**(before or {}), **values}
        self._undo.append(lambda: pending.__setitem__(pk, before) if before else pending.pop(pk))

    def is_new(self, model: type[models.Model], pk: int) -> bool:
        """Whether the row was staged in this batch (and so is not in the database yet)."""
        return pk in self.new[model]

    def delete(self, model: type[models.Model], pk: int) -> None:
        staged = self.new[model].pop(pk, None)
        if staged is not None:
            self._undo.append(lambda: self.new[model].__setitem__(pk, staged))
            return
        self.deletes[model].add(pk)
        self._undo.append(lambda: self.deletes[model].discard(pk))

    # --- journaled cache changes ---------------------------------------------------------------------------
    def put(self, mapping: MutableMapping, key: Hashable, value: Any) -> None:
        """Set a cache entry so that a rolled-back message leaves the cache as it was."""
        before = mapping.get(key, _MISSING)
        mapping[key] = value
        self._undo.append(lambda: mapping.pop(key) if before is _MISSING else mapping.__setitem__(key, before))

    # --- writing -------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write everything staged, in foreign-key order; then start empty."""
        for model in self.order:
            rows = list(self.new[model].values())
            if rows:
                insert(model, rows)
                self.written[model] += len(rows)
        for model in self.order:
            if self.changes[model]:
                update(model, self.changes[model])
        for model in reversed(self.order):
            if self.deletes[model]:
                model.objects.filter(pk__in=self.deletes[model]).delete()
        self.clear()

    def take_written(self) -> Counter[type[models.Model]]:
        """The rows inserted per model since the last call (for table statistics), and start counting anew."""
        written, self.written = self.written, Counter()
        return written

    def clear(self) -> None:
        """Drop everything staged (after a flush, or when the transaction it was meant for rolled back)."""
        self.new.clear()
        self.changes.clear()
        self.deletes.clear()
        self._undo.clear()


# Field types whose Python value the database driver takes as it is. Dates too: psycopg adapts them, and Django
# registers the same ISO adapter with sqlite3 that `connection.ops.adapt_datefield_value` would apply.
_PLAIN = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
          "PositiveBigIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "ForeignKey",
          "OneToOneField", "BooleanField", "DateField"}
_TEXT = {"CharField", "TextField"}


def _column_values(model: type[models.Model]) -> Callable[[Row], Any]:
    """A row's values in `concrete_fields` order, as the driver takes them: one C-level attrgetter for all
    columns, then a fix for the few that need one: text as plain str (choices are often enum members; anything
    else as Django's CharField and TextField would: `str(value)`, None as None), an auto_now(_add) timestamp
    taken once for all rows of this insert, anything else (JSON) through Django."""
    fields = model._meta.concrete_fields
    values = attrgetter(*("pk" if field.primary_key else field.attname for field in fields))
    text: list[int] = []
    fixes: list[tuple[int, Callable[[Any], Any]]] = []
    for index, field in enumerate(fields):
        kind = field.get_internal_type()
        if kind in _TEXT:  # enums reach the choice fields, and a str is bound as it is: no Django per value
            text.append(index)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamp = field.get_db_prep_save(timezone.now(), connection)
            fixes.append((index, lambda value, stamp=stamp: stamp))
        elif kind not in _PLAIN:
            fixes.append((index, lambda value, field=field: field.get_db_prep_save(value, connection)))
    if not fixes and not text:
        return values

    def fixed(row: Row) -> list:
        out = list(values(row))
        for index in text:  # inline: millions of values, nearly all a plain str already
            value = out[index]
            if type(value) is not str and value is not None:
                out[index] = str(value)
        for index, fix in fixes:
            out[index] = fix(out[index])
        return out
    return fixed


def insert(model: type[models.Model], rows: list[Row]) -> None:
    """Write rows whose primary keys are set: PostgreSQL with COPY, SQLite with one executemany of an INSERT.

    Does what `bulk_create` does for these models at a fraction of its per-row cost (no SQL compiled per
    row); fields that need Django's conversion (auto_now_add, JSON) still get it. A violated constraint
    raises Django's IntegrityError either way."""
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    values = _column_values(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                               [values(row) for row in rows])


def update(model: type[models.Model], changes: dict[int, dict[str, Any]]) -> None:
    """UPDATE rows by primary key, one executemany per set of changed fields (field names are attnames)."""
    by_fields: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for pk, values in changes.items():
        by_fields[tuple(sorted(values))].append(pk)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, pks in by_fields.items():
            fields = [model._meta.get_field(name) for name in names]  # get_field knows attnames too
            sql = (f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
                   f"WHERE {quote(model._meta.pk.column)} = %s")
            cursor.executemany(sql, [[field.get_db_prep_save(changes[pk][name], connection)
                                      for field, name in zip(fields, names)] + [pk] for pk in pks])
