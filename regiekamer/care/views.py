"""Client pages. Municipal staff see a client of their own municipality by pseudonym; the access team also sees
who it is (name, BSN, date of birth) and may look a client up by BSN, sent in a form body, never in the URL.
Every look is written to the inzagelog, without the BSN."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from regiekamer.access.models import AuditEvent, Role
from regiekamer.access.scope import MUNICIPAL_DATA, requires
from regiekamer.care.models import Assignment, CareEpisode, Client
from regiekamer.core.bsn import is_valid_bsn
from regiekamer.core.protect import protector_for
from regiekamer.declarations.models import DeclarationLine


def _identity(client: Client) -> dict:
    protector = protector_for(settings.BSN_KEY)
    names = json.loads(protector.decrypt(client.identity_encrypted)) if client.identity_encrypted else {}
    return {"bsn": protector.decrypt(client.bsn_encrypted), "surname": names.get("surname", ""),
            "initials": names.get("initials", ""), "birth_date": client.birth_date}


@requires(*MUNICIPAL_DATA)
def client_detail(request: HttpRequest, pseudonym: str) -> HttpResponse:
    scope = request.scope
    client = get_object_or_404(Client.objects.filter(municipality__in=scope.municipalities()), pseudonym=pseudonym)
    assignments = (scope.lines(Assignment.objects.filter(client=client)).select_related("provider", "product", "municipality")
                   .order_by("-start", "number"))
    episodes = (scope.lines(CareEpisode.objects.filter(client=client)).select_related("provider", "product")
                .order_by("-start"))
    lines = scope.lines(DeclarationLine.objects.accepted().filter(client=client))
    spending = sorted(((d.year, lines.in_year(d.year).net_cents()) for d in lines.dates("period_start", "year")),
                      reverse=True)
    identity = _identity(client) if scope.role is Role.TOEGANG else None
    AuditEvent.objects.create(user=request.user, action=AuditEvent.Action.VIEW, records=1,
                              what=f"cliënt {client.pseudonym}" + (" met identiteit" if identity else ""))
    return render(request, "care/client.html", {
        "client": client, "identity": identity, "assignments": assignments, "episodes": episodes,
        "spending": spending,
    })


@requires(Role.TOEGANG)
def client_search(request: HttpRequest) -> HttpResponse:
    """Find a client of the own municipality by BSN (POST only; the BSN never appears in a URL or a log)."""
    error = ""
    if request.method == "POST":
        bsn = request.POST.get("bsn", "").strip()
        if not is_valid_bsn(bsn):
            error = "Dit is geen geldig BSN (de elfproef klopt niet)."
        else:
            key = protector_for(settings.BSN_KEY).lookup_hash(bsn)
            client = Client.objects.filter(bsn_hash=key, municipality__in=request.scope.municipalities()).first()
            AuditEvent.objects.create(user=request.user, action=AuditEvent.Action.VIEW, records=int(client is not None),
                                      what="cliënt gezocht op BSN" + (f": {client.pseudonym}" if client else ": niet gevonden"))
            if client is not None:
                return redirect("client-detail", pseudonym=client.pseudonym)
            error = "Geen cliënt met dit BSN in uw gemeente."
    return render(request, "care/search.html", {"error": error}, status=200 if not error else 422)
