"""Ingest of message files: all-or-nothing per message, idempotent on re-ingest.

Files are processed in path order (the generator names files so that path order is processing order:
day folders, and within a day 315, 301, 305, 307, 323), in batches: a batch is read and decoded, the facts
its messages refer to are loaded with a few set-based queries, every message is checked and staged in
memory (`messaging.stage`), and the batch is written with bulk statements in one transaction.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction

from regiekamer.care.handlers import (
    handle_assignment,
    handle_change_request,
    handle_request,
    handle_start,
    handle_stop,
)
from regiekamer.declarations.answers import answer_processed, answer_refused
from regiekamer.declarations.handlers import handle_declaration
from regiekamer.ijw.errors import MessageError
from regiekamer.ijw.model import (
    ChangeRequestMessage,
    DeclarationAnswerMessage,
    DeclarationMessage,
    Message,
    RequestMessage,
    RetourMessage,
    StartMessage,
    StopMessage,
)
from regiekamer.ijw.read import decode_or_error
from regiekamer.ijw.safe import read_bounded
from regiekamer.ijw.write import write
from regiekamer.messaging.context import IngestContext, stored_digests
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.messaging.planner import TableStatistics
from regiekamer.messaging.results import Handled
from regiekamer.messaging.retour import retour_accepted, retour_refused

logger = logging.getLogger(__name__)

Handler = Callable[[Message, ReceivedMessage, IngestContext], Handled]
HANDLERS: dict[int, Handler] = {
    315: handle_request,  # type: ignore[dict-item]
    317: handle_change_request,  # type: ignore[dict-item]
    301: handle_assignment,  # type: ignore[dict-item]
    305: handle_start,  # type: ignore[dict-item]
    307: handle_stop,  # type: ignore[dict-item]
    323: handle_declaration,  # type: ignore[dict-item]
}
Progress = Callable[[int, int], None]
BATCH = 2000  # messages per database transaction (500 cost 15% more CPU: per-batch queries, commits, turns)
FIRST_BATCH = 250  # then doubling up to BATCH: checking starts soon, and the worker keeps ahead of it
# And at most this much XML per batch (but at least one file): memory stays flat, and large files are checked
# while the worker decodes the next ones (at 64 MB, a stream of 2 MB declarations left this process idle for
# the first batch's whole decode, 3 to 5 s of 12; at 8 MB it waits 1 s in all).
BATCH_BYTES = 8 * 1024 * 1024
AHEAD = 2  # batches read and decoding while one is checked: the worker does not idle when one batch decodes
# faster than the one before it is checked (with 1, this process still waited 0.1 to 0.3 s for most batches)
PARALLEL_FROM = 2  # batches; for one, there is nothing to overlap with and starting a worker only costs
RETOURED = (StartMessage, StopMessage, RequestMessage, ChangeRequestMessage)  # answered with 306/308/316/318
ANSWER_PREFIX = "antwoord-"  # answers we wrote; skipped when a folder is ingested again


@dataclass(frozen=True)
class IngestError:
    file: str
    record: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}" + (f" [{self.record}]" if self.record else "") + f": {self.rule}: {self.message}"


@dataclass(frozen=True)
class AnswerTarget:
    """Where 325 answers go: a folder, or beside each input file when folder is None."""

    folder: Path | None = None

    def path_for(self, source: Path, answer: DeclarationAnswerMessage | RetourMessage) -> Path:
        folder = self.folder or source.parent
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(answer, RetourMessage):  # sender and receiver as in the original (IV028)
            h = answer.original.header
            name = f"{answer.kind.name}-{h.sender}-{h.receiver}-{answer.identification}"
        else:
            h = answer.header
            name = f"{h.kind.name}-{h.sender}-{h.receiver}-{h.identification}"
        return folder / f"{ANSWER_PREFIX}{name}.xml"


@dataclass
class IngestReport:
    processed: int = 0
    already_ingested: int = 0
    records: int = 0
    by_kind: Counter = field(default_factory=Counter)
    errors: list[IngestError] = field(default_factory=list)
    answers: int = 0
    lines_accepted: int = 0
    lines_rejected: int = 0
    rejected_by_rule: Counter = field(default_factory=Counter)  # line controls and refused messages

    def refusals_by_rule(self) -> Counter:
        return Counter(error.rule for error in self.errors)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def as_dict(self) -> dict:
        return {"verwerkt": self.processed, "al_verwerkt": self.already_ingested, "afgewezen": self.rejected,
                "records": self.records, "antwoorden": self.answers, "per_berichttype": dict(self.by_kind),
                "declaratieregels": {"toegekend": self.lines_accepted, "afgewezen": self.lines_rejected,
                                     "afgewezen_per_regel": dict(self.rejected_by_rule)},
                "berichten_afgewezen_per_regel": dict(self.refusals_by_rule()),
                "fouten": [e.__dict__ for e in self.errors]}


def collect_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(Path(name) for name in sorted(_xml_files(str(path))))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path} bestaat niet")
    return files


def _xml_files(folder: str) -> Iterable[str]:
    """The message files under a folder, recursively (answers we wrote left out); paths as strings, which sort
    the same as Path objects and many times faster."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                yield from _xml_files(entry.path)
            elif entry.name.endswith(".xml") and entry.is_file() and not entry.name.startswith(ANSWER_PREFIX):
                yield entry.path


@dataclass
class Incoming:
    """One file of a batch: its bytes' hash and the decoded message, or why it could not be read."""

    path: Path
    digest: str = ""
    message: Message | None = None
    error: IngestError | None = None


@dataclass
class Outcome:
    """What became of one file; applied to the report (and answered) once its batch is committed."""

    path: Path
    digest: str = ""
    message: Message | None = None
    handled: Handled | None = None
    refusal: MessageRejected | None = None
    error: IngestError | None = None  # unreadable: no answer is possible
    known: bool = False  # the same bytes were ingested before

    def apply(self, report: IngestReport, answers: AnswerTarget | None) -> None:
        if self.known:
            report.already_ingested += 1
        elif self.error is not None:
            report.errors.append(self.error)
        elif self.refusal is not None:
            rejected = self.refusal
            report.errors.append(IngestError(str(self.path), rejected.record, rejected.rule, rejected.message))
            if answers is None:
                return
            if isinstance(self.message, DeclarationMessage):
                self._answer(answers, report, answer_refused(self.message, self.digest, rejected.rule, date.today()))
            elif isinstance(self.message, RETOURED):
                self._answer(answers, report, retour_refused(self.message, self.digest, rejected, date.today()))
        elif self.handled is not None and self.message is not None:
            handled = self.handled
            report.processed += 1
            report.by_kind[self.message.header.kind.name] += 1
            report.records += handled.records
            report.lines_accepted += handled.lines_accepted
            report.lines_rejected += handled.lines_rejected
            if handled.rejected_by_rule:
                report.rejected_by_rule.update(handled.rejected_by_rule)
            if answers is None:
                return
            if isinstance(self.message, DeclarationMessage):
                self._answer(answers, report, answer_processed(self.message, self.digest, handled.lines, date.today()))
            elif isinstance(self.message, RETOURED):
                self._answer(answers, report, retour_accepted(self.message, self.digest, date.today()))

    def _answer(self, answers: AnswerTarget, report: IngestReport,
                answer: DeclarationAnswerMessage | RetourMessage) -> None:
        answers.path_for(self.path, answer).write_bytes(write(answer))
        report.answers += 1


class Decoder:
    """Decodes messages (parse, schema check, decode: pure CPU work) in worker processes when there is more than
    one batch, while this process does the database work of the previous batch.

    Workers are forked: they start at once, need no re-import, and only ever run `decode_or_error` (they
    never touch the database connection they inherit)."""

    def __init__(self, batches: int) -> None:
        workers = (os.cpu_count() or 1) - 1  # one core stays with this process and the database
        self.pool = (ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
                     if batches >= PARALLEL_FROM and workers >= 1 else None)

    def __enter__(self) -> Decoder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def start(self, items: list[tuple[Incoming, bytes]]) -> Callable[[], None]:
        """Begin decoding; the returned function waits until every item has its message or error."""
        if self.pool is None:
            results: Iterable = [decode_or_error(data, str(item.path)) for item, data in items]
        else:
            results = self.pool.map(decode_or_error, [data for _, data in items],
                                    [str(item.path) for item, _ in items], chunksize=25)

        def finish() -> None:
            for (item, _), result in zip(items, results):
                if isinstance(result, MessageError):
                    item.error = IngestError(result.file, result.record, result.rule, result.message)
                else:
                    item.message = result
        return finish


def _batches(files: list[Path]) -> Iterable[list[Path]]:
    """The files in batches of at most BATCH files (from FIRST_BATCH, doubling) and BATCH_BYTES bytes (a larger
    file is a batch of its own): 1 + AHEAD batches are held at a time, AHEAD being decoded while one is checked."""
    batch: list[Path] = []
    size, limit = 0, FIRST_BATCH
    for path in files:
        try:
            length = os.stat(path).st_size
        except OSError:
            length = 0  # reading it will report the error
        if batch and (len(batch) == limit or size + length > BATCH_BYTES):
            yield batch
            batch, size, limit = [], 0, min(2 * limit, BATCH)
        batch.append(path)
        size += length
    if batch:
        yield batch


def read_batch(files: list[Path], decoder: Decoder) -> tuple[list[Incoming], Callable[[], None]]:
    """Read and hash the files and start decoding them; files whose bytes were ingested before are not
    parsed again. Returns the batch and the function that waits for its decoding."""
    raw: list[tuple[Incoming, bytes]] = []
    incoming: list[Incoming] = []
    for path in files:
        try:
            data = read_bounded(path)
        except MessageError as error:
            incoming.append(Incoming(path, error=IngestError(error.file, error.record, error.rule, error.message)))
            continue
        item = Incoming(path, hashlib.sha256(data).hexdigest())
        raw.append((item, data))
        incoming.append(item)
    known = stored_digests(item.digest for item, _ in raw)
    return incoming, decoder.start([(item, data) for item, data in raw if item.digest not in known])


def handle_batch(incoming: list[Incoming], ctx: IngestContext, progress: Callable[[], None] | None = None
                 ) -> list[Outcome]:
    """Check and stage every message of the batch, then write what was accepted. Run inside a transaction."""
    ctx.take_turn()
    ctx.ids.reset()
    ctx.stage.clear()
    ctx.digests.prefetch(item.digest for item in incoming if item.digest)
    ctx.prefetch([item.message for item in incoming if item.message is not None])
    outcomes = []
    for item in incoming:
        outcomes.append(handle_one(item, ctx))
        if progress:
            progress()
    ctx.stage.flush()
    return outcomes


def handle_one(item: Incoming, ctx: IngestContext) -> Outcome:
    message = item.message
    if item.error is not None:
        return Outcome(item.path, item.digest, error=item.error)
    if message is None or ctx.digests.get(item.digest):
        return Outcome(item.path, item.digest, known=True)
    header = message.header
    identification = (header.kind.name, header.sender, header.identification)
    if ctx.identifications.get(identification):
        return Outcome(item.path, item.digest, message, refusal=MessageRejected(
            "Header/BerichtIdentificatie", "TR056", "berichtidentificatie is al eerder ontvangen van deze afzender"))
    stage = ctx.stage
    stage.begin()
    try:
        stored = stage.add(ReceivedMessage, kind=header.kind.name, sender=header.sender, receiver=header.receiver,
                           identification=header.identification, sent_on=header.sent_on, sha256=item.digest,
                           filename=item.path.name)
        handled = HANDLERS[header.kind.number](message, stored, ctx)
    except MessageRejected as rejected:
        stage.rollback()
        return Outcome(item.path, item.digest, message, refusal=rejected)
    ctx.digests.put(stage, item.digest, True)
    ctx.identifications.put(stage, identification, True)
    stage.commit()
    return Outcome(item.path, item.digest, message, handled=handled)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Ingest allocates millions of small, short-lived containers (decoded values, staged rows, lookup keys);
    at Python's default threshold the cyclic garbage collector ran every 700 allocations and took a quarter of
    this process's CPU. Collect every 100,000 instead while ingesting (memory stays bounded: what is
    collected is the same, only later). Forked decoding workers inherit the setting."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def ingest_paths(paths: Iterable[Path], progress: Progress | None = None,
                 answers: AnswerTarget | None = None) -> IngestReport:
    """Ingest files and folders in path order; with `answers`, write a 325 for every declaration and a
    306/308/316 retour for every start, stop and request."""
    with _fewer_collections():
        return _ingest_paths(paths, progress, answers)


def _ingest_paths(paths: Iterable[Path], progress: Progress | None, answers: AnswerTarget | None) -> IngestReport:
    files = collect_files(paths)
    ctx = IngestContext()
    report = IngestReport()
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(files))

    batches = list(_batches(files))
    statistics = TableStatistics()
    with Decoder(len(batches)) as decoder:
        ahead = deque(read_batch(batch, decoder) for batch in batches[:AHEAD])
        for number in range(len(batches)):
            incoming, decoded = ahead.popleft()
            decoded()
            if number + AHEAD < len(batches):  # the next batches decode while this one is checked and written
                ahead.append(read_batch(batches[number + AHEAD], decoder))
            ctx.next_batch()
            # One transaction per batch, each message checked against the database plus the batch's staged
            # writes and undone on its own when refused. A crash loses at most the open batch; a re-run
            # ingests it.
            try:
                with transaction.atomic():
                    outcomes = handle_batch(incoming, ctx, tick)
            except IntegrityError:
                # Another writer stored some of the same facts meanwhile: redo the batch one message at a time.
                done -= len(incoming)
                outcomes = [_ingest_alone(item, ctx, tick) for item in incoming]
            for outcome in outcomes:
                outcome.apply(report, answers)
            statistics.after_batch(ctx.stage.take_written())  # committed: the next batch's lookups see it
    return report


def _ingest_alone(item: Incoming, ctx: IngestContext, tick: Callable[[], None]) -> Outcome:
    ctx.clear()  # the lookups may hold what the rolled-back transaction staged
    try:
        with transaction.atomic():
            return handle_batch([item], ctx, tick)[0]
    except IntegrityError:
        return Outcome(item.path, item.digest, error=IngestError(
            str(item.path), "", "DB-CONFLICT", "bericht botst met gelijktijdig opgeslagen gegevens; niets opgeslagen"))
