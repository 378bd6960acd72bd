"""KPI figures for a region as rows: the shared shape of `regiekamer kpi` (JSON, CSV, table) and the pages."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from regiekamer.monitoring.facts import Facts, load_facts
from regiekamer.monitoring.kpis import DIMENSIONS, KpiValue, Period, compute_all
from regiekamer.regions.models import Region

COLUMNS = ("id", "naam", "period", "municipality", "segment", "provider", "category", "referrer", "funding",
           "duration_class", "value", "unit", "numerator", "denominator", "persons", "suppressed", "definition",
           "formula")
GROUPINGS = (*DIMENSIONS,)


def kpi_values(region: Region, period: Period, keys: list[str], municipalities: set[str] | None = None,
               segments: set[str] | None = None, only: list[str] | None = None, facts: Facts | None = None
               ) -> list[KpiValue]:
    facts = (facts or load_facts(region.id)).only(municipalities, segments)
    return compute_all(facts, period, keys, only)


def as_rows(values: list[KpiValue], municipalities: set[str] | None = None, segments: set[str] | None = None
            ) -> list[dict]:
    """One dict per value with every column; a dimension that was not split on says what it covers: the one
    municipality or segment filtered on, else None (all)."""
    fixed = {"municipality": next(iter(municipalities)) if municipalities and len(municipalities) == 1 else None,
             "segment": next(iter(segments)) if segments and len(segments) == 1 else None}
    rows = []
    for value in values:
        row = {column: None for column in COLUMNS} | fixed | value.as_dict()
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def formatted(row: dict) -> str:
    """The value for people: euros from cents, a percent sign, dashes for suppressed or empty."""
    value = row["value"]
    if row["suppressed"]:
        return "<5"
    if value is None:
        return "–"
    if row["unit"] == "cent":
        from regiekamer.core.money import format_euros

        return format_euros(int(value))
    if row["unit"] == "procent":
        return f"{Decimal(value):.1f} %".replace(".", ",")
    return str(value).replace(".", ",")
