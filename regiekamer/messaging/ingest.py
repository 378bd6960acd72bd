"""Ingest of message files: all-or-nothing per message, idempotent on re-ingest.

Files are processed in path order (the generator names files so that path order is processing order:
day folders, and within a day 315, 301, 305, 307, 323).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable
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
from regiekamer.ijw.read import decode
from regiekamer.ijw.safe import read_bounded
from regiekamer.ijw.write import write
from regiekamer.messaging.context import IngestContext
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
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
BATCH = 250  # messages per database transaction
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
            files.extend(sorted(p for p in path.rglob("*.xml") if p.is_file() and not p.name.startswith(ANSWER_PREFIX)))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"{path} bestaat niet")
    return files


def _write_answer(target: AnswerTarget | None, source: Path,
                  build: Callable[[], DeclarationAnswerMessage | RetourMessage], report: IngestReport) -> None:
    if target is None:
        return
    answer = build()
    target.path_for(source, answer).write_bytes(write(answer))
    report.answers += 1


def ingest_file(path: Path, ctx: IngestContext, report: IngestReport, answers: AnswerTarget | None = None) -> None:
    source = str(path)
    try:
        data = read_bounded(path)
        digest = hashlib.sha256(data).hexdigest()
        if digest in ctx.known_digests:
            report.already_ingested += 1  # the same bytes again: nothing changes, no need to parse them
            return
        message = decode(data, source)
    except MessageError as error:
        report.errors.append(IngestError(error.file, error.record, error.rule, error.message))
        return
    header = message.header
    handler = HANDLERS[header.kind.number]
    try:
        with transaction.atomic():
            stored = ReceivedMessage.objects.create(
                kind=header.kind.name, sender=header.sender, receiver=header.receiver,
                identification=header.identification, sent_on=header.sent_on, sha256=digest, filename=path.name,
            )
            handled = handler(message, stored, ctx)
    except MessageRejected as rejected:
        ctx.forget()
        _refuse(message, digest, path, rejected, report, answers)
        return
    except IntegrityError:
        ctx.forget()
        if ReceivedMessage.objects.filter(sha256=digest).exists():
            report.already_ingested += 1  # the same bytes again: nothing changes
        elif ReceivedMessage.objects.filter(kind=header.kind.name, sender=header.sender,
                                            identification=header.identification).exists():
            _refuse(message, digest, path, MessageRejected(
                "Header/BerichtIdentificatie", "TR056", "berichtidentificatie is al eerder ontvangen van deze afzender"),
                report, answers)
        else:
            report.errors.append(IngestError(source, "", "DB-CONFLICT",
                                             "bericht botst met eerder opgeslagen gegevens; niets opgeslagen"))
        return
    ctx.known_digests.add(digest)
    report.processed += 1
    report.by_kind[header.kind.name] += 1
    report.records += handled.records
    report.lines_accepted += handled.lines_accepted
    report.lines_rejected += handled.lines_rejected
    report.rejected_by_rule.update(handled.rejected_by_rule)
    if isinstance(message, DeclarationMessage):
        _write_answer(answers, path, lambda: answer_processed(message, digest, stored.declaration, date.today()),
                      report)
    elif isinstance(message, RETOURED):
        _write_answer(answers, path, lambda: retour_accepted(message, digest, date.today()), report)


def _refuse(message: Message, digest: str, path: Path, rejected: MessageRejected, report: IngestReport,
            answers: AnswerTarget | None) -> None:
    report.errors.append(IngestError(str(path), rejected.record, rejected.rule, rejected.message))
    if isinstance(message, DeclarationMessage):
        _write_answer(answers, path, lambda: answer_refused(message, digest, rejected.rule, date.today()), report)
    elif isinstance(message, RETOURED):
        _write_answer(answers, path, lambda: retour_refused(message, digest, rejected, date.today()), report)


def ingest_paths(paths: Iterable[Path], progress: Progress | None = None,
                 answers: AnswerTarget | None = None) -> IngestReport:
    """Ingest files and folders in path order; with `answers`, write a 325 for every declaration and a
    306/308/316 retour for every start, stop and request."""
    files = collect_files(paths)
    ctx = IngestContext()
    report = IngestReport()
    for first in range(0, len(files), BATCH):
        # One transaction per batch and a savepoint per message: still all-or-nothing per message, without
        # a commit for every message. A crash loses at most the open batch, which a re-run ingests again.
        with transaction.atomic():
            for index, path in enumerate(files[first:first + BATCH], start=first + 1):
                ingest_file(path, ctx, report, answers)
                if progress:
                    progress(index, len(files))
    return report
