"""The messages as plain dataclasses: what the codec reads and writes."""

from __future__ import annotations

import copyreg
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, time
from operator import attrgetter

from regiekamer.ijw.constants import (
    DebitCredit,
    Frequency,
    MessageKind,
    ReferrerType,
    SubmissionStatus,
    Unit,
)


@dataclass(frozen=True, slots=True)
class Header:
    kind: MessageKind
    sender: str  # AGB code or CBS gemeentecode
    receiver: str
    identification: str
    sent_on: date


@dataclass(frozen=True, slots=True)
class Person:
    bsn: str
    birth_date: date
    gender: str  # LDT_Geslacht: 0 unknown, 1 male, 2 female
    surname: str
    initials: str = ""


@dataclass(frozen=True, slots=True)
class Product:
    category: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Volume:
    volume: int
    unit: Unit
    frequency: Frequency


@dataclass(frozen=True, slots=True)
class AssignedProduct:
    number: int  # ToewijzingNummer
    product: Product
    assigned_on: date
    assigned_at: time
    start: date
    end: date | None
    volume: Volume | None = None
    budget_cents: int | None = None
    provider_reference: str | None = None
    change_reason: str | None = None


@dataclass(frozen=True, slots=True)
class AssignmentMessage:
    """301: the municipality assigns products for one client to one provider."""

    header: Header
    client: Person
    postcode: str
    products: list[AssignedProduct] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StartedProduct:
    assignment_number: int | None
    product: Product | None
    assignment_start: date | None
    start: date
    status: SubmissionStatus = SubmissionStatus.NIEUW


@dataclass(frozen=True, slots=True)
class StartMessage:
    """305: the provider reports the start of care."""

    header: Header
    client: Person
    products: list[StartedProduct] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoppedProduct:
    assignment_number: int | None
    product: Product | None
    assignment_start: date | None
    start: date
    reason: str  # iJw JZ588 (see StopReason) or the iWmo list: the same codes mean different things
    end: date
    status: SubmissionStatus = SubmissionStatus.NIEUW


@dataclass(frozen=True, slots=True)
class StopMessage:
    """307: the provider reports the end of care."""

    header: Header
    client: Person
    products: list[StoppedProduct] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Referrer:
    type: ReferrerType
    name: str | None = None
    agb_code: str | None = None


@dataclass(frozen=True, slots=True)
class RequestedProduct:
    reference: str  # ReferentieAanbieder
    product: Product
    start: date
    end: date | None
    volume: Volume | None
    referrer: Referrer


@dataclass(frozen=True, slots=True)
class RequestMessage:
    """315: the provider asks for an assignment (legal referral, e.g. by a GP)."""

    header: Header
    client: Person
    products: list[RequestedProduct] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChangedProduct:
    """TeWijzigenProduct: a current assignment with its desired new end date, volume or budget."""

    assignment_number: int
    desired_start: date
    end: date | None = None
    volume: Volume | None = None
    budget_cents: int | None = None


@dataclass(frozen=True, slots=True)
class NewProduct:
    product: Product | None
    desired_start: date
    end: date | None = None
    volume: Volume | None = None
    budget_cents: int | None = None


@dataclass(frozen=True, slots=True)
class ChangeRequestMessage:
    """317: while care runs, the provider asks for the complete desired situation of its assignments."""

    header: Header
    bsn: str
    reference: str  # ReferentieAanbieder of the request
    reason: str  # RedenVerzoek: 1 change of need, 2 ...
    unchanged: list[int] = field(default_factory=list)
    changed: list[ChangedProduct] = field(default_factory=list)
    new: list[NewProduct] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Performance:
    """One declaration line (Prestatie)."""

    bsn: str
    reference: str
    previous_reference: str | None
    assignment_number: int
    product: Product
    period_start: date
    period_end: date
    delivered_volume: int
    unit: Unit
    tariff_cents: int | None
    amount_cents: int
    debit_credit: DebitCredit


@dataclass(frozen=True, slots=True)
class DeclarationMessage:
    """323: the provider declares delivered care for one month to one municipality."""

    header: Header
    number: str
    period_start: date
    period_end: date
    signed_on: date
    total_cents: int
    total_debit_credit: DebitCredit
    performances: list[Performance] = field(default_factory=list)


Message = AssignmentMessage | StartMessage | StopMessage | RequestMessage | ChangeRequestMessage | DeclarationMessage


@dataclass(frozen=True, slots=True)
class AnsweredPerformance:
    """A declaration line returned in a 325: a full copy of the 323 line plus its retourcodes."""

    performance: Performance
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeclarationAnswerMessage:
    """325: the municipality's answer to one 323.

    Only rejected lines are listed (approved lines never are); with everything approved the answer carries 8001.
    `answer` is None when the 323 was refused at header level: then only the header codes are returned.
    """

    header: Header
    declaration_identification: str
    declaration_sent_on: date
    header_codes: tuple[str, ...]
    answer: DeclarationAnswer | None = None


@dataclass(frozen=True, slots=True)
class DeclarationAnswer:
    number: str
    submitted_cents: int
    submitted_debit_credit: DebitCredit
    granted_cents: int
    granted_debit_credit: DebitCredit
    codes: tuple[str, ...]
    clients: tuple[tuple[str, tuple[str, ...], tuple[AnsweredPerformance, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class RetourMessage:
    """A retour message (306, 308, 316) answering a provider's 305, 307 or 315.

    The header copies sender and receiver of the original (IV028). Fully approved: only the header, without
    codes. Refused on the header: the header's codes. Refused on content: the client with every class of the
    original, each with its codes (0200 no remark, 0233 not assessed, or the specific code).
    """

    kind: MessageKind
    original: StartMessage | StopMessage | RequestMessage | ChangeRequestMessage
    identification: str
    sent_on: date
    header_codes: tuple[str, ...] = ()
    client_codes: tuple[str, ...] = ()
    item_codes: tuple[tuple[str, ...], ...] = ()  # per class of the original, in order
    request_codes: tuple[str, ...] = ()  # 318 only: the Verzoek class


@dataclass(frozen=True, slots=True)
class RequestAnswerMessage:
    """319: the municipality's answer to a 315 or 317 that it does not (yet) honour with a 301.

    answer "1" = rejected (with a WJ759 reason; reason 8, woonplaatsbeginsel, names the responsible
    municipality), "2" = under investigation.
    """

    header: Header
    reference: str
    answer: str
    reason: str | None = None
    responsible_municipality: str | None = None


def _pickle_by_fields(cls: type) -> None:
    """Pickle instances as (class, field values). A slotted frozen dataclass otherwise pickles through Python-level
    __getstate__/__setstate__, and decoded messages cross from the decoding worker processes in bulk."""
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    copyreg.pickle(cls, lambda obj: (cls, values(obj)))


for _cls in [value for value in list(globals().values()) if isinstance(value, type) and is_dataclass(value)]:
    _pickle_by_fields(_cls)
