"""Loading a contract register (region.json): region, municipalities, segments, products, providers,
contracts, tariffs and budgets. All or nothing; loading the same file again changes nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from regiekamer.budgets.models import Budget
from regiekamer.contracts.models import Contract, FundingTerms, Product, Tariff
from regiekamer.funding.calculate import TariffTable
from regiekamer.funding.terms import TermsError, model_from_terms
from regiekamer.messaging.turns import take_turn
from regiekamer.providers.models import Provider
from regiekamer.regions.models import Municipality, Population, Region, Subregion
from regiekamer.segments.models import Lot, Segment

FORMAT = "regiekamer-register/1"


class RegisterError(ValueError):
    def __init__(self, file: str, record: str, rule: str, message: str) -> None:
        super().__init__(f"{file} [{record}]: {rule}: {message}")
        self.file, self.record, self.rule, self.message = file, record, rule, message


def _require(data: dict, key: str, file: str, record: str) -> Any:
    if key not in data:
        raise RegisterError(file, record, "REG-VELD", f"veld {key!r} ontbreekt")
    return data[key]


def load_register(path: Path) -> Region:
    file = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterError(file, "", "REG-JSON", f"kan het register niet lezen: {exc}") from None
    if data.get("format") != FORMAT:
        raise RegisterError(file, "format", "REG-FORMAT", f"verwacht format {FORMAT!r}")
    with transaction.atomic():
        take_turn()  # pages that keep computed figures per data version compute them again
        return _load(data, file)


def _load(data: dict, file: str) -> Region:
    info = _require(data, "region", file, "region")
    region, _ = Region.objects.update_or_create(code=info["code"], defaults={"name": info["name"],
                                                                             "cbs_code": info.get("cbs_code", "")})
    subregions = {name: Subregion.objects.get_or_create(region=region, name=name)[0]
                  for name in data.get("subregions", [])}
    for index, m in enumerate(_require(data, "municipalities", file, "municipalities")):
        record = f"municipalities[{index}]"
        code = _require(m, "cbs_code", file, record)
        if not (isinstance(code, str) and len(code) == 4 and code.isdigit()):
            raise RegisterError(file, record, "REG-GEMEENTECODE", f"{code!r} is geen CBS-gemeentecode van vier cijfers")
        existing = Municipality.objects.filter(cbs_code=code).exclude(region=region).first()
        if existing:
            raise RegisterError(file, record, "REG-GEMEENTE", f"gemeente {code} hoort al bij regio {existing.region}")
        municipality, _ = Municipality.objects.update_or_create(cbs_code=code, defaults={
            "name": m["name"], "region": region, "subregion": subregions.get(m.get("subregion", ""))})
        for year, count in m.get("population_0_17", {}).items():
            Population.objects.update_or_create(municipality=municipality, year=int(year),
                                                defaults={"age_0_17": int(count)})
    lots: dict[str, Lot] = {}
    segments: dict[str, Segment] = {}
    for s in _require(data, "segments", file, "segments"):
        segment, _ = Segment.objects.update_or_create(region=region, code=s["code"], defaults={
            "name": s["name"], "domain": s.get("domain", "jeugd"), "funding_model": s["funding_model"]})
        segments[segment.code] = segment
        for lot_data in s.get("lots", []):
            lots[lot_data["code"]] = Lot.objects.update_or_create(segment=segment, code=lot_data["code"], defaults={
                "name": lot_data["name"], "funding_model": lot_data["funding_model"],
                "subregion": subregions.get(lot_data.get("subregion", ""))})[0]
    products: dict[str, Product] = {}
    for index, p in enumerate(_require(data, "products", file, "products")):
        record = f"products[{index}]"
        if p["segment"] not in segments:
            raise RegisterError(file, record, "REG-SEGMENT", f"segment {p['segment']!r} bestaat niet")
        products[p["code"]] = Product.objects.update_or_create(region=region, code=p["code"], defaults={
            "category": p["category"], "description": p["description"], "unit": p["unit"],
            "variant": p["variant"], "segment": segments[p["segment"]], "lot": lots.get(p.get("lot", ""))})[0]
    providers: dict[str, Provider] = {}
    for index, p in enumerate(_require(data, "providers", file, "providers")):
        agb = p["agb_code"]
        if not (len(agb) == 8 and agb.isdigit()):
            raise RegisterError(file, f"providers[{index}]", "REG-AGB", f"{agb!r} is geen AGB-code van acht cijfers")
        providers[agb] = Provider.objects.update_or_create(agb_code=agb, defaults={
            "name": p["name"], "kvk_number": p.get("kvk_number", "")})[0]
    contracts: dict[str, Contract] = {}
    for index, c in enumerate(data.get("contracts", [])):
        record = f"contracts[{index}]"
        if c["provider"] not in providers:
            raise RegisterError(file, record, "REG-AANBIEDER", f"aanbieder {c['provider']} staat niet in het register")
        contract, _ = Contract.objects.update_or_create(region=region, reference=c["reference"], defaults={
            "provider": providers[c["provider"]], "start": date.fromisoformat(c["start"]),
            "end": date.fromisoformat(c["end"]), "extension_options": c.get("extension_options", "")})
        contract.lots.set([lots[code] for code in c.get("lots", [])])
        contracts[c["reference"]] = contract
    for index, f in enumerate(data.get("funding", [])):
        _load_funding(file, f"funding[{index}]", f, contracts, lots)
    for index, t in enumerate(data.get("tariffs", [])):
        record = f"tariffs[{index}]"
        if t["product"] not in products:
            raise RegisterError(file, record, "REG-PRODUCT", f"product {t['product']} staat niet in het register")
        amount = t["amount_cents"]
        if not isinstance(amount, int) or amount < 0:
            raise RegisterError(file, record, "REG-BEDRAG", "tarief moet een geheel, niet-negatief aantal eurocent zijn")
        Tariff.objects.update_or_create(product=products[t["product"]], contract=None,
                                        valid_from=date.fromisoformat(t["valid_from"]),
                                        defaults={"valid_to": date.fromisoformat(t["valid_to"]),
                                                  "amount_cents": amount})
    municipalities = {m.cbs_code: m for m in region.municipalities.all()}
    for index, b in enumerate(data.get("budgets", [])):
        record = f"budgets[{index}]"
        if b["municipality"] not in municipalities or b["segment"] not in segments:
            raise RegisterError(file, record, "REG-BUDGET", "budget verwijst naar een onbekende gemeente of segment")
        Budget.objects.update_or_create(municipality=municipalities[b["municipality"]],
                                        segment=segments[b["segment"]], year=int(b["year"]),
                                        defaults={"amount_cents": int(b["amount_cents"])})
    return region


def _load_funding(file: str, record: str, f: dict, contracts: dict[str, Contract], lots: dict) -> None:
    """A contract's funding terms for one lot, checked by building the funding model they describe."""
    contract, lot = contracts.get(f.get("contract", "")), lots.get(f.get("lot", ""))
    if contract is None or lot is None:
        raise RegisterError(file, record, "REG-BEKOSTIGING", "bekostiging verwijst naar een onbekend contract of perceel")
    try:
        model_from_terms(f.get("kind", ""), f.get("params") or {}, TariffTable({}))
    except TermsError as error:
        raise RegisterError(file, f"{record}.{error.field}", "REG-BEKOSTIGING", str(error)) from None
    FundingTerms.objects.update_or_create(contract=contract, lot=lot, defaults={
        "kind": f["kind"], "params": f.get("params") or {}})
