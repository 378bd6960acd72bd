"""The strategy overview page (/strategie/): a thin view over strategy.overview."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from regiekamer.access.scope import REGIONAL_ONLY, requires
from regiekamer.strategy import overview


@requires(*REGIONAL_ONLY)
def strategy_overview(request: HttpRequest) -> HttpResponse:
    strategy = overview.current_strategy(request.scope.region_id)
    return render(request, "strategy/overview.html", {
        "strategy": strategy, "rows": overview.rows(strategy) if strategy else []})
