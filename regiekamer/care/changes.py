"""Honouring a request for change (317): which assignments the 301 carries, following IV093, OP257 and IV066.

Pure: it works on the current assignments and the provider's desired situation, and returns the plan.

- an unchanged product is sent again as it is, without a reason of change;
- a changed product keeps its number when only its end date or budget changes, or when its volume changes
  and its frequency is "total within the assignment's validity" (6); it gets reason 12 (initiated by the
  provider);
- any other change of volume ends the current assignment the day before the desired start (reason 12) and
  adds a new assignment, with a new number, from the desired start;
- a new product becomes a new assignment.
Every product in the 301 carries the reference of the request (IV093).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from regiekamer.ijw.constants import CHANGE_INITIATED_BY_PROVIDER as INITIATED_BY_PROVIDER
from regiekamer.ijw.constants import Frequency


@dataclass(frozen=True)
class PlannedAssignment:
    number: int | None  # None: a new assignment, numbered when it is stored
    product_code: str
    start: date
    end: date | None
    volume: int | None
    unit: str
    frequency: str
    budget_cents: int | None = None
    change_reason: str = ""
    derived_from: int | None = None  # the current assignment a new one continues (its referrer carries over)

    @property
    def is_new(self) -> bool:
        return self.number is None


@dataclass(frozen=True)
class WantedChange:
    """TeWijzigenProduct: an assignment number with the desired start, end, volume and budget."""

    number: int
    desired_start: date
    end: date | None = None
    volume: int | None = None
    unit: str | None = None
    frequency: str | None = None
    budget_cents: int | None = None


@dataclass(frozen=True)
class WantedProduct:
    """NieuwProduct: a product the client does not have at this provider yet."""

    product_code: str
    desired_start: date
    end: date | None
    volume: int | None
    unit: str
    frequency: str
    budget_cents: int | None = None


class ChangeNotPossible(ValueError):
    """The request no longer fits the current assignments (e.g. one of them ended meanwhile)."""


def _changed(current: PlannedAssignment, wanted: WantedChange) -> list[PlannedAssignment]:
    end = wanted.end if wanted.end is not None else current.end
    unit = wanted.unit or current.unit
    frequency = wanted.frequency or current.frequency
    new_volume = wanted.volume is not None and (wanted.volume, unit, frequency) != (
        current.volume, current.unit, current.frequency)
    if new_volume and current.frequency != Frequency.TOTAAL:
        if wanted.desired_start <= current.start:
            raise ChangeNotPossible(f"toewijzing {current.number}: de gewenste ingangsdatum ligt niet na de "
                                    "ingangsdatum van de toewijzing; een nieuwe omvang kan niet eerder ingaan")
        ended = replace(current, end=wanted.desired_start - timedelta(days=1), change_reason=INITIATED_BY_PROVIDER)
        successor = PlannedAssignment(None, current.product_code, wanted.desired_start, end, wanted.volume, unit,
                                      frequency, wanted.budget_cents, derived_from=current.number)
        return [ended, successor]
    return [replace(current, end=end,
                    volume=wanted.volume if wanted.volume is not None else current.volume,
                    budget_cents=wanted.budget_cents if wanted.budget_cents is not None else current.budget_cents,
                    change_reason=INITIATED_BY_PROVIDER)]


def plan_change(current: dict[int, PlannedAssignment], unchanged: list[int], changed: list[WantedChange],
                new: list[WantedProduct]) -> list[PlannedAssignment]:
    """The assignments of the 301 that honours the request, in the order they appear in it."""
    named = set(unchanged) | {c.number for c in changed}
    if named != set(current):
        raise ChangeNotPossible(f"het verzoek noemt toewijzingen {sorted(named)}, actueel zijn {sorted(current)}")
    plan = [replace(current[number], change_reason="") for number in unchanged]
    for wanted in changed:
        plan.extend(_changed(current[wanted.number], wanted))
    plan.extend(PlannedAssignment(None, p.product_code, p.desired_start, p.end, p.volume, p.unit, p.frequency,
                                  p.budget_cents) for p in new)
    return plan
