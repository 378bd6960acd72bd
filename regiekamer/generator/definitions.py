"""What a synthetic region is made of: municipalities, segments, lots and the products bought per lot.

Regions are written as strategy files (regiekamer/strategy/regions/*.toml); regiekamer/strategy/regiondef.py turns
a checked strategy into a RegionDef.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from regiekamer.ijw.constants import Frequency, ReferrerType, Unit


@dataclass(frozen=True)
class MunicipalityDef:
    cbs_code: str
    name: str
    age_0_17: int  # residents 0-17 on 1 January of the first year
    postcode_prefix: str  # first three digits of its PC4 area, used for synthetic addresses
    subregion: str = ""


@dataclass(frozen=True)
class ProductDef:
    code: str  # national product code (JZ21)
    category: str
    description: str
    unit: Unit
    frequency: Frequency
    volume: tuple[int, int]  # assigned volume per frequency period (min, max)
    tariff_euros: tuple[int, int]  # tariff range per unit in the first year
    weight: float  # share of the lot's trajectories
    variant: str = "inspanning"


@dataclass(frozen=True)
class LotDef:
    code: str
    name: str
    funding_model: str
    products: tuple[ProductDef, ...] = ()
    declared: bool = True  # False for task-based lots: no assignments or declarations per client
    subregion: str = ""  # a lot for one subregion; empty for the whole region
    ceiling: str = ""  # effort-based: "hard" or "zacht" ceilings per provider ...
    ceiling_providers: int = 0  # ... for this many of the lot's largest providers
    task_budget_per_resident_cents: int = 0  # task-based: the lot's yearly budget per resident 0-17
    yearly_decrease: str = "0"  # task-based: a decreasing lumpsum's decrease per year
    underspend: str = "herinvesteren"
    overspend: str = "aanbieder"
    availability_cents_per_month: int = 0  # hybrid: availability per provider
    cost_key: str = "inwoners 0-17"  # how task budgets and availability are shared by the municipalities
    shares: tuple[tuple[str, str], ...] = ()  # a fixed cost key: (CBS code, percentage)


@dataclass(frozen=True)
class SegmentDef:
    code: str
    name: str
    funding_model: str
    weight: float  # share of trajectories
    providers: int  # number of contracted providers
    lots: tuple[LotDef, ...]
    duration_days: tuple[int, int] | None = None  # override of the CBS duration distribution
    referrers: dict[ReferrerType, int] | None = None  # override of the referrer mix
    in_client_flow: bool = True
    domain: str = "jeugd"  # "wmo": iWmo messages and adult clients
    partnership_of: str = ""  # its providers are a partnership of the largest providers of that segment
    provider_name_prefix: str = ""  # e.g. "Jeugdbescherming": names its providers "<prefix> <word>"


@dataclass(frozen=True)
class RegionDef:
    code: str
    name: str
    cbs_code: str
    municipalities: tuple[MunicipalityDef, ...]
    segments: tuple[SegmentDef, ...]
    subregions: tuple[str, ...] = field(default=())
