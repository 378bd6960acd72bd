"""The synthetic region: deterministic, valid, and calibrated to the published figures."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from lxml import etree

from regiekamer.generator import calibration as cal
from regiekamer.generator.output import generate
from regiekamer.ijw.read import read_file

NS = {"b": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"}


def digest_tree(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate(tmp_path / "a", seed=3, scale=0.01)
    generate(tmp_path / "b", seed=3, scale=0.01)
    generate(tmp_path / "c", seed=4, scale=0.01)
    assert digest_tree(tmp_path / "a") == digest_tree(tmp_path / "b")
    assert digest_tree(tmp_path / "a") != digest_tree(tmp_path / "c")


def test_every_generated_message_is_schema_valid(demo_source):
    out, summary = demo_source
    files = sorted((out / "berichten").rglob("*.xml"))
    assert len(files) == summary.messages
    kinds = Counter(read_file(path)[1].header.kind.name for path in files)
    assert set(kinds) == {"JW301", "JW305", "JW307", "JW315", "JW317", "JW323"}


def _ns(path: Path) -> dict:
    root = etree.parse(str(path)).getroot()
    return {"m": etree.QName(root).namespace, **NS}


def test_share_in_care_matches_the_cbs_calibration(demo_source):
    """Clients with care in 2024 over residents 0-17: near the calibrated 11.5 % (CBS: 12.0 % in 2020)."""
    out, _ = demo_source
    import json

    register = json.loads((out / "region.json").read_text())
    population = sum(m["population_0_17"]["2024"] for m in register["municipalities"])
    in_care: set[str] = set()
    for path in (out / "berichten").rglob("*-JW305-*.xml"):
        root = etree.parse(str(path)).getroot()
        ns = {"m": etree.QName(root).namespace}
        start = root.findtext("m:Client/m:StartProducten/m:StartProduct/m:Begindatum", namespaces=ns)
        if start <= "2024-12-31":
            in_care.add(root.findtext("m:Client/m:Bsn", namespaces=ns))
    stopped_before = set()
    for path in (out / "berichten").rglob("*-JW307-*.xml"):
        root = etree.parse(str(path)).getroot()
        ns = {"m": etree.QName(root).namespace}
        if root.findtext("m:Client/m:StopProducten/m:StopProduct/m:Einddatum", namespaces=ns) < "2024-01-01":
            stopped_before.add(root.findtext("m:Client/m:Bsn", namespaces=ns))
    share = len(in_care - stopped_before) / population
    assert 0.08 < share < 0.16, share


def test_referrer_mix_follows_cbs(demo_source):
    out, _ = demo_source
    counts: Counter = Counter()
    for path in (out / "berichten").rglob("*-JW315-*.xml"):
        root = etree.parse(str(path)).getroot()
        ns = {"m": etree.QName(root).namespace, **NS}
        counts[root.findtext(".//m:Verwijzer/b:Type", namespaces=ns)] += 1
    assignments = sum(1 for path in (out / "berichten").rglob("*-JW301-*.xml")
                      if b"RedenWijziging" not in path.read_bytes())  # extensions are not new assignments
    counts["01"] = assignments - sum(counts.values())  # no request: assigned by the municipal access team
    total = sum(counts.values())
    # GP and municipal access are the two largest referrers, as in CBS 85096NED (2021).
    top_two = {code for code, _ in counts.most_common(2)}
    assert top_two == {"01", "02"}, counts
    expected_gp = cal.REFERRER_MIX[cal.ReferrerType.HUISARTS] / sum(cal.REFERRER_MIX.values()) * 0.9
    assert abs(counts["02"] / total - expected_gp) < 0.08, counts


def test_few_large_providers_and_a_long_tail(demo_source):
    """Spending is concentrated: the top five providers of the big segment hold most of it."""
    out, _ = demo_source
    spend: Counter = Counter()
    for path in (out / "berichten").rglob("*-JW323-*.xml"):
        root = etree.parse(str(path)).getroot()
        ns = {"m": etree.QName(root).namespace, **NS}
        agb = root.findtext("m:Header/m:Afzender", namespaces=ns)
        for amount in root.iterfind(".//m:IngediendBedrag", namespaces=ns):
            cents = int(amount.findtext("b:Bedrag", namespaces=ns))
            spend[agb] += cents if amount.findtext("b:DebetCredit", namespaces=ns) == "D" else -cents
    total = sum(spend.values())
    top5 = sum(cents for _, cents in spend.most_common(5))
    assert len(spend) >= 20
    assert 0.35 < top5 / total < 0.9, top5 / total
