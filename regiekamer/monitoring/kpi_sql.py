"""The KPI set once more, as hand-written DuckDB SQL over the Parquet files that `Facts.write` produces.

This is the benchmark's reference (`regiekamer bench --kpi`) and a second reading of the definitions in
`monitoring.kpis`: each query is written from a KPI's definition and formula, not from the polars code, and
the tests prove both give the same numerators, denominators and persons for every KPI, period and split.

Every query returns rows of (grp, extra, numerator, denominator, persons): `grp` is the municipality or
segment the row is about (NULL without a split), `extra` the KPI's own dimension (funding model, duration
class, referrer) or NULL. Queries are templates: `{g}` is the column a split groups by (a constant without
one), `{key}` the row's group in the answer, `{by}` the GROUP BY of the final aggregation. The period comes
in as parameters: $start, $end (dates), $days (its length) and $year (its first day's year).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from regiekamer.monitoring.facts import TABLES
from regiekamer.monitoring.kpis import Period

SPLITS = ("", "municipality", "segment")  # no split, per municipality, per segment
Row = tuple[str | None, str | None, int | None, int | None, int | None]

# Macros for the words the definitions share.
MACROS = """
CREATE OR REPLACE MACRO ran_during(s, e, first, last) AS s <= last AND (e IS NULL OR e >= first);
CREATE OR REPLACE MACRO in_care_on(s, e, day) AS s <= day AND (e IS NULL OR e >= day);
-- an end counts unless it is a temporary stop (20) or an administrative end for a change request (37)
CREATE OR REPLACE MACRO ended_during(e, reason, first, last) AS
    e BETWEEN first AND last AND (reason IS NULL OR reason NOT IN ('20', '37'));
CREATE OR REPLACE MACRO signed_days(volume, cents) AS CASE WHEN cents < 0 THEN -volume ELSE volume END;
"""

EPISODES = "ep AS (SELECT *, {g} AS grp FROM episodes)"
LINES = "ln AS (SELECT *, {g} AS grp FROM lines WHERE period_start BETWEEN $start AND $end)"

# --- volume and flow -----------------------------------------------------------------------------------------

CLIENTS_IN_CARE = f"""
WITH {EPISODES}
SELECT {{key}}, NULL, count(DISTINCT client), NULL, count(DISTINCT client)
FROM ep WHERE ran_during(start, "end", $start, $end) GROUP BY {{by}}
"""

# New clients: a start in the period, and in the same group no care on the day before the period.
INFLOW = f"""
WITH {EPISODES},
started AS (SELECT DISTINCT client, grp FROM ep WHERE start BETWEEN $start AND $end),
before AS (SELECT DISTINCT client, grp FROM ep WHERE in_care_on(start, "end", $start - 1)),
new AS (SELECT * FROM started EXCEPT SELECT * FROM before)
SELECT {{key}}, NULL, count(*), NULL, count(*) FROM new GROUP BY {{by}}
"""

# Leavers: care during the period, none on its last day.
OUTFLOW = f"""
WITH {EPISODES},
during AS (SELECT DISTINCT client, grp FROM ep WHERE ran_during(start, "end", $start, $end)),
on_last AS (SELECT DISTINCT client, grp FROM ep WHERE in_care_on(start, "end", $end)),
leavers AS (SELECT * FROM during EXCEPT SELECT * FROM on_last)
SELECT {{key}}, NULL, count(*), NULL, count(*) FROM leavers GROUP BY {{by}}
"""

THROUGHFLOW = f"""
WITH {EPISODES},
on_first AS (SELECT DISTINCT client, grp FROM ep WHERE in_care_on(start, "end", $start)),
on_last AS (SELECT DISTINCT client, grp FROM ep WHERE in_care_on(start, "end", $end)),
both_days AS (SELECT * FROM on_first INTERSECT SELECT * FROM on_last)
SELECT {{key}}, NULL, count(*), NULL, count(*) FROM both_days GROUP BY {{by}}
"""

TRAJECTORIES = f"""
WITH {EPISODES}
SELECT {{key}}, NULL, count(*), NULL, count(DISTINCT client)
FROM ep WHERE ran_during(start, "end", $start, $end) GROUP BY {{by}}
"""

# Residents 0-17 of the period's year: of the row's municipality when split by municipality, else of all.
SHARE_IN_CARE = f"""
WITH {EPISODES},
youth AS (SELECT {{key}} AS grp, count(DISTINCT client) AS clients FROM ep
          WHERE segment IN (SELECT segment FROM segments WHERE domain = 'jeugd')
            AND ran_during(start, "end", $start, $end) GROUP BY {{by}}),
residents AS (SELECT municipality, sum(age_0_17) AS residents FROM population WHERE year = $year
              GROUP BY municipality)
SELECT {{key}}, NULL, clients, {{residents}}, clients FROM youth
"""
RESIDENTS_OF_MUNICIPALITY = "(SELECT r.residents FROM residents r WHERE r.municipality = youth.grp)"
RESIDENTS_OF_ALL = "(SELECT coalesce(sum(residents), 0) FROM residents)"

# --- cost ----------------------------------------------------------------------------------------------------

SPENDING = f"""
WITH {LINES}
SELECT {{key}}, NULL, coalesce(sum(cents), 0), NULL, count(DISTINCT client) FROM ln GROUP BY {{by}}
"""

COST_PER_CLIENT = f"""
WITH {LINES}
SELECT {{key}}, NULL, coalesce(sum(cents), 0), count(DISTINCT client), count(DISTINCT client) FROM ln GROUP BY {{by}}
"""

COST_PER_TRAJECTORY = f"""
WITH {LINES}
SELECT {{key}}, NULL, coalesce(sum(cents), 0),
       count(DISTINCT (client, provider, product)) FILTER (WHERE client IS NOT NULL), count(DISTINCT client)
FROM ln GROUP BY {{by}}
"""

SPENDING_BY_FUNDING = f"""
WITH {LINES}
SELECT {{key}}, s.funding_model AS extra, sum(cents), NULL, count(DISTINCT client)
FROM ln LEFT JOIN segments s ON s.segment = ln.segment GROUP BY {{by_extra}}
"""

# --- duration ------------------------------------------------------------------------------------------------

ENDED = f"""{EPISODES},
ended AS (SELECT grp, client, "end" - start + 1 AS days, stop_reason FROM ep
          WHERE ended_during("end", stop_reason, $start, $end))"""

# The median as the lower of the two middle values: quantile_disc takes the value at position ⌊(n − 1) / 2⌋.
MEDIAN_DURATION = f"""
WITH {ENDED}
SELECT {{key}}, NULL, quantile_disc(days, 0.5), count(*), count(DISTINCT client) FROM ended GROUP BY {{by}}
"""

ENDED_WITHIN = f"""
WITH {ENDED}
SELECT {{key}}, NULL, count(*) FILTER (WHERE days <= {{days}}), count(*), count(DISTINCT client) FROM ended
GROUP BY {{by}}
"""

DURATION_CLASSES = f"""
WITH {ENDED},
classed AS (SELECT grp, client, CASE WHEN days BETWEEN 0 AND 91 THEN 'tot 3 maanden'
                                     WHEN days BETWEEN 92 AND 182 THEN '3 tot 6 maanden'
                                     WHEN days BETWEEN 183 AND 365 THEN '6 tot 12 maanden'
                                     WHEN days BETWEEN 366 AND 730 THEN '1 tot 2 jaar'
                                     WHEN days >= 731 THEN '2 jaar of langer' END AS extra
            FROM ended),
totals AS (SELECT grp, count(*) AS ended FROM classed GROUP BY grp)
SELECT {{key}}, extra, count(*), any_value(t.ended), count(DISTINCT client)
FROM classed JOIN totals t USING (grp) GROUP BY {{by_extra}}
"""

# Long: in care on the period's last day and by then running more than 365 × N days. Scaled down: the volume
# of the latest assignment (by start, then by record) that started by the period's end is lower than that of
# the earliest; without an assignment the episode counts as not scaled down.
LONG_NOT_SCALED_DOWN = f"""
WITH {EPISODES},
long AS (SELECT * FROM ep WHERE in_care_on(start, "end", $end) AND $end - start + 1 > 365 * {{years}}),
volumes AS (SELECT client, provider, product, arg_min(volume, (start, id)) AS first_volume,
                   arg_max(volume, (start, id)) AS last_volume
            FROM assignments WHERE start <= $end GROUP BY client, provider, product)
SELECT {{key}}, NULL,
       count(*) FILTER (WHERE v.first_volume IS NULL OR v.last_volume IS NULL OR v.last_volume >= v.first_volume),
       count(*), count(DISTINCT long.client)
FROM long LEFT JOIN volumes v ON v.client = long.client AND v.provider = long.provider AND v.product = long.product
GROUP BY {{by}}
"""

# --- referral and waiting ------------------------------------------------------------------------------------

REFERRER_SHARE = f"""
WITH {EPISODES},
started AS (SELECT grp, client, coalesce(referrer, 'geen toewijzing') AS extra FROM ep
            WHERE start BETWEEN $start AND $end),
totals AS (SELECT grp, count(*) AS started FROM started GROUP BY grp)
SELECT {{key}}, extra, count(*), any_value(t.started), count(DISTINCT client)
FROM started JOIN totals t USING (grp) GROUP BY {{by_extra}}
"""

WAITS = f"""{EPISODES},
waits AS (SELECT grp, client, greatest(start - assigned_on, 0) AS wait FROM ep
          WHERE start BETWEEN $start AND $end AND assigned_on IS NOT NULL)"""

MEDIAN_WAIT = f"""
WITH {WAITS}
SELECT {{key}}, NULL, quantile_disc(wait, 0.5), count(*), count(DISTINCT client) FROM waits GROUP BY {{by}}
"""

WITHIN = f"""
WITH {WAITS}
SELECT {{key}}, NULL, count(*) FILTER (WHERE wait <= {{days}}), count(*), count(DISTINCT client) FROM waits
GROUP BY {{by}}
"""

# --- outcome -------------------------------------------------------------------------------------------------

DROPOUT = f"""
WITH {ENDED}
SELECT {{key}}, NULL, count(*) FILTER (WHERE stop_reason IN ('32', '33')), count(*), count(DISTINCT client)
FROM ended GROUP BY {{by}}
"""

# Leavers (as for outflow) with their last end, when the 183 days after it lie within what the facts know
# (the latest start, end or declared day); re-entry: a start in the same group within 183 days after it.
NO_NEW_START = f"""
WITH {EPISODES},
known AS (SELECT greatest((SELECT max(start) FROM episodes), (SELECT max("end") FROM episodes),
                          (SELECT max(period_end) FROM lines)) AS last_day),
during AS (SELECT client, grp, max("end") AS last_end FROM ep WHERE ran_during(start, "end", $start, $end)
           GROUP BY client, grp),
on_last AS (SELECT DISTINCT client, grp FROM ep WHERE in_care_on(start, "end", $end)),
leavers AS (SELECT d.* FROM during d ANTI JOIN on_last o ON o.client = d.client AND o.grp = d.grp
            WHERE d.last_end <= (SELECT last_day FROM known) - 183),
returned AS (SELECT DISTINCT l.client, l.grp, true AS came_back FROM leavers l JOIN ep n ON n.client = l.client AND n.grp = l.grp
             WHERE n.start > l.last_end AND n.start <= l.last_end + 183)
SELECT {{key}}, NULL, count(*) FILTER (WHERE came_back IS NULL), count(*), count(*)
FROM leavers LEFT JOIN returned USING (client, grp) GROUP BY {{by}}
"""

# Outcome measurements that providers deliver: the share of a kind's measurements in the period that succeeded.
MEASURED = """
WITH ms AS (SELECT *, {g} AS grp FROM measurements WHERE kind = '{kind}' AND measured_on BETWEEN $start AND $end)
SELECT {key}, NULL, count(*) FILTER (WHERE {success}), count(*), count(DISTINCT client) FROM ms GROUP BY {by}
"""
GOAL_REACHED = MEASURED.replace("{kind}", "doelrealisatie").replace("{success}", "value = 'ja'")
SATISFIED = MEASURED.replace("{kind}", "tevredenheid").replace(
    "{success}", "regexp_full_match(value, '[0-9]+') AND CAST(value AS BIGINT) >= 7")  # a mark of 7 or more
STABILISED = MEASURED.replace("{kind}", "crisis_24u").replace("{success}", "value = 'ja'")

# --- segment norms and the market ----------------------------------------------------------------------------

CRISIS_WITHIN = f"""
WITH {EPISODES},
ended AS (SELECT grp, client, "end" - start + 1 AS days FROM ep
          WHERE category = '46' AND {{unit_test}} AND ended_during("end", stop_reason, $start, $end))
SELECT {{key}}, NULL, count(*) FILTER (WHERE days <= {{days}}), count(*), count(DISTINCT client) FROM ended
GROUP BY {{by}}
"""

OUT_OF_HOME = f"""
WITH {EPISODES}
SELECT {{key}}, NULL, count(DISTINCT client), NULL, count(DISTINCT client) FROM ep
WHERE category IN ('43', '44') AND ran_during(start, "end", $start, $end) GROUP BY {{by}}
"""

OCCUPIED_BEDS = f"""
WITH {LINES}
SELECT {{key}}, NULL, coalesce(sum(signed_days(volume, cents)), 0), NULL, count(DISTINCT client) FROM ln
WHERE category = '43' AND unit = '14' GROUP BY {{by}}
"""

# The base year: the first year with declaration lines; its bed days scaled to the period's length (rounded
# down to whole days).
BEDS_AGAINST_BASE_YEAR = """
WITH base AS (SELECT year(min(period_start)) AS year FROM lines),
bed_lines AS (SELECT *, {g} AS grp FROM lines WHERE category = '43' AND unit = '14'),
now AS (SELECT {key} AS grp, coalesce(sum(signed_days(volume, cents)), 0) AS days, count(DISTINCT client) AS persons
        FROM bed_lines WHERE period_start BETWEEN $start AND $end GROUP BY {by}),
then_ AS (SELECT {key} AS grp, coalesce(sum(signed_days(volume, cents)), 0) AS days FROM bed_lines
          WHERE year(period_start) = (SELECT year FROM base) GROUP BY {by})
SELECT now.grp, NULL, now.days, CAST(fdiv(then_.days * $days, 365) AS BIGINT), now.persons
FROM now LEFT JOIN then_ ON now.grp IS NOT DISTINCT FROM then_.grp
"""

# Per provider: the balance of its accepted lines in the period; only providers with a positive balance.
PER_PROVIDER = f"""{LINES},
providers AS (SELECT grp, provider, sum(cents) AS cents FROM ln GROUP BY grp, provider HAVING sum(cents) > 0)"""

PROVIDERS = f"""
WITH {PER_PROVIDER}
SELECT {{key}}, NULL, count(*), NULL, NULL FROM providers GROUP BY {{by}}
"""

TOP5 = f"""
WITH {PER_PROVIDER},
ranked AS (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY cents DESC) AS rank FROM providers)
SELECT {{key}}, NULL, coalesce(sum(cents) FILTER (WHERE rank <= 5), 0), coalesce(sum(cents), 0), NULL FROM ranked
GROUP BY {{by}}
"""

# HHI = 10 000 × Σ cents² / (Σ cents)², kept as two exact whole numbers.
HHI = f"""
WITH {PER_PROVIDER}
SELECT {{key}}, NULL, coalesce(sum(CAST(cents AS HUGEINT) * cents), 0),
       coalesce(CAST(sum(cents) AS HUGEINT) * sum(cents), 0), NULL
FROM providers GROUP BY {{by}}
"""

QUERIES: dict[str, str] = {
    "clienten-in-zorg": CLIENTS_IN_CARE,
    "instroom": INFLOW,
    "uitstroom": OUTFLOW,
    "doorstroom": THROUGHFLOW,
    "trajecten": TRAJECTORIES,
    "aandeel-jeugd-in-zorg": SHARE_IN_CARE,
    "uitgaven": SPENDING,
    "kosten-per-client": COST_PER_CLIENT,
    "kosten-per-traject": COST_PER_TRAJECTORY,
    "uitgaven-per-bekostiging": SPENDING_BY_FUNDING,
    "duur-mediaan": MEDIAN_DURATION,
    "duur-klasse": DURATION_CLASSES,
    "binnen-een-jaar-beeindigd": ENDED_WITHIN.replace("{days}", "365"),
    "lang-niet-afgeschaald-1-jaar": LONG_NOT_SCALED_DOWN.replace("{years}", "1"),
    "lang-niet-afgeschaald-2-jaar": LONG_NOT_SCALED_DOWN.replace("{years}", "2"),
    "verwijzer-aandeel": REFERRER_SHARE,
    "wachttijd-mediaan": MEDIAN_WAIT,
    "wachttijd-binnen-4-weken": WITHIN.replace("{days}", "28"),
    "wachttijd-binnen-10-weken": WITHIN.replace("{days}", "70"),
    "uitval": DROPOUT,
    "geen-nieuwe-start-6-maanden": NO_NEW_START,
    "doelrealisatie": GOAL_REACHED,
    "clienttevredenheid": SATISFIED,
    "crisis-gestabiliseerd-24-uur": STABILISED,
    "crisis-verblijf-binnen-7-dagen": CRISIS_WITHIN.replace("{unit_test}", "unit = '14'").replace("{days}", "7"),
    "crisis-ambulant-binnen-4-weken": CRISIS_WITHIN.replace("{unit_test}", "unit <> '14'").replace("{days}", "28"),
    "uithuisplaatsingen": OUT_OF_HOME,
    "bezette-bedden": OCCUPIED_BEDS,
    "bedden-ten-opzichte-van-basisjaar": BEDS_AGAINST_BASE_YEAR,
    "aantal-aanbieders": PROVIDERS,
    "top5-aandeel": TOP5,
    "hhi": HHI,
}


def query(kpi_id: str, split: str) -> str:
    """The SQL of one KPI for one split ("" for none, "municipality" or "segment")."""
    if split not in SPLITS:
        raise ValueError(f"no SQL for the split {split!r}; choose from {SPLITS}")
    grouped = bool(split)
    residents = RESIDENTS_OF_MUNICIPALITY if split == "municipality" else RESIDENTS_OF_ALL
    return (QUERIES[kpi_id]
            .replace("{g}", split if grouped else "'*'")
            .replace("{key}", "grp" if grouped else "NULL")
            .replace("{by_extra}", "grp, extra" if grouped else "extra")
            .replace("{by}", "grp" if grouped else "()")
            .replace("{residents}", residents))


@dataclass
class KpiSql:
    """A DuckDB connection with the fact tables as views on their Parquet files: every query reads the files."""

    folder: Path

    def __post_init__(self) -> None:
        self.connection = duckdb.connect()
        for name in TABLES:
            path = str(self.folder / f"{name}.parquet").replace("'", "''")
            self.connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
        self.connection.execute(MACROS)

    def rows(self, kpi_id: str, period: Period, split: str) -> list[Row]:
        parameters = {"start": period.start, "end": period.end, "days": period.days, "year": period.start.year}
        sql = query(kpi_id, split)
        used = {name: value for name, value in parameters.items() if f"${name}" in sql}
        return [tuple(row) for row in self.connection.execute(sql, used).fetchall()]  # type: ignore[misc]

    def close(self) -> None:
        self.connection.close()
