"""What a user types to set up a tender, checked before anything is stored: pure functions over plain text.

Every check returns problems, each with the form field it belongs to, a stable code and a Dutch message; an
input with a problem changes nothing. The pages and the service use the same checks.

| code | meaning |
| --- | --- |
| `AANB-DATUM` | a date that is missing or not a date, or dates in the wrong order |
| `AANB-PERCEEL` | no lot chosen, or a lot that is not in the region's strategy |
| `AANB-GEGUND` | the tender is already awarded: nothing can be added |
| `EIS-CODE` | a code that is missing, malformed or already used in this tender |
| `EIS-SOORT` | an unknown kind of requirement |
| `EIS-GRENS` | a threshold that is missing, not a number, not above 0 or too large |
| `EIS-CERTIFICAAT` | a certificate requirement without the certificate's name |
| `EIS-VAST` | bids have been received: the requirements are fixed (nothing added or removed) |
| `CRIT-NAAM` | a criterion without a name |
| `CRIT-WEGING` | a weight that is not a whole number from 1 to 100, or weights above 100 together |
| `CRIT-VAST` | scores have been given: the criteria are fixed (nothing added or removed) |
| `BOD-AANBIEDER` | no provider chosen, or an unknown one |
| `BOD-DUBBEL` | the provider has bid already |
| `BOD-ANTWOORD` | an answer that is missing, not a number (clients, km) or not ja/nee (certificate); an answer |
|  | to a requirement the tender does not have (the command line) |
| `BOD-ONTVANGEN` | the moment of receipt is not a date and time |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from regiekamer.tenders.constants import WEIGHT_TOTAL, RequirementKind

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,29}$")
THRESHOLD_MAX = Decimal("9999999.99")  # the model's DecimalField(max_digits=9, decimal_places=2)
YES, NO = ("ja", "yes", "true", "1"), ("nee", "no", "false", "0")


@dataclass(frozen=True)
class Problem:
    field: str  # the form field's name
    code: str
    message: str


class InputError(Exception):
    """The input was refused; `problems` says why, per field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)


# --- parsing ---------------------------------------------------------------------------------------------------

def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def parse_number(raw: str) -> Decimal | None:
    """A number as a Dutch user types it: "12", "7,5" or "7.5"; None when it is not one."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_yes_no(raw: str) -> bool | None:
    text = raw.strip().lower()
    return True if text in YES else False if text in NO else None


def normal_code(raw: str) -> str:
    return raw.strip().upper()


# --- a new tender ----------------------------------------------------------------------------------------------

def check_tender(lot_code: str, known_lots: set[str], published: str, closes: str, contract_start: str
                 ) -> list[Problem]:
    problems = []
    if not lot_code:
        problems.append(Problem("perceel", "AANB-PERCEEL", "kies een perceel uit de strategie"))
    elif lot_code not in known_lots:
        problems.append(Problem("perceel", "AANB-PERCEEL", f"perceel {lot_code} staat niet in de strategie"))
    published_on, closes_on = parse_day(published), parse_day(closes)
    if published_on is None:
        problems.append(Problem("gepubliceerd", "AANB-DATUM", "vul de publicatiedatum in"))
    if closes_on is None:
        problems.append(Problem("sluiting", "AANB-DATUM", "vul de sluitingsdatum van de inschrijving in"))
    if published_on and closes_on and closes_on <= published_on:
        problems.append(Problem("sluiting", "AANB-DATUM", "de inschrijving sluit na de publicatiedatum"))
    if contract_start.strip():
        start = parse_day(contract_start)
        if start is None:
            problems.append(Problem("ingang", "AANB-DATUM", "de ingangsdatum is geen datum"))
        elif closes_on and start <= closes_on:
            problems.append(Problem("ingang", "AANB-DATUM", "de contracten gaan in na de sluitingsdatum"))
    return problems


# --- requirements and criteria ---------------------------------------------------------------------------------

def check_requirement(code: str, kind: str, threshold: str, certificate: str, used_codes: set[str],
                      bids_received: bool) -> list[Problem]:
    if bids_received:
        return [Problem("code", "EIS-VAST", "er zijn al inschrijvingen ontvangen; de minimumeisen liggen vast")]
    problems = _check_code(code, used_codes, "EIS-CODE")
    known = {k.value for k in RequirementKind}
    if kind not in known:
        problems.append(Problem("soort", "EIS-SOORT", "kies een soort eis"))
        return problems
    if RequirementKind(kind) is RequirementKind.CERTIFICATE:
        if not certificate.strip():
            problems.append(Problem("certificaat", "EIS-CERTIFICAAT", "noem het vereiste certificaat, bijv. HKZ"))
        return problems
    number = parse_number(threshold)
    if number is None:
        problems.append(Problem("grens", "EIS-GRENS", "vul de grens in als getal (cliënten of km)"))
    elif number <= 0 or number > THRESHOLD_MAX or number != number.quantize(Decimal("0.01")):
        problems.append(Problem("grens", "EIS-GRENS", "de grens is een getal boven 0 met hoogstens twee decimalen"))
    return problems


def check_criterion(code: str, name: str, weight: str, used_codes: set[str], weights: list[int],
                    scored: bool) -> list[Problem]:
    if scored:
        return [Problem("code", "CRIT-VAST", "er is al gescoord; de gunningscriteria liggen vast")]
    problems = _check_code(code, used_codes, "CRIT-CODE")
    if not name.strip():
        problems.append(Problem("naam", "CRIT-NAAM", "geef het criterium een naam"))
    value = weight.strip()
    if not value.isdigit() or not 1 <= int(value) <= WEIGHT_TOTAL:
        problems.append(Problem("weging", "CRIT-WEGING", f"de weging is een geheel getal van 1 tot en met "
                                                         f"{WEIGHT_TOTAL}"))
    elif sum(weights) + int(value) > WEIGHT_TOTAL:
        left = WEIGHT_TOTAL - sum(weights)
        problems.append(Problem("weging", "CRIT-WEGING", f"de wegingen tellen dan op tot {sum(weights) + int(value)}; "
                                                         f"er is nog {left} over tot {WEIGHT_TOTAL}"))
    return problems


def check_requirement_removal(code: str, used_codes: set[str], bids_received: bool) -> list[Problem]:
    if bids_received:
        return [Problem("code", "EIS-VAST", "er zijn al inschrijvingen ontvangen; de minimumeisen liggen vast")]
    if code not in used_codes:
        return [Problem("code", "EIS-CODE", f"eis {code} staat niet in deze aanbesteding")]
    return []


def check_criterion_removal(code: str, used_codes: set[str], scored: bool) -> list[Problem]:
    if scored:
        return [Problem("code", "CRIT-VAST", "er is al gescoord; de gunningscriteria liggen vast")]
    if code not in used_codes:
        return [Problem("code", "CRIT-CODE", f"criterium {code} staat niet in deze aanbesteding")]
    return []


def _check_code(code: str, used_codes: set[str], rule: str) -> list[Problem]:
    if not code:
        return [Problem("code", rule, "vul een code in, bijv. EIS-AFSTAND")]
    if not CODE_PATTERN.fullmatch(code):
        return [Problem("code", rule, "een code bestaat uit hoofdletters, cijfers en streepjes (hoogstens 30)")]
    if code in used_codes:
        return [Problem("code", rule, f"code {code} is in deze aanbesteding al gebruikt")]
    return []


# --- bids ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """What a bid must answer for one requirement."""

    code: str
    kind: RequirementKind


def answer_field(code: str) -> str:
    return f"antwoord-{code}"


def parse_answers(questions: list[Question], raw: dict[str, str]) -> tuple[dict[str, object], list[Problem]]:
    """The answers as stored (a number as text, a certificate as True/False) and the problems; every requirement
    must be answered, so that a knock-out is always the bidder's answer and never a forgotten field."""
    answers: dict[str, object] = {}
    problems = []
    for question in questions:
        field = answer_field(question.code)
        text = raw.get(question.code, "")
        if question.kind is RequirementKind.CERTIFICATE:
            value = parse_yes_no(text)
            if value is None:
                problems.append(Problem(field, "BOD-ANTWOORD", f"{question.code}: kies ja of nee"))
                continue
            answers[question.code] = value
            continue
        number = parse_number(text)
        if number is None or number < 0:
            problems.append(Problem(field, "BOD-ANTWOORD", f"{question.code}: vul een getal van 0 of meer in"))
            continue
        answers[question.code] = format(number.normalize(), "f")
    return answers, problems


def unknown_answers(questions: list[Question], raw: dict[str, str]) -> list[Problem]:
    """Answers to requirements the tender does not have (the command line names them itself; a form cannot)."""
    known = {q.code for q in questions}
    return [Problem(answer_field(code), "BOD-ANTWOORD", f"{code}: deze aanbesteding heeft geen eis {code}")
            for code in sorted(set(raw) - known)]


def parse_received(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
