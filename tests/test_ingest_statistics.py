"""PostgreSQL plans the ingest's lookups well however much an ingest writes: fresh statistics, index probes."""

from __future__ import annotations

import pytest
from django.db import connection

from regiekamer.bench import _large_declaration
from regiekamer.declarations.models import DeclarationLine
from regiekamer.messaging import context
from regiekamer.messaging.ingest import ingest_paths
from regiekamer.messaging.planner import AT_LEAST

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")]
TABLE = DeclarationLine._meta.db_table


def _planned_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        return cursor.fetchone()[0]


def test_a_large_ingest_leaves_the_planner_knowing_how_large_the_table_is(demo_region, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{TABLE}"')  # statistics as before the ingest
    before = DeclarationLine.objects.count()
    assert _planned_rows() == pytest.approx(before, rel=0.2)
    for number in range(1, 4):
        _large_declaration(AT_LEAST, tmp_path, number)
    report = ingest_paths([tmp_path])  # three batches of 5,000 lines
    assert report.lines_accepted + report.lines_rejected == 3 * AT_LEAST
    # Without the ingest's own ANALYZE the planner would still assume `before` rows.
    assert _planned_rows() >= before + 2 * AT_LEAST


def test_lookups_probe_the_index_for_each_key_instead_of_reading_the_table(demo_region):
    keys = list(DeclarationLine.objects.values_list("provider_id", "reference")[:500])
    statements: list[tuple[str, list]] = []

    def capture(execute, sql, params, many, context_):
        statements.append((sql, params))
        return execute(sql, params, many, context_)

    with connection.execute_wrapper(capture):
        found = context._load_line_references(keys)
    assert set(found) == set(keys)
    sql, params = statements[-1]
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{TABLE}"')
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index" in plan and f"Seq Scan on {TABLE}" not in plan, plan
