"""A region's procurement strategy (verwervingsstrategie) as read from its file: plain, checked data.

read.py builds these from a TOML file and refuses anything it cannot check; load.py stores them, and
regiondef.py turns them into the demo generator's region definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from regiekamer.funding.calculate import FundingKind
from regiekamer.ijw.constants import Frequency, ReferrerType, Unit
from regiekamer.strategy.constants import CaseDirection, ContractForm, Domain, KpiDirection


@dataclass(frozen=True)
class MunicipalityEntry:
    cbs_code: str
    name: str
    subregion: str
    age_0_17: int  # residents 0-17 (the demo's population)
    postcode_prefix: str  # first three digits of its postcodes (synthetic addresses in the demo)


@dataclass(frozen=True)
class Access:
    referrers: tuple[ReferrerType, ...]
    case_direction: CaseDirection
    criteria: str = ""


@dataclass(frozen=True)
class Funding:
    """A funding model with its parameters, in the terms regiekamer/funding/terms.py understands."""

    model: FundingKind
    ceiling: str = ""  # "hard" or "zacht" (effort-based): a budget ceiling per provider
    ceiling_providers: int = 0  # how many of the largest providers get one
    budget_per_resident_cents: int = 0  # task-based: the lot's yearly budget per resident 0-17
    yearly_decrease: Decimal = Decimal("0")  # task-based: a decreasing lumpsum
    underspend: str = "herinvesteren"
    overspend: str = "aanbieder"
    availability_cents_per_month: int = 0  # hybrid: per provider
    cost_key: str = "inwoners 0-17"
    shares: tuple[tuple[str, Decimal], ...] = ()  # fixed cost key: percentage per municipality
    term_months: int = 0  # a lumpsum's term as agreed, when the strategy names it
    notes: str = ""


@dataclass(frozen=True)
class Contract:
    form: ContractForm
    term: str  # e.g. "4+1+1": the first term and its extensions, in years
    start: date | None = None
    requirements: tuple[str, ...] = ()  # minimum requirements (eisen), e.g. help within 10 km
    award_criteria: tuple[str, ...] = ()  # gunningscriteria of a tender
    duties: tuple[str, ...] = ()  # duties to report (meldplichten)

    @property
    def years(self) -> tuple[Decimal, ...]:
        return tuple(Decimal(part) for part in self.term.split("+"))


@dataclass(frozen=True)
class Kpi:
    """A target of supplier management, measured by a KPI of the KPI set (`kpi_id`): the norm in its unit, or,
    with a base year, the norm is a change in percent of the KPI's value against that year."""

    name: str
    norm: Decimal
    unit: str
    direction: KpiDirection
    deadline: date | None = None
    kpi_id: str = ""
    base_year: int | None = None


@dataclass(frozen=True)
class Suppliers:
    max_providers: int | None = None
    strategic_partners: int | None = None
    partnership_of: str = ""  # code of the segment whose largest providers form this segment's partnership
    kpis: tuple[Kpi, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ProductEntry:
    code: str
    category: str
    description: str
    variant: str
    unit: Unit
    frequency: Frequency
    volume: tuple[int, int]
    tariff_euros: tuple[int, int]
    weight: float
    building_block: str = ""  # bouwblok in a product structure (seed 003)


@dataclass(frozen=True)
class LotEntry:
    code: str
    name: str
    funding: Funding
    subregion: str = ""
    min_clients: int | None = None  # lower limit (ondergrens) of clients to bid for this lot
    products: tuple[ProductEntry, ...] = ()
    contract_form: ContractForm | None = None  # when the lot is contracted otherwise than its segment


@dataclass(frozen=True)
class DemoHints:
    """What only the demo generator needs: how much of the care flow the segment gets and by how many providers."""

    weight: float
    providers: int
    duration_days: tuple[int, int] | None = None
    provider_name_prefix: str = ""


@dataclass(frozen=True)
class SegmentEntry:
    code: str
    name: str
    domain: Domain
    access: Access
    funding: Funding
    contract: Contract
    suppliers: Suppliers
    lots: tuple[LotEntry, ...]
    demo: DemoHints
    result_area: str = ""  # resultaatgebied in a product structure (seed 003)
    description: str = ""


@dataclass(frozen=True)
class Strategy:
    file: str
    code: str  # the region's short name, e.g. zuid-holland-zuid
    name: str
    cbs_code: str  # jeugdregio, e.g. JZ31
    year: int
    source: str
    subregions: tuple[str, ...]
    municipalities: tuple[MunicipalityEntry, ...]
    segments: tuple[SegmentEntry, ...]
