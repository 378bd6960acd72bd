"""Store a checked strategy: region, subregions, municipalities, segments and lots, and per segment its instruments.

All or nothing in one transaction, and idempotent: loading the same file again changes nothing. KPIs that are no
longer in the file are removed; segments and lots are kept (contracts and products may refer to them).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from regiekamer.regions.models import Municipality, Region, Subregion
from regiekamer.segments.models import Lot, Segment
from regiekamer.strategy.definition import Funding, SegmentEntry
from regiekamer.strategy.definition import Strategy as StrategyDefinition
from regiekamer.strategy.models import Kpi, LotStrategy, SegmentStrategy, Strategy
from regiekamer.strategy.read import StrategyError, StrategyInvalid, read_strategy


@dataclass(frozen=True)
class Loaded:
    strategy: Strategy
    segments: int
    lots: int
    kpis: int


def load_strategy(path: Path) -> Loaded:
    """Check and store the strategy in `path`; raises StrategyInvalid and then stores nothing."""
    definition = read_strategy(path)
    with transaction.atomic():
        return _store(definition)


def funding_params(funding: Funding) -> dict:
    """The parameters that differ from the defaults, as plain JSON (amounts in cents, fractions as text)."""
    params: dict = {}
    defaults = Funding(funding.model)
    for name in ("ceiling", "ceiling_providers", "budget_per_resident_cents", "yearly_decrease", "underspend",
                 "overspend", "availability_cents_per_month", "cost_key", "term_months"):
        value = getattr(funding, name)
        if value != getattr(defaults, name):
            params[name] = str(value) if isinstance(value, Decimal) else value
    if funding.shares:
        params["shares"] = {code: str(share) for code, share in funding.shares}
    return params


def _store(definition: StrategyDefinition) -> Loaded:
    region, _ = Region.objects.update_or_create(code=definition.code, defaults={
        "name": definition.name, "cbs_code": definition.cbs_code})
    subregions = {name: Subregion.objects.get_or_create(region=region, name=name)[0]
                  for name in definition.subregions}
    for index, m in enumerate(definition.municipalities):
        other = Municipality.objects.filter(cbs_code=m.cbs_code).exclude(region=region).select_related("region").first()
        if other:
            raise StrategyInvalid([StrategyError(definition.file, f"gemeenten[{index}].cbs_code", "STR-GEMEENTE",
                                                 f"gemeente {m.cbs_code} hoort al bij regio {other.region}")])
        Municipality.objects.update_or_create(cbs_code=m.cbs_code, defaults={
            "name": m.name, "region": region, "subregion": subregions.get(m.subregion)})
    strategy, _ = Strategy.objects.update_or_create(region=region, year=definition.year, defaults={
        "source": definition.source, "file_name": Path(definition.file).name})
    lots = kpis = 0
    for position, entry in enumerate(definition.segments, start=1):
        segment_strategy = _store_segment(strategy, region, subregions, position, entry)
        lots += segment_strategy.lots.count()
        kpis += segment_strategy.kpis.count()
    return Loaded(strategy, len(definition.segments), lots, kpis)


def _store_segment(strategy: Strategy, region: Region, subregions: dict[str, Subregion], position: int,
                   entry: SegmentEntry) -> SegmentStrategy:
    segment, _ = Segment.objects.update_or_create(region=region, code=entry.code, defaults={
        "name": entry.name, "domain": entry.domain.value, "funding_model": entry.funding.model.value})
    access, funding, contract, suppliers = entry.access, entry.funding, entry.contract, entry.suppliers
    segment_strategy, _ = SegmentStrategy.objects.update_or_create(strategy=strategy, segment=segment, defaults={
        "position": position, "description": entry.description, "result_area": entry.result_area,
        "referrers": [referrer.value for referrer in access.referrers], "case_direction": access.case_direction.value,
        "access_criteria": access.criteria, "funding_model": funding.model.value,
        "funding_params": funding_params(funding), "funding_notes": funding.notes,
        "contract_form": contract.form.value, "contract_term": contract.term, "contract_start": contract.start,
        "requirements": list(contract.requirements), "award_criteria": list(contract.award_criteria),
        "duties": list(contract.duties), "max_providers": suppliers.max_providers,
        "strategic_partners": suppliers.strategic_partners, "partnership_of": suppliers.partnership_of,
        "supplier_notes": suppliers.notes})
    for lot_entry in entry.lots:
        lot, _ = Lot.objects.update_or_create(segment=segment, code=lot_entry.code, defaults={
            "name": lot_entry.name, "funding_model": lot_entry.funding.model.value,
            "subregion": subregions.get(lot_entry.subregion)})
        LotStrategy.objects.update_or_create(segment_strategy=segment_strategy, lot=lot, defaults={
            "min_clients": lot_entry.min_clients,
            "contract_form": lot_entry.contract_form.value if lot_entry.contract_form else "",
            "funding_params": funding_params(lot_entry.funding)})
    names = [kpi.name for kpi in suppliers.kpis]
    Kpi.objects.filter(segment_strategy=segment_strategy).exclude(name__in=names).delete()
    for kpi in suppliers.kpis:
        Kpi.objects.update_or_create(segment_strategy=segment_strategy, name=kpi.name, defaults={
            "kpi_id": kpi.kpi_id, "norm": kpi.norm, "unit": kpi.unit, "direction": kpi.direction.value,
            "deadline": kpi.deadline, "base_year": kpi.base_year})
    return segment_strategy
