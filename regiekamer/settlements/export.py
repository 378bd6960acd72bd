"""Settlement statements as JSON, CSV and Excel (xlsx); amounts in cents and, for people, in euros."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from regiekamer.core.money import cents_to_euros
from regiekamer.settlements.statements import LotStatement, municipality_costs

COLUMNS = ["aanbieder", "naam", "contract", "segment", "perceel", "bekostiging", "betaald_cent", "verdiend_cent",
           "saldo_cent"]


def provider_rows(statements: list[LotStatement]) -> list[dict]:
    return [{"aanbieder": s.provider, "naam": s.provider_name, "contract": s.contract, "segment": s.segment,
             "perceel": s.lot, "bekostiging": s.statement.earned.kind.value, "betaald_cent": s.statement.paid_cents,
             "verdiend_cent": s.statement.earned.total_cents, "saldo_cent": s.statement.balance_cents}
            for s in statements]


def as_json(year: int, statements: list[LotStatement]) -> dict:
    rows = provider_rows(statements)
    for row, s in zip(rows, statements):
        row["toelichting"] = [{"tekst": line.text, "cent": line.cents, "records": line.records}
                              for line in s.statement.earned.lines]
        row["per_gemeente_cent"] = s.municipality_shares
    return {"jaar": year, "aanbieders": rows,
            "gemeenten": [{"gemeente": m, "per_segment_cent": segments, "totaal_cent": sum(segments.values())}
                          for m, segments in municipality_costs(statements).items()],
            "totaal": {"betaald_cent": sum(r["betaald_cent"] for r in rows),
                       "verdiend_cent": sum(r["verdiend_cent"] for r in rows),
                       "saldo_cent": sum(r["saldo_cent"] for r in rows)},
            "definitie": "verdiend = wat de aanbieder volgens de bekostigingsafspraak van het contract toekomt, uit de "
                         "toegekende declaratieregels (na creditering) en de tarieven; betaald = voorschotten of de "
                         "toegekende declaraties; saldo = verdiend - betaald (positief: gemeente betaalt bij)."}


def as_csv(statements: list[LotStatement]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(provider_rows(statements))
    return out.getvalue()


def municipalities_csv(statements: list[LotStatement]) -> str:
    """Each municipality's cost per segment, one row per municipality and segment."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["gemeente", "segment", "kosten_cent"])
    for municipality, per in municipality_costs(statements).items():
        for segment, cents in sorted(per.items()):
            writer.writerow([municipality, segment, cents])
    return out.getvalue()


def _euros(cents: int) -> Decimal:
    return cents_to_euros(cents)


def as_xlsx(year: int, statements: list[LotStatement]) -> bytes:
    """Three sheets: providers (with totals), explanation line by line, and cost per municipality."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Aanbieders"
    sheet.append([f"Afrekening {year}"])
    sheet.append([c.removesuffix("_cent") + (" (€)" if c.endswith("_cent") else "") for c in COLUMNS])
    rows = provider_rows(statements)
    for row in rows:
        sheet.append([_euros(v) if k.endswith("_cent") else v for k, v in row.items()])
    sheet.append(["Totaal", "", "", "", "", ""] + [_euros(sum(r[c] for r in rows)) for c in COLUMNS[-3:]])
    explained = book.create_sheet("Toelichting")
    explained.append(["aanbieder", "perceel", "toelichting", "bedrag (€)", "records"])
    for s in statements:
        for line in s.statement.earned.lines:
            explained.append([s.provider, s.lot, line.text, _euros(line.cents), line.records])
    municipalities = book.create_sheet("Gemeenten")
    costs = municipality_costs(statements)
    segments = sorted({segment for per in costs.values() for segment in per})
    municipalities.append(["gemeente"] + [f"segment {s} (€)" for s in segments] + ["totaal (€)"])
    for municipality, per in costs.items():
        municipalities.append([municipality] + [_euros(per.get(s, 0)) for s in segments]
                              + [_euros(sum(per.values()))])
    for ws in book.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
