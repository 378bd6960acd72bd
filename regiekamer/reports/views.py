"""The council report as a page and as a PDF: thin views over reports.council, scoped like every municipal page
(municipal staff only their own municipality; any other is a 404)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify

from regiekamer.access.scope import MUNICIPAL_DATA, requires
from regiekamer.reports.council import CouncilReport, NoReport, build_report
from regiekamer.reports.pdf import PdfUnavailable, html_to_pdf

DOCUMENT = "reports/council_document.html"


def _report(request: HttpRequest, cbs_code: str, year: int) -> CouncilReport:
    municipality = request.scope.municipalities().filter(cbs_code=cbs_code).select_related("region").first()
    if municipality is None:
        raise Http404("onbekende gemeente")
    as_of = None
    if request.GET.get("peildatum"):
        try:
            as_of = date.fromisoformat(request.GET["peildatum"])
        except ValueError:
            raise Http404("ongeldige peildatum") from None
    try:
        return build_report(municipality, year, as_of)
    except NoReport as error:
        raise Http404(str(error)) from None


def document_html(report: CouncilReport) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG): what the PDF and `--html` print."""
    return render_to_string(DOCUMENT, {"r": report, "standalone": True})


def pdf_bytes(report: CouncilReport) -> bytes:
    return html_to_pdf(document_html(report), report.title)


def filename(report: CouncilReport, suffix: str) -> str:
    return f"raadsrapportage-{slugify(report.name)}-{report.year}.{suffix}"


@requires(*MUNICIPAL_DATA)
def council_report(request: HttpRequest, cbs_code: str, year: int) -> HttpResponse:
    report = _report(request, cbs_code, year)
    return render(request, "reports/council.html", {"r": report, "standalone": False,
                                                    "peildatum": request.GET.get("peildatum", "")})


@requires(*MUNICIPAL_DATA)
def council_report_pdf(request: HttpRequest, cbs_code: str, year: int) -> HttpResponse:
    """The same report as a PDF download. Aggregates only, small cells withheld: no client-level data, so the
    export is not an inzage and is not written to the inzagelog (docs/reports.md)."""
    report = _report(request, cbs_code, year)
    try:
        content = pdf_bytes(report)
    except PdfUnavailable as error:
        return HttpResponse(f"De PDF kan nu niet worden gemaakt: {error}", status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report, "pdf")}"'
    return response
