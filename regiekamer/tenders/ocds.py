"""Open Contracting Data Standard 1.1 release packages per tender: a tender release, an award release and, once
contracts exist, a contract release. The official schemas are vendored in ocds/ (SOURCES.md); `validate` checks
a package against them with the release schema resolved locally, never over the network."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timezone
from functools import cache
from pathlib import Path

from django.conf import settings

from regiekamer.tenders.constants import Outcome
from regiekamer.tenders.models import Tender

SCHEMAS = Path(__file__).parent / "ocds"
PROCUREMENT_METHOD = {"open-house": "open", "subsidietender": "selective", "begrotingssubsidie": "direct"}


def ocid_prefix() -> str:
    """The region's registered ocid prefix (REGIEKAMER_OCDS_PREFIX); by default the test prefix `ocds-test00`."""
    return settings.OCDS_OCID_PREFIX


def is_test_prefix() -> bool:
    return settings.OCDS_OCID_PREFIX == settings.OCDS_TEST_PREFIX


def _when(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def _party(provider) -> dict:
    return {"id": f"NL-AGB-{provider.agb_code}", "name": provider.name, "roles": ["tenderer"],
            "identifier": {"scheme": "NL-AGB", "id": provider.agb_code, "legalName": provider.name}}


def package(tender: Tender, published: date | None = None) -> dict:
    region = tender.segment_strategy.strategy.region
    ocid = f"{ocid_prefix()}-{tender.reference}"
    buyer = {"id": f"NL-REGIO-{region.code}", "name": region.name}
    bids = list(tender.bids.select_related("provider"))
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}] + [_party(b.provider) for b in bids]
    tender_block = {
        "id": tender.reference, "title": tender.title, "status": "active",
        "procuringEntity": buyer, "procurementMethod": PROCUREMENT_METHOD.get(tender.procedure, "selective"),
        "procurementMethodDetails": tender.get_procedure_display(), "mainCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": "; ".join(f"{c.name} ({c.weight}%)" for c in tender.criteria.all()),
        "eligibilityCriteria": "; ".join(r.code for r in tender.requirements.all()),
        "tenderPeriod": {"startDate": _when(tender.published_on), "endDate": _when(tender.closes_on)},
        "numberOfTenderers": len(bids),
        "tenderers": [{"id": f"NL-AGB-{b.provider.agb_code}", "name": b.provider.name} for b in bids],
        "items": [{"id": p.code, "description": p.description,
                   "classification": {"scheme": "iJw JZ21", "id": p.code, "description": p.description}}
                  for p in _products(tender)],
    }

    def release(kind: str, day: date, **blocks) -> dict:
        return {"ocid": ocid, "id": f"{tender.reference}-{kind}", "date": _when(day), "tag": [kind],
                "initiationType": "tender", "parties": parties, "buyer": buyer, "language": "nl", **blocks}

    releases = [release("tender", tender.published_on, tender=tender_block)]
    decision = getattr(tender, "award", None)
    if decision is not None:
        results = list(decision.results.select_related("bid__provider", "contract"))
        awards = [{"id": f"{tender.reference}-{r.bid.provider.agb_code}", "title": r.get_outcome_display(),
                   "description": r.reason, "status": "active" if r.outcome == Outcome.GEGUND else "unsuccessful",
                   "date": _when(decision.decided_on),
                   "suppliers": [{"id": f"NL-AGB-{r.bid.provider.agb_code}", "name": r.bid.provider.name}]}
                  for r in results]
        closed = {**tender_block, "status": "complete"}
        releases.append(release("award", decision.decided_on, tender=closed, awards=awards))
        contracts = [{"id": r.contract.reference, "awardID": f"{tender.reference}-{r.bid.provider.agb_code}",
                      "title": f"{tender.title}: {r.bid.provider.name}", "status": "pending",
                      "period": {"startDate": _when(r.contract.start), "endDate": _when(r.contract.end)}}
                     for r in results if r.contract is not None]
        if contracts:
            releases.append(release("contract", decision.standstill_end, tender=closed, awards=awards,
                                    contracts=contracts))
    for item in releases[1:]:
        for party in item["parties"]:
            if any(a["status"] == "active" and a["suppliers"][0]["id"] == party["id"] for a in item["awards"]):
                party["roles"] = ["tenderer", "supplier"]
    return {"uri": f"https://regiekamer.invalid/ocds/{tender.reference}.json",
            "publisher": {"name": region.name}, "publishedDate": _when(published or date.today()),
            "version": "1.1", "releases": releases}


def _products(tender: Tender):
    from regiekamer.tenders.service import lot_products

    return lot_products(tender.lot)


@cache
def _validator():
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    schemas = [json.loads((SCHEMAS / name).read_text()) for name in ("release-package-schema.json",
                                                                     "release-schema.json")]
    registry = Registry().with_resources((s["id"], Resource.from_contents(s, default_specification=DRAFT4))
                                         for s in schemas)
    return Draft4Validator(schemas[0], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def validate(document: dict) -> list[str]:
    """The schema errors of a release package, each as `path: message`; empty when it is valid."""
    return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
            for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))]
