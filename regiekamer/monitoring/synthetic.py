"""Synthetic facts at national scale for the KPI benchmark (`regiekamer bench --kpi`).

These are `Facts` tables generated directly, not iJw messages: the benchmark measures the KPI engine against
hand-written SQL over the same Parquet files, and the message path (generate, ingest) is benchmarked on its
own. At scale 1 there are 500,000 clients in about 340 municipalities with about 15 million accepted
declaration lines over three years (2023-2025), with the demo region's segments, products and tariffs:

- clients live in municipalities whose sizes follow a power law (a few cities, many villages);
- each client has one or more care episodes one after another, with a product drawn by the demo's mix, a
  duration typical of the product, a stop reason when it ended before the end of 2025, a referrer and an
  assignment date (none for task-based care, segment 7);
- assignments: one per referred episode, and a second with a changed volume after a year of care;
- lines: one per episode and month of care within the three years (etmalen: the days of care that month),
  a few credited and declared again;
- outcome measurements: goals and satisfaction at the end of most referred care, crisis stabilisation;
- providers: a Zipf-like market (a few large providers take much of the money, a long tail takes the rest).

Everything is computed with polars expressions from the row numbers and a seed, so the same seed and scale
give the same tables.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from regiekamer.monitoring.facts import Facts

NATIONAL_CLIENTS = 500_000
NATIONAL_MUNICIPALITIES = 342
NATIONAL_PROVIDERS = 4_000
YOUTH_PER_CLIENT = 7  # residents aged 0-17 per client in care over the three years
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2025, 12, 31)
EARLIEST_START = date(2020, 7, 1)  # care that began before the three years and still ran in them
MUNICIPALITY_EXPONENT, PROVIDER_EXPONENT = 0.7, 1.1

SEGMENTS = pl.DataFrame({
    "segment": ["1", "2", "3", "4", "5", "6", "7"],
    "name": ["Hoog specialistisch", "Wonen", "Dagbesteding en dagbehandeling", "Specialistisch / veel voorkomend",
             "Crisis", "Gecertificeerde instellingen", "Onderwijs jeugdhulp"],
    "domain": ["jeugd"] * 7,
    "funding_model": ["inspanning", "inspanning", "inspanning", "inspanning", "hybride", "inspanning", "taak"],
})

# The demo's products: segment, category, code, unit, tariff in cents per unit, volume per month (0: the days
# in care, for etmalen), mean duration in days, share of episodes in per mille.
PRODUCTS = pl.DataFrame(
    [("1", "43", "43A07", "14", 32_091, 0, 840, 20), ("1", "45", "45A53", "04", 11_133, 7, 640, 24),
     ("2", "44", "44A07", "14", 4_382, 0, 720, 26), ("2", "44", "44A08", "14", 17_006, 0, 540, 20),
     ("2", "44", "44A27", "14", 9_718, 0, 690, 25), ("3", "41", "41A03", "16", 7_088, 14, 570, 71),
     ("3", "41", "41A18", "16", 4_512, 14, 510, 34), ("4", "45", "45A05", "04", 10_798, 5, 630, 137),
     ("4", "45", "45A48", "04", 7_177, 6, 750, 356), ("4", "45", "45A49", "04", 5_298, 5, 460, 88),
     ("5", "46", "46A01", "04", 10_999, 10, 30, 18), ("5", "46", "46A03", "14", 34_108, 0, 20, 8),
     ("6", "47", "47A01", "82", 76_800, 1, 1160, 20), ("6", "48", "48A01", "82", 121_699, 1, 1380, 90),
     ("7", "45", "45A52", "04", 0, 0, 680, 62)],
    schema={"segment": pl.String, "category": pl.String, "product": pl.String, "unit": pl.String,
            "tariff": pl.Int64, "monthly": pl.Int64, "mean_days": pl.Int64, "share": pl.Int64},
    orient="row",
).with_row_index("product_index")
TASK_SEGMENT = "7"  # task-based: no assignments per client, no declaration lines

# Cumulative shares in per mille: the stop reasons (JZ588) and the referrers (COD327) of the demo's mix.
STOP_REASONS = (("31", 550), ("32", 620), ("33", 650), ("34", 700), ("35", 720), ("36", 770), ("38", 830),
                ("39", 880), ("20", 920), ("37", 1000))
REFERRERS = (("01", 300), ("02", 660), ("03", 690), ("04", 810), ("05", 850), ("06", 990), ("08", 1000))
FURTHER_CHAIN = 0.55  # chains of care per client: 2.2 on average
FURTHER_EPISODE = 0.45  # episodes one after another in a chain: 1.8 on average
CREDITED = 0.004  # share of lines credited and declared again


def _uniform(column: str, seed: int, stream: int) -> pl.Expr:
    """A number in [0, 1) from a row number: the same for the same row, seed and stream."""
    hashed = pl.col(column).hash(seed=seed * 1_000 + stream)
    return (hashed % (1 << 53)).cast(pl.Float64) / float(1 << 53)


def _power_law(u: pl.Expr, items: int, exponent: float) -> pl.Expr:
    """An index 0 … items-1 whose frequency falls as (index + 1)^-exponent (inverse of the continuous law)."""
    top = float(items + 1) ** (1 - exponent)
    return ((1 + u * (top - 1)) ** (1 / (1 - exponent))).floor().cast(pl.Int64).clip(1, items) - 1


def _pick(u: pl.Expr, cumulative: tuple[tuple[str, int], ...]) -> pl.Expr:
    """The code whose cumulative per mille share first exceeds u × 1000."""
    chosen = pl.lit(cumulative[-1][0])
    for code, bound in reversed(cumulative[:-1]):
        chosen = pl.when(u * 1000 < bound).then(pl.lit(code)).otherwise(chosen)
    return chosen


def _code(number: pl.Expr, prefix: str, width: int) -> pl.Expr:
    return pl.format(prefix + "{}", number.cast(pl.String).str.zfill(width))


def _days(count: pl.Expr) -> pl.Expr:
    return pl.duration(days=count)


def _geometric(u: pl.Expr, further: float) -> pl.Expr:
    """1, and one more with chance `further` each time."""
    return (1 + ((1 - u).log() / pl.lit(further).log()).floor().cast(pl.Int64)).clip(1, 8)


def _clients(clients: int, municipalities: int, seed: int) -> pl.DataFrame:
    """One row per client and chain of care: care that runs in parallel (e.g. treatment beside day care)."""
    span = (LAST_DAY - EARLIEST_START).days
    return pl.DataFrame({"n": pl.int_range(clients, eager=True)}).with_columns(
        # A permutation of 10^12 (the multiplier is prime to it): unique, unordered pseudonyms of P + 12 digits.
        _code((pl.col("n") * 7_919_000_003 + 104_729) % 10**12, "P", 12).alias("client"),
        _code(_power_law(_uniform("n", seed, 1), municipalities, MUNICIPALITY_EXPONENT) * 3 + 1, "", 4)
        .alias("home"),
        (pl.lit(EARLIEST_START) + _days((_uniform("n", seed, 2) * span).cast(pl.Int64))).alias("first_start"),
        (pl.lit(date(2007, 1, 1)) + _days((_uniform("n", seed, 3) * 18 * 365).cast(pl.Int64))).alias("birth_date"),
        pl.int_ranges(0, _geometric(_uniform("n", seed, 4), FURTHER_CHAIN)).alias("c"),
    ).explode("c").with_row_index("chain").with_columns(
        pl.col("chain").cast(pl.Int64),
        (pl.col("first_start") + _days(pl.when(pl.col("c") > 0)
                                       .then((_uniform("chain", seed, 5) * 240).cast(pl.Int64)).otherwise(0)))
        .alias("chain_start"))


def _episodes(clients: pl.DataFrame, municipalities: int, providers: int, seed: int) -> pl.DataFrame:
    cumulative = PRODUCTS.select("product_index", pl.col("share").cum_sum().alias("bound"))
    product_index = pl.lit(len(PRODUCTS) - 1, dtype=pl.UInt32)
    for index, bound in reversed(cumulative.rows()[:-1]):
        product_index = pl.when(_uniform("e", seed, 10) * 1000 < bound).then(pl.lit(index, dtype=pl.UInt32)) \
            .otherwise(product_index)
    episodes = (clients.with_columns(pl.int_ranges(0, _geometric(_uniform("chain", seed, 6), FURTHER_EPISODE))
                                     .alias("j")).explode("j")
                .with_row_index("e").with_columns(pl.col("e").cast(pl.Int64), product_index.alias("product_index"))
                .join(PRODUCTS, on="product_index", how="left"))
    moved = _uniform("e", seed, 11) < 0.03
    duration = (1 + (-(1 - _uniform("e", seed, 12)).log() * pl.col("mean_days")).floor()).cast(pl.Int64)
    gap = (1 + (-(1 - _uniform("e", seed, 13)).log() * 240).floor()).cast(pl.Int64)
    episodes = episodes.with_columns(duration.alias("duration"), gap.alias("gap")).with_columns(
        (pl.col("chain_start") + _days((pl.col("duration") + pl.col("gap")).cum_sum().over("chain")
                                       - pl.col("duration") - pl.col("gap"))).alias("start"),
        pl.when(moved & (pl.col("j") > 0))
        .then(_code(_power_law(_uniform("e", seed, 14), municipalities, MUNICIPALITY_EXPONENT) * 3 + 1, "", 4))
        .otherwise(pl.col("home")).alias("municipality"),
        _code(98_000_000 + _power_law(_uniform("e", seed, 15), providers, PROVIDER_EXPONENT), "", 8).alias("provider"),
    ).filter(pl.col("start") <= LAST_DAY)
    end = pl.col("start") + _days(pl.col("duration") - 1)
    referred = pl.col("segment") != TASK_SEGMENT
    return episodes.with_columns(
        pl.when(end <= LAST_DAY).then(end).alias("end"),
        pl.when(end <= LAST_DAY).then(_pick(_uniform("e", seed, 16), STOP_REASONS)).otherwise(pl.lit(""))
        .alias("stop_reason"),
        pl.when(referred).then(_pick(_uniform("e", seed, 17), REFERRERS)).alias("referrer"),
        pl.when(referred).then(pl.col("start") - _days((-(1 - _uniform("e", seed, 18)).log() * 18).cast(pl.Int64)))
        .alias("assigned_on"),
        (pl.col("e") + 1).alias("id"),
    )


def _assignments(episodes: pl.DataFrame, seed: int) -> pl.DataFrame:
    referred = episodes.filter(pl.col("segment") != TASK_SEGMENT).with_columns(
        pl.max_horizontal(pl.col("monthly"), pl.lit(20)).alias("base"))
    first = referred.with_columns(
        pl.col("start").alias("from"), pl.col("end").alias("to"), pl.col("assigned_on").alias("on"),
        (pl.col("base") * (0.6 + 0.8 * _uniform("e", seed, 20))).round().cast(pl.Int64).clip(1).alias("volume"),
        pl.col("e").alias("number"))
    # after a year of care a new assignment: scaled down, kept or raised
    second = first.filter((pl.col("to").is_null() | ((pl.col("to") - pl.col("from")).dt.total_days() > 365))
                          & (pl.col("from") + _days(pl.lit(365)) <= LAST_DAY)).with_columns(
        (pl.col("from") + _days(pl.lit(365))).alias("from"),
        (pl.col("from") + _days(pl.lit(350))).alias("on"),
        (pl.col("volume") * (0.5 + 0.8 * _uniform("e", seed, 21))).round().cast(pl.Int64).clip(1).alias("volume"),
        (pl.col("e") + 10**9).alias("number"))
    return pl.concat([first, second]).sort("number").select(
        pl.col("number").alias("id"), "client", "municipality", "segment", "category", "product", "provider",
        "referrer", pl.col("on").alias("assigned_on"), pl.col("from").alias("start"), pl.col("to").alias("end"),
        "volume", "unit", pl.when(pl.col("unit") == "14").then(pl.lit("2")).otherwise(pl.lit("4")).alias("frequency"))


def _lines(episodes: pl.DataFrame, seed: int) -> pl.DataFrame:
    declared = episodes.filter(pl.col("segment") != TASK_SEGMENT).with_columns(
        pl.max_horizontal("start", pl.lit(FIRST_DAY)).alias("care_from"),
        pl.min_horizontal(pl.col("end").fill_null(LAST_DAY), pl.lit(LAST_DAY)).alias("care_to"),
    ).filter(pl.col("care_from") <= pl.col("care_to"))
    months = declared.select(
        "e", "client", "municipality", "segment", "category", "product", "provider", "unit", "tariff", "monthly",
        "care_from", "care_to",
        pl.date_ranges(pl.col("care_from").dt.month_start(), pl.col("care_to"), interval="1mo").alias("period_start"),
    ).explode("period_start").with_row_index("l").with_columns(pl.col("l").cast(pl.Int64))
    days_in_care = (pl.min_horizontal("care_to", pl.col("period_start").dt.month_end())
                    - pl.max_horizontal("care_from", "period_start")).dt.total_days() + 1
    volume = pl.when(pl.col("unit") == "14").then(days_in_care).when(pl.col("unit") == "82").then(pl.lit(1)) \
        .otherwise((pl.col("monthly") * (0.4 + 1.2 * _uniform("l", seed, 30))).round().cast(pl.Int64).clip(1))
    lines = months.with_columns(pl.col("period_start").dt.month_end().alias("period_end"), volume.alias("volume")) \
        .with_columns((pl.col("volume") * pl.col("tariff")).alias("cents"))
    corrected = lines.filter(_uniform("l", seed, 31) < CREDITED)
    credits = corrected.with_columns(-pl.col("cents"), (pl.col("l") + 10**9).alias("l"))
    again = corrected.with_columns((pl.col("volume") - 1).clip(1).alias("volume"), (pl.col("l") + 2 * 10**9).alias("l")) \
        .with_columns((pl.col("volume") * pl.col("tariff")).alias("cents"))
    return pl.concat([lines, credits, again]).select(
        (pl.col("l") + 1).alias("id"), "client", "municipality", "segment", "category", "product", "provider",
        "period_start", "period_end", "volume", "unit", "cents")


def _measurements(episodes: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Outcome measurements: goals and satisfaction at the end of most referred care, and for crisis care
    whether it was stabilised within 24 hours (the day after the start)."""
    ended = episodes.filter(pl.col("end").is_not_null() & (pl.col("segment") != TASK_SEGMENT)
                            & (pl.col("category") != "46"))
    goals = ended.filter(_uniform("e", seed, 40) < 0.6).with_columns(
        pl.lit("doelrealisatie").alias("kind"), pl.col("end").alias("measured_on"),
        _pick(_uniform("e", seed, 41), (("ja", 550), ("gedeeltelijk", 850), ("nee", 1000))).alias("value"))
    satisfaction = ended.filter(_uniform("e", seed, 42) < 0.5).with_columns(
        pl.lit("tevredenheid").alias("kind"), pl.col("end").alias("measured_on"),
        (4 + (_uniform("e", seed, 43) * 7).floor()).cast(pl.Int64).cast(pl.String).alias("value"))
    crisis = episodes.filter(pl.col("category") == "46").with_columns(
        pl.lit("crisis_24u").alias("kind"), (pl.col("start") + _days(pl.lit(1))).alias("measured_on"),
        _pick(_uniform("e", seed, 44), (("ja", 800), ("nee", 1000))).alias("value"))
    return pl.concat([goals, satisfaction, crisis]).with_row_index("m", offset=1).select(
        pl.col("m").cast(pl.Int64).alias("id"), "client", "municipality", "segment", "category", "product", "provider",
        "referrer", "kind", "measured_on", "value")


def _population(episodes: pl.DataFrame, municipalities: int, clients: int) -> pl.DataFrame:
    codes = pl.DataFrame({"k": pl.int_range(municipalities, eager=True)}).with_columns(
        _code(pl.col("k") * 3 + 1, "", 4).alias("municipality"))
    weights = codes.with_columns((1 / (pl.col("k") + 1) ** MUNICIPALITY_EXPONENT).alias("weight"))
    total = clients * YOUTH_PER_CLIENT
    years = pl.DataFrame({"year": [2023, 2024, 2025]})
    return weights.join(years, how="cross").select(
        "municipality", pl.format("Gemeente {}", "municipality").alias("name"), pl.col("year").cast(pl.Int64),
        (pl.col("weight") / pl.col("weight").sum().over("year") * total * (1 + 0.005 * (pl.col("year") - 2023)))
        .round().cast(pl.Int64).clip(1).alias("age_0_17"))


def national_facts(scale: float = 1.0, seed: int = 1) -> Facts:
    """Facts for `scale` × 500,000 clients (0.02: 10,000, a quick run), deterministic by seed."""
    clients = max(100, round(NATIONAL_CLIENTS * scale))
    municipalities = max(10, min(NATIONAL_MUNICIPALITIES, round(NATIONAL_MUNICIPALITIES * scale ** 0.5)))
    providers = max(20, round(NATIONAL_PROVIDERS * scale ** 0.5))
    episodes = _episodes(_clients(clients, municipalities, seed), municipalities, providers, seed)
    return Facts(
        episodes=episodes.select("id", "client", "municipality", "segment", "category", "product", "unit",
                                 "provider", "start", "end", "stop_reason", "referrer", "assigned_on", "birth_date"),
        lines=_lines(episodes, seed),
        assignments=_assignments(episodes, seed),
        population=_population(episodes, municipalities, clients),
        segments=SEGMENTS,
        measurements=_measurements(episodes, seed),
    )
