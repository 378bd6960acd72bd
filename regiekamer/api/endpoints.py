"""The REST API (`/api/v1`), read-only, with an OpenAPI 3 document at `/api/v1/openapi.json`.

Every operation asks the user's scope (`regiekamer.access.scope`) for its rows, exactly as the web pages do:
a municipality or provider outside the scope is a 404, a role that may not use an operation gets a 403.
Clients appear only by pseudonym; reading client-level rows is written to the inzagelog. Following the
Dutch API Design Rules: nouns in kebab-case without trailing slashes, the major version in the URI, the full
version in an `API-Version` header on every response, errors as problem details (RFC 9457), query
parameters in camelCase, dates as `date`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth
from pydantic import Field

from regiekamer.access.models import AuditEvent, Role
from regiekamer.access.scope import MUNICIPAL_DATA, REGIONAL, Scope, scope_for
from regiekamer.api.problems import PROBLEM, PROBLEM_SCHEMA, TITLES, VERSION, problem
from regiekamer.api.tokens import user_for_token
from regiekamer.budgets import monitor as budget_monitor
from regiekamer.care.models import Assignment
from regiekamer.declarations.models import DeclarationLine
from regiekamer.monitoring.definitions import DEFINITIONS
from regiekamer.monitoring.figures import region_overview
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality

BY_PROVIDER = (*REGIONAL, Role.AANBIEDER)
MAX_PAGE = 1000


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return user_for_token(token)


class RegiekamerApi(NinjaAPI):
    """NinjaAPI with the API-Version header on every response and the design rules' parts of the document
    (problem responses, version header, contact) added to every operation."""

    def create_response(self, request: HttpRequest, data, *, status: int | None = None,
                        temporal_response: HttpResponse | None = None) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["API-Version"] = VERSION
        return response

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params=None):
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        schema["components"].setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        version_header = {"API-Version": {"description": "De volledige versie van de API",
                                          "schema": {"type": "string", "example": VERSION}}}
        problem_content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, response in responses.items():
                    if str(status).startswith("2"):
                        response["headers"] = version_header
                for status in (400, 401, 403, 404):
                    responses[status] = {"description": TITLES[status], "content": problem_content,
                                         "headers": version_header}
        return schema


api = RegiekamerApi(
    title="Regiekamer API",
    version=VERSION,
    description="Sturingsinformatie over jeugdhulp en Wmo: gemeenten, kengetallen, budgetten, toewijzingen en "
                "declaratieregels, alleen binnen de gemeenten of de aanbieder waartoe de gebruiker hoort. Cliënten "
                "staan er alleen onder pseudoniem in. Aanmelden met een API-sleutel (Bearer) of een sessie.",
    auth=[BearerToken(), django_auth],
    servers=[{"url": "/api/v1", "description": "deze installatie"}],
    openapi_extra={"info": {"contact": {"name": "Regiekamer", "url": "https://github.com/regiekamer",
                                        "email": "regiekamer@example.nl"}}},
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return problem(request, 401, "Meld u aan met een API-sleutel (Authorization: Bearer …) of een sessie.")
    return problem(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, str(exc) or "Niet gevonden.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, str(exc) or "Deze gegevens horen niet bij uw rol.")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    params = [{"name": ".".join(str(part) for part in error["loc"][1:]) or str(error["loc"][0]),
               "reason": error["msg"]} for error in exc.errors]
    return problem(request, 400, "Een of meer parameters zijn ongeldig.", params)


def _scope(request: HttpRequest, roles: tuple[Role, ...]) -> Scope:
    scope = scope_for(request.auth)
    if scope is None or scope.role not in roles:
        raise PermissionDenied("Deze gegevens horen niet bij uw rol.")
    return scope


def _municipality(scope: Scope, code: str) -> Municipality:
    found = scope.municipalities().filter(cbs_code=code).first()
    if found is None:
        raise Http404(f"Gemeente {code} bestaat niet of valt buiten uw gemeenten.")
    return found


def _provider(scope: Scope, agb: str) -> Provider:
    found = scope.providers().filter(agb_code=agb).first()
    if found is None:
        raise Http404(f"Aanbieder {agb} bestaat niet of valt buiten uw toegang.")
    return found


def _log(request: HttpRequest, what: str, records: int) -> None:
    AuditEvent.objects.create(user=request.auth, action=AuditEvent.Action.EXPORT, what=f"API {what}", records=records)


# --- schemas -------------------------------------------------------------------------------------------------

class Gemeente(Schema):
    gemeente: str = Field(description="CBS-gemeentecode")
    naam: str


class Kengetal(Schema):
    segment: str = Field(description="segmentcode; leeg voor alle segmenten samen")
    clientenInZorg: int
    uitgavenCent: int
    clientenMetUitgaven: int
    kostenPerClientCent: int | None


class Definitie(Schema):
    id: str
    naam: str
    eenheid: str
    definitie: str
    formule: str


class Kengetallen(Schema):
    gemeente: str
    jaar: int
    kengetallen: list[Kengetal]
    definities: list[Definitie]


class Budgetregel(Schema):
    gemeente: str
    segment: str
    jaar: int
    budgetCent: int | None
    gerealiseerdCent: int
    verplichtCent: int
    prognoseCent: int
    prognoseLaagCent: int
    prognoseHoogCent: int
    overschrijdingVerwachtInMaand: int | None


class Budgetten(Schema):
    gemeente: str
    peildatum: date
    regels: list[Budgetregel]
    definitie: str


class Declaratieregel(Schema):
    referentie: str
    gemeente: str
    aanbieder: str = Field(description="AGB-code")
    client: str | None = Field(description="pseudoniem van de cliënt")
    product: str
    periodeBegin: date
    periodeEind: date
    volume: int
    eenheid: str
    tariefCent: int | None
    bedragCent: int
    debetCredit: str
    status: str
    afwijzingsredenen: list[str]


class Link(Schema):
    href: str


class Links(Schema):
    self: Link
    next: Link | None = None
    prev: Link | None = None


class Declaratieregels(Schema):
    jaar: int
    aantal: int
    nettoBedragToegekendCent: int
    pagina: int
    paginaGrootte: int
    regels: list[Declaratieregel]
    links: Links = Field(alias="_links")


class Toewijzing(Schema):
    toewijzingnummer: int
    gemeente: str
    aanbieder: str
    client: str
    product: str
    ingangsdatum: date
    einddatum: date | None
    volume: int | None
    eenheid: str
    frequentie: str


class Toewijzingen(Schema):
    jaar: int
    aantal: int
    pagina: int
    paginaGrootte: int
    toewijzingen: list[Toewijzing]
    links: Links = Field(alias="_links")


class Page(Schema):
    jaar: int = Field(ge=2000, le=2100)
    pagina: int = Field(1, ge=1)
    paginaGrootte: int = Field(100, ge=1, le=MAX_PAGE)


class YearFilter(Schema):
    jaar: int = Field(ge=2000, le=2100)
    segment: str | None = None


class BudgetFilter(Schema):
    jaar: int = Field(ge=2000, le=2100)
    peildatum: date | None = Field(None, description="standaard vandaag")


# --- operations ----------------------------------------------------------------------------------------------

@api.get("/gemeenten", response=list[Gemeente], url_name="api-gemeenten", tags=["Gemeenten"],
         summary="De gemeenten waartoe u hoort")
def gemeenten(request: HttpRequest):
    scope = _scope(request, MUNICIPAL_DATA)
    return [{"gemeente": m.cbs_code, "naam": m.name} for m in scope.municipalities().order_by("name")]


@api.get("/gemeenten/{gemeente}/kengetallen", response=Kengetallen, url_name="api-kengetallen", tags=["Gemeenten"],
         summary="Cliënten in zorg, uitgaven en kosten per cliënt van een gemeente, per segment")
def kengetallen(request: HttpRequest, gemeente: str, filters: Query[YearFilter]):
    scope = _scope(request, MUNICIPAL_DATA)
    municipality = _municipality(scope, gemeente)
    data = region_overview(municipality.region, filters.jaar).only(frozenset({municipality.id}))
    row = data.rows[0]
    cells = [("", row.total)] + [(code, cell) for code, cell in row.cells.items()]
    if filters.segment is not None:
        cells = [(code, cell) for code, cell in cells if code == filters.segment]
        if not cells:
            raise Http404(f"Segment {filters.segment} bestaat niet.")
    return {"gemeente": municipality.cbs_code, "jaar": filters.jaar, "kengetallen": [
        {"segment": code, "clientenInZorg": cell.clients_in_care, "uitgavenCent": cell.spending_cents,
         "clientenMetUitgaven": cell.clients_with_spending, "kostenPerClientCent": cell.cost_per_client_cents}
        for code, cell in cells],
        "definities": [{"id": d.id, "naam": d.name, "eenheid": d.unit, "definitie": d.definition,
                        "formule": d.formula} for d in DEFINITIONS]}


@api.get("/gemeenten/{gemeente}/budgetten", response=Budgetten, url_name="api-budgetten", tags=["Gemeenten"],
         summary="Budget, realisatie, verplichtingen en prognose per segment")
def budgetten(request: HttpRequest, gemeente: str, filters: Query[BudgetFilter]):
    scope = _scope(request, MUNICIPAL_DATA)
    municipality = _municipality(scope, gemeente)
    as_of = filters.peildatum or date.today()
    lines = budget_monitor.monitor(filters.jaar, as_of, {municipality.cbs_code})
    return {"gemeente": municipality.cbs_code, "peildatum": as_of, "definitie": budget_monitor.DEFINITIE,
            "regels": [{"gemeente": b.municipality, "segment": b.segment, "jaar": b.year, "budgetCent": b.budget_cents,
                        "gerealiseerdCent": b.realised_cents, "verplichtCent": b.committed_cents,
                        "prognoseCent": b.forecast.point_cents, "prognoseLaagCent": b.forecast.low_cents,
                        "prognoseHoogCent": b.forecast.high_cents, "overschrijdingVerwachtInMaand": b.crossing_month}
                       for b in lines if b.municipality == municipality.cbs_code]}


def _links(request: HttpRequest, page: Page, count: int) -> dict:
    def href(number: int) -> dict:
        query = request.GET.copy()
        query["pagina"] = str(number)
        return {"href": f"{request.path}?{query.urlencode()}"}

    last = max(1, -(-count // page.paginaGrootte))
    return {"self": href(page.pagina), "next": href(page.pagina + 1) if page.pagina < last else None,
            "prev": href(page.pagina - 1) if page.pagina > 1 else None}


def _line_page(request: HttpRequest, lines, page: Page, what: str) -> dict:
    lines = lines.in_year(page.jaar)
    count = lines.count()
    first = (page.pagina - 1) * page.paginaGrootte
    rows = (lines.order_by("period_start", "provider__agb_code", "reference", "id")
            .values("reference", "municipality__cbs_code", "provider__agb_code", "client__pseudonym", "product_code",
                    "period_start", "period_end", "volume", "unit", "tariff_cents", "amount_cents", "debit_credit",
                    "status", "rule_codes")[first:first + page.paginaGrootte])
    regels = [{"referentie": r["reference"], "gemeente": r["municipality__cbs_code"],
               "aanbieder": r["provider__agb_code"], "client": r["client__pseudonym"], "product": r["product_code"],
               "periodeBegin": r["period_start"], "periodeEind": r["period_end"], "volume": r["volume"],
               "eenheid": r["unit"], "tariefCent": r["tariff_cents"], "bedragCent": r["amount_cents"],
               "debetCredit": r["debit_credit"], "status": r["status"], "afwijzingsredenen": r["rule_codes"].split()}
              for r in rows]
    _log(request, f"declaratieregels {what} {page.jaar} pagina {page.pagina}", len(regels))
    return {"jaar": page.jaar, "aantal": count, "nettoBedragToegekendCent": lines.accepted().net_cents(),
            "pagina": page.pagina, "paginaGrootte": page.paginaGrootte, "regels": regels,
            "_links": _links(request, page, count)}


@api.get("/gemeenten/{gemeente}/declaratieregels", response=Declaratieregels, by_alias=True,
         url_name="api-gemeente-declaratieregels", tags=["Gemeenten"],
         summary="De declaratieregels aan een gemeente in een jaar (cliënten onder pseudoniem)")
def gemeente_declaratieregels(request: HttpRequest, gemeente: str, page: Query[Page]):
    scope = _scope(request, MUNICIPAL_DATA)
    municipality = _municipality(scope, gemeente)
    lines = scope.lines(DeclarationLine.objects.filter(municipality=municipality))
    return _line_page(request, lines, page, f"gemeente {municipality.cbs_code}")


@api.get("/aanbieders/{aanbieder}/declaratieregels", response=Declaratieregels, by_alias=True,
         url_name="api-aanbieder-declaratieregels", tags=["Aanbieders"],
         summary="De declaratieregels van een aanbieder in een jaar (cliënten onder pseudoniem)")
def aanbieder_declaratieregels(request: HttpRequest, aanbieder: str, page: Query[Page]):
    scope = _scope(request, BY_PROVIDER)
    provider = _provider(scope, aanbieder)
    lines = scope.lines(DeclarationLine.objects.filter(provider=provider))
    return _line_page(request, lines, page, f"aanbieder {provider.agb_code}")


def _assignment_page(request: HttpRequest, assignments, page: Page, what: str) -> dict:
    start, end = date(page.jaar, 1, 1), date(page.jaar, 12, 31)
    assignments = assignments.filter(start__lte=end).exclude(end__lt=start)
    count = assignments.count()
    first = (page.pagina - 1) * page.paginaGrootte
    rows = (assignments.order_by("start", "number", "id")
            .values("number", "municipality__cbs_code", "provider__agb_code", "client__pseudonym", "product__code",
                    "start", "end", "volume", "unit", "frequency")[first:first + page.paginaGrootte])
    items = [{"toewijzingnummer": r["number"], "gemeente": r["municipality__cbs_code"],
              "aanbieder": r["provider__agb_code"], "client": r["client__pseudonym"], "product": r["product__code"],
              "ingangsdatum": r["start"], "einddatum": r["end"], "volume": r["volume"], "eenheid": r["unit"],
              "frequentie": r["frequency"]} for r in rows]
    _log(request, f"toewijzingen {what} {page.jaar} pagina {page.pagina}", len(items))
    return {"jaar": page.jaar, "aantal": count, "pagina": page.pagina, "paginaGrootte": page.paginaGrootte,
            "toewijzingen": items, "_links": _links(request, page, count)}


@api.get("/gemeenten/{gemeente}/toewijzingen", response=Toewijzingen, by_alias=True,
         url_name="api-gemeente-toewijzingen", tags=["Gemeenten"],
         summary="De toewijzingen van een gemeente die in een jaar liepen (cliënten onder pseudoniem)")
def gemeente_toewijzingen(request: HttpRequest, gemeente: str, page: Query[Page]):
    scope = _scope(request, MUNICIPAL_DATA)
    municipality = _municipality(scope, gemeente)
    return _assignment_page(request, scope.lines(Assignment.objects.filter(municipality=municipality)), page,
                            f"gemeente {municipality.cbs_code}")


@api.get("/aanbieders/{aanbieder}/toewijzingen", response=Toewijzingen, by_alias=True,
         url_name="api-aanbieder-toewijzingen", tags=["Aanbieders"],
         summary="De toewijzingen aan een aanbieder die in een jaar liepen (cliënten onder pseudoniem)")
def aanbieder_toewijzingen(request: HttpRequest, aanbieder: str, page: Query[Page]):
    scope = _scope(request, BY_PROVIDER)
    provider = _provider(scope, aanbieder)
    return _assignment_page(request, scope.lines(Assignment.objects.filter(provider=provider)), page,
                            f"aanbieder {provider.agb_code}")
