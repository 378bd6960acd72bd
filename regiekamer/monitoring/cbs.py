"""A policy-information extract in CBS's terms, so that a municipality's own figures can stand beside the
national CBS tables (Beleidsinformatie Jeugd, StatLine 85096NED and the half-yearly trajectory flows).

- `trajectories`: one row per youth-care trajectory (a care episode), pseudonymised, with CBS's fields where
  the messages carry them: hulpvorm (from the product code, JZ21), referrer, start, end and reason.
- `flows`: per hulpvorm the trajectories at the start, started, ended and at the end of a period, and all
  active ones (CBS: beginstand, instroom, uitstroom, eindstand, actief);
- `referrers`: per referrer the active, started and ended trajectories and the duration classes of the ended
  ones, in the layout of StatLine 85096NED.

A trajectory here is a care episode: one product at one provider for one client from start (305) to stop
(307). CBS counts per provider and hulpvorm; where a provider delivers two products of the same hulpvorm to
one child at once, CBS counts one trajectory and this extract two.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from regiekamer.monitoring.facts import Facts
from regiekamer.monitoring.kpis import SMALL_CELL, Period

HULPVORM_FILE = Path(__file__).parent / "data" / "jz21_hulpvorm.csv"
NO_HULPVORM = "Geen hulpvorm in de productcodelijst"
REFERRERS = {"01": "Gemeentelijke toegang", "02": "Huisarts", "03": "Jeugdarts", "04": "Gecertificeerde instelling",
             "05": "Medisch specialist", "06": "Geen verwijzer", "08": "Rechter, Officier van Justitie"}
NO_ASSIGNMENT = "Geen toewijzing"
DURATION_CLASSES = (("duur_0_3m", 0, 91), ("duur_3_6m", 92, 182), ("duur_6_12m", 183, 365),
                    ("duur_1_2j", 366, 730), ("duur_2_3j", 731, 1095), ("duur_3_4j", 1096, 1461),
                    ("duur_4j_plus", 1462, 10**6))


@cache
def hulpvormen() -> dict[str, str]:
    """Product code → CBS hulpvorm description (Standaard productcodelijst Jeugdwet, JZ21)."""
    with HULPVORM_FILE.open(encoding="utf-8") as stream:
        rows = csv.DictReader(line for line in stream if not line.startswith("#"))
        return {row["productcode"]: row["omschrijving"] for row in rows}


def youth_trajectories(facts: Facts) -> pl.DataFrame:
    """Youth-care episodes with their CBS hulpvorm and referrer."""
    youth = facts.segments.filter(pl.col("domain") == "jeugd").select("segment")
    mapping = pl.DataFrame({"product": list(hulpvormen()), "hulpvorm": list(hulpvormen().values())},
                           schema={"product": pl.String, "hulpvorm": pl.String})
    return (facts.episodes.join(youth, on="segment", how="semi").join(mapping, on="product", how="left")
            .with_columns(pl.col("hulpvorm").fill_null(NO_HULPVORM),
                          pl.col("referrer").replace_strict(REFERRERS, default=None).fill_null(NO_ASSIGNMENT)
                          .alias("verwijzer")))


def trajectories(facts: Facts, period: Period) -> pl.DataFrame:
    """The trajectories active in the period, one row each, by pseudonym."""
    active = youth_trajectories(facts).filter((pl.col("start") <= period.end)
                                              & (pl.col("end").is_null() | (pl.col("end") >= period.start)))
    return active.sort("start", "id").select(
        pl.col("client").alias("pseudoniem"), pl.col("birth_date").dt.year().alias("geboortejaar"),
        pl.col("municipality").alias("gemeente"), pl.col("provider").alias("aanbieder_agb"),
        pl.col("product").alias("productcode"), "hulpvorm", "verwijzer",
        pl.col("start").alias("begindatum"), pl.col("end").alias("einddatum"),
        pl.col("stop_reason").alias("reden_beeindiging"))


def flows(facts: Facts, period: Period) -> pl.DataFrame:
    """Per hulpvorm, and in total: beginstand + instroom − uitstroom = eindstand."""
    frame = youth_trajectories(facts).filter(pl.col("start") <= period.end)
    counts = [
        (pl.col("start") < period.start) & (pl.col("end").is_null() | (pl.col("end") >= period.start)),
        pl.col("start").is_between(period.start, period.end),
        pl.col("end").is_between(period.start, period.end),
        pl.col("end").is_null() | (pl.col("end") > period.end),
    ]
    names = ("beginstand", "instroom", "uitstroom", "eindstand")
    aggregations = [condition.sum().cast(pl.Int64).alias(name) for condition, name in zip(counts, names)]
    per_form = frame.group_by("hulpvorm").agg(*aggregations).sort("hulpvorm")
    total = frame.select(pl.lit("Totaal aantal jeugdhulptrajecten").alias("hulpvorm"), *aggregations)
    table = pl.concat([total, per_form])
    return table.with_columns((pl.col("beginstand") + pl.col("instroom")).alias("actief"))


def referrers(facts: Facts, period: Period) -> pl.DataFrame:
    """Per referrer, in the layout of StatLine 85096NED: active, started and ended trajectories and the
    durations of the ended ones (start up to and including end)."""
    frame = youth_trajectories(facts).filter((pl.col("start") <= period.end)
                                             & (pl.col("end").is_null() | (pl.col("end") >= period.start)))
    frame = frame.with_columns(((pl.col("end") - pl.col("start")).dt.total_days() + 1).alias("days"),
                               pl.col("end").is_between(period.start, period.end).alias("ended"))
    aggregations = [pl.len().alias("totaal_trajecten"),
                    pl.col("start").is_between(period.start, period.end).sum().cast(pl.Int64).alias("begonnen_totaal"),
                    pl.col("ended").sum().cast(pl.Int64).alias("beeindigd_totaal")]
    aggregations += [(pl.col("ended") & pl.col("days").is_between(low, high)).sum().cast(pl.Int64).alias(name)
                     for name, low, high in DURATION_CLASSES]
    per_referrer = frame.group_by("verwijzer").agg(*aggregations).sort("verwijzer")
    total = frame.select(pl.lit("Totaal verwijzer").alias("verwijzer"), *aggregations)
    return pl.concat([total, per_referrer])


def suppressed(table: pl.DataFrame) -> pl.DataFrame:
    """Counts of 1 to 4 withheld (null), as everywhere in Regiekamer (docs/kpis.md)."""
    return table.with_columns(pl.when(pl.col(c).is_between(1, SMALL_CELL - 1)).then(None).otherwise(pl.col(c))
                              .alias(c) for c in table.columns if table.schema[c] == pl.Int64)


def with_period(table: pl.DataFrame, period: Period) -> pl.DataFrame:
    return table.select(pl.lit(period.label).alias("periode"), *table.columns)


def half_year(year: int, half: int) -> Period:
    return Period(f"{year}-H{half}", date(year, 1 if half == 1 else 7, 1), date(year, 6, 30) if half == 1
                  else date(year, 12, 31))
