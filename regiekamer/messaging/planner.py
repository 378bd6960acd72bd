"""Fresh table statistics while an ingest fills the tables its own lookups read (PostgreSQL).

PostgreSQL plans each lookup (`messaging.context`) from the table's statistics, which autovacuum refreshes at
most once a minute and only after enough change. During a long ingest the tables it looks up grow from
thousands to millions of rows while the statistics still describe the small table: the planner then reads
the whole table, sorted, for every lookup of 500 keys instead of using its index, so each batch costs more
than the one before (a stream of 120,000 declaration lines spent 20 of its 33 seconds so). Analysing a table
each time it has grown by half since it was last analysed keeps the plans right at a logarithmic cost.
SQLite needs none of this: its lookups name the join order (see `messaging.context._matching`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from django.db import connection, models

GROWTH = 0.5  # analyse once the rows written since the last time reach this share of the rows known then
AT_LEAST = 5_000  # rows written before a table is worth analysing at all


class TableStatistics:
    """Counts the rows an ingest writes per table and analyses a table when it has grown enough."""

    def __init__(self) -> None:
        self.known: dict[str, float] = {}  # table -> rows in its statistics when last analysed (or first seen)
        self.written: Counter[str] = Counter()  # table -> rows written since then

    def after_batch(self, written: Mapping[type[models.Model], int]) -> list[str]:
        """Record what a committed batch wrote; analyse the tables that grew enough. Returns those tables."""
        if connection.vendor != "postgresql":
            return []
        analysed = []
        for model, rows in written.items():
            table = model._meta.db_table
            self.written[table] += rows
            if table not in self.known:
                self.known[table] = _rows_in_statistics(table)
            if self.written[table] >= max(AT_LEAST, GROWTH * self.known[table]):
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
                self.known[table] = _rows_in_statistics(table)
                self.written[table] = 0
                analysed.append(table)
        return analysed


def _rows_in_statistics(table: str) -> float:
    """The row count the planner assumes for the table (0 when it was never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return max(float(row[0]), 0.0) if row else 0.0
