"""Reference lists a strategy is checked against: municipalities (CBS gemeentecode) and youth products (JZ21)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CatalogueProduct:
    code: str
    category: str  # JZ020 productcategorie
    variant: str  # "inspanning", "output" or "" when the list gives none
    description: str


@cache
def municipalities() -> dict[str, str]:
    """CBS gemeentecode -> name, from data/gemeenten.csv."""
    with (DATA / "gemeenten.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["cbs_code"]: row["naam"] for row in rows}


@cache
def youth_products() -> dict[str, CatalogueProduct]:
    """The national youth product code list (JZ21), from data/jz21.json."""
    data = json.loads((DATA / "jz21.json").read_text(encoding="utf-8"))
    return {code: CatalogueProduct(code, category, variant, description)
            for code, category, variant, description in data["products"]}
