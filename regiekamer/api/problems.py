"""Errors as RFC 9457 problem details (`application/problem+json`), as the Dutch API Design Rules ask."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

VERSION = "1.0.0"  # the API's full version: returned in every response's API-Version header
PROBLEM = "application/problem+json"
TITLES = {400: "Ongeldige invoer", 401: "Niet aangemeld", 403: "Geen toegang", 404: "Niet gevonden",
          405: "Methode niet toegestaan", 500: "Interne fout"}


def problem(request: HttpRequest, status: int, detail: str, invalid_params: list[dict] | None = None) -> HttpResponse:
    body: dict = {"type": "about:blank", "title": TITLES.get(status, "Fout"), "status": status, "detail": detail,
                  "instance": request.path}
    if invalid_params:
        body["invalidParams"] = invalid_params
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)
    response["API-Version"] = VERSION
    return response


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "URI van het soort probleem"},
        "title": {"type": "string", "description": "Korte omschrijving van het soort probleem"},
        "status": {"type": "integer", "description": "De HTTP-statuscode"},
        "detail": {"type": "string", "description": "Uitleg van dit geval"},
        "instance": {"type": "string", "description": "Het pad van het verzoek"},
        "invalidParams": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "reason": {"type": "string"}}}},
    },
}
