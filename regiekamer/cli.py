"""The `regiekamer` command: a thin layer over the services, with progress on long work."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiekamer.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


class _Bars:
    """Rich progress bars keyed by step label, updated at most ten times a second (updates are not free)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}
        self.last = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        if label not in self.tasks:
            self.tasks[label] = self.progress.add_task(label, total=total)
        now = time.monotonic()
        if done == total or now - self.last >= 0.1:
            self.last = now
            self.progress.update(self.tasks[label], completed=done, total=total)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


@click.group()
def main() -> None:
    """Regiekamer: steer youth care (Jeugdwet) and social support (Wmo) purchasing."""


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--region", default="zuid-holland-zuid", show_default=True,
              help="Example region (regiekamer/strategy/regions/NAME.toml) or a strategy file to generate.")
@click.option("--seed", default=1, show_default=True, help="Random seed; the same seed gives the same files.")
@click.option("--scale", default=1.0, show_default=True,
              help="Size factor: 1 is the real region, 0.1 a tenth, 33 about national size.")
@click.option("--first-year", default=2023, show_default=True)
@click.option("--years", default=3, show_default=True)
@click.option("--faults", default=0.0, show_default=True,
              help="Share of declaration lines written with a typical error, logged in OUT/faults.json.")
def generate(out: Path, region: str, seed: int, scale: float, first_year: int, years: int, faults: float) -> None:
    """Generate a synthetic region into OUT: region.json and iJw messages under berichten/."""
    from regiekamer.generator.output import generate as run
    from regiekamer.strategy.read import StrategyInvalid
    from regiekamer.strategy.regiondef import strategy_path

    try:
        strategy_path(region)
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="--region") from None
    with _progress() as progress:
        bars = _Bars(progress)
        try:
            summary = run(out, region, seed, scale, first_year, years,
                          progress=lambda label, done, total: bars("Genereren", done, total), faults=faults)
        except (FileExistsError, ValueError, StrategyInvalid) as error:
            raise click.ClickException(str(error)) from None
    console.print(f"{summary.municipalities} gemeenten, {summary.providers} aanbieders, {summary.clients} cliënten, "
                  f"{summary.messages} berichten, {summary.declaration_lines} declaratieregels → {out}")


@main.command("load-register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_register_command(file: Path) -> None:
    """Load a contract register (region.json) into the database."""
    _django()
    _migrate()
    from regiekamer.regions.register import RegisterError, load_register

    try:
        region = load_register(file)
    except RegisterError as error:
        raise click.ClickException(str(error)) from None
    console.print(f"Register van {region.name} geladen.")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on standard output.")
@click.option("--answers", "answers_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the 325 answers to this folder (default: beside each declaration).")
@click.option("--no-answers", is_flag=True, help="Do not write 325 answers.")
def ingest(paths: tuple[Path, ...], as_json: bool, answers_dir: Path | None, no_answers: bool) -> None:
    """Ingest iJw message files or folders: all-or-nothing per message, idempotent.

    Folders are read recursively in path order; files named antwoord-*.xml (our own answers) are skipped.
    Every declaration (323) gets a 325 answer.
    """
    _django()
    _migrate()
    from regiekamer.messaging.ingest import AnswerTarget, ingest_paths

    target = None if no_answers else AnswerTarget(answers_dir)
    try:
        with _progress() as progress:
            bars = _Bars(progress)
            report = ingest_paths(list(paths), progress=lambda done, total: bars("Inlezen", done, total),
                                  answers=target)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(report)
    if report.errors:
        sys.exit(1)


def _print_report(report) -> None:
    console.print(f"verwerkt: {report.processed}  al eerder verwerkt: {report.already_ingested}  "
                  f"afgewezen: {report.rejected}  records: {report.records}  antwoorden (325/306/308/316/318): {report.answers}")
    for kind, count in sorted(report.by_kind.items()):
        console.print(f"  {kind}: {count}")
    console.print(f"declaratieregels toegekend: {report.lines_accepted}  afgewezen: {report.lines_rejected}")
    for rule, count in sorted((report.rejected_by_rule + report.refusals_by_rule()).items()):
        console.print(f"  afgewezen op {rule}: {count}")
    for error in report.errors[:20]:
        console.print(f"[red]{escape(str(error))}[/red]")  # records look like [regel 3]: not markup
    if len(report.errors) > 20:
        console.print(f"… en nog {len(report.errors) - 20} fouten (zie --json)")


@main.command()
@click.option("--year", type=int, help="Year (default: the latest with declarations).")
@click.option("--region", "region_code", help="Region code (default: the first region).")
@click.option("--json", "as_json", is_flag=True)
def figures(year: int | None, region_code: str | None, as_json: bool) -> None:
    """Print the dashboard figures per municipality for a year."""
    _django()
    from regiekamer.monitoring.figures import available_years, overview
    from regiekamer.regions.models import Region

    regions = Region.objects.order_by("name")
    region = regions.filter(code=region_code).first() if region_code else regions.first()
    if region is None:
        raise click.ClickException("geen regio gevonden; bouw eerst de demo: regiekamer demo --no-serve")
    years = available_years(region)
    year = year or (years[-1] if years else None)
    if year is None:
        raise click.ClickException(f"{region.name} heeft nog geen declaraties")
    data = overview(region, year)
    rows = [{"gemeente": r.municipality.cbs_code, "naam": r.municipality.name,
             "clienten_in_zorg": r.total.clients_in_care, "uitgaven_cent": r.total.spending_cents,
             "clienten_met_uitgaven": r.total.clients_with_spending,
             "kosten_per_client_cent": r.total.cost_per_client_cents} for r in data.rows]
    if as_json:
        click.echo(json.dumps({"regio": region.code, "jaar": year, "gemeenten": rows}, indent=2))
        return
    from regiekamer.core.money import format_euros

    table = Table(title=f"{region.name} {year}")
    for header in ("Gemeente", "Cliënten in zorg", "Uitgaven", "Cliënten met uitgaven", "Kosten per cliënt"):
        table.add_column(header, justify="left" if header == "Gemeente" else "right")
    for r in rows:
        cost = r["kosten_per_client_cent"]
        table.add_row(f"{r['naam']} ({r['gemeente']})", str(r["clienten_in_zorg"]), format_euros(r["uitgaven_cent"]),
                      str(r["clienten_met_uitgaven"]), format_euros(cost) if cost is not None else "–")
    Console().print(table)


@main.command()
@click.option("--year", type=int, required=True)
@click.option("--quarter", type=click.IntRange(1, 4), help="a quarter of the year instead of the whole year")
@click.option("--month", type=click.IntRange(1, 12), help="a month of the year instead of the whole year")
@click.option("--municipality", "municipalities", multiple=True, help="CBS code; repeat for several (default: all)")
@click.option("--segment", "segments", multiple=True, help="segment code; repeat for several (default: all)")
@click.option("--by", default="municipality", show_default=True,
              help="split by these dimensions, comma separated: municipality, segment, provider, category, referrer; "
                   "'' for the region as a whole")
@click.option("--kpi", "only", multiple=True, help="only this KPI id; repeat for several (default: all)")
@click.option("--region", "region_code", help="region code (default: the first region)")
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def kpi(year: int, quarter: int | None, month: int | None, municipalities: tuple[str, ...], segments: tuple[str, ...],
        by: str, only: tuple[str, ...], region_code: str | None, output: str) -> None:
    """The KPI set for a period, with definitions, numerators and denominators (docs/kpis.md)."""
    _django()
    from regiekamer.monitoring.kpi_report import as_csv, as_rows, formatted, kpi_values
    from regiekamer.monitoring.kpis import BY_ID, DIMENSIONS, Period
    from regiekamer.regions.models import Region

    keys = [key.strip() for key in by.split(",") if key.strip()]
    unknown = [key for key in keys if key not in DIMENSIONS] + [k for k in only if k not in BY_ID]
    if unknown:
        raise click.BadParameter(f"onbekend: {', '.join(unknown)}")
    if quarter and month:
        raise click.BadParameter("kies --quarter of --month, niet beide")
    regions = Region.objects.order_by("name")
    region = regions.filter(code=region_code).first() if region_code else regions.first()
    if region is None:
        raise click.ClickException("geen regio gevonden; bouw eerst de demo: regiekamer demo --no-serve")
    known = set(region.municipalities.values_list("cbs_code", flat=True))
    if set(municipalities) - known:
        raise click.BadParameter(f"gemeente(n) {', '.join(sorted(set(municipalities) - known))} horen niet bij "
                                 f"{region.name}", param_hint="--municipality")
    chosen_municipalities = set(municipalities) or None
    chosen_segments = set(segments) or None
    period = Period.of(year, quarter, month)
    values = kpi_values(region, period, keys, chosen_municipalities, chosen_segments, list(only) or None)
    rows = as_rows(values, chosen_municipalities, chosen_segments)
    if output == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(as_csv(rows), nl=False)
    else:
        table = Table(title=f"{region.name} · {period.label}")
        for header in ("KPI", *keys, "waarde", "teller", "noemer"):
            table.add_column(header, justify="right" if header in ("waarde", "teller", "noemer") else "left")
        for row in rows:
            extra = row["referrer"] or row["funding"] or row["duration_class"]
            name = f"{row['naam']}" + (f" · {extra}" if extra and extra not in [row[k] for k in keys] else "")
            table.add_row(name, *[str(row[k] or "") for k in keys], formatted(row),
                          "" if row["numerator"] is None else str(row["numerator"]),
                          "" if row["denominator"] is None else str(row["denominator"]))
        Console(width=max(Console().width, 140)).print(table)


@main.command()
@click.option("--year", type=int, required=True)
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), help="peildatum (standaard vandaag)")
@click.option("--json", "as_json", is_flag=True)
def budget(year: int, as_of, as_json: bool) -> None:
    """Budget monitoring per municipality and segment: realised, committed, forecast to year end with its
    interval, and the month the budget is expected to be crossed."""
    _django()
    from datetime import date

    from regiekamer.budgets.monitor import as_json as monitor_json
    from regiekamer.budgets.monitor import ceilings, monitor
    from regiekamer.core.money import format_euros

    day = as_of.date() if as_of else date.today()
    lines, ceiling_lines = monitor(year, day), ceilings(year, day)
    if as_json:
        click.echo(json.dumps(monitor_json(lines, day, ceiling_lines), indent=2))
        return
    table = Table(title=f"Budget {year}, peildatum {day.isoformat()}")
    for column in ("gemeente", "segment", "budget", "gerealiseerd", "verplicht", "prognose (interval)", "signaal"):
        table.add_column(column, justify="left" if column in ("gemeente", "segment", "signaal") else "right")
    for line in lines:
        crossing = line.crossing_month
        table.add_row(line.municipality_name, line.segment, format_euros(line.budget_cents or 0),
                      format_euros(line.realised_cents), format_euros(line.committed_cents),
                      f"{format_euros(line.forecast.point_cents)} ({format_euros(line.forecast.low_cents)} – "
                      f"{format_euros(line.forecast.high_cents)})",
                      f"overschrijding verwacht in maand {crossing}" if crossing else "")
    out = Console(width=max(Console().width, 160))
    out.print(table)
    for c in ceiling_lines:
        crossing = c.crossing_month
        out.print(f"plafond {c.provider_name} ({c.provider}) perceel {c.lot}: {format_euros(c.ceiling_cents)} ({c.kind}); "
                  f"gerealiseerd {format_euros(c.realised_cents)}, prognose {format_euros(c.forecast.point_cents)}"
                  + (f" - overschrijding verwacht in maand {crossing}" if crossing else ""))


@main.command()
@click.option("--municipality", required=True, help="CBS-gemeentecode, bijv. 0505")
@click.option("--year", type=int, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PDF- of HTML-bestand")
@click.option("--html", "as_html", is_flag=True, help="write the HTML document instead of printing it to PDF")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="budget reference date (default: 20 January after the year, or today while it runs)")
def report(municipality: str, year: int, out: Path, as_html: bool, as_of) -> None:
    """The council report (raadsrapportage) of a municipality and year, as PDF (or HTML): the same page as
    /raadsrapportage/CODE/YEAR/, rendered without a server (docs/reports.md)."""
    _django()
    from regiekamer.regions.models import Municipality
    from regiekamer.reports.council import NoReport, build_report
    from regiekamer.reports.pdf import PdfUnavailable
    from regiekamer.reports.views import document_html, pdf_bytes

    chosen = Municipality.objects.filter(cbs_code=municipality).select_related("region").first()
    if chosen is None:
        raise click.BadParameter(f"onbekende gemeente {municipality}", param_hint="--municipality")
    try:
        built = build_report(chosen, year, as_of.date() if as_of else None)
    except NoReport as error:
        raise click.ClickException(str(error)) from None
    try:
        if as_html:
            out.write_text(document_html(built), encoding="utf-8")
        else:
            out.write_bytes(pdf_bytes(built))
    except PdfUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{built.title}: {out}")


@main.command()
@click.option("--segment", required=True, help="segmentcode, bijv. 4")
@click.option("--year", type=int, required=True, help="het jaar waarvan de leveringen opnieuw worden afgerekend")
@click.option("--json", "as_json", is_flag=True)
def scenario(segment: str, year: int, as_json: bool) -> None:
    """Replay a year of a segment under other funding models and tariff or ceiling choices: revenue per
    provider and cost per municipality side by side, with the incentive each model creates."""
    _django()
    from regiekamer.core.money import format_euros
    from regiekamer.settlements.scenarios import as_json as scenario_json
    from regiekamer.settlements.scenarios import compare

    outcomes = compare(segment, year)
    if as_json:
        click.echo(json.dumps(scenario_json(segment, year, outcomes), indent=2))
        return
    table = Table(title=f"Segment {segment}, leveringen {year}: kosten per gemeente per scenario")
    table.add_column("gemeente")
    for outcome in outcomes:
        table.add_column(outcome.scenario.name, justify="right")
    for municipality in sorted({m for o in outcomes for m in o.cost}):
        table.add_row(municipality, *[format_euros(o.cost.get(municipality, 0)) for o in outcomes])
    table.add_row("totaal", *[format_euros(o.total_cents) for o in outcomes])
    out = Console(width=max(Console().width, 200))
    out.print(table)
    for outcome in outcomes:
        out.print(f"[bold]{outcome.scenario.name}[/bold]: {outcome.scenario.incentive}")


@main.command()
@click.option("--year", type=int, required=True)
@click.option("--provider", "provider", help="AGB-code: alleen deze aanbieder")
@click.option("--format", "output", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="bestand (verplicht voor xlsx)")
@click.option("--per", type=click.Choice(["aanbieder", "gemeente"]), default="aanbieder", show_default=True,
              help="csv: een regel per aanbieder en perceel, of per gemeente en segment")
def settle(year: int, provider: str | None, output: str, out: Path | None, per: str) -> None:
    """Settlement per provider and contract lot for a year: paid, earned under the funding terms, balance;
    and each municipality's cost. Amounts reconcile to the cent with the accepted declaration lines."""
    _django()
    from regiekamer.core.money import format_euros
    from regiekamer.settlements.export import as_csv, as_json, as_xlsx, municipalities_csv
    from regiekamer.settlements.statements import lot_statements

    statements = lot_statements(year, provider)
    if output == "xlsx":
        if out is None:
            raise click.UsageError("--format xlsx vraagt --out BESTAND.xlsx")
        out.write_bytes(as_xlsx(year, statements))
        console.print(f"{len(statements)} afrekenregels geschreven naar {out}")
        return
    if output in ("json", "csv"):
        if output == "json":
            text = json.dumps(as_json(year, statements), indent=2)
        else:
            text = municipalities_csv(statements) if per == "gemeente" else as_csv(statements)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            click.echo(text)
        return
    table = Table(title=f"Afrekening {year}")
    for column in ("aanbieder", "perceel", "bekostiging", "betaald", "verdiend", "saldo"):
        table.add_column(column, justify="right" if column in ("betaald", "verdiend", "saldo") else "left")
    for s in statements:
        table.add_row(f"{s.provider_name} ({s.provider})", s.lot, s.statement.earned.kind.value,
                      format_euros(s.statement.paid_cents), format_euros(s.statement.earned.total_cents),
                      format_euros(s.statement.balance_cents))
    Console().print(table)


@main.group()
def requests() -> None:
    """Requests from providers for assignment (315) and for change (317): list the open ones, honour them (301)
    or reject them (319)."""


@requests.command("list")
@click.option("--json", "as_json", is_flag=True)
def requests_list(as_json: bool) -> None:
    """Open requests, oldest first (clients by pseudonym)."""
    _django()
    from regiekamer.care.models import ChangeRequest, Referral

    rows = [{"soort": "toewijzing", "aanbieder": r.provider.agb_code, "referentie": r.provider_reference,
             "gemeente": r.municipality.cbs_code, "client": r.client.pseudonym, "product": r.product.code,
             "verwijzer": r.referrer_type, "ontvangen": r.requested_on.isoformat()}
            for r in Referral.objects.filter(decision="", assignments=None)
            .select_related("provider", "municipality", "client", "product")]
    rows += [{"soort": "wijziging", "aanbieder": r.provider.agb_code, "referentie": r.provider_reference,
              "gemeente": r.municipality.cbs_code, "client": r.client.pseudonym,
              "product": " ".join(sorted({n["product"] for n in r.desired["nieuw"] if n["product"]})),
              "te_wijzigen": [c["toewijzing"] for c in r.desired["te_wijzigen"]],
              "ontvangen": r.requested_on.isoformat()}
             for r in ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN)
             .select_related("provider", "municipality", "client")]
    rows.sort(key=lambda row: row["ontvangen"])
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        console.print(" ".join(f"{k}={v}" for k, v in row.items()))
    console.print(f"{len(rows)} open verzoeken")


UNIT_HELP = "WJ756 eenheid (04 = uur, 14 = etmaal, 16 = dagdeel, 82 = stuks output)"
FREQUENCY_HELP = "1 per dag, 2 per week, 4 per maand, 6 totaal binnen de looptijd"
UNITS = click.Choice(["01", "04", "14", "16", "82", "83", "84"])
FREQUENCIES = click.Choice(["1", "2", "4", "6"])
DAY = click.DateTime(formats=["%Y-%m-%d"])


@requests.command("honour")
@click.argument("agb_code")
@click.argument("reference")
@click.option("--volume", type=int, help="voor een verzoek om toewijzing: de toegewezen omvang")
@click.option("--unit", type=UNITS, default="04", show_default=True, help=UNIT_HELP)
@click.option("--frequency", type=FREQUENCIES, default="4", show_default=True, help=FREQUENCY_HELP)
@click.option("--start", type=DAY, help="voor een verzoek om toewijzing: ingangsdatum")
@click.option("--end", type=DAY, help="voor een verzoek om toewijzing: einddatum")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=Path("var/uit"), show_default=True)
def requests_honour(agb_code: str, reference: str, volume: int | None, unit: str, frequency: str, start, end,
                    outbox: Path) -> None:
    """Honour a request and write the 301 to the outbox.

    A request for change (317) is honoured as asked (IV093), so it needs no options; a request for
    assignment (315) needs --volume, --start and --end."""
    _django()
    from datetime import date

    from django.conf import settings

    from regiekamer.care.decisions import DecisionError, honour, honour_change
    from regiekamer.care.models import ChangeRequest
    from regiekamer.ijw.constants import Frequency, Unit

    try:
        if ChangeRequest.objects.filter(provider__agb_code=agb_code, provider_reference=reference).exists():
            decision = honour_change(agb_code, reference, today=date.today(), outbox=outbox, bsn_key=settings.BSN_KEY)
        else:
            if volume is None or start is None or end is None:
                raise click.UsageError("een verzoek om toewijzing toekennen vraagt --volume, --start en --end")
            decision = honour(agb_code, reference, volume=volume, unit=Unit(unit), frequency=Frequency(frequency),
                              start=start.date(), end=end.date(), today=date.today(), outbox=outbox,
                              bsn_key=settings.BSN_KEY)
    except DecisionError as error:
        raise click.ClickException(str(error)) from None
    numbers = ", ".join(str(a.number) for a in decision.assignments)
    console.print(f"toewijzing(en) {numbers} vastgelegd; 301 geschreven naar {decision.outbox_file}")


@requests.command("reject")
@click.argument("agb_code")
@click.argument("reference")
@click.option("--reason", type=click.Choice([str(i) for i in range(1, 10)]), required=True,
              help="WJ759: 2 budget, 3 geen contract, 4 past niet binnen contract, 7 zorginhoudelijk, 8 woonplaatsbeginsel ...")
@click.option("--responsible", "responsible", help="CBS-code van de verantwoordelijke gemeente (bij reden 8)")
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=Path("var/uit"), show_default=True)
def requests_reject(agb_code: str, reference: str, reason: str, responsible: str | None, outbox: Path) -> None:
    """Reject a request for assignment or for change: write the 319 with its reason to the outbox."""
    _django()
    from datetime import date

    from regiekamer.care.decisions import DecisionError, reject

    try:
        decision = reject(agb_code, reference, reason=reason, responsible_municipality=responsible,
                          today=date.today(), outbox=outbox)
    except DecisionError as error:
        raise click.ClickException(str(error)) from None
    console.print(f"verzoek afgewezen (reden {reason}); 319 geschreven naar {decision.outbox_file}")


@main.command("assign")
@click.argument("municipality")
@click.argument("agb_code")
@click.argument("product_code")
@click.option("--volume", type=int, required=True)
@click.option("--unit", type=UNITS, default="04", show_default=True, help=UNIT_HELP)
@click.option("--frequency", type=FREQUENCIES, default="4", show_default=True, help=FREQUENCY_HELP)
@click.option("--start", type=DAY, required=True)
@click.option("--end", type=DAY)
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), default=Path("var/uit"), show_default=True)
def assign_command(municipality: str, agb_code: str, product_code: str, volume: int, unit: str, frequency: str,
                   start, end, outbox: Path) -> None:
    """Assign care after the municipality's own access decision (no request) and write the 301.

    The BSN is asked for, hidden, never taken as an argument (arguments end up in shell history and process
    lists); for a client seen for the first time, name, birth date and gender are asked too."""
    _django()
    from datetime import date

    from django.conf import settings

    from regiekamer.care.decisions import DecisionError, assign, is_known_client
    from regiekamer.ijw.constants import Frequency, Unit
    from regiekamer.ijw.model import Person

    bsn = click.prompt("BSN", hide_input=True).strip()
    if is_known_client(bsn, settings.BSN_KEY):
        person = Person(bsn, date.min, "0", "", "")  # the client's stored identity is used
    else:
        person = Person(bsn, click.prompt("Geboortedatum (JJJJ-MM-DD)", type=DAY).date(),
                        click.prompt("Geslacht (0 onbekend, 1 man, 2 vrouw)", type=click.Choice(["0", "1", "2"])),
                        click.prompt("Achternaam"), click.prompt("Voorletters", default=""))
    try:
        decision = assign(municipality, person, agb_code, product_code, volume=volume, unit=Unit(unit),
                          frequency=Frequency(frequency), start=start.date(), end=end.date() if end else None,
                          today=date.today(), outbox=outbox, bsn_key=settings.BSN_KEY)
    except DecisionError as error:
        raise click.ClickException(str(error)) from None
    console.print(f"toewijzing {decision.assignment.number} vastgelegd; 301 geschreven naar {decision.outbox_file}")


@main.command()
@click.option("--year", type=int, required=True)
@click.option("--half", type=click.IntRange(1, 2), help="a half year (CBS reports per half year) instead of the year")
@click.option("--municipality", "municipalities", multiple=True, help="CBS code; repeat for several (default: all)")
@click.option("--table", type=click.Choice(["stromen", "verwijzer", "trajecten"]), default="stromen",
              show_default=True, help="flows per hulpvorm, referrers with durations (85096NED), or the trajectories")
@click.option("--region", "region_code", help="region code (default: the first region)")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV file (default: standard output)")
def cbs(year: int, half: int | None, municipalities: tuple[str, ...], table: str, region_code: str | None,
        out: Path | None) -> None:
    """Youth-care policy information in CBS's terms (docs/kpis.md): flows per hulpvorm, referrers with
    durations as in StatLine 85096NED, or the trajectories themselves (pseudonymised)."""
    _django()
    from regiekamer.monitoring import cbs as extract
    from regiekamer.monitoring.facts import load_facts
    from regiekamer.monitoring.kpis import Period
    from regiekamer.regions.models import Region

    regions = Region.objects.order_by("name")
    region = regions.filter(code=region_code).first() if region_code else regions.first()
    if region is None:
        raise click.ClickException("geen regio gevonden; bouw eerst de demo: regiekamer demo --no-serve")
    facts = load_facts(region.id).only(set(municipalities) or None)
    period = extract.half_year(year, half) if half else Period.of(year)
    if table == "stromen":
        frame = extract.suppressed(extract.flows(facts, period))
    elif table == "verwijzer":
        frame = extract.suppressed(extract.referrers(facts, period))
    else:
        frame = extract.trajectories(facts, period)
    text = extract.with_period(frame, period).write_csv()
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"{frame.height} regels → {out}")
    else:
        click.echo(text, nl=False)


@main.group()
def measurements() -> None:
    """Outcome measurements from providers (goal realisation, satisfaction, crisis stabilised in 24 hours)."""


@measurements.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def measurements_import(files: tuple[Path, ...]) -> None:
    """Import CSV files of measurements (format: docs/kpis.md); each file all or nothing, re-import changes nothing."""
    _django()
    _migrate()
    from regiekamer.monitoring.measurements import MeasurementError, import_file

    failed = False
    for path in files:
        try:
            report = import_file(path)
        except MeasurementError as error:
            console.print(f"[red]{escape(str(error))}[/red] — niets opgeslagen uit dit bestand")
            failed = True
            continue
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(report.by_kind.items())) or "geen nieuwe"
        console.print(f"{path.name}: {report.stored} opgeslagen ({kinds}), {report.known} al bekend")
    if failed:
        sys.exit(1)


@main.group()
def token() -> None:
    """API keys: a program calls the REST API (/api/v1) as a user, with that user's role and scope."""


@token.command("create")
@click.argument("username")
@click.option("--name", required=True, help="waarvoor de sleutel dient, bijv. 'koppeling BI'")
def token_create(username: str, name: str) -> None:
    """Make an API key for USERNAME and print it once (only its hash is stored)."""
    _django()
    _migrate()
    from django.contrib.auth import get_user_model

    from regiekamer.api.tokens import create_token

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"onbekende gebruiker {username!r}")
    click.echo(create_token(user, name))
    console.print("Bewaar deze sleutel nu: hij wordt niet nog eens getoond. Gebruik: Authorization: Bearer <sleutel>")


@token.command("revoke")
@click.argument("prefix")
def token_revoke(prefix: str) -> None:
    """Revoke the API key that starts with PREFIX (the first 8 characters, as the admin shows them)."""
    _django()
    from regiekamer.api.models import ApiToken

    revoked = ApiToken.objects.filter(prefix=prefix[:8], revoked=False).update(revoked=True)
    if not revoked:
        raise click.ClickException(f"geen geldige sleutel die begint met {prefix!r}")
    console.print(f"{revoked} sleutel(s) ingetrokken.")


@main.group()
def controls() -> None:
    """Material controls: samples to verify and signals (outliers, upcoding)."""


@controls.command("sample")
@click.argument("agb_code")
@click.option("--year", type=int, required=True)
@click.option("--size", default=25, show_default=True, help="Number of accepted lines to draw.")
@click.option("--seed", default="regiekamer", show_default=True, help="The same seed draws the same lines.")
@click.option("--json", "as_json", is_flag=True)
def controls_sample(agb_code: str, year: int, size: int, seed: str, as_json: bool) -> None:
    """Draw a reproducible sample of a provider's accepted declaration lines for verification."""
    _django()
    from regiekamer.declarations.controls import sample_for_provider

    drawn = sample_for_provider(agb_code, year, size, seed)
    if as_json:
        click.echo(json.dumps([line.__dict__ for line in drawn], indent=2))
        return
    table = Table(title=f"Steekproef {agb_code} {year} (seed {seed})")
    for header in ("Referentie", "Cliënt (pseudoniem)", "Product", "Periode", "Volume", "Bedrag (cent)"):
        table.add_column(header)
    for line in drawn:
        table.add_row(line.reference, line.client, line.product_code, line.period_start, str(line.volume),
                      str(line.amount_cents))
    Console().print(table)


@controls.command("signals")
@click.option("--year", type=int, required=True)
@click.option("--json", "as_json", is_flag=True)
def controls_signals(year: int, as_json: bool) -> None:
    """Volume outliers per product and shifts to expensive products (upcoding) for a year."""
    _django()
    from regiekamer.declarations.controls import outliers, upcoding

    found = {"uitschieters": [o.__dict__ for o in outliers(year)], "opwaardering": [u.__dict__ for u in upcoding(year)]}
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    console.print(f"{len(found['uitschieters'])} volume-uitschieters, {len(found['opwaardering'])} signalen van "
                  f"verschuiving naar duurdere producten in {year}")
    for o in found["uitschieters"][:30]:
        console.print(f"  {o['client']} bij {o['provider']}: {o['product_code']} volume {o['volume']} "
                      f"(mediaan {o['peer_median']:.0f}, grens {o['threshold']:.0f}, {o['peers']} cliënten)")
    for u in found["opwaardering"]:
        console.print(f"  {u['provider']} segment {u['segment']}: aandeel duur {u['share_before']:.0%} → "
                      f"{u['share_now']:.0%} (peers {u['peer_change']:+.0%})")


@main.command()
@click.option("--region", default="zuid-holland-zuid", show_default=True,
              help="Example region: zuid-holland-zuid, zuid-limburg, midden-limburg-west or eemland.")
@click.option("--seed", default=1, show_default=True)
@click.option("--scale", default=1.0, show_default=True, help="1 is the real region (about 15k clients in 3 years).")
@click.option("--no-serve", is_flag=True, help="Build the demo but do not start the web server.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def demo(region: str, seed: int, scale: float, no_serve: bool, host: str, port: int) -> None:
    """Build the demo region in the embedded database, print the demo logins, and serve the web app."""
    _django()
    from django.conf import settings

    from regiekamer.demo.service import DemoError, build_demo

    started = time.perf_counter()
    _migrate()
    try:
        with _progress() as progress:
            result = build_demo(Path(settings.VAR_DIR), region, seed, scale, progress=_Bars(progress))
    except DemoError as error:
        raise click.ClickException(str(error)) from None
    _print_report(result.ingest)
    console.print(f"Demo gebouwd in {time.perf_counter() - started:.0f} s uit {result.source_dir}")
    console.print("Demo-logins (wachtwoorden zijn per build nieuw):")
    for user in result.users:
        console.print(f"  {user.username:<10} {user.password:<14} {user.role}")
    if not no_serve:
        _serve(host, port)


@main.group()
def strategy() -> None:
    """Procurement strategies (verwervingsstrategie) as files: check them and load them (docs/strategy.md)."""


def _strategy_file(file: str) -> Path:
    from regiekamer.strategy.regiondef import strategy_path

    try:
        return strategy_path(file)
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="FILE") from None


@strategy.command("validate")
@click.argument("file")
def strategy_validate(file: str) -> None:
    """Check FILE (a strategy file, or the name of an example region); every error names its place and rule."""
    from regiekamer.strategy.read import StrategyInvalid, read_strategy

    path = _strategy_file(file)
    try:
        checked = read_strategy(path)
    except StrategyInvalid as invalid:
        for error in invalid.errors:
            console.print(escape(str(error)))
        raise click.ClickException(f"{len(invalid.errors)} fout(en) in {path}") from None
    lots = sum(len(segment.lots) for segment in checked.segments)
    console.print(f"{path}: in orde — {checked.name} {checked.year}: {len(checked.municipalities)} gemeenten, "
                  f"{len(checked.segments)} segmenten, {lots} percelen")


@strategy.command("load")
@click.argument("file")
def strategy_load(file: str) -> None:
    """Load FILE into the database (region, municipalities, segments, lots, instruments); all or nothing."""
    _django()
    _migrate()
    from regiekamer.strategy.load import load_strategy
    from regiekamer.strategy.read import StrategyInvalid

    path = _strategy_file(file)
    try:
        loaded = load_strategy(path)
    except StrategyInvalid as invalid:
        for error in invalid.errors:
            console.print(escape(str(error)))
        raise click.ClickException(f"niets geladen: {len(invalid.errors)} fout(en) in {path}") from None
    console.print(f"Strategie {loaded.strategy} geladen: {loaded.segments} segmenten, {loaded.lots} percelen, "
                  f"{loaded.kpis} KPI's.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the web app (gunicorn) on HOST:PORT."""
    _django()
    _migrate()
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    console.print(f"Regiekamer draait op http://{host}:{port}/  (stoppen met Ctrl+C)")
    from regiekamer.gunicorn_conf import command

    os.execvp(sys.executable, command(host, port))


@main.command()
@click.option("--follow", is_flag=True, help="Keep running: warm again whenever the data has changed and then stood "
                                             "still for a few seconds (what `regiekamer serve` runs beside the server).")
def warm(follow: bool) -> None:
    """Compute the figures of the usual pages (dashboard, budget, KPIs, scenarios, spending lines; every year,
    region-wide and per municipality) into the shared figures cache for the current data."""
    _django()
    from regiekamer.monitoring.warm import follow as follow_changes
    from regiekamer.monitoring.warm import warm as warm_once

    if follow:
        logging.getLogger("regiekamer.monitoring.warm").setLevel(logging.INFO)  # one line per round
        try:
            follow_changes()
        except KeyboardInterrupt:
            pass
        return
    with _progress() as progress:
        result = warm_once(progress=_Bars(progress))
    console.print(f"{result.figures} figures computed or found in {result.seconds:.1f} s"
                  + ("" if result.complete else "; the data changed meanwhile, run again"))


@main.command()
@click.option("--scale", default=0.05, show_default=True, help="Region size used for the benchmarks.")
@click.option("--load", is_flag=True, help="Also run the load test with its defaults (regiekamer loadtest).")
@click.option("--dashboard", is_flag=True,
              help="Also measure the dashboard pages under 20 concurrent users at region scale, without an ingest "
                   "(regiekamer loadtest --users 20 --no-ingest --scale 1).")
@click.option("--kpi", "kpi_only", is_flag=True, help="Only the KPI benchmark: engine vs DuckDB SQL.")
@click.option("--kpi-scale", default=1.0, show_default=True,
              help="Size of the synthetic national KPI facts (1: 500,000 clients, 15 million lines; 0: skip).")
def bench(scale: float, load: bool, dashboard: bool, kpi_only: bool, kpi_scale: float) -> None:
    """Run the benchmark suite and print ratios against reference runs measured in the same process."""
    from regiekamer.bench import run_all, run_kpi

    out = Console(width=max(Console().width, 132))
    if kpi_only:
        run_kpi(scale=scale, kpi_scale=kpi_scale or 0.02, console=out)
        return
    run_all(scale=scale, console=out, kpi_scale=kpi_scale)
    if dashboard:
        from regiekamer.loadtest import LoadConfig

        _loadtest(LoadConfig(users=20, scale=1.0, ingest=False, requests=30, seconds=180.0), out)
    if load:
        from regiekamer.loadtest import LoadConfig

        _loadtest(LoadConfig(), out)


@main.command()
@click.option("--users", default=50, show_default=True, help="Simulated users, each with its own account.")
@click.option("--requests", "requests_per_user", default=40, show_default=True,
              help="At most this many requests per user, the two of logging in included.")
@click.option("--seconds", default=120.0, show_default=True,
              help="The load phase ends after this; an unfinished ingest is then stopped.")
@click.option("--scale", default=0.2, show_default=True, help="Region size (0.2: about 33,000 messages).")
@click.option("--seed", default=1, show_default=True)
@click.option("--think", default=1.0, show_default=True, help="Mean pause in seconds between a user's requests.")
@click.option("--ramp", default=10.0, show_default=True, help="Seconds over which the users start, one by one.")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds a request may take.")
@click.option("--database-url", help="A PostgreSQL server and database name ending in _load, e.g. "
              "postgres://postgres@127.0.0.1:5432/regiekamer_load; it is dropped and created afresh. "
              "Default: SQLite in a temporary folder.")
@click.option("--keep", is_flag=True, help="Keep the temporary folder and databases (logs, answers).")
@click.option("--no-ingest", is_flag=True, help="Ingest everything first; the users browse without an ingest.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on standard output.")
def loadtest(users: int, requests_per_user: int, seconds: float, scale: float, seed: int, think: float,
             ramp: float, timeout: float, database_url: str | None, keep: bool, no_ingest: bool, as_json: bool) -> None:
    """Load test on loopback: USERS log in and browse the dashboards while a large ingest runs; error rate and
    latency, with the same pages and ingest measured alone in the same run as the reference."""
    from regiekamer.loadtest import LoadConfig

    config = LoadConfig(users=users, requests=requests_per_user, seconds=seconds, scale=scale, seed=seed,
                         think=think, ramp=ramp, timeout=timeout, database_url=database_url, keep=keep,
                         ingest=not no_ingest)
    report = _loadtest(config, None if as_json else Console(width=max(Console().width, 150)))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    if report.errors:
        sys.exit(1)


def _loadtest(config, out: Console | None):
    from regiekamer.loadtest import LoadTestError, print_report, run_load

    try:
        with _progress() as progress:
            report = run_load(config, progress=_Bars(progress))
    except LoadTestError as error:
        raise click.ClickException(str(error)) from None
    if out is not None:
        print_report(report, out)
    return report


@main.group()
def tender() -> None:
    """Tenders per lot of a loaded strategy (docs/tenders.md)."""


def _tender(reference: str):
    from regiekamer.tenders.models import Tender

    found = Tender.objects.filter(reference=reference).first()
    if found is None:
        raise click.ClickException(f"onbekende aanbesteding {reference}")
    return found


def _user(username: str):
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise click.ClickException(f"onbekende gebruiker {username}")
    return found


def _refused(problems, where: dict[str, str]) -> click.ClickException:
    """Refused input (tenders.inputs.Problem) as one line per problem: the input it is about, the rule's code and
    its Dutch message. `where` names the command-line input of each form field."""
    lines = [f"{where.get(p.field, p.field)}: {p.code}: {p.message}" for p in problems]
    return click.ClickException("niets opgeslagen:\n" + "\n".join(lines))


def _split(option: str, text: str, example: str) -> list[str]:
    parts = text.split(":", 2)
    if len(parts) != 3:
        raise click.ClickException(f"{option} {text}: schrijf het als {example}")
    return parts


@tender.command("create")
@click.option("--region", "region_code", required=True)
@click.option("--lot", "lot_code", required=True)
@click.option("--published", required=True, help="JJJJ-MM-DD")
@click.option("--closes", required=True, help="JJJJ-MM-DD")
@click.option("--start", "contract_start", default="", help="contract start JJJJ-MM-DD (default: the strategy's)")
@click.option("--requirement", "requirements", multiple=True,
              help="CODE:SOORT:GRENS, e.g. EIS-CLIENTEN:min-clienten-regio:30 (certificaat: CODE:certificaat:NAAM)")
@click.option("--criterion", "criteria", multiple=True, help="CODE:WEGING:NAAM, e.g. KWALITEIT:50:Kwaliteit")
def tender_create(region_code, lot_code, published, closes, contract_start, requirements, criteria) -> None:
    """Create a tender with its requirements and criteria, checked as on the form (tenders/inputs.py): all or
    nothing."""
    _django()
    from django.db import transaction

    from regiekamer.regions.models import Region
    from regiekamer.tenders import inputs, service
    from regiekamer.tenders.constants import RequirementKind

    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise click.ClickException(f"--region {region_code}: onbekende regio")
    where = {"perceel": "--lot", "gepubliceerd": "--published", "sluiting": "--closes", "ingang": "--start"}
    try:
        with transaction.atomic():
            created = service.start_tender(region.id, lot_code, published, closes, contract_start)
            for text in requirements:
                code, kind, limit = _split("--requirement", text, "CODE:SOORT:GRENS")
                certificate = kind == RequirementKind.CERTIFICATE
                where = {name: f"--requirement {text} ({name})" for name in ("code", "soort", "grens", "certificaat")}
                service.new_requirement(created, code, kind, "" if certificate else limit, limit if certificate else "")
            for text in criteria:
                code, weight, name = _split("--criterion", text, "CODE:WEGING:NAAM")
                where = {field: f"--criterion {text} ({field})" for field in ("code", "naam", "weging")}
                service.new_criterion(created, code, name, weight)
    except inputs.InputError as error:
        raise _refused(error.problems, where) from None
    except service.TenderError as error:
        raise click.ClickException(str(error)) from None
    click.echo(created.reference)


@tender.command("bid")
@click.argument("reference")
@click.argument("agb")
@click.option("--answer", "answers", multiple=True, help="CODE=WAARDE, one per requirement")
@click.option("--received", default="", help="moment of receipt JJJJ-MM-DDTHH:MM (default: now)")
def tender_bid(reference, agb, answers, received) -> None:
    """Register a bid, checked as on the form: an answer to every requirement; a provider bids once."""
    _django()
    from django.utils import timezone

    from regiekamer.tenders import inputs, service

    for text in answers:
        if "=" not in text:
            raise click.ClickException(f"--answer {text}: schrijf het als CODE=WAARDE")
    values = dict(a.split("=", 1) for a in answers)
    found = _tender(reference)
    provider = service.region_providers(found.region_id).filter(agb_code=agb).first()
    where = {"aanbieder": f"AGB {agb}", "ontvangen": "--received"}
    where |= {inputs.answer_field(q.code): f"--answer {q.code}" for q in service.questions(found)}
    where |= {inputs.answer_field(code): f"--answer {code}" for code in values}
    try:
        bid = service.register_bid(found, provider, values, received or timezone.localtime().isoformat())
    except inputs.InputError as error:
        raise _refused(error.problems, where) from None
    knock_outs = service.knock_outs(bid.tender, bid)
    click.echo("voldoet" if not knock_outs else "uitgesloten: " + "; ".join(k.message for k in knock_outs))


@tender.command("score")
@click.argument("reference")
@click.argument("agb")
@click.option("--assessor", required=True)
@click.option("--criterion", required=True)
@click.option("--score", type=int, required=True)
@click.option("--motivation", required=True)
@click.option("--consensus", is_flag=True, help="record the assessors' consensus score instead")
def tender_score(reference, agb, assessor, criterion, score, motivation, consensus) -> None:
    _django()
    from regiekamer.tenders import service

    record = service.record_consensus if consensus else service.record_score
    try:
        record(_tender(reference), agb, criterion, _user(assessor), score, motivation)
    except service.TenderError as error:
        raise click.ClickException(str(error)) from None


@tender.command("rank")
@click.argument("reference")
def tender_rank(reference) -> None:
    _django()
    from regiekamer.tenders import ranking, service

    try:
        ranked = service.rank(_tender(reference))
    except ranking.RankingError as error:
        raise click.ClickException("\n".join(error.problems)) from None
    for r in ranked:
        state = "uitgesloten" if r.knock_outs else "gunnen" if r.winner else "niet gunnen"
        partner = " (strategisch partner)" if r.partner else ""
        click.echo(f"{r.rank or '-'}\t{r.bidder}\t{r.total_shown or '-'}\t{state}{partner}")


@tender.command("impact")
@click.argument("reference")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
def tender_impact(reference, day) -> None:
    _django()
    from regiekamer.tenders import service

    found = _tender(reference)
    for m in service.selection_impact(found, service.proposed_winners(found), day.date()):
        click.echo(f"{m.municipality}\tcliënten {m.clients_moving}\ttoewijzingen {m.assignments_moving}\t"
                   f"uitgaven {m.cents_moving} ct\ttop-5 {m.before.top5_percent}->{m.after.top5_percent}\t"
                   f"HHI {m.before.hhi}->{m.after.hhi}")


@tender.command("award")
@click.argument("reference")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--user", "username", required=True)
def tender_award(reference, day, username) -> None:
    _django()
    from regiekamer.tenders import ranking, service

    try:
        decision = service.award(_tender(reference), day.date(), _user(username))
    except (ranking.RankingError, service.TenderError) as error:
        raise click.ClickException(str(error)) from None
    for r in decision.results.select_related("bid__provider"):
        click.echo(f"{r.bid.provider.agb_code}\t{r.reason}")
    click.echo(f"opschortende termijn tot en met {decision.standstill_end}")


@tender.command("contracts")
@click.argument("reference")
def tender_contracts(reference) -> None:
    _django()
    from datetime import date

    from regiekamer.tenders import service

    try:
        made = service.create_contracts(_tender(reference), today=date.today())
    except service.TenderError as error:
        raise click.ClickException(str(error)) from None
    for contract in made:
        click.echo(contract.reference)


@tender.command("export-ocds")
@click.argument("reference")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def tender_export_ocds(reference, out: Path) -> None:
    _django()
    from regiekamer.tenders import ocds

    document = ocds.package(_tender(reference))
    problems = ocds.validate(document)
    if problems:
        raise click.ClickException("\n".join(problems))
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    click.echo(f"{out}: {len(document['releases'])} releases, geldig volgens OCDS 1.1")
    if ocds.is_test_prefix():
        click.echo(f"let op: ocid-prefix {ocds.ocid_prefix()} is een testprefix; zet REGIEKAMER_OCDS_PREFIX op het "
                   "geregistreerde prefix van de regio voordat u publiceert", err=True)


if __name__ == "__main__":
    main()
