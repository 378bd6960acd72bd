"""The benchmark's floor under any ingest: it measures what it says, and leaves the database as it was."""

from __future__ import annotations

import pytest
from django.db import connection
from lxml import etree

from regiekamer.bench import Floor, _large_declaration, _read_every_value, _store_lines
from regiekamer.declarations.models import DeclarationLine


def _schema() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        return cursor.fetchall()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the bench runs on its own SQLite database")
def test_storing_the_lines_copies_the_table_with_its_indexes_and_drops_the_copy(demo_region):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {DeclarationLine._meta.db_table} LIMIT 50")
        rows = cursor.fetchall()
    assert len(rows) == 50
    before, lines = _schema(), DeclarationLine.objects.count()
    created: list[str] = []
    connection.execute_wrappers.append(
        lambda execute, sql, params, many, context: (created.append(sql) if sql.startswith("CREATE") else None,
                                                     execute(sql, params, many, context))[1])
    try:
        assert _store_lines(rows) > 0
        indexed = list(created)
        created.clear()
        assert _store_lines(rows, indexed=False) > 0
    finally:
        connection.execute_wrappers.pop()
    table_indexes = [entry for entry in before if entry[0] == "index" and entry[2]
                     and f'ON "{DeclarationLine._meta.db_table}"' in entry[2]]
    assert len(table_indexes) >= 5
    assert len(indexed) == 1 + len(table_indexes)  # the table and every index of it
    assert created == [indexed[0]]  # without indexes: the table alone
    assert _schema() == before and DeclarationLine.objects.count() == lines


def test_reading_every_value_reads_the_text_of_every_element(tmp_path):
    path = _large_declaration(7, tmp_path)
    with_text = sum(1 for _, element in etree.iterparse(str(path)) if element.text)
    assert with_text > 7 * 11  # at least the eleven values of each line
    assert _read_every_value([path]) == with_text


def test_the_floor_on_two_cores_is_bound_by_the_single_writer_or_by_half_the_work():
    assert Floor.on_two_cores(read=4.0, store=1.0) == 2.5
    assert Floor.on_two_cores(read=1.0, store=3.0) == 3.0
    floor = Floor(parse=1.0, validate=1.5, read=2.0, store=2.0, store_unindexed=1.0)
    assert floor.wall == 2.0
    assert "2.00× the bare parse" in floor.explain(120_000) and "1.50× even with no index" in floor.explain(120_000)
