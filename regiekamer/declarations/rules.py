"""Formal controls on declaration lines (323 prestaties), as rule objects.

Each rule carries the standard's rule code, the retourcode that goes into the 325 answer, and a Dutch
message. Rules are pure: they look only at the `LineFacts` the handler gathered for one line.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from regiekamer.core.periods import month_end
from regiekamer.ijw.constants import DebitCredit
from regiekamer.ijw.model import Performance


@dataclass(frozen=True)
class AssignmentFacts:
    client_id: int
    provider_id: int
    product_code: str
    category: str
    unit: str
    start: date
    end: date | None
    volume: int | None = None
    frequency: str = ""


@dataclass(frozen=True)
class EarlierLine:
    """An earlier accepted debit line that a credit line refers to."""

    assignment_number: int
    product_code: str
    period_start: date
    period_end: date
    volume: int
    amount_cents: int
    already_credited: bool


@dataclass(frozen=True)
class LineFacts:
    line: Performance
    client_id: int | None
    provider_id: int
    assignment: AssignmentFacts | None
    contract_tariff_cents: int | None
    reference_taken: bool
    open_debit_exists: bool  # an accepted, uncredited debit for the same assignment, product and period
    credited_line: EarlierLine | None  # for credit lines: the line named by VorigReferentieNummer
    declaration_period_end: date
    contracted: bool  # the provider holds a contract for the product's lot on the period start
    responsible_municipality: str | None = None  # where this client's assignment is, when not at the receiver


class LineRule(ABC):
    code: str
    retourcode: str
    message: str
    applies_to_credit: bool = False

    @abstractmethod
    def violated(self, facts: LineFacts) -> bool: ...


class ReferenceUnique(LineRule):
    code, retourcode = "TR314", "8021"
    message = "ReferentieNummer is al eerder gebruikt door deze aanbieder"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        return facts.reference_taken


class ResidenceMunicipalityPays(LineRule):
    code, retourcode = "RK-WOONPLAATS", "9338"
    message = "de toewijzing voor deze cliënt hoort bij een andere gemeente (woonplaatsbeginsel)"

    def violated(self, facts: LineFacts) -> bool:
        return facts.responsible_municipality is not None


class AssignmentExists(LineRule):
    code, retourcode = "TR338", "9338"
    message = "er is geen toewijzing met dit nummer voor deze cliënt bij deze aanbieder"

    def violated(self, facts: LineFacts) -> bool:
        a = facts.assignment
        return a is None or a.client_id != facts.client_id or a.provider_id != facts.provider_id


class ProductMatchesAssignment(LineRule):
    code, retourcode = "TR340", "9340"
    message = "productcategorie of productcode wijkt af van de toewijzing"

    def violated(self, facts: LineFacts) -> bool:
        a = facts.assignment
        return a is not None and (a.product_code != facts.line.product.code or a.category != facts.line.product.category)


class UnitMatchesAssignment(LineRule):
    code, retourcode = "TR341", "9341"
    message = "eenheid wijkt af van de toegewezen eenheid"

    def violated(self, facts: LineFacts) -> bool:
        a = facts.assignment
        unit = facts.line.unit  # a StrEnum: compares as its code, without the cost of .value
        return a is not None and a.unit not in (unit, "04" if unit == "01" else "")


class PeriodStartsInAssignment(LineRule):
    code, retourcode = "TR307", "9307"
    message = "productperiode begint voor de ingangsdatum van de toewijzing"

    def violated(self, facts: LineFacts) -> bool:
        a = facts.assignment
        return a is not None and facts.line.period_start < a.start


class PeriodEndsInAssignment(LineRule):
    code, retourcode = "TR308", "9308"
    message = "productperiode eindigt na de einddatum van de toewijzing"

    def violated(self, facts: LineFacts) -> bool:
        a = facts.assignment
        return a is not None and a.end is not None and facts.line.period_end > a.end


class PeriodStartsOnMonthOrAssignmentStart(LineRule):
    code, retourcode = "TR387", "9387"
    message = "productperiode begint niet op de eerste van de maand of op de (latere) ingangsdatum van de toewijzing"

    def violated(self, facts: LineFacts) -> bool:
        a, start = facts.assignment, facts.line.period_start
        if a is None or a.start > month_end(start):
            return False
        return start != max(start.replace(day=1), a.start)


class PeriodEndsOnMonthOrAssignmentEnd(LineRule):
    code, retourcode = "TR388", "9388"
    message = "productperiode eindigt niet op de laatste dag van de maand of op de (eerdere) einddatum van de toewijzing"

    def violated(self, facts: LineFacts) -> bool:
        a, start, end = facts.assignment, facts.line.period_start, facts.line.period_end
        if a is None or (a.end is not None and a.end < start):
            return False
        last = month_end(start)
        return end != (min(last, a.end) if a.end else last)


class PeriodNotAfterDeclarationPeriod(LineRule):
    code, retourcode = "TR319", "9319"
    message = "productperiode ligt na de declaratieperiode"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        return facts.line.period_start > facts.declaration_period_end


def maximum_volume(assignment: AssignmentFacts, line: Performance) -> int | None:
    """The most that may be declared for the line's period under the assigned volume and frequency (TR321).

    Per day: volume × days; per week: volume × days / 7, rounded up; per month: the monthly volume.
    'Total within the validity period' is checked over the whole assignment instead (TR322), so None here.
    Minutes may be declared against an hourly assignment.
    """
    if assignment.volume is None:
        return None
    factor = 60 if (assignment.unit, line.unit) == ("04", "01") else 1
    if assignment.unit != line.unit and factor == 1:
        return None
    days = (line.period_end - line.period_start).days + 1
    match assignment.frequency:
        case "1":
            return assignment.volume * days * factor
        case "2":
            return math.ceil(assignment.volume * days * factor / 7)
        case "4":
            return assignment.volume * factor
    return None


class VolumeWithinAssignment(LineRule):
    code, retourcode = "TR321", "9321"
    message = "geleverd volume is groter dan toegewezen voor deze periode"

    def violated(self, facts: LineFacts) -> bool:
        if facts.assignment is None:
            return False
        limit = maximum_volume(facts.assignment, facts.line)
        return limit is not None and facts.line.delivered_volume > limit


class ZeroAmountIsDebit(LineRule):
    code, retourcode = "CS325", "0001"
    message = "een bedrag van 0 moet als debet worden aangeleverd"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        return facts.line.amount_cents == 0 and facts.line.debit_credit is DebitCredit.CREDIT


class ProviderIsContracted(LineRule):
    code, retourcode = "RK-CONTRACT", "0611"
    message = "aanbieder heeft voor dit product in deze periode geen contract"

    def violated(self, facts: LineFacts) -> bool:
        return not facts.contracted


class PeriodWithinOneMonth(LineRule):
    code, retourcode = "CS337", "0001"
    message = "productperiode valt niet binnen één kalendermaand"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        start, end = facts.line.period_start, facts.line.period_end
        return end < start or (start.year, start.month) != (end.year, end.month)


class AmountIsVolumeTimesTariff(LineRule):
    code, retourcode = "TR346", "9346"
    message = "ingediend bedrag is niet gelijk aan geleverd volume × producttarief"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        line = facts.line
        if line.unit == "83":
            return line.amount_cents != line.delivered_volume
        return line.tariff_cents is None or line.amount_cents != line.delivered_volume * line.tariff_cents


class TariffIsContractTariff(LineRule):
    code, retourcode = "TR418", "0611"
    message = "producttarief is niet het contracttarief voor deze periode"

    def violated(self, facts: LineFacts) -> bool:
        line = facts.line
        if line.unit == "83":
            return False
        return facts.contract_tariff_cents is None or line.tariff_cents != facts.contract_tariff_cents


class NoDoubleDebit(LineRule):
    code, retourcode = "TR389", "9389"
    message = "er is al een toegekende debetregel voor deze toewijzing, dit product en deze periode"

    def violated(self, facts: LineFacts) -> bool:
        return facts.open_debit_exists


class CreditRefersToAcceptedLine(LineRule):
    code, retourcode = "TR323", "8017"
    message = "creditregel verwijst niet naar een eerder toegekende debetregel met dezelfde gegevens"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        if facts.line.debit_credit is not DebitCredit.CREDIT:
            return False
        original, line = facts.credited_line, facts.line
        return original is None or (
            original.assignment_number, original.product_code, original.period_start, original.period_end,
            original.volume, original.amount_cents,
        ) != (line.assignment_number, line.product.code, line.period_start, line.period_end,
              line.delivered_volume, line.amount_cents)


class CreditOnlyOnce(LineRule):
    code, retourcode = "TR390", "9390"
    message = "deze debetregel is al eerder gecrediteerd"
    applies_to_credit = True

    def violated(self, facts: LineFacts) -> bool:
        return (facts.line.debit_credit is DebitCredit.CREDIT and facts.credited_line is not None
                and facts.credited_line.already_credited)


LINE_RULES: tuple[LineRule, ...] = (
    ReferenceUnique(), PeriodWithinOneMonth(), PeriodNotAfterDeclarationPeriod(), AmountIsVolumeTimesTariff(),
    ZeroAmountIsDebit(), ResidenceMunicipalityPays(), AssignmentExists(), ProductMatchesAssignment(),
    UnitMatchesAssignment(), PeriodStartsInAssignment(), PeriodEndsInAssignment(),
    PeriodStartsOnMonthOrAssignmentStart(), PeriodEndsOnMonthOrAssignmentEnd(), VolumeWithinAssignment(),
    ProviderIsContracted(), TariffIsContractTariff(), NoDoubleDebit(), CreditRefersToAcceptedLine(), CreditOnlyOnce(),
)


CREDIT_LINE_RULES = tuple(rule for rule in LINE_RULES if rule.applies_to_credit)


# Each rule with its bound check, looked up once instead of for every line.
_CHECKS = tuple((rule, rule.violated) for rule in LINE_RULES)
_CREDIT_CHECKS = tuple((rule, rule.violated) for rule in CREDIT_LINE_RULES)


def check_line(facts: LineFacts) -> list[LineRule]:
    """The rules this line breaks; an empty list means accepted."""
    checks = _CREDIT_CHECKS if facts.line.debit_credit is DebitCredit.CREDIT else _CHECKS
    return [rule for rule, violated in checks if violated(facts)]
