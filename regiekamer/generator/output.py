"""Write a simulated region the way its records really arrive.

    OUT/region.json                       the contract register: region, municipalities, segments, lots,
                                          products, providers, contracts, tariffs, budgets (see docs/source-format.md)
    OUT/berichten/YYYY-MM-DD/N-KIND-SENDER-RECEIVER-ID.xml
                                          iJw 3.2 messages, one file each; N orders a day's messages the
                                          way they are processed (315, 317, 301, 305, 307, 323)
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from regiekamer.core.money import allocate_cents
from regiekamer.core.periods import month_end
from regiekamer.funding.calculate import Period, TariffTable
from regiekamer.funding.terms import model_from_terms
from regiekamer.generator import calibration as cal
from regiekamer.generator.definitions import MunicipalityDef, RegionDef
from regiekamer.generator.simulate import (
    Line,
    MunicipalityHistory,
    ProviderMarket,
    Simulation,
    Trajectory,
    assignment_time,
    tariff_cents,
)
from regiekamer.ijw import write
from regiekamer.ijw.constants import (
    CHANGE_INITIATED_BY_PROVIDER,
    MESSAGE_KINDS,
    DebitCredit,
    Frequency,
    MessageKind,
    ReferrerType,
)
from regiekamer.ijw.model import (
    AssignedProduct,
    AssignmentMessage,
    ChangedProduct,
    ChangeRequestMessage,
    DeclarationMessage,
    Header,
    Performance,
    Person,
    Product,
    Referrer,
    RequestedProduct,
    RequestMessage,
    StartedProduct,
    StartMessage,
    StopMessage,
    StoppedProduct,
    Volume,
)

# Raised whenever the generator writes different records for the same seed and scale, so that a demo built
# by an earlier version is not mixed with a new one.
GENERATOR_VERSION = 2
PROCESS_ORDER = {315: 1, 317: 2, 301: 3, 305: 4, 307: 5, 323: 6}
Progress = Callable[[str, int, int], None]


@dataclass
class GenerationSummary:
    out_dir: Path
    municipalities: int = 0
    providers: int = 0
    clients: int = 0
    trajectories: int = 0
    messages: int = 0
    declaration_lines: int = 0
    declared_cents: int = 0  # debit minus credit over all lines
    faults: int = 0  # lines written with a deliberate error (faults.json)
    files_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class MessageWriter:
    """Numbers messages per sender and writes each to its day folder."""

    def __init__(self, root: Path, summary: GenerationSummary) -> None:
        self.root = root
        self.summary = summary
        self.counters: dict[tuple[str, str], int] = defaultdict(int)
        self.created_dirs: set[Path] = set()

    def header(self, kind: MessageKind, sender: str, receiver: str, sent_on: date) -> Header:
        self.counters[(kind.name, sender)] += 1
        identification = f"{kind.number}{self.counters[(kind.name, sender)]:09d}"
        return Header(kind=kind, sender=sender, receiver=receiver, identification=identification, sent_on=sent_on)

    def write(self, message: object, header: Header) -> None:
        folder = self.root / header.sent_on.isoformat()
        if folder not in self.created_dirs:
            folder.mkdir(parents=True, exist_ok=True)
            self.created_dirs.add(folder)
        name = (f"{PROCESS_ORDER[header.kind.number]}-{header.kind.name}-{header.sender}-{header.receiver}-"
                f"{header.identification}.xml")
        (folder / name).write_bytes(write.write(message))
        self.summary.messages += 1
        self.summary.files_by_kind[header.kind.name] += 1


def message_kind(domain: str, number: int) -> MessageKind:
    """iJw for youth care, iWmo for Wmo segments: the same message, another standard."""
    return MESSAGE_KINDS[f"{'WMO' if domain == 'wmo' else 'JW'}{number}"]


def _person(trajectory: Trajectory) -> Person:
    c = trajectory.client
    return Person(bsn=c.bsn, birth_date=c.birth_date, gender=c.gender, surname=c.surname, initials=c.initials)


def _product(trajectory: Trajectory) -> Product:
    return Product(category=trajectory.product.category, code=trajectory.product.code)


def write_care_messages(writer: MessageWriter, trajectory: Trajectory, rng: random.Random) -> None:
    """315 (when a legal referrer asked), 301, 305 and, once care ended, 307 for one trajectory."""
    municipality = trajectory.municipality
    agb = trajectory.provider.agb_code
    person = _person(trajectory)
    product = _product(trajectory)
    volume = Volume(trajectory.volume, trajectory.product.unit, trajectory.product.frequency)
    domain = trajectory.segment.domain
    if trajectory.assignment_number is not None:
        if trajectory.request_reference:
            sent = trajectory.assigned_on - timedelta(days=rng.randint(2, 7))
            header = writer.header(message_kind(domain, 315), agb, municipality, sent)
            referrer_type = trajectory.referrer or ReferrerType.GEEN_VERWIJZER
            referrer = Referrer(type=referrer_type,
                                agb_code=f"01{rng.randrange(100_000, 999_999)}"
                                if referrer_type in (ReferrerType.HUISARTS, ReferrerType.JEUGDARTS,
                                                     ReferrerType.MEDISCH_SPECIALIST) else None)
            writer.write(RequestMessage(header, person, [RequestedProduct(
                trajectory.request_reference, product, trajectory.assignment_start, trajectory.assignment_end,
                volume, referrer)]), header)
        header = writer.header(message_kind(domain, 301), municipality, agb, trajectory.assigned_on)
        writer.write(AssignmentMessage(header, person, trajectory.client.postcode, [AssignedProduct(
            number=trajectory.assignment_number, product=product, assigned_on=trajectory.assigned_on,
            assigned_at=assignment_time(rng), start=trajectory.assignment_start,
            end=trajectory.first_end or trajectory.assignment_end, volume=volume,
            provider_reference=trajectory.request_reference)]), header)
        if trajectory.change_reference:
            write_extension(writer, trajectory, person, product, volume)
    start_sent = trajectory.care_start + timedelta(days=rng.randint(1, 5))
    header = writer.header(message_kind(domain, 305), agb, municipality, start_sent)
    number = trajectory.assignment_number
    assignment_start = trajectory.assignment_start if number is not None else None
    writer.write(StartMessage(header, person, [StartedProduct(number, product, assignment_start,
                                                              trajectory.care_start)]), header)
    if trajectory.care_end is not None and trajectory.stop_reason is not None:
        stop_sent = max(start_sent, trajectory.care_end + timedelta(days=rng.randint(1, 5)))
        header = writer.header(message_kind(domain, 307), agb, municipality, stop_sent)
        writer.write(StopMessage(header, person, [StoppedProduct(number, product, assignment_start,
                                                                 trajectory.care_start, trajectory.stop_reason,
                                                                 trajectory.care_end)]), header)


def write_extension(writer: MessageWriter, trajectory: Trajectory, person: Person, product: Product,
                    volume: Volume) -> None:
    """The provider asks to extend the assignment (317) some weeks before it runs out; the municipality honours
    it with a 301: same number, the new end date, reason 12 and the request's reference (IV093)."""
    assert trajectory.first_end is not None and trajectory.change_reference and trajectory.assignment_number
    # Its own random stream, so that adding extensions leaves every other generated figure as it was.
    rng = random.Random(f"{trajectory.client.bsn}:{trajectory.assignment_number}:317")
    municipality, agb = trajectory.municipality, trajectory.provider.agb_code
    domain = trajectory.segment.domain
    asked = max(trajectory.assigned_on + timedelta(days=1), trajectory.first_end - timedelta(days=rng.randint(14, 42)))
    header = writer.header(message_kind(domain, 317), agb, municipality, asked)
    writer.write(ChangeRequestMessage(header, person.bsn, trajectory.change_reference, "1", [], [ChangedProduct(
        trajectory.assignment_number, trajectory.first_end + timedelta(days=1), trajectory.assignment_end)], []),
        header)
    decided = asked + timedelta(days=rng.randint(1, 10))
    header = writer.header(message_kind(domain, 301), municipality, agb, decided)
    writer.write(AssignmentMessage(header, person, trajectory.client.postcode, [AssignedProduct(
        number=trajectory.assignment_number, product=product, assigned_on=decided, assigned_at=assignment_time(rng),
        start=trajectory.assignment_start, end=trajectory.assignment_end, volume=volume,
        provider_reference=trajectory.change_reference, change_reason=CHANGE_INITIATED_BY_PROVIDER)]), header)


def _performance(line: Line, reference: str, volume: int, debit_credit: DebitCredit,
                 previous: str | None = None) -> Performance:
    t = line.trajectory
    assert t.assignment_number is not None
    return Performance(
        bsn=t.client.bsn, reference=reference, previous_reference=previous, assignment_number=t.assignment_number,
        product=Product(t.product.category, t.product.code), period_start=line.period_start,
        period_end=line.period_end, delivered_volume=volume, unit=t.product.unit, tariff_cents=line.tariff_cents,
        amount_cents=volume * line.tariff_cents, debit_credit=debit_credit,
    )


def _faulty(line: Line, reference: str, fault: str) -> Performance:
    """A line with a typical error that the formal controls must catch."""
    good = _performance(line, reference, line.volume, DebitCredit.DEBET)
    if fault == "TR418":  # a tariff a little above the contract tariff
        tariff = line.tariff_cents + max(1, line.tariff_cents // 100)
        return replace(good, tariff_cents=tariff, amount_cents=good.delivered_volume * tariff)
    volume = line.trajectory.volume + 2  # "TR321": more hours in the month than assigned
    return replace(good, delivered_volume=volume, amount_cents=volume * line.tariff_cents)


def write_declarations(writer: MessageWriter, simulation: Simulation, history: MunicipalityHistory,
                       rng: random.Random, spending: dict[tuple[str, str, int], int], faults: float = 0.0,
                       fault_log: list[dict] | None = None,
                       provider_spending: dict[tuple[str, str, int], int] | None = None,
                       provider_volume: dict[tuple[str, str, int], int] | None = None) -> None:
    """One 323 per provider per month to this municipality, with corrections credited a month later.

    With `faults` > 0 that share of lines carries a typical error (tariff above contract, volume above the
    assignment, or declared a second time a month later); each is logged with the control that must catch it.
    """
    municipality = history.municipality.cbs_code
    per_message: dict[tuple[str, date], list[Performance]] = defaultdict(list)
    domain_of: dict[str, str] = {}  # a provider works in one domain: its declarations are iJw or iWmo
    fault_rng = random.Random(f"{simulation.seed}:{municipality}:faults")
    for trajectory in history.trajectories:
        for line in simulation.monthly_lines(rng, trajectory):
            key = (trajectory.provider.agb_code, line.month)
            domain_of[key[0]] = trajectory.segment.domain
            if provider_volume is not None:
                provider_volume[(key[0], trajectory.product.code, line.month.year)] += line.volume
            sequence = len(per_message[key]) + 1
            reference = f"{municipality}{line.month:%Y%m}{sequence:05d}"
            next_month = month_end(line.month) + timedelta(days=1)
            if faults and fault_rng.random() < faults:
                fault = fault_rng.choice(["TR418", "TR321", "TR389"])
                if fault == "TR321" and trajectory.product.frequency is not Frequency.PER_MAAND:
                    fault = "TR418"
                if fault != "TR389":
                    per_message[key].append(_faulty(line, reference, fault))
                    fault_log.append({"reference": reference, "provider": key[0], "rule": fault})
                    continue
                if next_month <= simulation.end:  # the same month declared again in the next message
                    later = (trajectory.provider.agb_code, next_month)
                    duplicate = f"{municipality}{next_month:%Y%m}F{len(per_message[later]) + 1:04d}"
                    per_message[later].append(_performance(line, duplicate, line.volume, DebitCredit.DEBET))
                    fault_log.append({"reference": duplicate, "provider": key[0], "rule": fault})
            per_message[key].append(_performance(line, reference, line.volume, DebitCredit.DEBET))
            spending[(municipality, trajectory.segment.code, line.month.year)] += line.volume * line.tariff_cents
            if provider_spending is not None:
                provider_spending[(key[0], trajectory.lot.code, line.month.year)] += line.volume * line.tariff_cents
            if next_month <= simulation.end and line.volume > 1 and rng.random() < cal.CORRECTION_SHARE:
                # A correction: the provider credits the line exactly and declares the right volume again.
                later = (trajectory.provider.agb_code, next_month)
                base = len(per_message[later])
                per_message[later].append(_performance(line, f"{municipality}{next_month:%Y%m}C{base + 1:04d}",
                                                       line.volume, DebitCredit.CREDIT, previous=reference))
                per_message[later].append(_performance(line, f"{municipality}{next_month:%Y%m}R{base + 2:04d}",
                                                       line.volume - 1, DebitCredit.DEBET))
                spending[(municipality, trajectory.segment.code, line.month.year)] -= line.tariff_cents
                if provider_spending is not None:
                    provider_spending[(key[0], trajectory.lot.code, line.month.year)] -= line.tariff_cents
    for (agb, month), performances in sorted(per_message.items()):
        net = sum(p.amount_cents if p.debit_credit is DebitCredit.DEBET else -p.amount_cents for p in performances)
        sent = month_end(month) + timedelta(days=rng.randint(3, 12))
        header = writer.header(message_kind(domain_of[agb], 323), agb, municipality, sent)
        writer.write(DeclarationMessage(
            header=header, number=f"{municipality}{month:%Y%m}", period_start=month, period_end=month_end(month),
            signed_on=sent, total_cents=abs(net),
            total_debit_credit=DebitCredit.DEBET if net >= 0 else DebitCredit.CREDIT, performances=performances,
        ), header)
        writer.summary.declaration_lines += len(performances)
        writer.summary.declared_cents += net


def _copies(region: RegionDef, scale: float) -> list[tuple[int, MunicipalityDef, float]]:
    """Municipalities to simulate: more copies of the region for scale > 1, smaller ones for scale < 1."""
    copies = max(1, math.ceil(scale))
    factor = scale / copies
    result = []
    for copy in range(copies):
        for index, municipality in enumerate(region.municipalities):
            if copy == 0:
                result.append((copy, municipality, factor))
            else:
                code = f"{2000 + copy * 10 + index:04d}"
                result.append((copy, MunicipalityDef(code, f"{municipality.name} {copy + 1}", municipality.age_0_17,
                                                     municipality.postcode_prefix, municipality.subregion), factor))
    return result


def first_provider_number(region: RegionDef) -> int:
    """Synthetic AGB codes are 98 and a six-digit number. Each jeugdregio gets its own range of 10,000, so that the
    demo providers of two regions never share an AGB code; Zuid-Holland Zuid (JZ31) starts at 1, as it always did."""
    number = int(region.cbs_code[2:]) if region.cbs_code[2:].isdigit() else 31
    return (number - 31) % 100 * 10_000 + 1


def generate(out_dir: Path, region_code: str = "zuid-holland-zuid", seed: int = 1, scale: float = 1.0,
             first_year: int = 2023, years: int = 3, progress: Progress | None = None,
             faults: float = 0.0) -> GenerationSummary:
    """Simulate the region of an example strategy (by name, see regiekamer/strategy/regions/) or of a strategy file."""
    from regiekamer.strategy.regiondef import region_definition

    region = region_definition(region_code)
    if scale <= 0:
        raise ValueError("--scale moet groter dan 0 zijn")
    out_dir.mkdir(parents=True, exist_ok=True)
    messages_dir = out_dir / "berichten"
    if messages_dir.exists() and any(messages_dir.iterdir()):
        raise FileExistsError(f"{messages_dir} bestaat al en is niet leeg; kies een lege map")
    summary = GenerationSummary(out_dir=out_dir)
    writer = MessageWriter(messages_dir, summary)
    rng = random.Random(f"{seed}:market")
    copies = _copies(region, scale)
    markets: dict[int, ProviderMarket] = {}
    next_agb = first_provider_number(region)
    for copy in sorted({c for c, _, _ in copies}):
        markets[copy] = ProviderMarket(region, rng, next_agb)
        next_agb = markets[copy].next_agb
    base_tariffs = {product.code: rng.randint(product.tariff_euros[0] * 100, product.tariff_euros[1] * 100)
                    for segment in region.segments for lot in segment.lots for product in lot.products}
    spending: dict[tuple[str, str, int], int] = defaultdict(int)
    provider_spending: dict[tuple[str, str, int], int] = defaultdict(int)
    provider_volume: dict[tuple[str, str, int], int] = defaultdict(int)
    fault_log: list[dict] = []
    municipalities_out = []
    for index, (copy, municipality, factor) in enumerate(copies, start=1):
        simulation = Simulation(region, seed, first_year, years, markets[copy], base_tariffs)
        history = simulation.simulate_municipality(municipality, factor)
        rng_messages = random.Random(f"{seed}:{municipality.cbs_code}:messages")
        for trajectory in history.trajectories:
            write_care_messages(writer, trajectory, rng_messages)
        write_declarations(writer, simulation, history, rng_messages, spending, faults, fault_log, provider_spending,
                           provider_volume)
        summary.trajectories += len(history.trajectories)
        summary.clients += len({t.client.bsn for t in history.trajectories})
        municipalities_out.append((copy, municipality, history.population))
        if progress:
            progress(f"gemeente {municipality.name}", index, len(copies))
    summary.municipalities = len(copies)
    providers = [p for market in markets.values() for p in market.all()]
    summary.providers = len(providers)
    register = build_register(region, municipalities_out, providers, base_tariffs, first_year, years, spending, seed,
                              provider_spending, provider_volume)
    (out_dir / "region.json").write_text(json.dumps(register, indent=1, ensure_ascii=False))
    if faults:
        (out_dir / "faults.json").write_text(json.dumps(fault_log, indent=1))
    summary.faults = len(fault_log)
    return summary


def build_register(region: RegionDef, municipalities: list[tuple[int, MunicipalityDef, dict[int, int]]],
                   providers: list, base_tariffs: dict[str, int], first_year: int, years: int,
                   spending: dict[tuple[str, str, int], int], seed: int,
                   provider_spending: dict[tuple[str, str, int], int] | None = None,
                   provider_volume: dict[tuple[str, str, int], int] | None = None) -> dict:
    """The contract register as region.json: everything that is not a message."""
    rng = random.Random(f"{seed}:budgets")
    products = []
    tariffs = []
    for segment in region.segments:
        for lot in segment.lots:
            for product in lot.products:
                products.append({"code": product.code, "category": product.category,
                                 "description": product.description, "unit": product.unit.value,
                                 "variant": product.variant, "segment": segment.code, "lot": lot.code})
                for offset in range(-4, years):
                    year = first_year + offset
                    tariffs.append({"product": product.code, "valid_from": f"{year}-01-01", "valid_to": f"{year}-12-31",
                                    "amount_cents": tariff_cents(product, year, first_year, base_tariffs)})
    contract_start = date(first_year - 2, 1, 1)
    contracts = [{"reference": f"{region.cbs_code}-{p.agb_code}", "provider": p.agb_code, "lots": list(p.lots),
                  "start": contract_start.isoformat(), "end": date(first_year + years, 12, 31).isoformat(),
                  "extension_options": "4+1+1"} for p in providers]
    funding = _funding_terms(region, providers, municipalities, first_year, years, provider_spending or {},
                             provider_volume or {}, seed)
    advances = _advance_shares(region, funding, municipalities, first_year, years)
    budgets = []
    for _, municipality, _ in municipalities:
        for segment in region.segments:
            for offset in range(years):
                year = first_year + offset
                key = (municipality.cbs_code, segment.code, year)
                # what the municipality plans for declared care, near what it turns out to be, plus its share of
                # the segment's lumpsums and availability fees
                planned = spending.get(key, 0) * rng.uniform(0.92, 1.04) + advances.get(key, 0)
                budgets.append({"municipality": municipality.cbs_code, "segment": segment.code, "year": year,
                                "amount_cents": math.ceil(planned / 100_000) * 100_000})  # whole thousands of euros
    return {
        "format": "regiekamer-register/1",
        "region": {"code": region.code, "name": region.name, "cbs_code": region.cbs_code},
        "period": {"first_year": first_year, "years": years},
        "subregions": list(region.subregions),
        "municipalities": [{"cbs_code": m.cbs_code, "name": m.name, "subregion": m.subregion,
                            "population_0_17": {str(y): n for y, n in population.items()}}
                           for _, m, population in municipalities],
        "segments": [{"code": s.code, "name": s.name, "domain": s.domain, "funding_model": s.funding_model,
                      "lots": [_lot_record(lot) for lot in s.lots]} for s in region.segments],
        "products": products,
        "providers": [{"agb_code": p.agb_code, "kvk_number": p.kvk_number, "name": p.name} for p in providers],
        "contracts": contracts,
        "tariffs": tariffs,
        "funding": funding,
        "budgets": budgets,
    }


def _lot_record(lot) -> dict:
    record = {"code": lot.code, "name": lot.name, "funding_model": lot.funding_model}
    if lot.subregion:
        record["subregion"] = lot.subregion
    return record


def _ceiling_holder(agb: str, lot, holders: list, provider_spending: dict, first_year: int) -> bool:
    ranked = sorted(holders, key=lambda p: -provider_spending.get((p.agb_code, lot.code, first_year), 0))
    return agb in {p.agb_code for p in ranked[:lot.ceiling_providers]} and provider_spending.get(
        (agb, lot.code, first_year), 0) > 0


def _advance_shares(region: RegionDef, funding: list[dict], municipalities: list, first_year: int, years: int
                    ) -> dict[tuple[str, str, int], int]:
    """Each municipality's share (by residents 0-17) of the lumpsums and availability fees, per segment and year."""
    segment_of = {lot.code: segment.code for segment in region.segments for lot in segment.lots}
    shares: dict[tuple[str, str, int], int] = defaultdict(int)
    for terms in funding:
        if terms["kind"] not in ("taak", "hybride"):
            continue
        for offset in range(years):
            year = first_year + offset
            if terms["kind"] == "hybride":
                total = 12 * terms["params"]["availability_cents_per_month"]
            else:
                model = model_from_terms("taak", terms["params"], TariffTable({}))
                total = sum(model.payments([], Period.year(year)).values())
            population = {m.cbs_code: p[year] for _, m, p in municipalities}
            for code, cents in allocate_cents(total, population, order=sorted(population)).items():
                shares[(code, segment_of[terms["lot"]], year)] += cents
    return shares


def _funding_terms(region: RegionDef, providers: list, municipalities: list, first_year: int, years: int,
                   provider_spending: dict[tuple[str, str, int], int],
                   provider_volume: dict[tuple[str, str, int], int], seed: int) -> list:
    """Each contract's funding terms per lot, as the lot's funding model in the strategy prescribes. Task budgets
    are sized on the region's residents 0-17 and shared equally by the lot's providers; a subsidy's forecast is
    near what the provider turns out to deliver."""
    lots = {lot.code: lot for segment in region.segments for lot in segment.lots}
    residents = sum(population[first_year] for _, _, population in municipalities)
    holders = {code: [p for p in providers if code in p.lots] for code in lots}
    terms = []
    for provider in providers:
        for code in provider.lots:
            lot = lots[code]
            params: dict = {}
            if lot.funding_model == "taak":
                per_resident = lot.task_budget_per_resident_cents
                params = {"annual_budget_cents": round(residents * per_resident / len(holders[code])),
                          "base_year": first_year, "start": f"{first_year}-01-01",
                          "end": f"{first_year + years - 1}-12-31",
                          "yearly_decrease": lot.yearly_decrease,
                          "underspend": lot.underspend, "overspend": lot.overspend, "cost_key": lot.cost_key}
                params.update(_shares(lot))
            elif lot.ceiling and _ceiling_holder(provider.agb_code, lot, holders[code], provider_spending, first_year):
                # the largest providers of the lot get a hard ceiling per year near what they earned in the first
                # year: the ones that keep growing cross it (seed 003: individual hard ceilings)
                first = provider_spending[(provider.agb_code, code, first_year)]
                params = {"ceiling_cents": math.ceil(first * cal.CEILING_FACTOR / 100_000) * 100_000,
                          "ceiling": lot.ceiling}
            elif lot.funding_model == "hybride":
                params = {"availability_cents_per_month": lot.availability_cents_per_month,
                          "cost_key": lot.cost_key}
                params.update(_shares(lot))
            elif lot.funding_model == "subsidie":
                params = {"forecast": _forecast(provider.agb_code, lot, first_year, years, provider_volume, seed)}
            terms.append({"contract": f"{region.cbs_code}-{provider.agb_code}", "lot": code,
                          "kind": lot.funding_model, "params": params})
    return terms


def _shares(lot) -> dict:
    """A fixed cost key's shares per municipality, when the lot has one."""
    return {"shares": dict(lot.shares)} if lot.shares else {}


def _forecast(agb: str, lot, first_year: int, years: int, provider_volume: dict[tuple[str, str, int], int],
              seed: int) -> dict[str, dict[str, int]]:
    """A subsidy's forecast volume per product per year: what the provider delivered, off by up to a tenth either
    way (the forecast was made beforehand)."""
    rng = random.Random(f"{seed}:{agb}:{lot.code}:forecast")
    forecast: dict[str, dict[str, int]] = {}
    for product in lot.products:
        for year in range(first_year, first_year + years):
            realised = provider_volume.get((agb, product.code, year), 0)
            forecast.setdefault(product.code, {})[str(year)] = round(realised * rng.uniform(0.9, 1.1))
    return forecast
