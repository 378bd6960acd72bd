"""A checked strategy as the demo generator's region definition, and the example regions shipped with the product."""

from __future__ import annotations

from pathlib import Path

from regiekamer.funding.calculate import FundingKind
from regiekamer.generator import calibration as cal
from regiekamer.generator.definitions import LotDef, MunicipalityDef, ProductDef, RegionDef, SegmentDef
from regiekamer.ijw.constants import ReferrerType
from regiekamer.strategy.definition import Funding, LotEntry, SegmentEntry, Strategy
from regiekamer.strategy.read import read_strategy

REGIONS_DIR = Path(__file__).parent / "regions"


def example_regions() -> list[str]:
    """The names of the example strategies, e.g. zuid-holland-zuid."""
    return sorted(path.stem for path in REGIONS_DIR.glob("*.toml"))


def strategy_path(name: str) -> Path:
    """An example region by name, or a path to a strategy file."""
    candidate = REGIONS_DIR / f"{name}.toml"
    if candidate.exists():
        return candidate
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        return path
    raise KeyError(f"onbekende regio {name!r}; kies uit {', '.join(example_regions())} of geef een strategiebestand")


def region_definition(name: str) -> RegionDef:
    """The generator's definition of an example region (or of a strategy file); raises StrategyInvalid."""
    return to_region_def(read_strategy(strategy_path(name)))


def to_region_def(strategy: Strategy) -> RegionDef:
    return RegionDef(
        code=strategy.code, name=strategy.name, cbs_code=strategy.cbs_code, subregions=strategy.subregions,
        municipalities=tuple(MunicipalityDef(m.cbs_code, m.name, m.age_0_17, m.postcode_prefix, m.subregion)
                             for m in strategy.municipalities),
        segments=tuple(_segment(segment) for segment in strategy.segments),
    )


def _segment(segment: SegmentEntry) -> SegmentDef:
    return SegmentDef(
        code=segment.code, name=segment.name, funding_model=segment.funding.model.value,
        weight=segment.demo.weight, providers=segment.demo.providers,
        lots=tuple(_lot(lot) for lot in segment.lots), duration_days=segment.demo.duration_days,
        referrers=referrer_mix(segment.access.referrers), domain=segment.domain.value,
        partnership_of=segment.suppliers.partnership_of, provider_name_prefix=segment.demo.provider_name_prefix,
    )


def referrer_mix(referrers: tuple[ReferrerType, ...]) -> dict[ReferrerType, int]:
    """The demo's referrer mix: the CBS mix of voluntary youth care restricted to the referrers the segment allows;
    for a segment that only the certified institutions and the court refer to, the CBS mix of those two."""
    voluntary = {referrer: count for referrer, count in cal.REFERRER_MIX.items() if referrer in referrers}
    if voluntary:
        return voluntary
    return {referrer: count for referrer, count in cal.REFERRER_MIX_GI.items() if referrer in referrers}


def _lot(lot: LotEntry) -> LotDef:
    funding: Funding = lot.funding
    return LotDef(
        code=lot.code, name=lot.name, funding_model=funding.model.value,
        products=tuple(ProductDef(p.code, p.category, p.description, p.unit, p.frequency, p.volume, p.tariff_euros,
                                  p.weight, p.variant) for p in lot.products),
        declared=funding.model is not FundingKind.TAAK, subregion=lot.subregion,
        ceiling=funding.ceiling, ceiling_providers=funding.ceiling_providers,
        task_budget_per_resident_cents=funding.budget_per_resident_cents,
        yearly_decrease=str(funding.yearly_decrease), underspend=funding.underspend, overspend=funding.overspend,
        availability_cents_per_month=funding.availability_cents_per_month, cost_key=funding.cost_key,
        shares=tuple((code, str(share)) for code, share in funding.shares),
    )
