"""Template context: the user's role, so that the navigation shows only the pages the role may open (the views
check it again; this only spares people links that would give a 403)."""

from __future__ import annotations

from django.http import HttpRequest

from regiekamer.access.models import Role
from regiekamer.access.scope import MUNICIPAL_DATA, REGIONAL_ONLY, scope_for


def navigation(request: HttpRequest) -> dict:
    scope = getattr(request, "scope", None) or (scope_for(request.user) if hasattr(request, "user") else None)
    role = scope.role if scope else None
    return {"nav": {
        "municipal": role in MUNICIPAL_DATA,
        "regional": role in REGIONAL_ONLY,
        "providers": role in (*REGIONAL_ONLY, Role.AANBIEDER),
        "client_search": role is Role.TOEGANG,
        "role": role.label if role else "",
    }}
