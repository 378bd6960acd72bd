"""The hand-written DuckDB SQL of the KPI set (the benchmark's reference) gives exactly the numerators,
denominators and persons of the polars engine for every KPI, period and split: on the demo region's facts and
on hand-made edge cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from regiekamer.monitoring.facts import MEASUREMENT_SCHEMA, Facts
from regiekamer.monitoring.kpi_sql import QUERIES, SPLITS, KpiSql, Row
from regiekamer.monitoring.kpis import BY_ID, KPIS, Kpi, Period, shared_work
from tests.test_kpis import ASSIGNMENT_COLUMNS, episode, facts_of, line

PERIODS = (Period.of(2023), Period.of(2024), Period.of(2025), Period.of(2024, quarter=2), Period.of(2024, month=7),
           Period.of(2025, month=2))


def _number(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def engine_rows(kpi: Kpi, facts: Facts, period: Period, split: str) -> list[Row]:
    frame = kpi.count(facts, period, [split] if split else [])
    rows = [(row[split] if split else None, row[kpi.extra] if kpi.extra else None, _number(row.get("numerator")),
             _number(row.get("denominator")), _number(row.get("persons"))) for row in frame.iter_rows(named=True)]
    return sorted(rows, key=repr)


def sql_rows(reference: KpiSql, kpi: Kpi, period: Period, split: str) -> list[Row]:
    rows = [(grp, extra, *(_number(value) for value in counts))
            for grp, extra, *counts in reference.rows(kpi.id, period, split)]
    return sorted(rows, key=repr)  # type: ignore[arg-type]


def differences(facts: Facts, folder: Path) -> list[str]:
    """Every KPI, period and split where the engine and the SQL differ; the engine both alone per KPI and with
    the intermediate results shared across all KPIs and splits of a period."""
    facts.write(folder)
    reference = KpiSql(folder)
    found = []
    try:
        for period in PERIODS:
            sql = {(kpi.id, split): sql_rows(reference, kpi, period, split) for kpi in KPIS for split in SPLITS}
            alone = {(kpi.id, split): engine_rows(kpi, facts, period, split) for kpi in KPIS for split in SPLITS}
            with shared_work():
                shared = {(kpi.id, split): engine_rows(kpi, facts, period, split) for kpi in KPIS for split in SPLITS}
            for key, expected in sql.items():
                for way, engine in (("alone", alone[key]), ("shared", shared[key])):
                    if engine != expected:
                        found.append(f"{key[0]} {period.label} by {key[1] or 'none'} ({way}): engine {engine[:4]}, "
                                     f"sql {expected[:4]}")
    finally:
        reference.close()
    return found


def test_every_kpi_has_a_query_for_every_split():
    assert set(QUERIES) == set(BY_ID)
    assert all(split in kpi.dimensions for kpi in KPIS for split in SPLITS if split)


@pytest.mark.django_db
def test_sql_equals_the_engine_on_the_demo_region(demo_region, tmp_path):
    from regiekamer.monitoring.facts import load_facts

    facts = load_facts(demo_region.id)
    assert differences(facts, tmp_path) == []


def assignment(client: str, start: str, volume: int, number: int, provider: str = "P1",
               product: str = "45A48") -> dict:
    day = date.fromisoformat(start)
    return {"id": number, "client": client, "municipality": "0505", "segment": "4", "category": "45",
            "product": product, "provider": provider, "referrer": "02", "assigned_on": day, "start": day,
            "end": None, "volume": volume, "unit": "04", "frequency": "2"}


def measurement(client: str, kind: str, day: str, value: str, number: int, municipality: str = "0505") -> dict:
    return {"id": number, "client": client, "municipality": municipality, "segment": "4", "category": "45",
            "product": "45A48", "provider": "P1", "referrer": "02", "kind": kind,
            "measured_on": date.fromisoformat(day), "value": value}


def edge_cases() -> Facts:
    """Every corner the definitions name, in two municipalities and two segments."""
    episodes = [
        episode("A", "0505", "2023-10-01", "2024-03-31", "31"),  # spans two years
        episode("B", "0505", "2023-01-01", "2024-06-30", "38"), episode("B", "0482", "2024-07-01"),  # moves
        episode("D", "0505", "2023-06-01", "2024-11-01", "31"), episode("D", "0505", "2025-02-01", "2025-06-30", "31")
        | {"referrer": None, "assigned_on": None},  # care without an assignment
        episode("E", "0505", "2023-06-01", "2024-02-01", "32"),
        episode("F", "0505", "2023-06-01", "2024-03-01", "37"), episode("F", "0505", "2024-03-02", "2024-03-31", "33"),
        episode("G", "0505", "2024-01-10", "2024-02-10", "20"), episode("G", "0505", "2024-03-01", "2024-12-31", "31")
        | {"assigned_on": date(2024, 3, 20)},  # assigned after the start: no negative wait
        episode("H", "0482", "2024-05-01", "2024-05-03", "31", category="46", product="46A03", unit="14"),
        episode("H", "0482", "2024-06-01", "2024-06-20", "31", category="46", product="46A03", unit="14"),
        episode("I", "0482", "2024-02-01", "2024-03-15", "33", category="46", product="46A01"),
        episode("J", "0482", "2020-01-01", category="43", product="43A07", unit="14", provider="P2") | {"segment": "1"},
        episode("K", "0505", "2021-06-01", provider="P3"), episode("K", "0505", "2022-06-01", "2025-01-31", "34"),
        episode("L", "0482", "2024-12-31", "2024-12-31", "35"),  # a one-day episode on the last day
        episode("M", "0505", "2024-04-01", "2024-09-30", None),  # an end without a reason still ends
    ]
    episodes += [episode(f"W{i}", "0505", f"2024-0{1 + i % 6}-15", f"2024-0{2 + i % 6}-14", "31") for i in range(7)]
    lines = [
        line("A", "0505", "2023-11", 10_000), line("A", "0505", "2024-01", 10_000),
        line("A", "0505", "2024-01", -10_000), line("A", "0505", "2024-01", 12_345),
        line("B", "0482", "2024-07", 50_000, "P2"), line("B", "0482", "2024-07", -80_000, "P3"),  # P3 negative
        line("D", "0505", "2024-05", 1, "P4"), line("E", "0505", "2024-01", 7, "P5"), line("F", "0505", "2024-02", 7, "P6"),
        line("G", "0505", "2024-03", 7, "P7"), line("K", "0505", "2024-03", 0, "P8"),  # ties and a zero line
        line("J", "0482", "2023-03", 310_000, "P2") | {"category": "43", "unit": "14", "volume": 31, "segment": "1"},
        line("J", "0482", "2024-03", 300_000, "P2") | {"category": "43", "unit": "14", "volume": 30, "segment": "1"},
        line("J", "0482", "2024-03", -20_000, "P2") | {"category": "43", "unit": "14", "volume": 2, "segment": "1"},
        line("J", "0482", "2025-02", 280_000, "P2") | {"category": "43", "unit": "14", "volume": 28, "segment": "1"},
        line("X", "0505", "2024-04", 9_999, "P9") | {"client": None},  # the BSN unknown: money, not a person
    ]
    assignments = [
        assignment("K", "2021-06-01", 10, 1, provider="P3"), assignment("K", "2022-06-01", 8, 2),
        assignment("K", "2023-06-01", 6, 3), assignment("K", "2025-01-01", 12, 4),  # scaled down, up after 2024
        assignment("J", "2020-01-01", 30, 5, product="43A07", provider="P2"),
        assignment("J", "2024-01-01", 31, 6, product="43A07", provider="P2"),
        assignment("J", "2024-01-01", 29, 7, product="43A07", provider="P2"),  # same start: the later record
    ]
    measurements = [
        measurement("K", "doelrealisatie", "2024-02-01", "ja", 1), measurement("K", "doelrealisatie", "2024-08-01", "gedeeltelijk", 2),
        measurement("J", "doelrealisatie", "2024-03-01", "nee", 3, "0482"), measurement("D", "tevredenheid", "2024-04-01", "7", 4),
        measurement("E", "tevredenheid", "2024-04-02", "10", 5), measurement("F", "tevredenheid", "2024-12-31", "6", 6),
        measurement("H", "crisis_24u", "2024-05-02", "ja", 7, "0482"), measurement("I", "crisis_24u", "2025-01-01", "nee", 8, "0482"),
    ]
    facts = facts_of(episodes, lines)
    return replace(facts, assignments=pl.DataFrame(assignments, schema=ASSIGNMENT_COLUMNS),
                   measurements=pl.DataFrame(measurements, schema=MEASUREMENT_SCHEMA),
                   population=pl.concat([facts.population, facts.population.with_columns(pl.lit(2023, dtype=pl.Int64).alias("year"))]),
                   segments=pl.concat([facts.segments, pl.DataFrame({
                       "segment": ["1"], "name": ["Hoog specialistisch"], "domain": ["jeugd"],
                       "funding_model": ["inspanning"]})]))


def test_sql_equals_the_engine_on_edge_cases(tmp_path):
    assert differences(edge_cases(), tmp_path) == []


def test_synthetic_national_facts_are_deterministic_plausible_and_the_sql_agrees(tmp_path):
    from regiekamer.monitoring.facts import TABLES
    from regiekamer.monitoring.synthetic import national_facts

    facts = national_facts(0.002, seed=3)  # 1,000 clients
    again = national_facts(0.002, seed=3)
    assert all(getattr(facts, name).equals(getattr(again, name)) for name in TABLES)
    assert not national_facts(0.002, seed=4).lines.equals(facts.lines)
    clients = facts.episodes["client"].n_unique()
    assert clients == 1_000 and 20 <= len(facts.lines) / clients <= 40  # about 30 lines a client in three years
    assert facts.lines["period_start"].dt.year().unique().sort().to_list() == [2023, 2024, 2025]
    assert (facts.lines["cents"] < 0).any() and facts.episodes["end"].is_null().any()
    assert set(facts.episodes["segment"]) == set(facts.segments["segment"])
    assert "7" not in set(facts.lines["segment"])  # task-based care declares no lines per client
    assert set(facts.measurements["kind"]) == {"doelrealisatie", "tevredenheid", "crisis_24u"}
    assert differences(facts, tmp_path) == []


def test_the_benchmark_times_both_sides_on_the_same_rows(tmp_path):
    from regiekamer.bench import _duckdb_kpis, _engine_kpis
    from regiekamer.monitoring.synthetic import national_facts

    national_facts(0.001).write(tmp_path)
    assert _engine_kpis(tmp_path) == _duckdb_kpis(tmp_path) > 3 * len(KPIS)
