"""Simulate a region's care flow: clients, trajectories, and the monthly delivery that providers declare.

Everything is drawn from one seeded random generator per municipality, so the same seed and
scale always give the same region, message for message.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from regiekamer.core.bsn import synthetic_bsn
from regiekamer.core.periods import month_end, months_between
from regiekamer.generator import calibration as cal
from regiekamer.generator.definitions import LotDef, MunicipalityDef, ProductDef, RegionDef, SegmentDef
from regiekamer.ijw.constants import Frequency, ReferrerType, StopReason, Unit

SURNAMES = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
            "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen",
            "van Dijk", "Yilmaz", "El Amrani", "Öztürk", "Kaya", "Pinas", "Wong", "Nguyen")
PROVIDER_WORDS_A = ("Horizon", "De Rivierenlanden", "Kompas", "Ouderzorg", "Kwadrant", "Lindenhof", "Yorneo",
                    "De Waal", "Oostvoorne", "Pameijer", "Merwede", "Linge", "Dordtse", "Alblas", "Groene Hart",
                    "Eilanden", "Molenwaard", "Giessen", "Zwijn", "Drechtsteden", "Wielewaal", "Bongerd",
                    "Zonnebloem", "Vlietland", "Binnenmaas", "Oude Maas", "Noord", "Korendijk", "Sterrenland")
PROVIDER_WORDS_B = ("Jeugdhulp", "Jeugd & Gezin", "Zorggroep", "Kindercentrum", "Behandelcentrum", "Gezinshuizen",
                    "Ambulant", "Jeugd-GGZ", "Pleegzorg", "Opvoedpoli", "Wonen", "Dagbehandeling", "Praktijk")
AGE_WEIGHTS = ((0, 3, 6), (4, 7, 18), (8, 11, 27), (12, 15, 32), (16, 17, 17))
# Wmo clients are adults; most are older (an assumption for the demo, not a published distribution).
ADULT_AGE_WEIGHTS = ((18, 44, 25), (45, 66, 30), (67, 94, 45))


@dataclass(frozen=True)
class SimProvider:
    agb_code: str
    kvk_number: str
    name: str
    segment: str
    lots: tuple[str, ...]


@dataclass(frozen=True)
class SimClient:
    bsn: str
    birth_date: date
    gender: str
    surname: str
    initials: str
    postcode: str


@dataclass
class Trajectory:
    client: SimClient
    municipality: str
    segment: SegmentDef
    lot: LotDef
    product: ProductDef
    provider: SimProvider
    referrer: ReferrerType | None
    assigned_on: date
    assignment_start: date
    assignment_end: date
    care_start: date
    care_end: date | None  # None: still in care at the end of the simulated period
    stop_reason: StopReason | None
    volume: int
    assignment_number: int | None = None
    request_reference: str | None = None
    first_end: date | None = None  # when the first assignment ran out before the care did: its end date ...
    change_reference: str | None = None  # ... and the provider's request for change (317) that extended it


@dataclass(frozen=True)
class Line:
    """One month of delivery to declare (before it is written as a Prestatie)."""

    trajectory: Trajectory
    month: date
    period_start: date
    period_end: date
    volume: int
    tariff_cents: int


@dataclass
class MunicipalityHistory:
    municipality: MunicipalityDef
    population: dict[int, int]
    trajectories: list[Trajectory] = field(default_factory=list)


def weighted_choice(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def zipf_weights(count: int) -> list[float]:
    return [1 / (rank ** cal.PROVIDER_ZIPF_EXPONENT) for rank in range(1, count + 1)]


def mean_duration_years() -> float:
    total = sum(count for _, _, count in cal.DURATION_BINS)
    months = sum((low + high) / 2 * count for low, high, count in cal.DURATION_BINS)
    return months / total / 12


def sample_duration_days(rng: random.Random, segment: SegmentDef) -> int:
    if segment.duration_days:
        low, high = segment.duration_days
        return rng.randint(low, high)
    low, high, _ = rng.choices(cal.DURATION_BINS, weights=[c for _, _, c in cal.DURATION_BINS], k=1)[0]
    return max(1, int(rng.uniform(low, high) * 30.44))


def tariff_cents(product: ProductDef, year: int, first_year: int, base: dict[str, int]) -> int:
    """The regional tariff of a product in a year: the base tariff indexed yearly, in whole cents."""
    return round(base[product.code] * (1 + cal.TARIFF_INDEXATION) ** (year - first_year))


class ProviderMarket:
    """Providers per segment with Zipf-distributed market shares."""

    def __init__(self, region: RegionDef, rng: random.Random, agb_start: int) -> None:
        self.by_segment: dict[str, list[SimProvider]] = {}
        self.weights: dict[str, list[float]] = {}
        used_names: set[str] = set()
        agb = agb_start
        # segments whose largest providers form another segment's partnership come first
        sources = {segment.partnership_of for segment in region.segments if segment.partnership_of}
        order = sorted(region.segments, key=lambda s: s.code not in sources)
        for segment in order:
            lots = tuple(lot.code for lot in segment.lots if lot.products)
            providers: list[SimProvider] = []
            if segment.partnership_of in self.by_segment:
                # Seed 001: the highly specialised segment goes to a partnership of the largest providers.
                providers.extend(SimProvider(p.agb_code, p.kvk_number, p.name, segment.code, lots)
                                 for p in self.by_segment[segment.partnership_of][:cal.PARTNERSHIP_SIZE])
            while len(providers) < segment.providers:
                name = self._name(rng, segment, used_names)
                providers.append(SimProvider(f"98{agb:06d}", f"{rng.randrange(10_000_000, 99_999_999)}", name,
                                             segment.code, lots))
                agb += 1
            self.by_segment[segment.code] = providers
            self.weights[segment.code] = zipf_weights(len(providers))
        self.next_agb = agb

    @staticmethod
    def _name(rng: random.Random, segment: SegmentDef, used: set[str]) -> str:
        if segment.provider_name_prefix:
            base = f"{segment.provider_name_prefix} {rng.choice(PROVIDER_WORDS_A)}"
        else:
            base = f"{rng.choice(PROVIDER_WORDS_A)} {rng.choice(PROVIDER_WORDS_B)}"
        name, suffix = base, 2
        while name in used:
            name, suffix = f"{base} {suffix}", suffix + 1
        used.add(name)
        return name

    def all(self) -> list[SimProvider]:
        seen: dict[str, SimProvider] = {}
        for providers in self.by_segment.values():
            for provider in providers:
                if provider.agb_code in seen:
                    merged = tuple(sorted(set(seen[provider.agb_code].lots) | set(provider.lots)))
                    seen[provider.agb_code] = SimProvider(provider.agb_code, provider.kvk_number, provider.name,
                                                          seen[provider.agb_code].segment, merged)
                else:
                    seen[provider.agb_code] = provider
        return list(seen.values())

    def pick(self, rng: random.Random, segment: SegmentDef, exclude: str | None = None) -> SimProvider:
        providers = self.by_segment[segment.code]
        weights = self.weights[segment.code]
        candidates = [(p, w) for p, w in zip(providers, weights) if p.agb_code != exclude] or list(zip(providers, weights))
        return rng.choices([p for p, _ in candidates], weights=[w for _, w in candidates], k=1)[0]


@dataclass
class Simulation:
    region: RegionDef
    seed: int
    first_year: int
    years: int
    market: ProviderMarket
    base_tariffs: dict[str, int]

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.first_year + self.years - 1, 12, 31)

    def simulate_municipality(self, municipality: MunicipalityDef, population_factor: float) -> MunicipalityHistory:
        rng = random.Random(f"{self.seed}:{municipality.cbs_code}")
        population = {}
        base_population = round(municipality.age_0_17 * population_factor)
        for offset in range(self.years):
            population[self.first_year + offset] = round(base_population * (1.004 ** offset))
        history = MunicipalityHistory(municipality, population)
        share = cal.SHARE_IN_CARE * rng.uniform(1 - cal.SHARE_SPREAD, 1 + cal.SHARE_SPREAD)
        clients_per_year = base_population * share
        duration = mean_duration_years()
        inflow = clients_per_year / (1 + duration)
        stock = round(inflow * duration)
        assignment_counter = [0]

        for _ in range(stock):
            self._new_client(rng, history, assignment_counter, in_stock=True)
        for offset in range(self.years):
            year_inflow = round(inflow * (1 + cal.INFLOW_GROWTH) ** offset)
            for _ in range(year_inflow):
                self._new_client(rng, history, assignment_counter, in_stock=False, year=self.first_year + offset)
        return history

    def _new_client(self, rng: random.Random, history: MunicipalityHistory, counter: list[int], in_stock: bool,
                    year: int | None = None) -> None:
        segment = self._pick_segment(rng)
        assert segment is not None
        days = sample_duration_days(rng, segment)
        if in_stock:
            care_start = self.start - timedelta(days=rng.randint(1, max(1, days - 1)))
        else:
            assert year is not None
            care_start = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        ages = ADULT_AGE_WEIGHTS if segment.domain == "wmo" else AGE_WEIGHTS
        low, high, _ = rng.choices(ages, weights=[w for _, _, w in ages], k=1)[0]
        age_days = rng.randint(low * 365 + 1, high * 365 + 364)
        municipality = history.municipality
        client = SimClient(
            bsn=synthetic_bsn(rng),
            birth_date=care_start - timedelta(days=age_days),
            gender=rng.choice("12"),
            surname=rng.choice(SURNAMES),
            initials=rng.choice("ABCDEFGHIJKLMNOPRSTWY"),
            postcode=f"{municipality.postcode_prefix}{rng.randrange(10)}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
                     f"{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        )
        first = self._trajectory(rng, history, counter, client, segment, care_start, days, exclude=None)
        if rng.random() < cal.SECOND_TRAJECTORY_SHARE:
            other = self._pick_segment(rng, exclude=segment)
            if other is None:
                return
            offset = rng.randint(0, max(0, days // 2))
            self._trajectory(rng, history, counter, client, other, care_start + timedelta(days=offset),
                             sample_duration_days(rng, other), exclude=first.provider.agb_code)

    def _pick_segment(self, rng: random.Random, exclude: SegmentDef | None = None) -> SegmentDef | None:
        """A segment for a new trajectory; a second one is another segment of the same domain (None if none)."""
        segments = [s for s in self.region.segments if s.in_client_flow and (
            exclude is None or (s.code != exclude.code and s.domain == exclude.domain))]
        if not segments:
            return None
        return rng.choices(segments, weights=[s.weight for s in segments], k=1)[0]

    def _trajectory(self, rng: random.Random, history: MunicipalityHistory, counter: list[int], client: SimClient,
                    segment: SegmentDef, care_start: date, days: int, exclude: str | None) -> Trajectory:
        lots = [lot for lot in segment.lots if lot.products]
        products = [(lot, product) for lot in lots for product in lot.products]
        lot, product = rng.choices(products, weights=[p.weight for _, p in products], k=1)[0]
        provider = self.market.pick(rng, segment, exclude=exclude)
        care_end = care_start + timedelta(days=days)
        ended = care_end <= self.end
        wait = min(120, int(rng.expovariate(1 / 14)))
        assignment_start = care_start - timedelta(days=wait)
        slack = rng.randint(0, 60)
        assignment_end = month_end(care_end + timedelta(days=slack))
        referrer = None
        if lot.declared:
            referrer = weighted_choice(rng, segment.referrers or cal.REFERRER_MIX)
        stop_reason = None
        if ended:
            mix = cal.STOP_REASON_MIX_WMO if segment.domain == "wmo" else cal.STOP_REASON_MIX
            stop_reason = (StopReason.VOLGENS_PLAN if segment.duration_days and rng.random() < 0.8
                           else weighted_choice(rng, mix))
        trajectory = Trajectory(
            client=client, municipality=history.municipality.cbs_code, segment=segment, lot=lot, product=product,
            provider=provider, referrer=referrer, assigned_on=assignment_start - timedelta(days=rng.randint(1, 10)),
            assignment_start=assignment_start, assignment_end=assignment_end, care_start=care_start,
            care_end=care_end if ended else None, stop_reason=stop_reason,
            volume=rng.randint(*product.volume),
        )
        if lot.declared:
            counter[0] += 1
            trajectory.assignment_number = counter[0]
            cbs = history.municipality.cbs_code
            if referrer is not ReferrerType.GEMEENTE:
                trajectory.request_reference = f"VOT{cbs}{counter[0]:07d}"
            first_end = month_end(assignment_start + timedelta(days=cal.ASSIGNMENT_TERM_DAYS - 1))
            if first_end < assignment_end:  # assigned for a term; the provider asks to extend it (317)
                trajectory.first_end = first_end
                trajectory.change_reference = f"VOW{cbs}{counter[0]:07d}"
        history.trajectories.append(trajectory)
        return trajectory

    def monthly_lines(self, rng: random.Random, trajectory: Trajectory) -> list[Line]:
        """The months this trajectory delivered care within the simulated period, with their volume."""
        if not trajectory.lot.declared:
            return []
        first = max(trajectory.care_start, self.start)
        last = min(trajectory.care_end or self.end, self.end)
        lines = []
        for month in months_between(first, last):
            month_last = month_end(month)
            period_start = max(month, trajectory.assignment_start)
            period_end = min(month_last, trajectory.assignment_end)
            care_days = (min(month_last, last) - max(month, first)).days + 1
            if care_days <= 0:
                continue
            volume = delivered_volume(rng, trajectory.product, trajectory.volume, care_days, month_last.day)
            if volume <= 0:
                continue
            lines.append(Line(trajectory, month, period_start, period_end, volume,
                              tariff_cents(trajectory.product, month.year, self.first_year, self.base_tariffs)))
        return lines


def delivered_volume(rng: random.Random, product: ProductDef, assigned: int, care_days: int, days_in_month: int) -> int:
    """Volume delivered in one month: close to, never above, what was assigned for those days."""
    if product.unit is Unit.STUKS_OUTPUT:
        return 1
    if product.unit is Unit.ETMAAL:
        days = max(1, min(care_days, round(care_days * rng.uniform(0.93, 1.0))))
        return min(days, assigned) if product.frequency is Frequency.PER_MAAND else days  # part-time stays within it
    if product.frequency is Frequency.PER_WEEK:
        allowed = assigned * care_days / 7
        return max(1, math.floor(allowed * rng.uniform(0.7, 1.0)))
    allowed = assigned * care_days / days_in_month
    return max(1, min(assigned, round(allowed * rng.uniform(0.6, 1.0))))


def assignment_time(rng: random.Random) -> time:
    return time(rng.randint(8, 17), rng.randrange(60), rng.randrange(60))
