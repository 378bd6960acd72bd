"""Import of outcome measurements from providers: a CSV file per delivery, all or nothing, idempotent.

Format (UTF-8, comma or semicolon separated, header row required):

    aanbieder,gemeente,toewijzingnummer,meting,datum,waarde
    98000001,0505,1234,doelrealisatie,2024-06-30,ja

- `aanbieder`: AGB code of the provider that measured; it must hold the assignment.
- `gemeente` + `toewijzingnummer`: the assignment (301) the care was given under; no BSN is needed.
- `meting`: doelrealisatie (agreed goals reached: ja / gedeeltelijk / nee), tevredenheid (client satisfaction,
  a whole number 1-10) or crisis_24u (crisis stabilised within 24 hours: ja / nee).
- `datum`: the day of the measurement (YYYY-MM-DD), not before the assignment started.

Every line is checked; one bad line refuses the whole file with the file, line and rule named. A line that
is already stored with the same value is skipped, so delivering a file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from regiekamer.care.models import Assignment
from regiekamer.messaging.turns import take_turn
from regiekamer.monitoring.models import Measurement, MeasurementKind

MAX_BYTES = 10_000_000
COLUMNS = ("aanbieder", "gemeente", "toewijzingnummer", "meting", "datum", "waarde")
YES_NO = {"ja", "nee"}
GOAL_VALUES = {"ja", "gedeeltelijk", "nee"}


@dataclass(frozen=True)
class Rule:
    code: str
    message: str


FILE_TOO_LARGE = Rule("MS00", "bestand is groter dan 10 MB")
NOT_UTF8 = Rule("MS01", "bestand is geen UTF-8-tekst")
MISSING_COLUMNS = Rule("MS02", "kolommen ontbreken in de kopregel")
UNKNOWN_ASSIGNMENT = Rule("MS03", "geen toewijzing met dit nummer bij deze gemeente")
OTHER_PROVIDER = Rule("MS04", "de toewijzing hoort bij een andere aanbieder")
UNKNOWN_KIND = Rule("MS05", "onbekende meting (doelrealisatie, tevredenheid of crisis_24u)")
BAD_DATE = Rule("MS06", "datum is geen geldige datum (JJJJ-MM-DD)")
BEFORE_ASSIGNMENT = Rule("MS07", "datum ligt vóór de ingangsdatum van de toewijzing")
BAD_VALUE = Rule("MS08", "waarde past niet bij de meting")
TWICE_IN_FILE = Rule("MS09", "dezelfde meting staat twee keer in het bestand")
CHANGED_VALUE = Rule("MS10", "deze meting is al opgeslagen met een andere waarde")


class MeasurementError(Exception):
    def __init__(self, file: str, line: int, rule: Rule, detail: str = "") -> None:
        self.file, self.line, self.rule = file, line, rule
        super().__init__(f"{file}, regel {line}: {rule.code} {rule.message}" + (f" ({detail})" if detail else ""))


@dataclass
class ImportReport:
    stored: int = 0
    known: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _value_fits(kind: str, value: str) -> bool:
    if kind == MeasurementKind.GOAL:
        return value in GOAL_VALUES
    if kind == MeasurementKind.CRISIS_STABILISED:
        return value in YES_NO
    return value.isdigit() and 1 <= int(value) <= 10


def _rows(path: Path) -> list[dict[str, str]]:
    name = str(path)
    if path.stat().st_size > MAX_BYTES:
        raise MeasurementError(name, 0, FILE_TOO_LARGE)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MeasurementError(name, 0, NOT_UTF8) from None
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MeasurementError(name, 1, MISSING_COLUMNS, ", ".join(missing))
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _check(name: str, number: int, row: dict[str, str], assignment_of: Callable[[str, str], Assignment | None]
           ) -> tuple[Assignment, str, date, str]:
    assignment = assignment_of(row["gemeente"], row["toewijzingnummer"])
    if assignment is None:
        raise MeasurementError(name, number, UNKNOWN_ASSIGNMENT, f"{row['gemeente']} {row['toewijzingnummer']}")
    if assignment.provider.agb_code != row["aanbieder"]:
        raise MeasurementError(name, number, OTHER_PROVIDER)
    kind = row["meting"].lower()
    if kind not in MeasurementKind.values:
        raise MeasurementError(name, number, UNKNOWN_KIND, row["meting"])
    try:
        day = date.fromisoformat(row["datum"])
    except ValueError:
        raise MeasurementError(name, number, BAD_DATE, row["datum"]) from None
    if day < assignment.start:
        raise MeasurementError(name, number, BEFORE_ASSIGNMENT, f"{day} < {assignment.start}")
    value = row["waarde"].lower()
    if not _value_fits(kind, value):
        raise MeasurementError(name, number, BAD_VALUE, f"{kind}: {row['waarde']!r}")
    return assignment, kind, day, value


def import_file(path: Path) -> ImportReport:
    """Check every line, then store the new ones in one transaction; raises MeasurementError on the first
    bad line, having stored nothing."""
    name = str(path)
    rows = _rows(path)
    cache: dict[tuple[str, str], Assignment | None] = {}

    def assignment_of(municipality: str, number: str) -> Assignment | None:
        if (municipality, number) not in cache:
            cache[(municipality, number)] = (Assignment.objects.select_related("provider")
                                             .filter(municipality__cbs_code=municipality, number=number).first()
                                             if number.isdigit() else None)
        return cache[(municipality, number)]

    checked: dict[tuple[int, str, date], tuple[int, str]] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        assignment, kind, day, value = _check(name, number, row, assignment_of)
        if (assignment.id, kind, day) in checked:
            raise MeasurementError(name, number, TWICE_IN_FILE, f"ook op regel {checked[(assignment.id, kind, day)][0]}")
        checked[(assignment.id, kind, day)] = (number, value)
    report = ImportReport()
    with transaction.atomic():
        take_turn()  # the KPI pages' cached facts are read again
        stored = {(m.assignment_id, m.kind, m.measured_on): m.value for m in Measurement.objects.filter(
            assignment_id__in={key[0] for key in checked})}
        new = []
        for key, (number, value) in checked.items():
            if key in stored:
                if stored[key] != value:
                    raise MeasurementError(name, number, CHANGED_VALUE, f"opgeslagen: {stored[key]}")
                report.known += 1
                continue
            new.append(Measurement(assignment_id=key[0], kind=key[1], measured_on=key[2], value=value,
                                   source=path.name))
            report.by_kind[key[1]] = report.by_kind.get(key[1], 0) + 1
        Measurement.objects.bulk_create(new)
        report.stored = len(new)
    return report
