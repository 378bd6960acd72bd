"""Minimum requirements (knock-out) as rules: pure functions over plain data, each with a stable code and a Dutch
message. A bid that fails one requirement is out of the ranking, with the requirement's message as the reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from regiekamer.tenders.constants import RequirementKind


@dataclass(frozen=True)
class RequirementSpec:
    code: str  # stable within the tender, e.g. "EIS-CLIENTEN"
    kind: RequirementKind
    threshold: Decimal | None  # the number the answer must reach (clients) or stay within (km)
    certificate: str = ""  # for RequirementKind.CERTIFICATE: the certificate's name


@dataclass(frozen=True)
class KnockOut:
    code: str
    message: str


def _fmt(number: Decimal | None) -> str:
    return format(number.normalize(), "f") if number is not None else "?"


def message(spec: RequirementSpec) -> str:
    """The requirement in Dutch, as a bidder that fails it reads it."""
    threshold = _fmt(spec.threshold)
    if spec.kind is RequirementKind.MIN_CLIENTS_REGION:
        return f"minimaal {threshold} cliënten vereist om voor de hele regio in te schrijven"
    if spec.kind is RequirementKind.MIN_CLIENTS_SUBREGION:
        return f"minimaal {threshold} cliënten vereist om voor een subregio in te schrijven"
    if spec.kind is RequirementKind.MAX_DISTANCE_KM:
        return f"hulp moet binnen {threshold} km van de cliënt geboden worden"
    return f"certificaat {spec.certificate} vereist"


def _number(answer: object) -> Decimal | None:
    if isinstance(answer, bool) or answer is None or answer == "":
        return None
    try:
        return Decimal(str(answer))
    except InvalidOperation:
        return None


def check(spec: RequirementSpec, answer: object) -> KnockOut | None:
    """None when the answer meets the requirement; otherwise the knock-out with its reason. No answer is a fail."""
    if spec.kind is RequirementKind.CERTIFICATE:
        met = answer is True or str(answer).lower() in ("ja", "true", "1")
    else:
        number = _number(answer)
        if number is None:
            return KnockOut(spec.code, f"{spec.code}: niet (goed) beantwoord; {message(spec)}")
        if spec.kind is RequirementKind.MAX_DISTANCE_KM:
            met = number <= spec.threshold
        else:
            met = number >= spec.threshold
    if met:
        return None
    return KnockOut(spec.code, f"{spec.code}: {message(spec)} (antwoord: {_shown(answer)})")


def _shown(answer: object) -> str:
    if answer is None or answer == "":
        return "geen"
    if isinstance(answer, bool):
        return "ja" if answer else "nee"
    return str(answer)


def knock_outs(specs: list[RequirementSpec], answers: dict[str, object]) -> list[KnockOut]:
    return [ko for spec in specs if (ko := check(spec, answers.get(spec.code))) is not None]
