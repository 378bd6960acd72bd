"""What a user may see, applied where the data is queried (not only in templates).

A regional role (analyst, contract manager, auditor, administrator) sees its whole region; municipal staff
and access teams see their own municipalities' residents only; a provider sees only what concerns itself.
Views ask the scope for their querysets and for a yes or no on one object; anything outside the scope is a
404, so a foreign tenant cannot even learn that a record exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from regiekamer.access.models import Membership, Role
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality

REGIONAL = frozenset({Role.REGIO, Role.AUDITOR, Role.BEHEERDER})
MUNICIPAL = frozenset({Role.GEMEENTE, Role.TOEGANG})


@dataclass(frozen=True)
class Scope:
    role: Role
    region_id: int
    municipality_ids: frozenset[int] | None  # None: the whole region
    provider_id: int | None = None

    @property
    def regional(self) -> bool:
        return self.role in REGIONAL

    def municipalities(self) -> QuerySet[Municipality]:
        rows = Municipality.objects.filter(region_id=self.region_id)
        if self.municipality_ids is not None:
            rows = rows.filter(id__in=self.municipality_ids)
        if self.role is Role.AANBIEDER:
            rows = rows.none()
        return rows

    def allows_municipality(self, municipality: Municipality) -> bool:
        return municipality.region_id == self.region_id and self.role is not Role.AANBIEDER and (
            self.municipality_ids is None or municipality.id in self.municipality_ids)

    def providers(self) -> QuerySet[Provider]:
        """Providers whose data this user may see by provider: a provider itself; the region's contracted
        providers for regional roles; none for municipal roles (they see providers through their municipality)."""
        if self.role is Role.AANBIEDER:
            return Provider.objects.filter(id=self.provider_id)
        if self.regional:
            return Provider.objects.filter(contracts__region_id=self.region_id).distinct()
        return Provider.objects.none()

    def lines(self, rows: QuerySet) -> QuerySet:
        """Declaration lines (or anything with `municipality` and `provider`) within the scope."""
        rows = rows.filter(municipality__region_id=self.region_id)
        if self.role is Role.AANBIEDER:
            return rows.filter(provider_id=self.provider_id)
        if self.municipality_ids is not None:
            return rows.filter(municipality_id__in=self.municipality_ids)
        return rows


def scope_for(user) -> Scope | None:
    membership = (Membership.objects.filter(user=user).select_related("region").prefetch_related("municipalities")
                  .first()) if user.is_authenticated else None
    if membership is None:
        return None
    role = Role(membership.role)
    municipalities = (frozenset(m.id for m in membership.municipalities.all()) if role in MUNICIPAL else None)
    return Scope(role, membership.region_id, municipalities, membership.provider_id)


def requires(*roles: Role) -> Callable:
    """A view for these roles; the request gets `request.scope`. Others get 403 (no role: 403 as well)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scope = scope_for(request.user)
            if scope is None or scope.role not in roles:
                raise PermissionDenied("deze pagina hoort niet bij uw rol")
            request.scope = scope  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)
        return wrapped
    return decorate


ALL_ROLES = tuple(Role)
MUNICIPAL_DATA = (Role.REGIO, Role.AUDITOR, Role.BEHEERDER, Role.GEMEENTE, Role.TOEGANG)
REGIONAL_ONLY = (Role.REGIO, Role.AUDITOR, Role.BEHEERDER)
