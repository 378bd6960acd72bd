"""The login page: username and password, and a button for the OpenID provider when one is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_provider"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else None
        context["oidc_failed"] = settings.OIDC_ENABLED and self.request.GET.get("oidc") == "mislukt"
        return context
