"""A BSN is special personal data: after the demo region is ingested and every report and export is made, no
BSN appears anywhere but in the protected client fields (keyed hash, encrypted value)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.db import connection

from regiekamer.care.models import Client

pytestmark = pytest.mark.django_db


def _bsns(demo_source) -> set[str]:
    out, _ = demo_source
    found: set[str] = set()
    for path in (out / "berichten").rglob("*.xml"):
        found.update(re.findall(rb"<(?:\w+:)?Bsn>(\d{9})<", path.read_bytes()))
    return {bsn.decode() for bsn in found}


def _all_text_in_the_database() -> str:
    """Every text value of every table, except the protected client fields."""
    protected = {(Client._meta.db_table, "bsn_hash"), (Client._meta.db_table, "bsn_encrypted"),
                 (Client._meta.db_table, "identity_encrypted")}
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)
                       if (table, c.name) not in protected]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            chunks.extend(" ".join(str(v) for v in row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_bsn_outside_the_protected_fields(demo_source, demo_region, make_user, client, caplog):
    from click.testing import CliRunner

    from regiekamer.cli import main

    bsns = _bsns(demo_source)
    assert len(bsns) > 100
    from django.conf import settings

    from regiekamer.core.protect import protector_for

    stored = Client.objects.order_by("id").first()
    assert protector_for(settings.BSN_KEY).decrypt(stored.bsn_encrypted) in bsns  # the right BSNs are looked for
    caplog.set_level(logging.DEBUG)
    client.force_login(make_user("privacy-analist"))
    a_client = Client.objects.filter(municipality__cbs_code="0505").order_by("id").first().pseudonym
    pages = [client.get(url).content.decode() for url in
             ("/?jaar=2024", "/uitgaven/0505/2024/", "/budget/?jaar=2025&peildatum=2025-07-25", "/scenario/",
              f"/aanbieders/{_a_provider()}/?jaar=2024", f"/clienten/{a_client}/",
              "/api/v1/gemeenten/0505/declaratieregels?jaar=2024&paginaGrootte=1000",
              "/api/v1/gemeenten/0505/toewijzingen?jaar=2024&paginaGrootte=1000",
              f"/api/v1/aanbieders/{_a_provider()}/declaratieregels?jaar=2024&paginaGrootte=1000",
              "/kengetallen/uitgaven/onderbouwing/?jaar=2024&gemeente=0505",
              f"/aanbieders/{_a_provider()}/spiegel/?jaar=2024")]
    assert all(page.strip() for page in pages)
    runner = CliRunner()
    exports = [runner.invoke(main, args).stdout for args in (
        ["settle", "--year", "2024", "--format", "json"], ["settle", "--year", "2024", "--format", "csv"],
        ["budget", "--year", "2025", "--json"], ["figures", "--year", "2024", "--json"],
        ["controls", "sample", _a_provider(), "--year", "2024", "--json"], ["requests", "list", "--json"],
        ["kpi", "--year", "2024", "--by", "municipality,provider", "--format", "json"],
        ["cbs", "--year", "2024", "--table", "trajecten"])]
    assert all(exports), "every export printed something"
    from regiekamer.settlements.export import as_xlsx
    from regiekamer.settlements.statements import lot_statements

    workbook = as_xlsx(2024, lot_statements(2024))
    haystack = "\n".join([_all_text_in_the_database(), caplog.text, *pages, *exports])
    leaked = sorted(bsn for bsn in bsns if bsn in haystack)
    assert leaked == [], f"{len(leaked)} BSNs outside the protected fields, e.g. {leaked[:3]}"
    with io.BytesIO(workbook) as stream:
        from openpyxl import load_workbook

        cells = " ".join(str(c) for ws in load_workbook(stream).worksheets for row in ws.iter_rows(values_only=True)
                         for c in row)
    assert not [bsn for bsn in bsns if bsn in cells]
    assert json.loads(exports[0])["aanbieders"]  # the exports did run


def _a_provider() -> str:
    from regiekamer.declarations.models import DeclarationLine

    return DeclarationLine.objects.values_list("provider__agb_code", flat=True).first()
