"""The load test (`regiekamer loadtest`): many users browse the dashboards while a large ingest runs, on
loopback, bounded in requests and in time.

It builds its own database (a fresh SQLite file in a temporary folder, or a dedicated PostgreSQL database) and
fills it the real way: `generate`, `load-register`, and `ingest` of the first year's messages. It then starts
the web app with gunicorn, and at the same time runs `regiekamer ingest` on the remaining years in a
subprocess and lets every simulated user log in through the login form and open the pages its role may see.

Every figure comes with a reference measured in the same run without concurrent load: the pages are timed
for one user alone before and after the load, and the same ingest is run alone on a copy of the database as it
was before the load.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.table import Table

from regiekamer import gunicorn_conf
from regiekamer.env import CODE_VERSION_ENV, code_version

Step = Callable[[str, int, int], None]

SERVER_WORKERS = gunicorn_conf.WORKERS  # gunicorn processes, as `regiekamer serve`
SERVER_THREADS = gunicorn_conf.THREADS  # threads per process, as `regiekamer serve`
IDLE_ROUNDS = 5  # visits of one user alone, each a fresh login and one request per page kind
START_TIMEOUT = 60.0  # seconds the server may take to answer its first request
STOP_GRACE = 15.0  # seconds a stopped subprocess gets before it is killed

# Page kinds, as reported. The users fill in the parameters.
LOGIN_FORM = "GET /login/"
LOGIN = "POST /login/"
DASHBOARD = "/"
DASHBOARD_YEAR = "/?jaar=…"
DEFINITIONS = "/definities/"
SPENDING = "/uitgaven/<gemeente>/<jaar>/"
BUDGET = "/budget/?jaar=…"
SCENARIO = "/scenario/?segment=…&jaar=…"
KPI = "/kengetallen/?jaar=…"
KPI_SPLIT = "/kengetallen/?jaar=…&per=gemeente"

# What each role may open (docs/access.md); the users request nothing else, so any other answer than the
# expected one is an error.
REGIONAL_PAGES = (DASHBOARD, DASHBOARD_YEAR, DEFINITIONS, SPENDING, BUDGET, SCENARIO, KPI, KPI_SPLIT)
MUNICIPAL_PAGES = (DASHBOARD, DASHBOARD_YEAR, DEFINITIONS, SPENDING, BUDGET, KPI, KPI_SPLIT)
PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "regio": REGIONAL_PAGES,
    "auditor": REGIONAL_PAGES,
    "gemeente": MUNICIPAL_PAGES,
    "toegang": MUNICIPAL_PAGES,
    "aanbieder": (DEFINITIONS,),
}
# Roles of users 1, 2, 3, ... in turn: per ten users 2 regional analysts, 1 auditor, 4 municipal staff, 2 access
# team members and 1 provider. The first three cover the three kinds of scope.
ROLE_MIX = ("regio", "gemeente", "aanbieder", "toegang", "auditor", "gemeente", "regio", "gemeente", "toegang",
            "gemeente")
IDLE_USERNAME = "load-idle"  # the regional user that measures the pages alone


class LoadTestError(RuntimeError):
    """The load test could not be set up or run as asked."""


@dataclass(frozen=True)
class LoadConfig:
    users: int = 50
    requests: int = 40  # per user, the two login requests included
    seconds: float = 120.0  # the load phase, and the reference ingest, stop after this
    scale: float = 0.2
    seed: int = 1
    think: float = 1.0  # mean pause between a user's requests (uniform between half and one and a half times)
    ramp: float = 10.0  # the users start one after the other, spread over this many seconds
    timeout: float = 30.0  # per request
    database_url: str | None = None  # PostgreSQL server and database name; None: SQLite in the temporary folder
    idle_rounds: int = IDLE_ROUNDS
    keep: bool = False  # keep the temporary folder (and the PostgreSQL databases) for inspection
    ingest: bool = True  # False: every message is ingested before the load; the users browse alone

    def check(self) -> None:
        if self.users < 1:
            raise LoadTestError("--users must be at least 1")
        if self.requests < 3:
            raise LoadTestError("--requests must be at least 3 (logging in takes two)")
        if self.seconds <= 0 or self.timeout <= 0 or self.think < 0 or self.ramp < 0 or self.scale <= 0:
            raise LoadTestError("--seconds, --timeout and --scale must be positive, --think and --ramp not negative")


# Statistics ------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p percent of the values at or below it."""
    if not values:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError(f"percentile {p} is not in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p * len(ordered) / 100)
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latency:
    """Milliseconds."""

    count: int
    p50: float
    p95: float
    p99: float
    max: float


def latency(seconds: Sequence[float]) -> Latency | None:
    if not seconds:
        return None
    ms = [s * 1000 for s in seconds]
    return Latency(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), max(ms))


@dataclass(frozen=True)
class Sample:
    """One HTTP request and its answer."""

    user: str
    role: str
    kind: str
    path: str
    status: int | None  # None: no answer (timeout or connection error)
    seconds: float
    error: str  # "" when the answer was the expected one
    started: float  # seconds after the load phase began


@dataclass(frozen=True)
class PageFigures:
    requests: int
    errors: int
    latency: Latency | None  # every request, errors included


PAGES = "pages (no login)"  # every dashboard page together: what the latency goal is about
ALL = "all"


def page_figures(samples: Sequence[Sample]) -> dict[str, PageFigures]:
    """Per page kind, for the pages without the two login requests under PAGES, and for all under ALL."""
    kinds = sorted({s.kind for s in samples})
    groups = {kind: [s for s in samples if s.kind == kind] for kind in kinds}
    groups[PAGES] = [s for s in samples if s.kind not in (LOGIN_FORM, LOGIN)]
    groups[ALL] = list(samples)
    return {kind: PageFigures(len(group), sum(1 for s in group if s.error), latency([s.seconds for s in group]))
            for kind, group in groups.items()}


def by_time(samples: Sequence[Sample], windows: int) -> list[tuple[float, float, PageFigures]]:
    """The load cut into equal periods by when each request started: (from, to, figures) in seconds."""
    end = max((s.started + s.seconds for s in samples), default=0.0)
    width = end / windows if end else 1.0
    periods = []
    for number in range(windows):
        low, high = number * width, (number + 1) * width
        group = [s for s in samples if low <= s.started < high or (number == windows - 1 and s.started >= high)]
        periods.append((low, high, PageFigures(len(group), sum(1 for s in group if s.error),
                                               latency([s.seconds for s in group]))))
    return periods


# The database --------------------------------------------------------------------------------------------


class Database(Protocol):
    label: str
    url: str  # where the load runs
    alone_url: str  # the copy the reference ingest runs on

    def create(self) -> None: ...

    def snapshot(self) -> None: ...

    def drop(self) -> None: ...


@dataclass
class SqliteDatabase:
    folder: Path
    label: str = "SQLite"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.folder / 'load.sqlite3'}"

    @property
    def alone_url(self) -> str:
        return f"sqlite:///{self.folder / 'alone.sqlite3'}"

    def create(self) -> None:
        pass  # the first command that migrates creates the file

    def snapshot(self) -> None:
        """Copy the database as it is now (SQLite's backup API: consistent, whatever the WAL holds)."""
        source = sqlite3.connect(self.folder / "load.sqlite3")
        target = sqlite3.connect(self.folder / "alone.sqlite3")
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def drop(self) -> None:
        pass  # removed with the temporary folder


@dataclass
class PostgresDatabase:
    """A dedicated database on the given server, dropped and created afresh. Its name must end in `_load`,
    so that a database holding anything else is never dropped."""

    server_url: str
    label: str = "PostgreSQL"

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.server_url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise LoadTestError(f"--database-url must be a postgres:// URL, got {parts.scheme}://")
        self.name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z0-9_]+_load", self.name):
            raise LoadTestError(f"the load test drops and recreates its database; its name must end in _load "
                                f"(lowercase letters, digits, _), got {self.name!r}")
        self.alone_name = f"{self.name}_alone"

    def _url_for(self, name: str) -> str:
        return urllib.parse.urlunsplit(urllib.parse.urlsplit(self.server_url)._replace(path=f"/{name}"))

    @property
    def url(self) -> str:
        return self._url_for(self.name)

    @property
    def alone_url(self) -> str:
        return self._url_for(self.alone_name)

    def _execute(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._url_for("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)  # names are checked in __post_init__

    def create(self) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.alone_name} WITH (FORCE)",
                      f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", f"CREATE DATABASE {self.name}")

    def snapshot(self) -> None:
        self._execute(f"CREATE DATABASE {self.alone_name} TEMPLATE {self.name}")

    def drop(self) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {self.alone_name} WITH (FORCE)",
                      f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def database_for(url: str | None, folder: Path) -> Database:
    return PostgresDatabase(url) if url else SqliteDatabase(folder)


# Subprocesses --------------------------------------------------------------------------------------------


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of every command the load test starts: its own database and var folder (keys)."""
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "regiekamer.settings", "DATABASE_URL": database_url,
                "REGIEKAMER_VAR_DIR": str(var_dir), "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "false",
                CODE_VERSION_ENV: code_version()})  # the server and `regiekamer warm` share their figures
    return env


def run_command(env: dict[str, str], *args: str) -> str:
    """Run `regiekamer ARGS...` to the end; its standard output."""
    done = subprocess.run([sys.executable, "-m", "regiekamer.cli", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise LoadTestError(f"regiekamer {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def database_task(env: dict[str, str], *args: str) -> dict:
    """Run one of this module's database tasks (`python -m regiekamer.loadtest TASK`) in the given environment."""
    done = subprocess.run([sys.executable, "-m", "regiekamer.loadtest", *args], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise LoadTestError(f"database task {args[0]} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def stop(process: subprocess.Popen, how: signal.Signals) -> None:
    """Stop a subprocess started in its own session, with its children: `how` first, a kill after a grace."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, how)
    try:
        process.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def message_days(messages: Path, first_year: int) -> tuple[list[Path], list[Path]]:
    """The day folders up to the end of the first year (with the history before it), and the later ones."""
    days = sorted(p for p in messages.iterdir() if p.is_dir())
    return [d for d in days if int(d.name[:4]) <= first_year], [d for d in days if int(d.name[:4]) > first_year]


@dataclass(frozen=True)
class IngestRun:
    seconds: float
    finished: bool  # False: stopped at the deadline
    exit_code: int | None  # None when stopped
    messages: int  # stored during the run
    lines: int  # declaration lines stored during the run

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


class Ingest:
    """`regiekamer ingest` in a subprocess, and the moment it ended (a thread waits for it, so the end is known
    to the millisecond however late it is asked for)."""

    def __init__(self, env: dict[str, str], days: list[Path], answers: Path, log: Path) -> None:
        self.started = time.monotonic()
        self.ended: float | None = None
        with log.open("w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "regiekamer.cli", "ingest", "--answers",
                                             str(answers), *map(str, days)], env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.watcher = threading.Thread(target=self._wait, daemon=True)
        self.watcher.start()

    def _wait(self) -> None:
        self.process.wait()
        self.ended = time.monotonic()

    def finish(self, deadline: float) -> tuple[float, bool]:
        """Wait until the deadline, then stop the ingest (SIGINT: the open batch's transaction is rolled back,
        as after any interruption). Its duration and whether it finished on its own."""
        self.watcher.join(max(0.0, deadline - time.monotonic()))
        if self.ended is not None:
            return self.ended - self.started, True
        stop(self.process, signal.SIGINT)
        return time.monotonic() - self.started, False


def ingest_alone(env: dict[str, str], days: list[Path], answers: Path, log: Path, seconds: float) -> IngestRun:
    """The reference: the same ingest with nothing else running, bounded by the same time."""
    if not days:
        return IngestRun(0.0, True, 0, 0, 0)
    before = database_task(env, "counts")
    ingest = Ingest(env, days, answers, log)
    elapsed, finished = ingest.finish(ingest.started + seconds)
    after = database_task(env, "counts")
    return IngestRun(elapsed, finished, ingest.process.returncode if finished else None,
                     after["messages"] - before["messages"], after["lines"] - before["lines"])


class Server:
    """The web app under gunicorn on a free loopback port, configured as `regiekamer serve`."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(gunicorn_conf.command("127.0.0.1", self.port), env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadTestError(f"the server stopped at start: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/login/", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError, http.client.HTTPException):
                time.sleep(0.2)
        raise LoadTestError(f"the server did not answer within {START_TIMEOUT:.0f} s")

    def stop(self) -> None:
        stop(self.process, signal.SIGTERM)  # gunicorn: graceful shutdown


# Users ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str
    municipality: str | None  # CBS code, for municipal staff and access teams
    provider: str | None  # AGB code, for providers


@dataclass(frozen=True)
class Region:
    """What the pages take as parameters, from the register (region.json)."""

    municipalities: tuple[str, ...]
    segments: tuple[str, ...]
    years: tuple[int, ...]

    @classmethod
    def from_register(cls, path: Path) -> Region:
        register = json.loads(path.read_text(encoding="utf-8"))
        first, count = register["period"]["first_year"], register["period"]["years"]
        return cls(tuple(sorted(m["cbs_code"] for m in register["municipalities"])),
                   tuple(sorted(s["code"] for s in register["segments"])), tuple(range(first, first + count)))


@dataclass(frozen=True)
class Page:
    kind: str
    path: str


def plan(account: Account, region: Region, count: int, rng: random.Random) -> list[Page]:
    """`count` pages the account's role may open: its page kinds in turn, each with parameters drawn from
    what the role may see (municipal staff: their own municipality)."""
    kinds = PAGES_BY_ROLE[account.role]
    pages = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        year = rng.choice(region.years)
        municipality = account.municipality or rng.choice(region.municipalities)
        path = {
            DASHBOARD: "/",
            DASHBOARD_YEAR: f"/?jaar={year}",
            DEFINITIONS: "/definities/",
            SPENDING: f"/uitgaven/{municipality}/{year}/",
            BUDGET: f"/budget/?jaar={year}",
            SCENARIO: f"/scenario/?segment={rng.choice(region.segments)}&jaar={year}",
            KPI: f"/kengetallen/?jaar={year}",
            KPI_SPLIT: f"/kengetallen/?jaar={year}&per=municipality&thema=Kosten",
        }[kind]
        pages.append(Page(kind, path))
    return pages


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Do not follow redirects: a 302 is an answer to check (the login's, or a lost session's)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One user's cookies and requests."""

    def __init__(self, account: Account, base_url: str, timeout: float, clock_zero: float) -> None:
        self.account = account
        self.base_url = base_url
        self.timeout = timeout
        self.clock_zero = clock_zero
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _KeepRedirects())

    def request(self, kind: str, path: str, expected: int, form: dict[str, str] | None = None
                ) -> tuple[Sample, bytes]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        started = time.perf_counter()
        status: int | None = None
        body = b""
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=self.timeout) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as answer:
            status, body = answer.code, answer.read()
            answer.close()
        except (TimeoutError, socket.timeout):
            error = "timeout"
        except urllib.error.URLError as failure:
            error = "timeout" if isinstance(failure.reason, TimeoutError) else f"connection: {failure.reason}"
        except (OSError, http.client.HTTPException) as failure:
            error = f"connection: {type(failure).__name__}"
        seconds = time.perf_counter() - started
        if status is not None:
            error = "" if status == expected else f"HTTP {status}"
        sample = Sample(self.account.username, self.account.role, kind, path, status, seconds, error,
                        time.perf_counter() - self.clock_zero - seconds)
        return sample, body

    def log_in(self) -> list[Sample]:
        """The login form with its CSRF token, then the POST; Django answers a good login with a redirect."""
        form_sample, body = self.request(LOGIN_FORM, "/login/", 200)
        found = _CSRF.search(body)
        if form_sample.error or found is None:
            return [form_sample]
        login_sample, _ = self.request(LOGIN, "/login/", 302, {
            "username": self.account.username, "password": self.account.password,
            "csrfmiddlewaretoken": found.group(1).decode(), "next": "/"})
        return [form_sample, login_sample]


def browse(account: Account, pages: list[Page], base_url: str, config: LoadConfig, rng: random.Random,
           clock_zero: float, start: float, deadline: float, record: Callable[[Sample], None]) -> None:
    """Wait for the start, log in, then open the pages with a pause between them; no new request after the
    deadline."""
    time.sleep(max(0.0, min(start, deadline) - time.monotonic()))
    if time.monotonic() >= deadline:
        return
    browser = Browser(account, base_url, config.timeout, clock_zero)
    samples = browser.log_in()
    for sample in samples:
        record(sample)
    if len(samples) < 2 or samples[-1].error:
        return  # not logged in: every page would be a redirect to the login
    for page in pages:
        if config.think:
            time.sleep(min(rng.uniform(0.5, 1.5) * config.think, max(0.0, deadline - time.monotonic())))
        if time.monotonic() >= deadline:
            return
        record(browser.request(page.kind, page.path, 200)[0])


def measure_alone(account: Account, region: Region, base_url: str, config: LoadConfig, rng: random.Random
                  ) -> list[Sample]:
    """One user alone: a warm-up visit (not counted), then `idle_rounds` visits, each a fresh login and one
    request per page kind, one after the other."""
    clock_zero = time.perf_counter()
    samples: list[Sample] = []
    kinds = PAGES_BY_ROLE[account.role]
    for round_number in range(config.idle_rounds + 1):
        browser = Browser(account, base_url, config.timeout, clock_zero)
        visit = browser.log_in()
        visit += [browser.request(page.kind, page.path, 200)[0] for page in plan(account, region, len(kinds), rng)]
        if round_number > 0:
            samples += visit
    return samples


# The run -------------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    config: LoadConfig
    database: str
    cpus: int
    messages: int  # generated
    first_year_messages: int  # ingested before the load
    load_messages: int  # the large ingest's files
    samples: list[Sample]
    users_seconds: float  # from the start of the load to the last user's last answer
    idle_before: list[Sample]
    idle_after: list[Sample]
    ingest_under_load: IngestRun
    ingest_alone: IngestRun
    warm_seconds: float  # `regiekamer warm` after the server started, before the first measurement
    accounts: list[Account] = field(default_factory=list)
    kept: Path | None = None  # the temporary folder, when kept

    @property
    def requests(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def throughput(self) -> float:
        return self.requests / self.users_seconds if self.users_seconds else 0.0

    def as_dict(self) -> dict:
        def figures(samples: list[Sample]) -> dict:
            return {kind: asdict(f) for kind, f in page_figures(samples).items()}

        return {
            "config": asdict(self.config) | {"database_url": self.config.database_url and "(given)"},
            "database": self.database, "cpus": self.cpus, "warm_seconds": self.warm_seconds,
            "server": {"workers": SERVER_WORKERS, "threads": SERVER_THREADS},
            "messages": {"generated": self.messages, "before_load": self.first_year_messages,
                         "during_load": self.load_messages},
            "load": {"requests": self.requests, "errors": self.errors, "error_rate": self.error_rate,
                     "errors_by_kind": dict(Counter(s.error for s in self.samples if s.error)),
                     "seconds": self.users_seconds, "requests_per_second": self.throughput,
                     "pages": figures(self.samples),
                     "by_time": [{"from_s": low, "to_s": high} | asdict(f) for low, high, f in by_time(self.samples, 4)]},
            "alone_before_load": figures(self.idle_before),
            "alone_after_load": figures(self.idle_after),
            "ingest_under_load": asdict(self.ingest_under_load) | {
                "lines_per_second": self.ingest_under_load.lines_per_second,
                "messages_per_second": self.ingest_under_load.messages_per_second},
            "ingest_alone": asdict(self.ingest_alone) | {
                "lines_per_second": self.ingest_alone.lines_per_second,
                "messages_per_second": self.ingest_alone.messages_per_second},
            "users": [{"username": a.username, "role": a.role, "municipality": a.municipality,
                       "provider": a.provider,
                       "statuses": dict(Counter(f"{s.kind} {s.status}" for s in self.samples
                                                if s.user == a.username))}
                      for a in self.accounts],
        }


def run_load(config: LoadConfig, progress: Step | None = None) -> LoadReport:
    """Build the database, start the server, run the users and the ingest together, then the references."""
    from regiekamer.generator.output import generate

    config.check()
    step = progress or (lambda label, done, total: None)
    work = Path(tempfile.mkdtemp(prefix="regiekamer-load-"))
    database = database_for(config.database_url, work)
    try:
        database.create()
        env = environment(database.url, work / "var")
        source = work / "source"
        summary = generate(source, seed=config.seed, scale=config.scale,
                           progress=lambda label, done, total: step("generate", done, total))
        region = Region.from_register(source / "region.json")
        before_days, load_days = message_days(source / "berichten", region.years[0])
        if not config.ingest:
            before_days, load_days = before_days + load_days, []
        before_files, load_files = _count_files(before_days), _count_files(load_days)
        step("register", 0, 1)
        run_command(env, "load-register", str(source / "region.json"))
        step("register", 1, 1)
        step("ingest year 1", 0, 1)
        run_command(env, "ingest", "--answers", str(work / "answers-before"), *map(str, before_days))
        step("ingest year 1", 1, 1)
        database.snapshot()
        accounts = [Account(**a) for a in database_task(env, "accounts", str(config.users))]
        users, idle_account = accounts[:-1], accounts[-1]
        server = Server(env, work / "server.log")
        try:
            step("server", 0, 1)
            server.wait_ready()
            step("server", 1, 1)
            step("warm", 0, 1)
            warm_started = time.monotonic()
            run_command(env, "warm")  # as the server's own warmer does after a change; both share the work
            warm_seconds = time.monotonic() - warm_started
            step("warm", 1, 1)
            step("alone before", 0, 1)
            idle_before = measure_alone(idle_account, region, server.base_url, config, random.Random(config.seed))
            step("alone before", 1, 1)
            samples, users_seconds, ingest_run = _load_phase(config, env, users, region, server.base_url, load_days,
                                                             work, step)
            step("alone after", 0, 1)
            idle_after = measure_alone(idle_account, region, server.base_url, config, random.Random(config.seed))
            step("alone after", 1, 1)
        finally:
            server.stop()
        step("ingest alone", 0, 1)
        alone = ingest_alone(environment(database.alone_url, work / "var"), load_days, work / "answers-alone",
                             work / "ingest-alone.log", config.seconds)
        step("ingest alone", 1, 1)
    finally:
        if not config.keep:
            database.drop()
            shutil.rmtree(work, ignore_errors=True)
    return LoadReport(config, database.label, os.cpu_count() or 1, summary.messages, before_files, load_files,
                      samples, users_seconds, idle_before, idle_after, ingest_run, alone, warm_seconds, users,
                      work if config.keep else None)


def _count_files(days: list[Path]) -> int:
    return sum(1 for day in days for _ in day.glob("*.xml"))


def _load_phase(config: LoadConfig, env: dict[str, str], users: list[Account], region: Region, base_url: str,
                days: list[Path], work: Path, step: Step) -> tuple[list[Sample], float, IngestRun]:
    """The ingest and the users at the same time, until both are done or the time is up."""
    before = database_task(env, "counts")
    samples: list[Sample] = []
    lock = threading.Lock()

    def record(sample: Sample) -> None:
        with lock:
            samples.append(sample)

    clock_zero = time.perf_counter()
    started = time.monotonic()
    deadline = started + config.seconds
    ingest = Ingest(env, days, work / "answers-load", work / "ingest-load.log") if days else None
    threads = []
    for index, account in enumerate(users):
        rng = random.Random(f"{config.seed}:{account.username}")
        pages = plan(account, region, config.requests - 2, rng)
        start = started + config.ramp * index / len(users)
        threads.append(threading.Thread(target=browse, name=account.username, daemon=True, args=(
            account, pages, base_url, config, rng, clock_zero, start, deadline, record)))
    for thread in threads:
        thread.start()
    total = len(users) * config.requests
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        step("load", len(samples), total)
        time.sleep(0.2)
    for thread in threads:
        thread.join()  # no new requests after the deadline; an open one ends within its timeout
    users_seconds = max((s.started + s.seconds for s in samples), default=0.0)
    step("load", len(samples), total)
    if ingest is None:
        return samples, users_seconds, IngestRun(0.0, True, 0, 0, 0)
    elapsed, finished = ingest.finish(deadline)
    after = database_task(env, "counts")
    run = IngestRun(elapsed, finished, ingest.process.returncode if finished else None, after["messages"] - before["messages"],
                    after["lines"] - before["lines"])
    return samples, users_seconds, run


# The report ----------------------------------------------------------------------------------------------

KIND_ORDER = (LOGIN_FORM, LOGIN, DASHBOARD, DASHBOARD_YEAR, DEFINITIONS, SPENDING, BUDGET, SCENARIO, KPI, KPI_SPLIT,
              PAGES, ALL)
GOAL_P95_MS = 150  # the dashboard pages' p95 under 20 users at region scale (issue: monitoring and KPIs)


def _ms(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def _ratio(numerator: float | None, denominator: float | None) -> str:
    return f"{numerator / denominator:.1f}×" if numerator is not None and denominator else "–"


def _p95(figures: dict[str, PageFigures], kind: str) -> float | None:
    found = figures.get(kind)
    return found.latency.p95 if found is not None and found.latency is not None else None


def print_report(report: LoadReport, console: Console) -> None:
    config = report.config
    load, before, after = (page_figures(report.samples), page_figures(report.idle_before),
                           page_figures(report.idle_after))
    while_ = "while the ingest runs" if config.ingest else "(no ingest)"
    table = Table(title=f"Dashboards: {config.users} users {while_}, against one user alone "
                        f"({report.database}, latency in ms)")
    for column in ("page", "requests", "errors", "p50", "p95", "p99", "max", "alone p95 before", "alone p95 after",
                   "p95 load ÷ alone after"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for kind in KIND_ORDER:
        figures = load.get(kind)
        if figures is None:
            continue
        lat = figures.latency
        table.add_row(kind, f"{figures.requests:,}", f"{figures.errors:,}", _ms(lat and lat.p50), _ms(lat and lat.p95),
                      _ms(lat and lat.p99), _ms(lat and lat.max), _ms(_p95(before, kind)), _ms(_p95(after, kind)),
                      _ratio(_p95(load, kind), _p95(after, kind)) if kind not in (PAGES, ALL) else "(other mix)",
                      end_section=kind in (KPI_SPLIT, PAGES))
    console.print(table)

    if config.ingest:
        _print_ingest(report, console)
    _print_pages(report, config, load, after, console)


def _print_ingest(report: LoadReport, console: Console) -> None:
    ingest = Table(title=f"Ingest of the later years ({report.load_messages:,} message files)")
    for column in ("run", "finished", "seconds", "messages stored", "lines stored", "lines/s", "messages/s"):
        ingest.add_column(column, justify="left" if column == "run" else "right")
    for name, run in (("during the load", report.ingest_under_load), ("alone (reference)", report.ingest_alone)):
        ingest.add_row(name, "yes" if run.finished else "no, stopped", f"{run.seconds:.1f}", f"{run.messages:,}",
                       f"{run.lines:,}", f"{run.lines_per_second:,.0f}", f"{run.messages_per_second:,.0f}")
    ingest.add_row("under load ÷ alone", "", _ratio(report.ingest_under_load.seconds, report.ingest_alone.seconds),
                   "", "", _ratio(report.ingest_under_load.lines_per_second, report.ingest_alone.lines_per_second),
                   _ratio(report.ingest_under_load.messages_per_second, report.ingest_alone.messages_per_second))
    console.print(ingest)


def _print_pages(report: LoadReport, config: LoadConfig, load: dict[str, PageFigures], after: dict[str, PageFigures],
                 console: Console) -> None:
    pages = _p95(load, PAGES)
    if pages is not None:
        console.print(f"the dashboard pages' p95 under load is {pages:,.0f} ms (goal for {config.users} users at region "
                      f"scale: under {GOAL_P95_MS} ms); the figures were computed beforehand by `regiekamer warm` in "
                      f"{report.warm_seconds:.1f} s")
    ratios = [_p95(load, kind) / _p95(after, kind) for kind in KIND_ORDER[:-2]  # type: ignore[operator]
              if _p95(load, kind) is not None and _p95(after, kind)]
    if ratios:
        console.print(f"per page, the p95 under load is {min(ratios):.1f}× to {max(ratios):.1f}× the p95 of one user "
                      "alone (the two rows of all pages mix the pages in other proportions than the single user, so they "
                      "have no ratio)")
    periods = by_time(report.samples, 4)
    console.print("by the time a request started: " + "; ".join(
        f"{low:.0f}–{high:.0f} s: {f.requests} requests, p95 {_ms(f.latency and f.latency.p95)} ms, {f.errors} errors"
        for low, high, f in periods))
    errors = Counter(s.error for s in report.samples if s.error)
    console.print(f"{report.requests:,} requests in {report.users_seconds:.1f} s ({report.throughput:.1f} requests/s); "
                  f"errors: {report.errors:,} ({report.error_rate:.2%})"
                  + (" - " + ", ".join(f"{kind}: {n}" for kind, n in errors.most_common()) if errors else ""))
    planned = config.users * config.requests
    if report.requests < planned:
        console.print(f"the time limit ({config.seconds:g} s) ended the load after {report.requests:,} of at most "
                      f"{planned:,} requests")
    run = report.ingest_under_load
    if not config.ingest:
        console.print("no ingest ran: every message was ingested before the load (--no-ingest)")
    elif run.finished:
        console.print(f"the ingest finished in {run.seconds:.1f} s (exit code {run.exit_code}); the users were busy "
                      f"for {report.users_seconds:.1f} s, the first {min(run.seconds, report.users_seconds):.1f} s "
                      "of them while it ran")
    else:
        console.print(f"the ingest was stopped at the time limit after {run.seconds:.1f} s (SIGINT; its open batch "
                      f"was rolled back); {run.messages:,} of {report.load_messages:,} message files were stored")
    console.print(
        f"Setting: {report.database}, {report.cpus} CPUs shared by the server (gunicorn, {SERVER_WORKERS} workers × "
        f"{SERVER_THREADS} threads, as `regiekamer serve`), the ingest and the {config.users} simulated users; "
        f"{report.first_year_messages:,} message files (the first year and its history) were ingested before the "
        f"load. Each user logs in with its own account and opens only pages its role may see, at most "
        f"{config.requests} requests with a pause of about {config.think:g} s between them, the users starting one "
        f"after the other over the first {config.ramp:g} s; any answer other than "
        f"the expected one (200, or 302 after a login), a timeout ({config.timeout:g} s) or a lost connection is "
        f"an error.")
    console.print(
        "References from the same run: 'alone' is one regional user opening every page kind in turn, "
        f"{config.idle_rounds} visits after a warm-up, before the load (first year only) and after it (all the data "
        "the load ended with); the ratio compares the p95 under load with the latter. The ingest reference runs the "
        "same files alone on a copy of the database as it was when the load began, after the server has stopped, "
        "bounded by the same time limit.")
    if report.kept:
        console.print(f"kept: {report.kept} (server and ingest logs, answers)"
                      + (f" and the databases {config.database_url} and its _alone copy" if config.database_url else ""))


# Database tasks, run in a subprocess with the load test's environment (`python -m regiekamer.loadtest TASK`) ----


def create_accounts(count: int) -> list[dict]:
    """`count` users with their own accounts and roles in turn from ROLE_MIX (municipal staff spread over the
    municipalities, providers over the providers), then the regional user that measures the pages alone."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from regiekamer.access.models import Membership, Role
    from regiekamer.providers.models import Provider
    from regiekamer.regions.models import Municipality
    from regiekamer.regions.models import Region as RegionModel

    region = RegionModel.objects.order_by("id").first()
    if region is None:
        raise LoadTestError("no region in the database")
    municipalities = list(Municipality.objects.filter(region=region).order_by("cbs_code"))
    providers = list(Provider.objects.order_by("agb_code"))
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # one hash for all accounts: hashing is slow on purpose
    users = [(f"load-{index + 1:03d}", ROLE_MIX[index % len(ROLE_MIX)]) for index in range(count)]
    municipal = provider_index = 0
    accounts = []
    for username, role in [*users, (IDLE_USERNAME, "regio")]:
        municipality = provider = None
        if role in ("gemeente", "toegang"):
            municipality = municipalities[municipal % len(municipalities)]
            municipal += 1
        elif role == "aanbieder":
            provider = providers[provider_index % len(providers)]
            provider_index += 1
        user = get_user_model().objects.create(username=username, password=hashed)
        membership = Membership.objects.create(user=user, role=Role(role), region=region, provider=provider)
        membership.municipalities.set([municipality] if municipality else [])
        accounts.append({"username": username, "password": password, "role": role,
                         "municipality": municipality.cbs_code if municipality else None,
                         "provider": provider.agb_code if provider else None})
    return accounts


def count_stored() -> dict[str, int]:
    from regiekamer.declarations.models import DeclarationLine
    from regiekamer.messaging.models import ReceivedMessage

    return {"messages": ReceivedMessage.objects.count(), "lines": DeclarationLine.objects.count()}


def _task(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[:1] == ["accounts"]:
        result: object = create_accounts(int(argv[1]))
    elif argv == ["counts"]:
        result = count_stored()
    else:
        raise SystemExit(f"unknown task: {' '.join(argv)}")
    print(json.dumps(result))


if __name__ == "__main__":
    _task(sys.argv[1:])
