"""Independent counts over the generated source messages, with plain lxml and the written definitions.

Shares no code with the ingest path or the dashboard, so a test comparing both can catch either one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

BASE = "{http://www.istandaarden.nl/ijw/3_2/basisschema/schema}"


@dataclass
class Counts:
    in_care: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))  # (muni, seg) -> bsns
    spending: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    with_spending: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def total(self, table: dict, municipality: str):
        values = [v for (m, _), v in table.items() if m == municipality]
        if values and isinstance(values[0], set):
            return set().union(*values)
        return sum(values)


def _local(root: etree._Element, path: str) -> list[etree._Element]:
    """Find by local names, whatever namespace each step is in."""
    steps = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    return root.xpath(steps)


def _text(element: etree._Element, path: str) -> str:
    found = _local(element, path)
    return found[0].text if found else ""


def count(source: Path, year: int) -> Counts:
    """Counts by the dashboard's definitions. Lines the generator made faulty on purpose (faults.json) are
    left out: the controls must reject them, so they are no spending."""
    register = json.loads((source / "region.json").read_text())
    faults_file = source / "faults.json"
    faulty = ({(f["provider"], f["reference"]) for f in json.loads(faults_file.read_text())}
              if faults_file.exists() else set())
    segment_of = {p["code"]: p["segment"] for p in register["products"]}
    first, last = f"{year}-01-01", f"{year}-12-31"
    starts: dict[tuple, tuple[str, str, str, str]] = {}
    ends: dict[tuple, str] = {}
    counts = Counts()
    for path in sorted((source / "berichten").rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        kind = _text(root, "Header/BerichtCode")
        if kind in ("438", "440"):  # 305 start, 307 stop
            municipality = _text(root, "Header/Ontvanger")
            provider = _text(root, "Header/Afzender")
            bsn = _text(root, "Client/Bsn")
            tag = "StartProducten/StartProduct" if kind == "438" else "StopProducten/StopProduct"
            for item in _local(root, f"Client/{tag}"):
                code = _text(item, "Product/Code")
                key = (provider, bsn, _text(item, "ToewijzingNummer"), code, _text(item, "Begindatum"))
                if kind == "438":
                    starts[key] = (municipality, segment_of[code], bsn, _text(item, "Begindatum"))
                else:
                    ends[key] = _text(item, "Einddatum")
        elif kind == "490":  # 323 declaration
            municipality = _text(root, "Header/Ontvanger")
            provider = _text(root, "Header/Afzender")
            for client in _local(root, "Declaratie/Clienten/Client"):
                bsn = _text(client, "Bsn")
                for line in _local(client, "Prestaties/Prestatie"):
                    if not _text(line, "ProductPeriode/Begindatum").startswith(str(year)):
                        continue
                    if (provider, _text(line, "ProductReferentie/ReferentieNummer")) in faulty:
                        continue
                    cents = int(_text(line, "IngediendBedrag/Bedrag"))
                    sign = 1 if _text(line, "IngediendBedrag/DebetCredit") == "D" else -1
                    key = (municipality, segment_of[_text(line, "ProductCode")])
                    counts.spending[key] += sign * cents
                    counts.with_spending[key].add(bsn)
    for key, (municipality, segment, bsn, start) in starts.items():
        end = ends.get(key)
        if start <= last and (end is None or end >= first):
            counts.in_care[(municipality, segment)].add(bsn)
    return counts


@dataclass
class Episode:
    municipality: str
    bsn: str
    provider: str
    product: str
    start: str
    end: str | None
    reason: str | None
    assigned_on: str | None
    referrer: str | None


def episodes(source: Path) -> list[Episode]:
    """Every care episode in the messages, by the plain reading of 301, 305, 307 and 315: a start (305) opens
    it, a stop (307) of the same assignment, product and start date ends it; the assignment (301) it starts
    under gives the date of assignment, and the request (315) whose provider reference the first 301 with that
    assignment number carries gives its referrer (none, or a reference to a request for change: the
    municipality's own access team, 01). Dates stay ISO strings."""
    requests: dict[tuple[str, str], str] = {}
    assignments: dict[tuple[str, str, str], tuple[str, str | None]] = {}  # (municipality, provider, number)
    starts: dict[tuple, Episode] = {}
    stops: dict[tuple, tuple[str, str]] = {}
    for path in sorted((source / "berichten").rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        kind = _text(root, "Header/BerichtCode")
        sender, receiver = _text(root, "Header/Afzender"), _text(root, "Header/Ontvanger")
        if kind == "446":  # 315 request
            for item in _local(root, "Client/AangevraagdeProducten/AangevraagdProduct"):
                requests[(sender, _text(item, "ReferentieAanbieder"))] = _text(item, "Verwijzer/Type")
        elif kind == "436":  # 301 assignment
            for item in _local(root, "Client/ToegewezenProducten/ToegewezenProduct"):
                key = (sender, receiver, _text(item, "ToewijzingNummer"))
                first_reference = assignments[key][1] if key in assignments else _text(item, "ReferentieAanbieder")
                assignments[key] = (_text(item, "Toewijzingsdatum"), first_reference or None)
        elif kind in ("438", "440"):
            bsn = _text(root, "Client/Bsn")
            tag = "StartProducten/StartProduct" if kind == "438" else "StopProducten/StopProduct"
            for item in _local(root, f"Client/{tag}"):
                key = (receiver, sender, bsn, _text(item, "ToewijzingNummer"), _text(item, "Product/Code"),
                       _text(item, "Begindatum"))
                if kind == "438":
                    starts[key] = Episode(receiver, bsn, sender, _text(item, "Product/Code"), _text(item, "Begindatum"),
                                          None, None, None, None)
                else:
                    stops[key] = (_text(item, "Einddatum"), _text(item, "RedenBeeindiging"))
    found = []
    for key, episode in starts.items():
        municipality, provider, _, number, _, _ = key
        end, reason = stops.get(key, (None, None))
        assigned = assignments.get((municipality, provider, number)) if number else None
        referrer = None
        if assigned:
            referrer = requests.get((provider, assigned[1]), "01") if assigned[1] else "01"
        found.append(Episode(episode.municipality, episode.bsn, provider, episode.product, episode.start, end, reason,
                             assigned[0] if assigned else None, referrer))
    return found
