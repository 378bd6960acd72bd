"""Concurrent uploads: two ingest processes on the same database at once lose nothing and double nothing.

The processes are real `regiekamer ingest` commands against a database of their own (a SQLite file, or a
PostgreSQL database beside the test database when the suite runs on PostgreSQL). Both get the whole demo
folder at the same moment; in the second copy every declaration comes under a new message identification and
number, as from a provider that sends its invoices twice. The result must equal one plain ingest of the
folder: every message stored once, every line accepted once, no period paid twice for an assignment.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from regiekamer.ijw.model import Performance
from regiekamer.ijw.read import read_file
from regiekamer.ijw.write import write

pytestmark = pytest.mark.django_db

COUNTS = {
    "messages": "SELECT count(*) FROM messaging_receivedmessage",
    "lines accepted": "SELECT count(*) FROM declarations_declarationline WHERE status = 'toegekend'",
    "amount accepted": "SELECT sum(CASE debit_credit WHEN 'D' THEN amount_cents ELSE -amount_cents END) "
                       "FROM declarations_declarationline WHERE status = 'toegekend'",
    "assignments": "SELECT count(*) FROM care_assignment",
    "clients": "SELECT count(*) FROM care_client",
}
# Periods that stand paid more than once: accepted debits minus accepted credits above one.
DOUBLE_DEBITS = """
    SELECT count(*) FROM (
        SELECT assignment_id FROM declarations_declarationline WHERE status = 'toegekend'
        GROUP BY assignment_id, product_id, period_start, period_end
        HAVING sum(CASE debit_credit WHEN 'D' THEN 1 ELSE -1 END) > 1) AS doubled
"""


class Database:
    """A database of the test's own on the backend the suite runs on."""

    def __init__(self, tmp_path: Path) -> None:
        default = settings.DATABASES["default"]
        self.postgres = default["ENGINE"].endswith("postgresql")
        if self.postgres:
            self.server = (f"host={default['HOST'] or '127.0.0.1'} port={default['PORT'] or 5432} "
                           f"user={default['USER']} dbname=postgres")
            self.name = "regiekamer_concurrent_uploads"
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
                admin.execute(f"CREATE DATABASE {self.name}")
            self.url = (f"postgres://{default['USER']}@{default['HOST'] or '127.0.0.1'}:{default['PORT'] or 5432}"
                        f"/{self.name}")
        else:
            self.path = tmp_path / "concurrent.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def count(self, sql: str) -> int:
        if self.postgres:
            with psycopg.connect(self.server.replace("dbname=postgres", f"dbname={self.name}")) as conn:
                return conn.execute(sql).fetchone()[0]
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchone()[0]

    def drop(self) -> None:
        if self.postgres:
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from regiekamer.cli import main; main()", *args]


def _renumbered(line: Performance) -> Performance:
    """The same line under a new reference, so that only the double-financing control can catch it."""
    previous = line.previous_reference
    return replace(line, reference=f"R{line.reference}", previous_reference=f"R{previous}" if previous else None)


def _split(source: Path, target: Path) -> tuple[int, int]:
    """Copy the message folder into three: `zorg/` (assignments, starts, stops, requests), `declaraties/` (the
    declarations as they are) and `opnieuw/` (every declaration again under a new message identification,
    number and line references: new to the system, declaring the same care). Returns the numbers of declarations and
    of lines sent twice."""
    declarations = lines = 0
    for index, path in enumerate(sorted(source.rglob("*.xml"))):
        data, message = read_file(path)
        relative = path.relative_to(source)
        copies = {"zorg": data}
        if message.header.kind.number == 323:
            again = replace(message, number=f"R{message.number}",
                            header=replace(message.header, identification=f"R{index:011d}"),
                            performances=[_renumbered(line) for line in message.performances])
            copies = {"declaraties": data, "opnieuw": write(again)}
            declarations += 1
            lines += len(message.performances)
        for folder, content in copies.items():
            (target / folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / folder / relative).write_bytes(content)
    return declarations, lines


def _at_once(env: dict[str, str], *uploads: Path) -> list[dict]:
    """Start an ingest per folder at the same moment and wait for all; their JSON reports."""
    running = [subprocess.Popen(_command("ingest", "--json", "--no-answers", str(folder)), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for folder in uploads]
    reports = [json.loads(upload.communicate(timeout=600)[0]) for upload in running]
    assert [upload.returncode for upload in running] == [0] * len(uploads), [r["fouten"][:3] for r in reports]
    return reports


def test_concurrent_uploads_store_every_message_and_line_exactly_once(demo_region, demo_source, tmp_path):
    """First both uploads bring the same care messages at once; then one brings the declarations and the
    other the same declarations sent again, at once: each line must be paid exactly once."""
    from regiekamer.care.models import Assignment, Client
    from regiekamer.declarations.constants import LineStatus
    from regiekamer.declarations.models import DeclarationLine
    from regiekamer.messaging.models import ReceivedMessage

    source, _ = demo_source
    declarations_twice, lines_twice = _split(source / "berichten", tmp_path)
    database = Database(tmp_path)
    env = {**os.environ, "DATABASE_URL": database.url, "REGIEKAMER_VAR_DIR": str(tmp_path / "var")}
    try:
        subprocess.run(_command("load-register", str(source / "region.json")), env=env, check=True,
                       capture_output=True)
        care = _at_once(env, tmp_path / "zorg", tmp_path / "zorg")
        declarations = _at_once(env, tmp_path / "declaraties", tmp_path / "opnieuw")
        stored = {name: database.count(sql) for name, sql in COUNTS.items()}
        doubled = database.count(DOUBLE_DEBITS)
    finally:
        database.drop()

    # The test database holds one plain ingest of the same messages: the reference.
    accepted = DeclarationLine.objects.filter(status=LineStatus.ACCEPTED)
    reference = {
        "messages": ReceivedMessage.objects.count() + declarations_twice,
        "lines accepted": accepted.count(),
        "amount accepted": accepted.net_cents(),
        "assignments": Assignment.objects.count(),
        "clients": Client.objects.count(),
    }
    assert stored == reference
    assert doubled == 0
    # Each care message was processed by one upload and found done by the other.
    care_messages = ReceivedMessage.objects.count() - declarations_twice
    assert sum(report["verwerkt"] for report in care) == care_messages
    assert sum(report["al_verwerkt"] for report in care) == care_messages
    assert sum(report["verwerkt"] for report in declarations) == 2 * declarations_twice
    # Every line sent twice was refused once, whichever of the two copies came first.
    refused = sum(report["declaratieregels"]["afgewezen"] for report in declarations)
    faulty = DeclarationLine.objects.exclude(status=LineStatus.ACCEPTED).count()
    assert refused == lines_twice + faulty
