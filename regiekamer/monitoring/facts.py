"""The pseudonymised facts the KPIs are computed from, read from the database into polars tables.

Three tables, one row per stored record, with clients by pseudonym only (never a BSN):

- `episodes`: care episodes (start and stop messages 305/307) with the assignment's referrer and date;
- `lines`: accepted declaration lines (323), the amount signed (credit negative);
- `assignments`: assignments (301) with product, volume and period;
- `measurements`: outcome measurements delivered by providers per assignment (`monitoring.measurements`);

plus `population` (residents 0-17 per municipality and year) and `segments` (code, name, funding model).
Every row keeps its database id, so that a figure can be traced to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection

EPISODES_SQL = """
SELECT e.id, c.pseudonym AS client, m.cbs_code AS municipality, s.code AS segment, p.category, p.code AS product, p.unit,
       pr.agb_code AS provider, e.start, e."end", e.stop_reason, a.referrer_type AS referrer, a.assigned_on,
       c.birth_date
FROM care_careepisode e
JOIN care_client c ON c.id = e.client_id
JOIN regions_municipality m ON m.id = e.municipality_id
JOIN contracts_product p ON p.id = e.product_id
JOIN segments_segment s ON s.id = p.segment_id
JOIN providers_provider pr ON pr.id = e.provider_id
LEFT JOIN care_assignment a ON a.id = e.assignment_id
WHERE m.region_id = %s
"""

LINES_SQL = """
SELECT l.id, c.pseudonym AS client, m.cbs_code AS municipality, s.code AS segment, p.category, l.product_code AS product,
       pr.agb_code AS provider, l.period_start, l.period_end, l.volume, l.unit,
       CASE WHEN l.debit_credit = 'C' THEN -l.amount_cents ELSE l.amount_cents END AS cents
FROM declarations_declarationline l
JOIN regions_municipality m ON m.id = l.municipality_id
JOIN contracts_product p ON p.id = l.product_id
JOIN segments_segment s ON s.id = p.segment_id
JOIN providers_provider pr ON pr.id = l.provider_id
LEFT JOIN care_client c ON c.id = l.client_id
WHERE m.region_id = %s AND l.status = 'toegekend'
"""

ASSIGNMENTS_SQL = """
SELECT a.id, c.pseudonym AS client, m.cbs_code AS municipality, s.code AS segment, p.category, p.code AS product,
       pr.agb_code AS provider, a.referrer_type AS referrer, a.assigned_on, a.start, a."end", a.volume, a.unit, a.frequency
FROM care_assignment a
JOIN care_client c ON c.id = a.client_id
JOIN regions_municipality m ON m.id = a.municipality_id
JOIN contracts_product p ON p.id = a.product_id
JOIN segments_segment s ON s.id = p.segment_id
JOIN providers_provider pr ON pr.id = a.provider_id
WHERE m.region_id = %s
"""

POPULATION_SQL = """
SELECT m.cbs_code AS municipality, m.name, p.year, p.age_0_17
FROM regions_population p JOIN regions_municipality m ON m.id = p.municipality_id
WHERE m.region_id = %s
"""

MEASUREMENTS_SQL = """
SELECT ms.id, c.pseudonym AS client, m.cbs_code AS municipality, s.code AS segment, p.category, p.code AS product,
       pr.agb_code AS provider, a.referrer_type AS referrer, ms.kind, ms.measured_on, ms.value
FROM monitoring_measurement ms
JOIN care_assignment a ON a.id = ms.assignment_id
JOIN care_client c ON c.id = a.client_id
JOIN regions_municipality m ON m.id = a.municipality_id
JOIN contracts_product p ON p.id = a.product_id
JOIN segments_segment s ON s.id = p.segment_id
JOIN providers_provider pr ON pr.id = a.provider_id
WHERE m.region_id = %s
"""
MEASUREMENT_SCHEMA = {"id": pl.Int64, "client": pl.String, "municipality": pl.String, "segment": pl.String,
                      "category": pl.String, "product": pl.String, "provider": pl.String, "referrer": pl.String,
                      "kind": pl.String, "measured_on": pl.Date, "value": pl.String}

SEGMENTS_SQL = "SELECT code AS segment, name, domain, funding_model FROM segments_segment WHERE region_id = %s"

DATES = {"start", "end", "assigned_on", "period_start", "period_end", "birth_date", "measured_on"}
TABLES = ("episodes", "lines", "assignments", "population", "segments", "measurements")


def no_measurements() -> pl.DataFrame:
    return pl.DataFrame([], schema=MEASUREMENT_SCHEMA)


@dataclass(frozen=True)
class Facts:
    episodes: pl.DataFrame
    lines: pl.DataFrame
    assignments: pl.DataFrame
    population: pl.DataFrame
    segments: pl.DataFrame
    measurements: pl.DataFrame = field(default_factory=no_measurements)  # outcome measurements (providers')

    def write(self, folder: Path) -> None:
        """As Parquet files, for the benchmark's reference queries and for analysts' own tools."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            getattr(self, name).write_parquet(folder / f"{name}.parquet")

    def only(self, municipalities: set[str] | None = None, segments: set[str] | None = None,
             **columns: str) -> Facts:
        """The facts of these municipalities and segments alone (None: all), and where a table has the column,
        of one value of it (e.g. provider="98000001")."""
        wanted = {"municipality": municipalities, "segment": segments,
                  **{name: {value} for name, value in columns.items()}}

        def keep(frame: pl.DataFrame) -> pl.DataFrame:
            for column, values in wanted.items():
                if values is not None and column in frame.columns:
                    frame = frame.filter(pl.col(column).is_in(sorted(values)))
            return frame
        return Facts(**{name: keep(getattr(self, name)) for name in TABLES})

    @classmethod
    def read(cls, folder: Path) -> Facts:
        return cls(**{name: pl.read_parquet(folder / f"{name}.parquet") for name in TABLES
                      if (folder / f"{name}.parquet").exists()})


def _query(sql: str, region_id: int) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, [region_id])
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    for name in DATES & set(names):
        if frame.schema[name] == pl.String:
            frame = frame.with_columns(pl.col(name).str.to_date())
        elif frame.schema[name] == pl.Null:
            frame = frame.with_columns(pl.col(name).cast(pl.Date))
    return frame


def load_facts(region_id: int) -> Facts:
    return Facts(
        episodes=_query(EPISODES_SQL, region_id),
        lines=_query(LINES_SQL, region_id),
        assignments=_query(ASSIGNMENTS_SQL, region_id),
        population=_query(POPULATION_SQL, region_id),
        segments=_query(SEGMENTS_SQL, region_id),
        measurements=_query(MEASUREMENTS_SQL, region_id).cast(MEASUREMENT_SCHEMA),
    )
