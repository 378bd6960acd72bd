"""The benchmark suite (`regiekamer bench`). Every figure is printed next to a reference run measured in
the same process on the same files, so the ratios hold across machines.

- generation: `regiekamer generate` vs the floor of parsing and re-serialising the same files with bare lxml
- ingest+check: `ingest_paths` into a fresh SQLite database vs a bare lxml parse of the same files, with the
  steps that bound it measured on the same files: parse + XSD validation (the issue requires the schema check)
  and the whole decode (parse, validate, decode to message objects); then the large declarations ingested
  into the same database, the shape of a national year (most lines travel in monthly files of many lines)
- large declarations: decoding 323 files of 3,000 and 30,000 lines vs a bare lxml parse, and the memory
  each decode takes in a fresh process (it should follow the decoded lines, not the XML tree)
- the floor under any ingest of the stream of large declarations: parse + XSD validation, reading every value
  once, storing every line with the line table's indexes (and without), with no checks and no objects, and
  what that floor means for the 2× and 3-minute goals (docs/ingest-speed.md)
- KPIs: the full KPI set by the polars engine vs hand-written DuckDB SQL over the same Parquet files, for the
  demo region's facts and for synthetic national facts (`monitoring.synthetic`; `--kpi` runs only this)
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from lxml import etree
from rich.console import Console
from rich.table import Table

NATIONAL_LINES = 15_000_000  # declaration lines in a national year (issue figure), for the extrapolation
LARGE_DECLARATIONS = (3_000, 30_000)  # lines per file; 30,000 lines is close to the 25 MB limit
STREAM_FILES, STREAM_LINES = 40, 3_000  # a stream of large declarations: 96 MB, more than one ingest batch


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.xml"))


def _bare_parse(files: list[Path]) -> int:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in files:
        etree.parse(str(path), parser)
    return len(files)


def _parse_and_validate(files: list[Path]) -> int:
    """Bare parse plus the XSD check of each file against its message schema: the floor under any ingest that
    validates, as the issue requires."""
    from regiekamer.ijw.constants import KIND_BY_NAMESPACE
    from regiekamer.ijw.schemas import schema_for

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in files:
        root = etree.parse(str(path), parser).getroot()
        schema_for(KIND_BY_NAMESPACE[etree.QName(root).namespace]).validate(root)
    return len(files)


def _decode_all(files: list[Path]) -> int:
    """What the decoding worker does: read, safe parse, XSD validation, decode into message objects."""
    from regiekamer.ijw.read import read_file

    for path in files:
        read_file(path)
    return len(files)


def _bare_roundtrip(files: list[Path], target: Path) -> int:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for index, path in enumerate(files):
        tree = etree.parse(str(path), parser)
        (target / f"{index}.xml").write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return len(files)


def _large_declaration(lines: int, target: Path, number: int = 0) -> Path:
    """A schema-valid 323 with `lines` prestaties for 100 clients; `number` tells apart several of one size."""
    from regiekamer.ijw.constants import JW323, DebitCredit, Unit
    from regiekamer.ijw.model import DeclarationMessage, Header, Performance, Product
    from regiekamer.ijw.write import write

    line = Performance("", "", None, 0, Product("45", "45A48"), date(2024, 1, 1), date(2024, 1, 31), 4, Unit.UUR,
                       7250, 29000, DebitCredit.DEBET)
    clients = [f"{100000000 + i * 11:09d}" for i in range(100)]
    performances = [replace(line, bsn=clients[i * 100 // lines], reference=f"R{number:03d}{lines:06d}{i:06d}",
                            assignment_number=i + 1)
                    for i in range(lines)]
    message = DeclarationMessage(Header(JW323, "98000001", "0505", f"B{number}N{lines}", date(2024, 2, 5)),
                                 f"B{number}N{lines}",
                                 date(2024, 1, 1), date(2024, 1, 31), date(2024, 2, 5), 29000 * lines,
                                 DebitCredit.DEBET, performances)
    path = target / f"declaratie-{lines}-{number}.xml"
    path.write_bytes(write(message))
    return path


# Peak RSS from /proc (VmHWM): unlike getrusage's ru_maxrss it starts afresh in a new program, instead of
# carrying the high-water mark of the process that started it.
_MEASURE_DECODE = """
import sys
from pathlib import Path
from regiekamer.ijw.read import decode
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
data = Path(sys.argv[1]).read_bytes()
before = peak_mb()
decode(data, sys.argv[1])
print(peak_mb() - before)
"""


def _decode_memory_mb(path: Path) -> float:
    """Peak memory a decode adds, measured in a fresh process (above what reading the file took)."""
    done = subprocess.run([sys.executable, "-c", _MEASURE_DECODE, str(path)], capture_output=True, text=True,
                          check=True)
    return float(done.stdout.strip())


def _large_declarations(work: Path, table: Table, console: Console) -> tuple[float, Floor]:
    """Decode each large declaration, then ingest and check it into the bench's database; then a stream of
    them, and the floor under any ingest of that stream. Returns the stream's lines per second and the floor.
    Their lines name assignment numbers the region does not hold for these clients, so they are rejected (TR338
    and others), after every control has run and with every line stored."""
    from regiekamer.ijw.read import decode
    from regiekamer.messaging.ingest import ingest_paths

    folder = work / "groot"
    folder.mkdir()
    for lines in LARGE_DECLARATIONS:
        path = _large_declaration(lines, folder)
        data = path.read_bytes()
        t_decode, _ = _timed(lambda: decode(data, str(path)))
        t_parse, _ = _timed(lambda: _bare_parse([path]))
        t_ingest, report = _timed(lambda: ingest_paths([path]))
        memory = _decode_memory_mb(path)
        label = f"323 ({lines:,} lines, {len(data) / 1e6:.1f} MB)"
        table.add_row(f"decode {label}", f"{t_decode:.2f}", f"{lines / t_decode:,.0f} lines/s", "bare lxml parse",
                      f"{t_parse:.2f}", f"{t_decode / t_parse:.2f}×")
        table.add_row(f"ingest+check {label}", f"{t_ingest:.2f}", f"{lines / t_ingest:,.0f} lines/s",
                      "bare lxml parse", f"{t_parse:.2f}", f"{t_ingest / t_parse:.2f}×")
        console.print(f"  decoding {path.name}: +{memory:.0f} MB peak in a fresh process "
                      f"({memory / (len(data) / 1e6):.1f} MB per MB of XML); ingested: "
                      f"{report.lines_accepted + report.lines_rejected:,} lines checked and stored")
    # The shape of a national year: a stream of monthly declarations of thousands of lines each, more than one
    # batch, so decoding runs in the worker beside the checks, as it does for the region's files.
    stream = folder / "stroom"
    stream.mkdir()
    files = [_large_declaration(STREAM_LINES, stream, number) for number in range(1, STREAM_FILES + 1)]
    lines = STREAM_LINES * STREAM_FILES
    t_parse, _ = _timed(lambda: _bare_parse(files))
    t_ingest, report = _timed(lambda: ingest_paths([stream]))
    assert report.lines_accepted + report.lines_rejected == lines, report.errors[:3]
    table.add_row(f"ingest+check {STREAM_FILES} × 323 ({STREAM_LINES:,} lines)", f"{t_ingest:.2f}",
                  f"{lines / t_ingest:,.0f} lines/s", "bare lxml parse", f"{t_parse:.2f}", f"{t_ingest / t_parse:.2f}×")
    floor = stream_floor(files, _stream_lines())
    for label, seconds in (("  floor: parse + XSD validation", floor.validate),
                           ("  floor: + reading every value once", floor.read),
                           ("  floor: storing the lines (one writer)", floor.store),
                           ("  floor: reading and storing on 2 cores", floor.wall)):
        table.add_row(label, f"{seconds:.2f}", f"{lines / seconds:,.0f} lines/s", "bare parse (CPU, best of 3)",
                      f"{floor.parse:.2f}", f"{seconds / floor.parse:.2f}×")
    return lines / t_ingest, floor


def _stream_lines() -> list[tuple]:
    """The stream's lines as the ingest stored them, every column, for the floor's storing step."""
    from django.db import connection

    from regiekamer.declarations.models import Declaration, DeclarationLine

    numbers = [f"B{number}N{STREAM_LINES}" for number in range(1, STREAM_FILES + 1)]
    declarations = list(Declaration.objects.filter(number__in=numbers).values_list("id", flat=True))
    with connection.cursor() as cursor:  # every column in the table's own order, for INSERT ... VALUES
        cursor.execute(f"SELECT * FROM {DeclarationLine._meta.db_table} WHERE declaration_id IN "
                       f"({', '.join('%s' for _ in declarations)})", declarations)
        rows = cursor.fetchall()
    assert len(rows) == STREAM_FILES * STREAM_LINES, len(rows)
    # Dates as the text SQLite stores, so that storing them measures SQLite, not a Python adapter.
    return [tuple(value.isoformat() if isinstance(value, date) else value for value in row) for row in rows]


@dataclass(frozen=True)
class Floor:
    """What any ingest that does what the issue asks must spend on a stream of declarations, with no check,
    no message object and no bookkeeping: CPU seconds of each step in this process."""

    parse: float  # the bare lxml parse: the reference
    validate: float  # parse + XSD validation (the issue requires the schema check)
    read: float  # the same, plus reading every element's name and text once from Python: the least a decoder does
    store: float  # writing every line, with the indexes of the declaration line table, in one transaction
    store_unindexed: float  # the same without any secondary index: less than the controls need

    @staticmethod
    def on_two_cores(read: float, store: float) -> float:
        """Both cores fully used: reading can be split over two processes, storing cannot (one writer)."""
        return max(store, (read + store) / 2)

    @property
    def wall(self) -> float:
        return self.on_two_cores(self.read, self.store)

    def explain(self, lines: int) -> str:
        t_parse = self.parse
        national = NATIONAL_LINES * self.wall / lines / 60
        unindexed = self.on_two_cores(self.read, self.store_unindexed)
        return (f"floor of any ingest of the stream that validates, reads each value once and stores each line "
                f"(no checks, no objects; both cores fully used): {self.wall:.2f} s = {self.wall / t_parse:.2f}× the "
                f"bare parse (goal 2×), {unindexed / t_parse:.2f}× even with no index on the lines; "
                f"{NATIONAL_LINES:,} lines at least {national:.1f} minutes (goal 3), "
                f"{NATIONAL_LINES * unindexed / lines / 60:.1f} with no index. Per line: "
                f"{self.read / lines * 1e6:.1f} µs CPU to parse, validate and read, {self.store / lines * 1e6:.1f} µs "
                f"to store ({self.store_unindexed / lines * 1e6:.1f} µs without indexes)")


def _read_every_value(files: list[Path]) -> int:
    """Parse + XSD validation, then every element's local name and text read once from Python."""
    from regiekamer.ijw.constants import KIND_BY_NAMESPACE
    from regiekamer.ijw.schemas import schema_for

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    values = 0
    for path in files:
        root = etree.parse(str(path), parser).getroot()
        schema_for(KIND_BY_NAMESPACE[etree.QName(root).namespace]).validate(root)
        for element in root.iter():
            if element.tag and element.text:
                values += 1
    return values


def _cpu(action) -> float:
    started = time.process_time()
    action()
    return time.process_time() - started


def _store_lines(rows: list[tuple], indexed: bool = True) -> float:
    """CPU seconds to write rows into a copy of the declaration line table (with all its indexes, or none) in
    one transaction; the copy is dropped afterwards. SQLite only: it runs in this process."""
    from django.db import connection, transaction

    from regiekamer.declarations.models import DeclarationLine

    table, copy = DeclarationLine._meta.db_table, "bench_floor_lines"
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
        ddl = sorted(cursor.fetchall(), key=lambda item: item[0] != "table")  # the table before its indexes
        for kind, sql in ddl if indexed else ddl[:1]:
            renamed = sql.replace(f'"{table}"', f'"{copy}"')
            if kind == "index":  # index names are global: give the copy's their own
                renamed = renamed.replace('INDEX "', f'INDEX "{copy}_', 1)
            cursor.execute(renamed)
    placeholders = ", ".join(["%s"] * len(rows[0]))
    try:
        started = time.process_time()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f'INSERT INTO "{copy}" VALUES ({placeholders})', rows)
        return time.process_time() - started
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE "{copy}"')


def stream_floor(files: list[Path], rows: list[tuple], rounds: int = 3) -> Floor:
    """Each step the least CPU time of a few rounds, the bare parse too: on a shared machine single runs of the
    same parse vary by half, so the steps take turns within each round and drift hits them alike."""
    _read_every_value(files[:2])  # warm the schemas
    steps = {"parse": lambda: _cpu(lambda: _bare_parse(files)),
             "validate": lambda: _cpu(lambda: _parse_and_validate(files)),
             "read": lambda: _cpu(lambda: _read_every_value(files)),
             "store": lambda: _store_lines(rows),
             "store_unindexed": lambda: _store_lines(rows, indexed=False)}
    best = {name: step() for name, step in steps.items()}
    for _ in range(rounds - 1):
        best = {name: min(best[name], step()) for name, step in steps.items()}
    return Floor(**best)


def run_all(scale: float, console: Console, kpi_scale: float = 1.0) -> None:
    work = Path(tempfile.mkdtemp(prefix="regiekamer-bench-"))
    os.environ["REGIEKAMER_VAR_DIR"] = str(work / "var")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiekamer.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from regiekamer.generator.output import generate
    from regiekamer.messaging.ingest import ingest_paths
    from regiekamer.regions.register import load_register

    source = work / "source"
    with console.status("generating the region ..."):
        t_generate, summary = _timed(lambda: generate(source, scale=scale))
    files = _files(source / "berichten")
    size = sum(p.stat().st_size for p in files)
    roundtrip_dir = work / "roundtrip"
    roundtrip_dir.mkdir()
    with console.status("reference runs (bare lxml, XSD validation, decode) ..."):
        t_roundtrip, _ = _timed(lambda: _bare_roundtrip(files, roundtrip_dir))
        _bare_parse(files)  # warm the page cache and lxml, as the ingest below finds them
        t_parse, _ = _timed(lambda: _bare_parse(files))
        t_validate, _ = _timed(lambda: _parse_and_validate(files))
        t_decode, _ = _timed(lambda: _decode_all(files))

    call_command("migrate", interactive=False, verbosity=0)
    load_register(source / "region.json")
    _reset_peak_rss()
    cpu_before = _cpu_seconds()
    with console.status(f"ingesting {len(files):,} messages ..."):
        t_ingest, report = _timed(lambda: ingest_paths([source / "berichten"]))
    cpu_main, cpu_workers = (after - before for after, before in zip(_cpu_seconds(), cpu_before))
    peak_mb = _peak_rss_mb()
    cpu_parse = time.process_time()
    _bare_parse(files)
    cpu_parse = time.process_time() - cpu_parse
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    t_parse_after, _ = _timed(lambda: _bare_parse(files))  # the reference again, to see the load change
    t_parse = min(t_parse, t_parse_after)

    lines = summary.declaration_lines
    table = Table(title=f"Regiekamer bench (scale {scale:g}: {len(files):,} messages, {lines:,} declaration lines, "
                        f"{size / 1e6:.1f} MB)")
    for column in ("benchmark", "seconds", "throughput", "reference", "ref. seconds", "ratio"):
        table.add_column(column, justify="left" if column in ("benchmark", "reference") else "right")
    table.add_row("generate region", f"{t_generate:.2f}", f"{len(files) / t_generate:,.0f} msg/s",
                  "lxml parse+serialise+write", f"{t_roundtrip:.2f}", f"{t_generate / t_roundtrip:.2f}×")
    table.add_row("  parse + XSD validation (floor)", f"{t_validate:.2f}", f"{len(files) / t_validate:,.0f} msg/s",
                  "bare lxml parse", f"{t_parse:.2f}", f"{t_validate / t_parse:.2f}×")
    table.add_row("  decode (parse, XSD, to objects)", f"{t_decode:.2f}", f"{len(files) / t_decode:,.0f} msg/s",
                  "bare lxml parse", f"{t_parse:.2f}", f"{t_decode / t_parse:.2f}×")
    table.add_row("ingest+check (all message types)", f"{t_ingest:.2f}", f"{lines / t_ingest:,.0f} lines/s",
                  "bare lxml parse", f"{t_parse:.2f}", f"{t_ingest / t_parse:.2f}×")
    with console.status("large declarations ..."):
        large, floor = _large_declarations(work, table, console)
    console.print(table)
    console.print(f"ingest: {report.processed:,} processed, {report.rejected} refused, {report.lines_accepted:,} lines "
                  f"accepted, {report.lines_rejected:,} rejected; peak RSS {peak_mb:.0f} MB in this process, "
                  f"{worker_peak_mb:.0f} MB in the decoding worker")
    console.print(f"CPU time, less sensitive to other load on the machine than the wall clock: ingest+check "
                  f"{cpu_main + cpu_workers:.2f} s ({cpu_main:.2f} s this process, {cpu_workers:.2f} s the decoding "
                  f"worker) against {cpu_parse:.2f} s for the bare parse: {(cpu_main + cpu_workers) / cpu_parse:.1f}× "
                  f"in total, {max(cpu_main, cpu_workers) / cpu_parse:.1f}× for the busier of the two processes (the "
                  f"wall-clock ratio with two free cores)")
    console.print(f"the region's files are small ({size / len(files) / 1e3:.1f} kB, {lines / len(files):.1f} "
                  f"declaration lines per message): per file, XSD validation alone costs "
                  f"{(t_validate - t_parse) / t_parse:.1f}× the bare parse and the whole decode "
                  f"{t_decode / t_parse:.1f}×; ingest+check runs the decode in a worker process beside the checks "
                  f"and writes on the other core")
    console.print(f"at this machine's rate for the region's mix ({t_ingest / len(files) * 1000:.2f} ms per message, "
                  f"{lines / t_ingest:,.0f} lines/s), {NATIONAL_LINES:,} lines would take about "
                  f"{NATIONAL_LINES / (lines / t_ingest) / 60:,.0f} minutes; at the rate for a stream of large "
                  f"declarations ({large:,.0f} lines/s) about {NATIONAL_LINES / large / 60:,.0f} minutes")
    console.print(floor.explain(STREAM_FILES * STREAM_LINES))
    if kpi_scale:
        from regiekamer.monitoring.facts import load_facts
        from regiekamer.regions.models import Region

        kpi_benchmark(work, load_facts(Region.objects.get().id), kpi_scale, console)
    shutil.rmtree(work, ignore_errors=True)


# --- the KPI engine against hand-written DuckDB SQL (issue 5) -----------------------------------------------
#
# The full KPI set (every KPI; no split, per municipality, per segment) for one year, computed by the polars
# engine (`monitoring.kpis`) and by the hand-written DuckDB SQL (`monitoring.kpi_sql`) in this process, both
# starting from the same Parquet files: the engine reads them once and shares intermediate results within the
# year; DuckDB reads them in every query. Each side runs once to warm up (caches, lazy imports), then once timed.

KPI_SPLITS = ("", "municipality", "segment")
KPI_YEAR = 2024  # the demo's middle year: history before it, and six months after it for re-entry


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) so far of this process and of its finished child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> None:
    """Start the peak RSS afresh from the current RSS (Linux: 5 in /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _engine_kpis(folder: Path) -> int:
    from regiekamer.monitoring.facts import Facts
    from regiekamer.monitoring.kpis import Period, compute_all, shared_work

    facts = Facts.read(folder)
    with shared_work():
        return sum(len(compute_all(facts, Period.of(KPI_YEAR), [split] if split else [])) for split in KPI_SPLITS)


def _duckdb_kpis(folder: Path) -> int:
    from regiekamer.monitoring.kpi_sql import KpiSql
    from regiekamer.monitoring.kpis import KPIS, Period

    reference = KpiSql(folder)
    try:
        return sum(len(reference.rows(kpi.id, Period.of(KPI_YEAR), split)) for kpi in KPIS for split in KPI_SPLITS)
    finally:
        reference.close()


def _warm_and_time(run, folder: Path) -> tuple[float, float]:
    """Seconds of the second run and the peak RSS (MB) of this process during it."""
    run(folder)
    _reset_peak_rss()
    seconds, _ = _timed(lambda: run(folder))
    return seconds, _peak_rss_mb()


def _write_national_facts(folder: Path, scale: float) -> None:
    """Synthetic national facts, generated in a fresh process so that this one's memory stays its own."""
    code = ("import sys; from pathlib import Path; from regiekamer.monitoring.synthetic import national_facts; "
            "national_facts(float(sys.argv[1])).write(Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(scale), str(folder)], check=True)


def kpi_benchmark(work: Path, demo_facts, kpi_scale: float, console: Console) -> None:
    """The KPI engine against DuckDB: the demo region's facts (`demo_facts`, from the database the bench built)
    and synthetic national facts at `kpi_scale` (1: 500,000 clients, about 15 million lines)."""
    import polars as pl

    demo_folder, national_folder = work / "kpi-demo", work / "kpi-national"
    demo_facts.write(demo_folder)
    with console.status(f"generating synthetic national facts (scale {kpi_scale:g}) ..."):
        t_generate, _ = _timed(lambda: _write_national_facts(national_folder, kpi_scale))
    table = Table(title=f"KPI set {KPI_YEAR} (every KPI; no split, per municipality, per segment): polars engine "
                        "vs hand-written DuckDB SQL over the same Parquet files")
    for column in ("facts", "clients", "lines", "engine s", "DuckDB s", "ratio", "engine peak RSS",
                   "DuckDB peak RSS"):
        table.add_column(column, justify="left" if column == "facts" else "right")
    for label, folder in (("demo region (from the bench's database)", demo_folder),
                          (f"national, synthetic (scale {kpi_scale:g})", national_folder)):
        sizes = pl.scan_parquet(folder / "episodes.parquet").select(pl.col("client").n_unique()).collect().item(), \
            pl.scan_parquet(folder / "lines.parquet").select(pl.len()).collect().item()
        with console.status(f"KPIs over the {label} facts: engine ..."):
            t_engine, peak_engine = _warm_and_time(_engine_kpis, folder)
        with console.status(f"KPIs over the {label} facts: DuckDB ..."):
            t_duckdb, peak_duckdb = _warm_and_time(_duckdb_kpis, folder)
        table.add_row(label, f"{sizes[0]:,}", f"{sizes[1]:,}", f"{t_engine:.2f}", f"{t_duckdb:.2f}",
                      f"{t_engine / t_duckdb:.2f}×", f"{peak_engine:,.0f} MB", f"{peak_duckdb:,.0f} MB")
    console.print(table)
    console.print(f"each side warmed up once, then timed once; the engine's time includes reading the Parquet "
                  f"files; peak RSS is this process's high-water mark during the timed run (reset before it). "
                  f"Generating the synthetic facts took {t_generate:.0f} s (a separate process).")


def run_kpi(scale: float, kpi_scale: float, console: Console) -> None:
    """Only the KPI benchmark: build the demo region at `scale` through the message path, then compare."""
    work = Path(tempfile.mkdtemp(prefix="regiekamer-kpibench-"))
    os.environ["REGIEKAMER_VAR_DIR"] = str(work / "var")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiekamer.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from regiekamer.generator.output import generate
    from regiekamer.messaging.ingest import ingest_paths
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.regions.models import Region
    from regiekamer.regions.register import load_register

    with console.status(f"building the demo region (scale {scale:g}) ..."):
        generate(work / "source", scale=scale)
        call_command("migrate", interactive=False, verbosity=0)
        load_register(work / "source" / "region.json")
        ingest_paths([work / "source" / "berichten"])
    kpi_benchmark(work, load_facts(Region.objects.get().id), kpi_scale, console)
    shutil.rmtree(work, ignore_errors=True)
