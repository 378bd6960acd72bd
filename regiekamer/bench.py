"""The benchmark suite (`regiekamer bench`). Every figure is printed next to a reference run measured in
the same process on the same files, so the ratios hold across machines.

- generation: `regiekamer generate` vs the floor of parsing and re-serialising the same files with bare lxml
- ingest+check: `ingest_paths` into a fresh SQLite database vs a bare lxml parse of the same files
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from lxml import etree
from rich.console import Console
from rich.table import Table


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


def _bare_roundtrip(files: list[Path], target: Path) -> int:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for index, path in enumerate(files):
        tree = etree.parse(str(path), parser)
        (target / f"{index}.xml").write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return len(files)


def run_all(scale: float, console: Console) -> None:
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
    t_generate, summary = _timed(lambda: generate(source, scale=scale))
    files = _files(source / "berichten")
    size = sum(p.stat().st_size for p in files)
    roundtrip_dir = work / "roundtrip"
    roundtrip_dir.mkdir()
    t_roundtrip, _ = _timed(lambda: _bare_roundtrip(files, roundtrip_dir))
    t_parse, _ = _timed(lambda: _bare_parse(files))

    call_command("migrate", interactive=False, verbosity=0)
    load_register(source / "region.json")
    t_ingest, report = _timed(lambda: ingest_paths([source / "berichten"]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    lines = summary.declaration_lines
    table = Table(title=f"Regiekamer bench (scale {scale:g}: {len(files)} messages, {lines} declaration lines, "
                        f"{size / 1e6:.1f} MB)")
    for column in ("benchmark", "seconds", "throughput", "reference", "ref. seconds", "ratio"):
        table.add_column(column, justify="left" if column in ("benchmark", "reference") else "right")
    table.add_row("generate region", f"{t_generate:.2f}", f"{len(files) / t_generate:,.0f} msg/s",
                  "lxml parse+serialise+write", f"{t_roundtrip:.2f}", f"{t_generate / t_roundtrip:.2f}×")
    table.add_row("ingest+check", f"{t_ingest:.2f}", f"{lines / t_ingest:,.0f} lines/s",
                  "bare lxml parse", f"{t_parse:.2f}", f"{t_ingest / t_parse:.2f}×")
    console.print(table)
    console.print(f"ingest: {report.processed} processed, {report.rejected} rejected; peak RSS {peak_mb:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)
