"""Loading the contract register: clear errors that change nothing; loading twice changes nothing."""

from __future__ import annotations

import json

import pytest

from regiekamer.budgets.models import Budget
from regiekamer.contracts.models import Product, Tariff
from regiekamer.regions.models import Municipality
from regiekamer.regions.register import RegisterError, load_register

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing(demo_region, demo_source):
    out, _ = demo_source
    counts = (Municipality.objects.count(), Product.objects.count(), Tariff.objects.count(), Budget.objects.count())
    load_register(out / "region.json")
    assert (Municipality.objects.count(), Product.objects.count(), Tariff.objects.count(),
            Budget.objects.count()) == counts


def test_bad_record_names_file_record_and_rule_and_changes_nothing(db, demo_source, tmp_path):
    out, _ = demo_source
    data = json.loads((out / "region.json").read_text())
    data["region"]["code"] = "andere-regio"
    data["municipalities"] = [{**m, "cbs_code": f"9{m['cbs_code'][1:]}"} for m in data["municipalities"]]
    data["tariffs"][3]["amount_cents"] = 12.5  # money is integer cents, never a float
    bad = tmp_path / "region.json"
    bad.write_text(json.dumps(data))
    before = Municipality.objects.count()
    with pytest.raises(RegisterError) as caught:
        load_register(bad)
    assert caught.value.file == str(bad)
    assert caught.value.record == "tariffs[3]"
    assert caught.value.rule == "REG-BEDRAG"
    assert Municipality.objects.count() == before


def test_not_a_register(db, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(RegisterError) as caught:
        load_register(path)
    assert caught.value.rule == "REG-JSON"
