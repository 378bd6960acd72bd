"""The tenders app's public surface: views and the CLI call these; the maths is in rules.py, ranking.py,
market.py and lifecycle.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regiekamer.care.models import Assignment
from regiekamer.contracts.models import Contract, FundingTerms, Product, Tariff
from regiekamer.declarations.models import DeclarationLine, signed_amount
from regiekamer.providers.models import Provider
from regiekamer.segments.models import Lot
from regiekamer.strategy import targets
from regiekamer.strategy.models import LotStrategy, Strategy
from regiekamer.tenders import constants, inputs, lifecycle, market, ranking, rules
from regiekamer.tenders.constants import Outcome, RequirementKind, TenderStatus
from regiekamer.tenders.models import (
    Award,
    AwardResult,
    Bid,
    ConsensusScore,
    Criterion,
    KpiTarget,
    Obligation,
    Requirement,
    Score,
    Tender,
)


class TenderError(Exception):
    """A tender action that cannot be done; the message is Dutch and says why."""


# --- creating a tender ------------------------------------------------------------------------------------------

def create_tender(region_code: str, lot_code: str, published_on: date, closes_on: date, *,
                  year: int | None = None, contract_start: date | None = None) -> Tender:
    """A tender for a lot of the region's strategy (the latest, or that of `year`), with the lot's lower limit of
    clients as its first requirement when the strategy sets one."""
    strategies = Strategy.objects.filter(region__code=region_code)
    strategy = (strategies.filter(year=year) if year else strategies.order_by("-year")).first()
    if strategy is None:
        raise TenderError(f"geen strategie geladen voor regio {region_code}")
    lot_strategy = (LotStrategy.objects.filter(segment_strategy__strategy=strategy, lot__code=lot_code)
                    .select_related("lot", "segment_strategy").first())
    if lot_strategy is None:
        raise TenderError(f"perceel {lot_code} staat niet in de strategie {strategy}")
    segment_strategy, lot = lot_strategy.segment_strategy, lot_strategy.lot
    procedure = lot_strategy.contract_form or segment_strategy.contract_form
    base = f"{region_code}-{strategy.year}-{lot.code}"
    reference, n = base, 1
    while Tender.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{base}-{n}"
    start = contract_start or segment_strategy.contract_start or date(closes_on.year + 1, 1, 1)
    tender = Tender.objects.create(
        segment_strategy=segment_strategy, lot=lot, reference=reference,
        title=f"{segment_strategy.segment.name}: perceel {lot.code} {lot.name}", procedure=procedure,
        published_on=published_on, closes_on=closes_on, contract_start=start)
    if lot_strategy.min_clients:
        kind = RequirementKind.MIN_CLIENTS_SUBREGION if lot.subregion_id else RequirementKind.MIN_CLIENTS_REGION
        add_requirement(tender, "EIS-CLIENTEN", kind, Decimal(lot_strategy.min_clients))
    return tender


def add_requirement(tender: Tender, code: str, kind: RequirementKind, threshold: Decimal | None = None,
                    certificate: str = "") -> Requirement:
    if kind is RequirementKind.CERTIFICATE and not certificate:
        raise TenderError("een certificaateis noemt het certificaat")
    if kind is not RequirementKind.CERTIFICATE and threshold is None:
        raise TenderError(f"eis {code}: een grens is nodig")
    return Requirement.objects.create(tender=tender, code=code, kind=kind, threshold=threshold,
                                      certificate=certificate)


def add_criterion(tender: Tender, code: str, name: str, weight: int) -> Criterion:
    if tender.bids.filter(scores__isnull=False).exists():
        raise TenderError("er is al gescoord; de criteria liggen vast")
    return Criterion.objects.create(tender=tender, code=code, name=name, weight=weight,
                                    position=tender.criteria.count())


# --- the same, from the pages' forms: checked first (inputs.py), nothing stored on a problem ------------------

@dataclass(frozen=True)
class LotChoice:
    code: str
    label: str  # "4 Jeugdhulp: perceel 4b Regionaal (subregio …)"


def lot_choices(region_id: int) -> list[LotChoice]:
    """The lots of the region's latest strategy, in the strategy's order, for the form that starts a tender."""
    strategy = Strategy.objects.filter(region_id=region_id).order_by("-year").first()
    if strategy is None:
        return []
    rows = (LotStrategy.objects.filter(segment_strategy__strategy=strategy)
            .select_related("lot__subregion", "segment_strategy__segment")
            .order_by("segment_strategy__position", "lot__code"))
    choices = []
    for row in rows:
        segment, lot = row.segment_strategy.segment, row.lot
        where = f" (subregio {lot.subregion.name})" if lot.subregion_id else ""
        choices.append(LotChoice(lot.code, f"{segment.code} {segment.name}: perceel {lot.code} {lot.name}{where}"))
    return choices


def start_tender(region_id: int, lot_code: str, published: str, closes: str, contract_start: str = "") -> Tender:
    """A tender from the form's text; raises inputs.InputError with every problem."""
    from regiekamer.regions.models import Region

    inputs.raise_if(inputs.check_tender(lot_code, {c.code for c in lot_choices(region_id)}, published, closes,
                                        contract_start))
    region = Region.objects.get(id=region_id)
    return create_tender(region.code, lot_code, inputs.parse_day(published), inputs.parse_day(closes),
                         contract_start=inputs.parse_day(contract_start) if contract_start.strip() else None)


def _refuse_when_awarded(tender: Tender) -> None:
    if tender.status != TenderStatus.OPEN:
        raise inputs.InputError([inputs.Problem("code", "AANB-GEGUND", f"aanbesteding {tender.reference} is al "
                                                                       "gegund; er kan niets meer bij")])


@transaction.atomic
def new_requirement(tender: Tender, code: str, kind: str, threshold: str = "", certificate: str = "") -> Requirement:
    _refuse_when_awarded(tender)
    code = inputs.normal_code(code)
    inputs.raise_if(inputs.check_requirement(code, kind, threshold, certificate,
                                             set(tender.requirements.values_list("code", flat=True)),
                                             tender.bids.exists()))
    requirement_kind = RequirementKind(kind)
    if requirement_kind is RequirementKind.CERTIFICATE:
        return add_requirement(tender, code, requirement_kind, certificate=certificate.strip())
    return add_requirement(tender, code, requirement_kind, inputs.parse_number(threshold))


@transaction.atomic
def new_criterion(tender: Tender, code: str, name: str, weight: str) -> Criterion:
    _refuse_when_awarded(tender)
    code = inputs.normal_code(code)
    inputs.raise_if(inputs.check_criterion(code, name, weight, set(tender.criteria.values_list("code", flat=True)),
                                           list(tender.criteria.values_list("weight", flat=True)),
                                           Score.objects.filter(bid__tender=tender).exists()))
    return add_criterion(tender, code, name.strip(), int(weight.strip()))


@transaction.atomic
def remove_requirement(tender: Tender, code: str) -> None:
    """Remove a requirement, as long as no bid is in (the bids' answers would no longer match the requirements)."""
    _refuse_when_awarded(tender)
    code = inputs.normal_code(code)
    inputs.raise_if(inputs.check_requirement_removal(code, set(tender.requirements.values_list("code", flat=True)),
                                                     tender.bids.exists()))
    tender.requirements.filter(code=code).delete()


@transaction.atomic
def remove_criterion(tender: Tender, code: str) -> None:
    """Remove a criterion, as long as no score is given; the others keep their order."""
    _refuse_when_awarded(tender)
    code = inputs.normal_code(code)
    inputs.raise_if(inputs.check_criterion_removal(code, set(tender.criteria.values_list("code", flat=True)),
                                                   Score.objects.filter(bid__tender=tender).exists()))
    tender.criteria.filter(code=code).delete()


def questions(tender: Tender) -> list[inputs.Question]:
    return [inputs.Question(r.code, RequirementKind(r.kind)) for r in tender.requirements.all()]


def region_providers(region_id: int):
    """The providers a tender of the region takes bids from: the region's contracted providers (as the regional
    roles see them, access.scope)."""
    return Provider.objects.filter(contracts__region_id=region_id).distinct()


@transaction.atomic
def register_bid(tender: Tender, provider: Provider | None, raw_answers: dict[str, str], received: str) -> Bid:
    """A new bid from the form or the command line: the provider (None when the chosen one is unknown), an answer
    to every requirement and the moment of receipt. A provider bids once; a second bid is refused rather than
    overwriting the first."""
    _refuse_when_awarded(tender)
    problems = []
    if provider is None:
        problems.append(inputs.Problem("aanbieder", "BOD-AANBIEDER", "kies een aanbieder van de regio die inschrijft"))
    elif tender.bids.filter(provider=provider).exists():
        problems.append(inputs.Problem("aanbieder", "BOD-DUBBEL", f"{provider.name} heeft al ingeschreven; een "
                                                                  "inschrijving wordt niet overschreven"))
    asked = questions(tender)
    answers, answer_problems = inputs.parse_answers(asked, raw_answers)
    problems += answer_problems
    problems += inputs.unknown_answers(asked, raw_answers)
    received_at = inputs.parse_received(received)
    if received_at is None:
        problems.append(inputs.Problem("ontvangen", "BOD-ONTVANGEN", "vul datum en tijd van ontvangst in"))
    inputs.raise_if(problems)
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    return Bid.objects.create(tender=tender, provider=provider, answers=answers, received_at=received_at)


def requirement_specs(tender: Tender) -> list[rules.RequirementSpec]:
    return [rules.RequirementSpec(r.code, RequirementKind(r.kind), r.threshold, r.certificate)
            for r in tender.requirements.all()]


def criterion_specs(tender: Tender) -> list[ranking.CriterionSpec]:
    return [ranking.CriterionSpec(c.code, c.weight, c.position) for c in tender.criteria.all()]


# --- bids, scores, consensus -----------------------------------------------------------------------------------

def _open(tender: Tender) -> None:
    if tender.status != TenderStatus.OPEN:
        raise TenderError(f"aanbesteding {tender.reference} is al gegund")


def submit_bid(tender: Tender, agb_code: str, answers: dict[str, object], received_at: datetime) -> Bid:
    _open(tender)
    provider = Provider.objects.filter(agb_code=agb_code).first()
    if provider is None:
        raise TenderError(f"onbekende aanbieder {agb_code}")
    unknown = set(answers) - set(tender.requirements.values_list("code", flat=True))
    if unknown:
        raise TenderError(f"onbekende eis(en): {', '.join(sorted(unknown))}")
    if tender.bids.filter(provider=provider).exists():
        raise TenderError(f"{provider.name} heeft al ingeschreven; een inschrijving wordt niet overschreven")
    return Bid.objects.create(tender=tender, provider=provider, answers=answers, received_at=received_at)


def knock_outs(tender: Tender, bid: Bid) -> list[rules.KnockOut]:
    return rules.knock_outs(requirement_specs(tender), bid.answers)


def _bid(tender: Tender, agb_code: str) -> Bid:
    bid = tender.bids.filter(provider__agb_code=agb_code).first()
    if bid is None:
        raise TenderError(f"geen inschrijving van {agb_code}")
    return bid


def _criterion(tender: Tender, code: str) -> Criterion:
    criterion = tender.criteria.filter(code=code).first()
    if criterion is None:
        raise TenderError(f"onbekend criterium {code}")
    return criterion


def record_score(tender: Tender, agb_code: str, criterion_code: str, assessor, score: int, motivation: str) -> Score:
    _open(tender)
    problems = ranking.weight_problems(criterion_specs(tender))
    if problems:
        raise TenderError(problems[0])
    if not 0 <= score <= constants.SCORE_MAX:
        raise TenderError(f"een score ligt tussen 0 en {constants.SCORE_MAX}")
    if not motivation.strip():
        raise TenderError("een score heeft een motivering")
    row, _ = Score.objects.update_or_create(
        bid=_bid(tender, agb_code), criterion=_criterion(tender, criterion_code), assessor=assessor,
        defaults={"score": score, "motivation": motivation})
    return row


def record_consensus(tender: Tender, agb_code: str, criterion_code: str, user, score: int, motivation: str
                     ) -> ConsensusScore:
    _open(tender)
    if not 0 <= score <= constants.SCORE_MAX:
        raise TenderError(f"een score ligt tussen 0 en {constants.SCORE_MAX}")
    if not motivation.strip():
        raise TenderError("een consensusscore heeft een motivering")
    row, _ = ConsensusScore.objects.update_or_create(
        bid=_bid(tender, agb_code), criterion=_criterion(tender, criterion_code),
        defaults={"score": score, "motivation": motivation, "recorded_by": user})
    return row


def bid_inputs(tender: Tender) -> list[ranking.BidInput]:
    specs = requirement_specs(tender)
    inputs = []
    bids = tender.bids.select_related("provider").prefetch_related("scores__criterion", "scores__assessor",
                                                                   "consensus__criterion")
    for bid in bids:
        scores: dict[str, dict[str, int]] = {}
        for s in bid.scores.all():
            scores.setdefault(s.criterion.code, {})[s.assessor.username] = s.score
        inputs.append(ranking.BidInput(
            bid.provider.agb_code, bid.received_at,
            tuple(ko.message for ko in rules.knock_outs(specs, bid.answers)), scores,
            {c.criterion.code: c.score for c in bid.consensus.all()}))
    return inputs


def consensus_needed(tender: Tender) -> list[tuple[str, str, dict[str, int]]]:
    """(AGB, criterion, scores) where the assessors differ too much and no consensus is recorded yet."""
    return [(b.bidder, code, scores) for b in bid_inputs(tender) if not b.knock_outs
            for code, scores in b.scores.items() if ranking.needs_consensus(scores) and code not in b.consensus]


def cap(tender: Tender) -> int | None:
    return tender.segment_strategy.max_providers


def partners(tender: Tender) -> int | None:
    return tender.segment_strategy.strategic_partners


def rank(tender: Tender) -> list[ranking.Ranked]:
    """Raises ranking.RankingError while scores or consensus are missing."""
    return ranking.rank(criterion_specs(tender), bid_inputs(tender), cap(tender), partners(tender))


# --- selection impact ------------------------------------------------------------------------------------------

def lot_products(lot: Lot):
    return Product.objects.filter(Q(lot=lot) | Q(lot=None, segment=lot.segment))


def selection_impact(tender: Tender, winners: set[str], day: date) -> list[market.MunicipalityImpact]:
    """Per municipality of the region: clients and running assignments (on `day`) of the lot's products at
    providers not in `winners`, last complete year's accepted spending with them, concentration before/after."""
    products = lot_products(tender.lot)
    region_id = tender.region_id
    running = (Assignment.objects.current_on(day).filter(start__lte=day, product__in=products,
                                                         municipality__region_id=region_id)
               .values_list("municipality__cbs_code", "provider__agb_code", "client_id"))
    spending = (DeclarationLine.objects.accepted().in_year(day.year - 1)
                .filter(product__in=products, municipality__region_id=region_id)
                .values("municipality__cbs_code", "provider__agb_code").annotate(cents=_sum_signed()))
    return market.impact(
        winners, [market.AssignmentRow(*row) for row in running],
        [market.SpendingRow(r["municipality__cbs_code"], r["provider__agb_code"], int(r["cents"])) for r in spending])


def _sum_signed():
    from django.db.models import Sum

    return Sum(signed_amount())


def proposed_winners(tender: Tender) -> set[str]:
    return {r.bidder for r in rank(tender) if r.winner}


# --- award and contracts ---------------------------------------------------------------------------------------

@transaction.atomic
def award(tender: Tender, decided_on: date, user) -> Award:
    """The award decision: every bid's outcome with its reason; the standstill period ends 20 days later."""
    _open(tender)
    ranked = rank(tender)
    if not ranked:
        raise TenderError("geen inschrijvingen")
    decision = Award.objects.create(tender=tender, decided_on=decided_on,
                                    standstill_end=decided_on + constants.STANDSTILL, decided_by=user)
    bids = {b.provider.agb_code: b for b in tender.bids.select_related("provider")}
    count = sum(1 for r in ranked if r.rank)
    for item in ranked:
        outcome = (Outcome.UITGESLOTEN if item.knock_outs else Outcome.GEGUND if item.winner
                   else Outcome.NIET_GEGUND)
        AwardResult.objects.create(award=decision, bid=bids[item.bidder], outcome=outcome, rank=item.rank,
                                   score=item.total_shown, strategic_partner=item.partner,
                                   reason=ranking.reason(item, count, cap(tender)))
    tender.status = TenderStatus.GEGUND
    tender.save(update_fields=["status"])
    return decision


def contract_end(start: date, term: str) -> date:
    first = Decimal(term.split("+")[0] or "0")
    return lifecycle.add_months(start, int(first * 12)) - timedelta(days=1)


@transaction.atomic
def create_contracts(tender: Tender, today: date | None = None) -> list[Contract]:
    """A contract per winner, after the standstill period: the lot, its products' tariffs valid at the start,
    the strategy's funding for the lot, the five report duties and the segment's KPI targets."""
    decision = getattr(tender, "award", None)
    if decision is None:
        raise TenderError("nog geen gunningsbeslissing")
    if today is not None and today <= decision.standstill_end:
        raise TenderError(f"de opschortende termijn loopt tot en met {decision.standstill_end:%d-%m-%Y}")
    segment_strategy, lot = tender.segment_strategy, tender.lot
    lot_strategy = LotStrategy.objects.filter(segment_strategy=segment_strategy, lot=lot).first()
    params = (lot_strategy.funding_params if lot_strategy and lot_strategy.funding_params
              else segment_strategy.funding_params)
    start = tender.contract_start
    end = contract_end(start, segment_strategy.contract_term)
    created = []
    for result in decision.results.filter(outcome=Outcome.GEGUND, contract=None).select_related("bid__provider"):
        provider = result.bid.provider
        contract = Contract.objects.create(region_id=tender.region_id, provider=provider,
                                           reference=f"{tender.reference}-{provider.agb_code}", start=start, end=end,
                                           extension_options=segment_strategy.contract_term)
        contract.lots.add(lot)
        for product in lot_products(lot):
            tariff = (Tariff.objects.filter(product=product, contract=None, valid_from__lte=start)
                      .order_by("-valid_from").first())
            if tariff is not None:
                Tariff.objects.create(product=product, contract=contract, valid_from=start, valid_to=end,
                                      amount_cents=tariff.amount_cents)
        FundingTerms.objects.create(contract=contract, lot=lot, kind=lot.funding_model, params=params)
        Obligation.objects.bulk_create(Obligation(contract=contract, duty=duty, term=constants.REPORT_DUTY_TERMS[duty])
                                       for duty in constants.ReportDuty)
        KpiTarget.objects.bulk_create(
            KpiTarget(contract=contract, **k.target()) for k in segment_strategy.kpis.all())
        result.contract = contract
        result.save(update_fields=["contract"])
        created.append(contract)
    return created


# --- lifecycle alerts and the measured KPI targets ------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """A contract's KPI target against its KPI's value over the last complete year (strategy.targets): against
    its norm, or, with a base year, as a change against that year's value."""

    target: KpiTarget
    judgement: targets.Judgement
    of: str  # whose value: "aanbieder in segment 4" or, for a market KPI, "segment 4 (hele markt)"
    year: int

    @property
    def value(self) -> Decimal | int | None:
        """What is held against the norm: the KPI's value, or its change in percent; None when not measured."""
        return self.judgement.compared

    @property
    def missed(self) -> bool | None:
        return self.judgement.missed

    @property
    def status(self) -> str:
        return "niet te meten" if self.missed is None else "niet gehaald" if self.missed else "gehaald"

    def _shown(self, value) -> str:
        from regiekamer.strategy.overview import measure_text

        return measure_text(value, self.target.unit)

    @property
    def norm_text(self) -> str:
        return targets.norm_text(self.target.norm, self.target.direction, self.target.base_year, self._shown)

    @property
    def value_text(self) -> str:
        if not _is_kpi(self.target.kpi_id):
            return "–"
        return targets.result_text(self.judgement, self.year, self.target.base_year, self._shown)


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    segment: str
    alerts: list[lifecycle.Alert]
    measured: list[Measured]


KpiValues = dict[tuple[str, int, str, str | None], targets.Reading]  # (KPI, year, segment, AGB or None) -> reading


def _by_provider(kpi_id: str) -> bool:
    from regiekamer.monitoring.kpis import BY_ID

    return "provider" in BY_ID[kpi_id].dimensions


def _kpi_values(region_id: int, wanted: set[tuple[str, int]]) -> KpiValues:
    """The KPI set's values per (KPI, year) asked for, per segment and provider (per segment for a KPI that cannot
    be split by provider, such as the market KPIs). A year without data has no readings."""
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import BY_ID, Period, compute

    known = sorted((k, year) for k, year in wanted if k in BY_ID)
    if not known:
        return {}
    facts = load_facts(region_id)
    values: KpiValues = {}
    for kpi_id, year in known:
        keys = ["segment", "provider"] if _by_provider(kpi_id) else ["segment"]
        for v in compute(BY_ID[kpi_id], facts, Period.of(year), keys):
            values[(kpi_id, year, v.dims["segment"], v.dims.get("provider"))] = targets.Reading(v.value, v.suppressed)
    return values


def _measure(contract: Contract, segment: str, values: KpiValues, year: int) -> list[Measured]:
    rows = []
    for target in contract.kpi_targets.all():
        if not _is_kpi(target.kpi_id):
            rows.append(Measured(target, targets.judge(target.norm, target.direction, targets.NO_DATA),
                                 "geen KPI uit de kengetallenset", year))
            continue
        by_provider = _by_provider(target.kpi_id)
        agb = contract.provider.agb_code if by_provider else None
        now = values.get((target.kpi_id, year, segment, agb), targets.NO_DATA)
        base = (values.get((target.kpi_id, target.base_year, segment, agb), targets.NO_DATA)
                if target.base_year else targets.NO_DATA)
        of = f"aanbieder in segment {segment}" if by_provider else f"segment {segment} (hele markt)"
        rows.append(Measured(target, targets.judge(target.norm, target.direction, now, target.base_year, base), of,
                             year))
    return rows


def _is_kpi(kpi_id: str) -> bool:
    """Whether a target names a KPI of the KPI set."""
    from regiekamer.monitoring.kpis import BY_ID

    return kpi_id in BY_ID


def _segment_of(contract: Contract) -> str:
    segments = sorted({lot.segment.code for lot in contract.lots.all()})
    return segments[0] if segments else ""


def _rows(contracts: list[Contract], region_id: int, today: date) -> list[ContractRow]:
    year = today.year - 1
    wanted = {(t.kpi_id, y) for c in contracts for t in c.kpi_targets.all() if t.kpi_id
              for y in (year, t.base_year) if y}
    values = _kpi_values(region_id, wanted)
    rows = []
    for contract in contracts:
        segment = _segment_of(contract)
        measured = _measure(contract, segment, values, year)
        kpis = [lifecycle.KpiResult(m.target.name, m.target.norm, m.target.direction, m.value, m.target.base_year)
                for m in measured]
        rows.append(ContractRow(contract, segment, lifecycle.alerts(
            contract.reference, contract.start, contract.end, contract.extension_options, kpis, today), measured))
    return rows


def contract_alerts(region_id: int, today: date) -> list[ContractRow]:
    """Every contract of the region with its alerts on `today`; KPI targets measured over the last complete year
    by the KPI set, for the contract's provider within the contract's segment (a market KPI: the segment)."""
    contracts = list(Contract.objects.filter(region_id=region_id).select_related("provider")
                     .prefetch_related("lots__segment", "kpi_targets").order_by("reference"))
    return _rows(contracts, region_id, today)


def funding_lines(contract: Contract) -> list[tuple[str, object]]:
    """Per lot of the contract: the lot and its funding terms in Dutch (strategy.overview.funding_cell)."""
    from regiekamer.strategy.overview import funding_cell

    return [(f"{t.lot.code} {t.lot.name}", funding_cell(t.kind, t.params)) for t in contract.funding_terms.all()]


def contract_row(contract: Contract, today: date) -> ContractRow:
    """One contract with its measured KPI targets and its alerts on `today`."""
    return _rows([contract], contract.region_id, today)[0]
