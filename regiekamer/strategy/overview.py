"""The strategy overview: per segment the four instruments as short Dutch sentences, one matrix row per segment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from regiekamer.core.money import format_euros, group_thousands
from regiekamer.ijw.constants import REFERRER_LABELS, ReferrerType
from regiekamer.segments.constants import FundingModel
from regiekamer.strategy.models import ContractForm, Kpi, LotStrategy, SegmentStrategy, Strategy
from regiekamer.strategy.targets import relative_norm_text


@dataclass(frozen=True)
class Cell:
    headline: str
    details: list[str]


@dataclass(frozen=True)
class Row:
    segment: SegmentStrategy
    lots: list[str]
    access: Cell
    funding: Cell
    contract: Cell
    suppliers: Cell

    @property
    def cells(self) -> list[Cell]:
        """The four instruments in the order of the matrix's columns."""
        return [self.access, self.funding, self.contract, self.suppliers]


def current_strategy(region_id: int) -> Strategy | None:
    return Strategy.objects.filter(region_id=region_id).order_by("-year").first()


def rows(strategy: Strategy) -> list[Row]:
    segments = (strategy.segments.select_related("segment").prefetch_related("kpis", "lots__lot__subregion")
                .order_by("position"))
    return [Row(s, [_lot(lot) for lot in s.lots.all()], _access(s), _funding(s.funding_model, s.funding_params,
                                                                               s.funding_notes),
                _contract(s), _suppliers(s)) for s in segments]


def _lot(lot: LotStrategy) -> str:
    parts = [f"{lot.lot.code} {lot.lot.name}"]
    if lot.lot.subregion:
        parts.append(f"subregio {lot.lot.subregion.name}")
    if lot.min_clients:
        parts.append(f"ondergrens {lot.min_clients} cliënten")
    segment = lot.segment_strategy
    if lot.lot.funding_model != segment.funding_model or lot.funding_params != segment.funding_params:
        funding = _funding(lot.lot.funding_model, lot.funding_params, "")
        parts.append("; ".join([funding.headline.lower(), *funding.details]))
    if lot.contract_form:
        parts.append(ContractForm(lot.contract_form).label.lower())
    return " · ".join(parts)


def _access(s: SegmentStrategy) -> Cell:
    referrers = [REFERRER_LABELS[ReferrerType(code)].lower() for code in s.referrers]
    details = [f"Verwijzers: {', '.join(referrers)}"]
    if s.access_criteria:
        details.append(s.access_criteria)
    return Cell(f"Casusregie: {s.get_case_direction_display()}", details)


def _funding(model: str, params: dict, notes: str) -> Cell:
    details = []
    if params.get("ceiling"):
        who = f" voor de {params['ceiling_providers']} grootste aanbieders" if params.get("ceiling_providers") else ""
        details.append(f"{params['ceiling'].capitalize()} plafond per aanbieder{who}")
    if params.get("budget_per_resident_cents"):
        details.append(f"Budget {format_euros(params['budget_per_resident_cents'])} per inwoner 0-17 per jaar")
    if Decimal(params.get("yearly_decrease", "0")):
        details.append(f"Afnemende lumpsum: {(Decimal(params['yearly_decrease']) * 100).normalize():f}% per jaar")
    if params.get("term_months"):
        details.append(f"Looptijd lumpsum {params['term_months']} maanden")
    if params.get("availability_cents_per_month"):
        details.append(f"Beschikbaarheid {format_euros(params['availability_cents_per_month'])} per aanbieder per maand")
    if params.get("cost_key") or params.get("shares"):
        details.append(f"Verdeelsleutel: {params.get('cost_key', 'inwoners 0-17')}")
    if notes:
        details.append(notes)
    return Cell(FundingModel(model).label, details)


def funding_cell(model: str, params: dict) -> Cell:
    """A funding model with its parameters in Dutch sentences (as on /strategie/), e.g. for a contract's terms."""
    return _funding(model, params, "")


def _contract(s: SegmentStrategy) -> Cell:
    details = [f"Looptijd {s.contract_term.replace('+', ' + ')} jaar"]
    if s.contract_start:
        details[0] += f", vanaf {s.contract_start:%d-%m-%Y}"
    if s.requirements:
        details.append("Eisen: " + "; ".join(s.requirements))
    if s.award_criteria:
        details.append("Gunningscriteria: " + "; ".join(s.award_criteria))
    if s.duties:
        details.append("Meldplicht: " + "; ".join(s.duties))
    return Cell(s.get_contract_form_display(), details)


def _suppliers(s: SegmentStrategy) -> Cell:
    facts = []
    if s.max_providers:
        facts.append(f"hoogstens {s.max_providers} aanbieders")
    if s.strategic_partners:
        facts.append(f"{s.strategic_partners} strategische partners")
    if s.partnership_of:
        facts.append(f"samenwerkingsverband van de grootste aanbieders uit segment {s.partnership_of}")
    details = [_kpi(kpi) for kpi in s.kpis.all()]
    if s.supplier_notes:
        details.append(s.supplier_notes)
    return Cell("; ".join(facts).capitalize() if facts else "Geen beperking van het aantal aanbieders", details)


def _kpi(kpi: Kpi) -> str:
    deadline = f" per {kpi.deadline:%d-%m-%Y}" if kpi.deadline else ""
    if kpi.base_year is not None:
        norm = relative_norm_text(kpi.norm, kpi.direction, kpi.base_year)
    else:
        norm = f"{kpi.get_direction_display()} {measure_text(kpi.norm, kpi.unit)}"
    return f"KPI {kpi.name}: {norm}{deadline} (gemeten met {kpi.kpi_id})"


def measure_text(value: Decimal | int | None, unit: str) -> str:
    """A KPI value or norm in its unit, as a Dutch page shows it: cents as euros, a percentage with %."""
    if value is None:
        return "–"
    number = Decimal(value)
    if unit == "cent":
        return format_euros(int(number.to_integral_value()))
    shown = format(number.normalize(), "f").replace(".", ",") if number != number.to_integral_value() else (
        group_thousands(int(number)))
    return f"{shown} %" if unit == "procent" else f"{shown} {unit}"
