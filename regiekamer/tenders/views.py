"""Tender and contract pages for the regional roles; thin views over service.py. Assessors are regional users:
the analyst (regio) and the administrator may score and decide, the auditor reads."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from regiekamer.access.models import Role
from regiekamer.access.scope import REGIONAL_ONLY, requires
from regiekamer.contracts.models import Contract
from regiekamer.tenders import inputs, ocds, ranking, service
from regiekamer.tenders.constants import REQUIREMENT_LABELS, RequirementKind
from regiekamer.tenders.models import ConsensusScore, Score, Tender

DECIDERS = (Role.REGIO, Role.BEHEERDER)


def _tender(request: HttpRequest, pk: int) -> Tender:
    return get_object_or_404(Tender.objects.select_related("segment_strategy__strategy__region", "lot__segment"),
                             pk=pk, segment_strategy__strategy__region_id=request.scope.region_id)


def _may_decide(request: HttpRequest) -> None:
    if request.scope.role not in DECIDERS:
        raise PermissionDenied("alleen beoordelaars van de regio")


def _decides(request: HttpRequest) -> bool:
    return request.scope.role in DECIDERS


def _field_errors(error: inputs.InputError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        found.setdefault(problem.field, []).append(f"{problem.code}: {problem.message}")
    return found


def _text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").strip()


def _day(request: HttpRequest, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("peildatum", ""))
    except ValueError:
        return default


@requires(*REGIONAL_ONLY)
def tender_list(request: HttpRequest) -> HttpResponse:
    tenders = Tender.objects.filter(segment_strategy__strategy__region_id=request.scope.region_id).select_related(
        "lot__segment")
    return render(request, "tenders/list.html", {"tenders": tenders, "may_decide": _decides(request)})


@requires(*REGIONAL_ONLY)
def tender_create(request: HttpRequest) -> HttpResponse:
    """A new tender for a lot of the region's strategy; the lot's lower limit of clients becomes its first
    requirement. On a problem nothing is stored and the form shows it at the field."""
    values = {"perceel": "", "gepubliceerd": "", "sluiting": "", "ingang": ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        _may_decide(request)
        values = {name: _text(request, name) for name in values}
        try:
            tender = service.start_tender(request.scope.region_id, values["perceel"], values["gepubliceerd"],
                                          values["sluiting"], values["ingang"])
            return redirect("tender-setup", pk=tender.pk)
        except inputs.InputError as error:
            errors = _field_errors(error)
    return render(request, "tenders/create.html", {
        "lots": service.lot_choices(request.scope.region_id), "values": values, "errors": errors,
        "may_decide": _decides(request)}, status=400 if errors else 200)


@requires(*REGIONAL_ONLY)
def tender_setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Minimum requirements (knock-out) and weighted award criteria of a tender, each added with its own form."""
    tender = _tender(request, pk)
    requirement = {"code": "", "soort": "", "grens": "", "certificaat": ""}
    criterion = {"code": "", "naam": "", "weging": ""}
    errors: dict[str, dict[str, list[str]]] = {"eis": {}, "criterium": {}, "verwijderen": {}}
    if request.method == "POST":
        _may_decide(request)
        action = request.POST.get("actie", "")
        try:
            if action == "eis":
                requirement = {name: _text(request, name) for name in requirement}
                service.new_requirement(tender, requirement["code"], requirement["soort"], requirement["grens"],
                                        requirement["certificaat"])
                return redirect("tender-setup", pk=tender.pk)
            if action == "criterium":
                criterion = {name: _text(request, name) for name in criterion}
                service.new_criterion(tender, criterion["code"], criterion["naam"], criterion["weging"])
                return redirect("tender-setup", pk=tender.pk)
            if action == "eis-verwijderen":
                service.remove_requirement(tender, _text(request, "code"))
                return redirect("tender-setup", pk=tender.pk)
            if action == "criterium-verwijderen":
                service.remove_criterion(tender, _text(request, "code"))
                return redirect("tender-setup", pk=tender.pk)
            errors["eis"] = {"code": ["kies wat u toevoegt of verwijdert: een eis of een criterium"]}
        except inputs.InputError as error:
            form = "verwijderen" if action.endswith("-verwijderen") else "criterium" if action == "criterium" else "eis"
            errors[form] = _field_errors(error)
    weights = sum(c.weight for c in tender.criteria.all())
    return render(request, "tenders/setup.html", {
        "tender": tender, "requirement": requirement, "criterion": criterion, "errors": errors,
        "kinds": [(k.value, REQUIREMENT_LABELS[k]) for k in RequirementKind], "weights": weights,
        "subregion": tender.lot.subregion, "bids": tender.bids.exists(), "may_decide": _decides(request),
        "scored": Score.objects.filter(bid__tender=tender).exists()},
        status=400 if any(errors.values()) else 200)


@requires(*REGIONAL_ONLY)
def tender_bid(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a bid: the provider and its answer to every requirement; the knock-out check follows at once on
    the tender's page."""
    tender = _tender(request, pk)
    providers = request.scope.providers().order_by("name")
    chosen, received = "", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    answers: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        _may_decide(request)
        chosen, received = _text(request, "aanbieder"), _text(request, "ontvangen")
        answers = {q.code: _text(request, inputs.answer_field(q.code)) for q in service.questions(tender)}
        provider = providers.filter(id=int(chosen)).first() if chosen.isdigit() else None
        try:
            service.register_bid(tender, provider, answers, received)
            return redirect("tender-detail", pk=tender.pk)
        except inputs.InputError as error:
            errors = _field_errors(error)
    requirements = [(r, inputs.answer_field(r.code), answers.get(r.code, ""),
                     errors.get(inputs.answer_field(r.code), [])) for r in tender.requirements.all()]
    return render(request, "tenders/bid.html", {
        "tender": tender, "providers": providers, "chosen": chosen, "received": received,
        "requirements": requirements, "errors": errors, "subregion": tender.lot.subregion,
        "may_decide": _decides(request)}, status=400 if errors else 200)


@requires(*REGIONAL_ONLY)
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender(request, pk)
    bids = [(bid, service.knock_outs(tender, bid)) for bid in tender.bids.select_related("provider")]
    return render(request, "tenders/detail.html", {
        "tender": tender, "bids": bids, "cap": service.cap(tender), "partners": service.partners(tender),
        "award": getattr(tender, "award", None)})


@requires(*REGIONAL_ONLY)
def tender_score(request: HttpRequest, pk: int) -> HttpResponse:
    """One assessor's scores: every bid that met the requirements × every criterion, with a motivation."""
    tender = _tender(request, pk)
    criteria = list(tender.criteria.all())
    bids = [bid for bid in tender.bids.select_related("provider") if not service.knock_outs(tender, bid)]
    errors: list[str] = []
    if request.method == "POST":
        _may_decide(request)
        for bid in bids:
            for criterion in criteria:
                raw = request.POST.get(f"score-{bid.id}-{criterion.id}", "").strip()
                if raw == "":
                    continue
                try:
                    service.record_score(tender, bid.provider.agb_code, criterion.code, request.user, int(raw),
                                         request.POST.get(f"motivering-{bid.id}-{criterion.id}", ""))
                except (ValueError, service.TenderError) as error:
                    errors.append(f"{bid.provider.name}, {criterion.name}: {error}")
        if not errors:
            return redirect("tender-score", pk=tender.pk)
    own = {(s.bid_id, s.criterion_id): s for s in request.user.tender_scores.filter(bid__tender=tender)}
    rows = [(bid, [(criterion, own.get((bid.id, criterion.id))) for criterion in criteria]) for bid in bids]
    return render(request, "tenders/score.html", {"tender": tender, "criteria": criteria, "rows": rows,
                                                  "errors": errors})


@requires(*REGIONAL_ONLY)
def tender_consensus(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        _may_decide(request)
        for agb, code, _ in service.consensus_needed(tender):
            raw = request.POST.get(f"consensus-{agb}-{code}", "").strip()
            if raw:
                try:
                    service.record_consensus(tender, agb, code, request.user, int(raw),
                                             request.POST.get(f"motivering-{agb}-{code}", ""))
                except (ValueError, service.TenderError) as error:
                    errors.append(f"{agb} {code}: {error}")
        if not errors:
            return redirect("tender-consensus", pk=tender.pk)
    names = {b.provider.agb_code: b.provider.name for b in tender.bids.select_related("provider")}
    needed = [(agb, names[agb], code, sorted(scores.items())) for agb, code, scores in service.consensus_needed(tender)]
    recorded = ConsensusScore.objects.filter(bid__tender=tender).select_related("bid__provider", "criterion")
    return render(request, "tenders/consensus.html", {"tender": tender, "needed": needed, "recorded": recorded,
                                                      "errors": errors})


def _ranking(tender: Tender) -> tuple[list[ranking.Ranked], list[str]]:
    try:
        return service.rank(tender), []
    except ranking.RankingError as error:
        return [], error.problems


def _winners(request: HttpRequest, ranked: list[ranking.Ranked], proposed: set[str]) -> tuple[set[str], bool]:
    """The winners to show the impact of: the ranking's selection (`proposed`), or the user's own choice among
    the ranked bidders (`?keuze=1&winnaar=AGB&winnaar=AGB`; a bidder that is knocked out cannot be chosen). True
    when it is the user's own."""
    if request.GET.get("keuze") != "1":
        return proposed, False
    eligible = {r.bidder for r in ranked if r.rank}
    return set(request.GET.getlist("winnaar")) & eligible, True


@requires(*REGIONAL_ONLY)
def tender_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking and, for its winners or a set the user chooses, the selection impact per municipality on the
    reference day."""
    tender = _tender(request, pk)
    ranked, problems = _ranking(tender)
    names = {b.provider.agb_code: b.provider.name for b in tender.bids.select_related("provider")}
    day = _day(request, tender.closes_on)
    proposed = {r.bidder for r in ranked if r.winner}
    winners, own = _winners(request, ranked, proposed)
    impact = service.selection_impact(tender, winners, day) if ranked else []
    totals = {"clients": sum(r.clients_moving for r in impact), "assignments": sum(r.assignments_moving for r in impact),
              "cents": sum(r.cents_moving for r in impact)}
    cap = service.cap(tender)
    return render(request, "tenders/ranking.html", {
        "tender": tender, "ranked": [(r, names[r.bidder], r.bidder in winners) for r in ranked],
        "problems": problems, "impact": impact, "totals": totals, "day": day, "year": day.year - 1, "cap": cap,
        "own": own and winners != proposed, "chosen": len(winners), "over_cap": cap is not None and len(winners) > cap,
        "added": sorted(names[a] for a in winners - proposed), "dropped": sorted(names[a] for a in proposed - winners)})


@requires(*REGIONAL_ONLY)
def tender_award(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        _may_decide(request)
        try:
            if request.POST.get("actie") == "contracten":
                service.create_contracts(tender, today=date.today())
                return redirect("contract-list")
            service.award(tender, date.fromisoformat(request.POST.get("besluitdatum", "")), request.user)
            return redirect("tender-award", pk=tender.pk)
        except (ValueError, ranking.RankingError, service.TenderError) as error:
            errors.append(str(error))
    decision = getattr(tender, "award", None)
    ranked, problems = ([], []) if decision else _ranking(tender)
    names = {b.provider.agb_code: b.provider.name for b in tender.bids.select_related("provider")}
    count = sum(1 for r in ranked if r.rank)
    proposal = [(r, names[r.bidder], ranking.reason(r, count, service.cap(tender))) for r in ranked]
    results = decision.results.select_related("bid__provider", "contract") if decision else []
    return render(request, "tenders/award.html", {
        "tender": tender, "award": decision, "results": results, "proposal": proposal, "problems": problems,
        "errors": errors, "today": date.today(),
        "contracts_possible": bool(decision and date.today() > decision.standstill_end)})


@requires(*REGIONAL_ONLY)
def tender_ocds(request: HttpRequest, pk: int) -> JsonResponse:
    tender = _tender(request, pk)
    return JsonResponse(ocds.package(tender), json_dumps_params={"ensure_ascii": False, "indent": 2})


@requires(*REGIONAL_ONLY)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One contract: tariffs, funding terms, report duties, KPI targets against their measured value over the last
    complete year, and its alerts on the reference day."""
    contract = get_object_or_404(Contract.objects.select_related("provider").prefetch_related(
        "lots__segment", "kpi_targets", "obligations", "funding_terms__lot", "tariffs__product"),
        pk=pk, region_id=request.scope.region_id)
    day = _day(request, date.today())
    row = service.contract_row(contract, day)
    result = getattr(contract, "award_result", None)
    return render(request, "tenders/contract.html", {
        "contract": contract, "row": row, "measured": row.measured, "day": day, "year": day.year - 1, "award_result": result,
        "tender": result.bid.tender if result else None, "funding": service.funding_lines(contract)})


@requires(*REGIONAL_ONLY)
def contract_list(request: HttpRequest) -> HttpResponse:
    day = _day(request, date.today())
    rows = service.contract_alerts(request.scope.region_id, day)
    return render(request, "tenders/contracts.html", {"rows": rows, "day": day,
                                                      "alerts": sum(len(r.alerts) for r in rows)})
