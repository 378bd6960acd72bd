"""The login page: username and password, and a button for the OpenID provider when one is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from regiekamer.access.models import Role
from regiekamer.access.scope import scope_for


class LoginView(auth_views.LoginView):
    template_name = "login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_provider"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else None
        context["oidc_failed"] = settings.OIDC_ENABLED and self.request.GET.get("oidc") == "mislukt"
        return context


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: the first page of their role (a provider: its own page)."""
    scope = scope_for(request.user)
    if scope is None:
        raise PermissionDenied("u heeft nog geen rol; vraag de beheerder er een toe te kennen")
    if scope.role is Role.AANBIEDER:
        return redirect("provider-detail", agb_code=scope.providers().get().agb_code)
    return redirect("dashboard")
