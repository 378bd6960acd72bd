"""Tender and contract pages for the regional roles; thin views over service.py. Assessors are regional users:
the analyst (regio) and the administrator may score and decide, the auditor reads."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from regiekamer.access.models import Role
from regiekamer.access.scope import REGIONAL_ONLY, requires
from regiekamer.tenders import ocds, ranking, service
from regiekamer.tenders.models import ConsensusScore, Tender

DECIDERS = (Role.REGIO, Role.BEHEERDER)


def _tender(request: HttpRequest, pk: int) -> Tender:
    return get_object_or_404(Tender.objects.select_related("segment_strategy__strategy__region", "lot__segment"),
                             pk=pk, segment_strategy__strategy__region_id=request.scope.region_id)


def _may_decide(request: HttpRequest) -> None:
    if request.scope.role not in DECIDERS:
        raise PermissionDenied("alleen beoordelaars van de regio")


def _day(request: HttpRequest, default: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("peildatum", ""))
    except ValueError:
        return default


@requires(*REGIONAL_ONLY)
def tender_list(request: HttpRequest) -> HttpResponse:
    tenders = Tender.objects.filter(segment_strategy__strategy__region_id=request.scope.region_id).select_related(
        "lot__segment")
    return render(request, "tenders/list.html", {"tenders": tenders})


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


@requires(*REGIONAL_ONLY)
def tender_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking and, for its winners, the selection impact per municipality on the reference day."""
    tender = _tender(request, pk)
    ranked, problems = _ranking(tender)
    names = {b.provider.agb_code: b.provider.name for b in tender.bids.select_related("provider")}
    day = _day(request, tender.closes_on)
    impact = service.selection_impact(tender, {r.bidder for r in ranked if r.winner}, day) if ranked else []
    totals = {"clients": sum(r.clients_moving for r in impact), "assignments": sum(r.assignments_moving for r in impact),
              "cents": sum(r.cents_moving for r in impact)}
    return render(request, "tenders/ranking.html", {
        "tender": tender, "ranked": [(r, names[r.bidder]) for r in ranked], "problems": problems,
        "impact": impact, "totals": totals, "day": day, "year": day.year - 1, "cap": service.cap(tender)})


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
def contract_list(request: HttpRequest) -> HttpResponse:
    day = _day(request, date.today())
    rows = service.contract_alerts(request.scope.region_id, day)
    return render(request, "tenders/contracts.html", {"rows": rows, "day": day,
                                                      "alerts": sum(len(r.alerts) for r in rows)})
