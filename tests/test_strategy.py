"""Strategy files: the examples validate and load (twice without change), broken files give precise errors,
the Zuid-Holland Zuid file generates exactly the demo it always did, and every example region runs as a demo."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from regiekamer.generator.output import generate
from regiekamer.strategy.read import StrategyInvalid, read_strategy
from regiekamer.strategy.regiondef import example_regions, region_definition, strategy_path
from tests.test_generator import digest_tree

MINIMAL = '''
formaat = "regiekamer-strategie/1"

[regio]
code = "proef"
naam = "Proefregio"
cbs_code = "JZ31"
jaar = 2024
bron = "test"
subregios = ["Drechtsteden"]

[[gemeenten]]
cbs_code = "0505"
naam = "Dordrecht"
subregio = "Drechtsteden"
inwoners_0_17 = 24000
postcodegebied = "331"

[[gemeenten]]
cbs_code = "0590"
naam = "Papendrecht"
inwoners_0_17 = 6500
postcodegebied = "335"

[[segmenten]]
code = "A"
naam = "Ambulant"
domein = "jeugd"

[segmenten.toegang]
verwijzers = ["gemeente", "huisarts"]
casusregie = "toegang"

[segmenten.bekostiging]
model = "taak"
budget_per_inwoner_cent = 5000
verdeelsleutel = "vaste verdeelsleutel"
aandelen = { "0505" = 80, "0590" = 20 }

[segmenten.contract]
vorm = "sas-2"
looptijd = "4+1+1"

[segmenten.demo]
aandeel = 1.0
aanbieders = 3

[[segmenten.percelen]]
code = "A"
naam = "Ambulant"

[[segmenten.percelen.producten]]
code = "45A48"
eenheid = "uur"
frequentie = "per-maand"
volume = [4, 12]
tarief_euro = [69, 78]
aandeel = 1.0
'''

SECOND_SEGMENT = '''
[[segmenten]]
code = "{code}"
naam = "Tweede"
domein = "jeugd"

[segmenten.toegang]
verwijzers = ["gemeente"]
casusregie = "aanbieder"

[segmenten.bekostiging]
model = "inspanning"

[segmenten.contract]
vorm = "open-house"
looptijd = "3"

[segmenten.demo]
aandeel = 1.0
aanbieders = 2

[[segmenten.percelen]]
code = "B"
naam = "Tweede"

[[segmenten.percelen.producten]]
code = "45A05"
eenheid = "uur"
frequentie = "per-maand"
volume = [2, 4]
tarief_euro = [90, 100]
aandeel = 1.0
'''

TARGET = '''
[[segmenten.leveranciers.kpis]]
kpi = "{kpi}"
norm = 15
richting = "max"
'''

RELATIVE = '''
[[segmenten.leveranciers.kpis]]
kpi = "kosten-per-client"
basisjaar = 2022
verandering = -5
richting = "max"
datum = 2025-12-31
'''

# (what is broken, how to break the minimal file, the place, the rule, a piece of the message)
BAD_INPUTS = [
    ("missing segment name", lambda t: t.replace('naam = "Ambulant"\ndomein', 'domein'),
     "segmenten[0].naam", "STR-VELD", "verplicht veld ontbreekt"),
    ("unknown funding model", lambda t: t.replace('model = "taak"', 'model = "pxq"'),
     "segmenten[0].bekostiging.model", "STR-BEKOSTIGING", "onbekend bekostigingsmodel 'pxq'"),
    ("municipality code that does not exist", lambda t: t.replace('"0590"\nnaam', '"0599"\nnaam'),
     "gemeenten[1].cbs_code", "STR-GEMEENTE", "'0599' is geen bekende CBS-gemeentecode"),
    ("cost key not summing to 100", lambda t: t.replace('"0590" = 20', '"0590" = 25'),
     "segmenten[0].bekostiging.aandelen", "STR-VERDEELSLEUTEL", "tellen op tot 105, niet tot 100"),
    ("duplicate segment codes", lambda t: t + SECOND_SEGMENT.format(code="A"),
     "segmenten[1].code", "STR-SEGMENT-DUBBEL", "segmentcode 'A' is al gebruikt door segmenten[0]"),
    ("unknown referrer", lambda t: t.replace('"huisarts"]', '"buurman"]'),
     "segmenten[0].toegang.verwijzers[1]", "STR-VERWIJZER", "onbekende verwijzer 'buurman'"),
    ("unknown product code", lambda t: t.replace('"45A48"', '"45Z99"'),
     "segmenten[0].percelen[0].producten[0].code", "STR-PRODUCT", "niet in de productcodelijst Jeugdwet"),
    ("name that does not fit the code", lambda t: t.replace('"Papendrecht"', '"Sliedrecht"'),
     "gemeenten[1].naam", "STR-GEMEENTE", "gemeente 0590 heet 'Papendrecht'"),
    ("unknown subregion", lambda t: t.replace('subregio = "Drechtsteden"', 'subregio = "Rivierenland"'),
     "gemeenten[0].subregio", "STR-SUBREGIO", "'Rivierenland' staat niet in regio.subregios"),
    ("unknown contract form", lambda t: t.replace('"sas-2"', '"sas-5"'),
     "segmenten[0].contract.vorm", "STR-CONTRACTVORM", "onbekende contractvorm 'sas-5'"),
    ("term that is not years", lambda t: t.replace('"4+1+1"', '"vier jaar"'),
     "segmenten[0].contract.looptijd", "STR-LOOPTIJD", "geen looptijd in jaren"),
    ("task budget missing", lambda t: t.replace("budget_per_inwoner_cent = 5000\n", ""),
     "segmenten[0].bekostiging.budget_per_inwoner_cent", "STR-VELD", "verplicht veld ontbreekt"),
    ("parameter of another model", lambda t: t.replace('model = "taak"', 'model = "taak"\nplafond = "hard"'),
     "segmenten[0].bekostiging.plafond", "STR-BEKOSTIGING-PARAMETER", "hoort niet bij bekostigingsmodel taak"),
    ("typo in a field name", lambda t: t.replace("casusregie =", "casusregi ="),
     "segmenten[0].toegang.casusregi", "STR-ONBEKEND-VELD", "onbekend veld 'casusregi'"),
    ("Wmo referred by a GP", lambda t: t.replace('domein = "jeugd"', 'domein = "wmo"'),
     "segmenten[0].toegang.verwijzers", "STR-VERWIJZER", "voor de Wmo verwijst alleen de gemeente"),
    ("wrong type", lambda t: t.replace("inwoners_0_17 = 24000", 'inwoners_0_17 = "veel"'),
     "gemeenten[0].inwoners_0_17", "STR-TYPE", "moet een geheel getal zijn"),
    ("not TOML", lambda t: t + "\n[regio\n", "", "STR-TOML", "geen geldige TOML"),
    ("KPI target without a KPI of the KPI set", lambda t: t + TARGET.format(kpi="uitvaal"),
     "segmenten[0].leveranciers.kpis[0].kpi", "STR-KPI",
     "segment A Ambulant: onbekende KPI 'uitvaal'; kies een id uit de kengetallenset (docs/kpis.md); bedoelt u uitval?"),
    ("KPI target by a KPI with a value per class", lambda t: t + TARGET.format(kpi="duur-klasse"),
     "segmenten[0].leveranciers.kpis[0].kpi", "STR-KPI", "geeft een waarde per duurklasse"),
    ("KPI target in another unit than its KPI", lambda t: t + TARGET.format(kpi="uitval") + 'eenheid = "uur"\n',
     "segmenten[0].leveranciers.kpis[0].eenheid", "STR-KPI", "KPI 'uitval' meet in 'procent', niet in 'uur'"),
    ("KPI target without its KPI", lambda t: t + TARGET.format(kpi="uitval").replace('kpi = "uitval"\n', ""),
     "segmenten[0].leveranciers.kpis[0].kpi", "STR-VELD", "verplicht veld ontbreekt"),
    ("relative target without a base year", lambda t: t + RELATIVE.replace("basisjaar = 2022\n", ""),
     "segmenten[0].leveranciers.kpis[0].basisjaar", "STR-KPI",
     "segment A Ambulant: verandering vraagt ook om basisjaar"),
    ("relative target with a norm too", lambda t: t + RELATIVE + "norm = 3000000\n",
     "segmenten[0].leveranciers.kpis[0].norm", "STR-KPI", "een norm óf een verandering ten opzichte van een basisjaar"),
    ("base year that is not a year", lambda t: t + RELATIVE.replace("basisjaar = 2022", 'basisjaar = "2022"'),
     "segmenten[0].leveranciers.kpis[0].basisjaar", "STR-TYPE", "moet een geheel getal zijn"),
    ("base year not before the target's date", lambda t: t + RELATIVE.replace("2025-12-31", "2022-12-31"),
     "segmenten[0].leveranciers.kpis[0].basisjaar", "STR-KPI", "het basisjaar 2022 ligt niet vóór het jaar van de"),
    ("a fall of more than everything", lambda t: t + RELATIVE.replace("verandering = -5", "verandering = -120"),
     "segmenten[0].leveranciers.kpis[0].verandering", "STR-BEREIK", "boven -100"),
    ("base year for a KPI that is a change itself",
     lambda t: t + RELATIVE.replace("kosten-per-client", "bedden-ten-opzichte-van-basisjaar"),
     "segmenten[0].leveranciers.kpis[0].basisjaar", "STR-KPI", "is zelf al een verandering"),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strategie.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_minimal_strategy_is_valid(tmp_path):
    strategy = read_strategy(write(tmp_path, MINIMAL))
    assert [s.code for s in strategy.segments] == ["A"]
    target = read_strategy(write(tmp_path, MINIMAL + TARGET.format(kpi="uitval"))).segments[0].suppliers.kpis[0]
    assert (target.kpi_id, target.name, target.unit, target.norm) == ("uitval", "Uitval", "procent", 15)
    assert read_strategy(write(tmp_path, MINIMAL + SECOND_SEGMENT.format(code="B"))).segments[1].code == "B"
    relative = read_strategy(write(tmp_path, MINIMAL + RELATIVE)).segments[0].suppliers.kpis[0]
    assert (relative.kpi_id, relative.unit, relative.base_year, relative.norm) == ("kosten-per-client", "cent", 2022, -5)


def test_a_relative_target_is_the_change_against_its_base_year():
    from regiekamer.strategy.targets import NO_DATA, Outcome, Reading, judge, norm_text, result_text

    def euros(cents):
        return f"€ {int(cents) // 100}"

    met = judge(-5, "max", Reading(28_500_00), 2022, Reading(30_000_00))  # 5 % lower: exactly the target
    assert (met.outcome, met.compared, met.missed) == (Outcome.MEASURED, Decimal("-5.0"), False)
    assert result_text(met, 2025, 2022, euros) == "5 % lager dan in 2022 (€ 30000 in 2022, € 28500 in 2025)"
    missed = judge(-5, "max", Reading(29_000_00), 2022, Reading(30_000_00))  # 3,3 % lower: not enough
    assert (missed.compared, missed.missed) == (Decimal("-3.3"), True)
    risen = judge(-5, "max", Reading(31_000_00), 2022, Reading(30_000_00))
    assert risen.missed and result_text(risen, 2025, 2022, euros).startswith("3,3 % hoger dan in 2022")
    grown = judge(10, "min", Reading(121), 2022, Reading(110))  # at least 10 % more: exactly
    assert grown.missed is False and norm_text(10, "min", 2022, euros) == "ten minste 10 % hoger dan in 2022"
    assert norm_text(-5, "max", 2022, euros) == "ten minste 5 % lager dan in 2022"
    assert norm_text(-20, "min", 2021, euros) == "hoogstens 20 % lager dan in 2021"
    assert norm_text(3_000_000, "max", None, euros) == "hoogstens € 30000"
    empty = judge(-5, "max", Reading(28_500_00), 2022, NO_DATA)  # no data in the base year: said, not guessed
    assert (empty.outcome, empty.compared, empty.missed) == (Outcome.NO_BASE, None, None)
    assert result_text(empty, 2025, 2022, euros).startswith("Over 2022 zijn geen gegevens: de verandering ten "
                                                           "opzichte van 2022 is niet te meten")
    assert judge(-5, "max", Reading(1), 2022, Reading(None, suppressed=True)).outcome is Outcome.BASE_TOO_FEW
    assert judge(-5, "max", Reading(1), 2022, Reading(0)).outcome is Outcome.BASE_ZERO
    assert judge(-5, "max", NO_DATA, 2022, Reading(1)).outcome is Outcome.NO_DATA
    assert judge(-5, "max", Reading(None, suppressed=True), 2022, NO_DATA).outcome is Outcome.NO_BASE  # said first
    assert judge(100, "max", Reading(120)).missed and not judge(100, "max", Reading(100)).missed  # absolute


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_a_broken_strategy_names_file_place_and_rule(tmp_path, case):
    _, breaking, place, rule, message = case
    path = write(tmp_path, breaking(MINIMAL))
    with pytest.raises(StrategyInvalid) as raised:
        read_strategy(path)
    matching = [e for e in raised.value.errors if e.place == place and e.rule == rule]
    assert matching, [str(e) for e in raised.value.errors]
    assert message in matching[0].message
    assert str(matching[0]).startswith(f"{path}: ")


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    text = MINIMAL.replace('model = "taak"', 'model = "pxq"').replace('"huisarts"]', '"buurman"]')
    with pytest.raises(StrategyInvalid) as raised:
        read_strategy(write(tmp_path, text))
    assert {e.rule for e in raised.value.errors} >= {"STR-BEKOSTIGING", "STR-VERWIJZER"}


def test_four_example_regions_validate():
    assert example_regions() == ["eemland", "midden-limburg-west", "zuid-holland-zuid", "zuid-limburg"]
    shapes = {}
    for name in example_regions():
        strategy = read_strategy(strategy_path(name))
        shapes[name] = ({s.domain.value for s in strategy.segments}, len(strategy.segments))
    assert shapes["zuid-holland-zuid"] == ({"jeugd"}, 7)
    assert shapes["midden-limburg-west"] == ({"jeugd", "wmo"}, 9)
    zhz = read_strategy(strategy_path("zuid-holland-zuid"))
    assert [lot.code for s in zhz.segments for lot in s.lots] == ["1", "2", "3a", "3b", "4a", "4b", "5", "6", "7"]
    limburg = read_strategy(strategy_path("zuid-limburg"))
    assert [lot.subregion for lot in limburg.segments[0].lots if lot.subregion] == [
        "Maastricht-Heuvelland", "Parkstad", "Westelijke Mijnstreek"]
    crisis = next(s for s in limburg.segments if s.code == "CR")
    assert (crisis.funding.model.value, crisis.funding.term_months, len(crisis.suppliers.kpis)) == ("taak", 42, 3)
    assert [k.kpi_id for k in crisis.suppliers.kpis] == ["crisis-gestabiliseerd-24-uur", "crisis-verblijf-binnen-7-dagen",
                                                         "crisis-ambulant-binnen-4-weken"]


def test_zuid_holland_zuid_from_its_strategy_file_generates_the_same_demo_as_before(tmp_path):
    """Digest of the files the Python region definition generated before it became a strategy file (seed 3,
    scale 0.01, 2 % faults). A change here changes the demo: raise GENERATOR_VERSION and update the digest."""
    generate(tmp_path / "zhz", seed=3, scale=0.01, faults=0.02)
    assert digest_tree(tmp_path / "zhz") == "ce0866e97413ce27f7d4a874f4cc52d92730f2f5457ca05902d1d46a7e3295f4"


def _rows() -> dict:
    from django.core import serializers

    from regiekamer.regions.models import Municipality, Region, Subregion
    from regiekamer.segments.models import Lot, Segment
    from regiekamer.strategy.models import Kpi, LotStrategy, SegmentStrategy, Strategy

    return {model.__name__: serializers.serialize("json", model.objects.order_by("pk"))
            for model in (Region, Subregion, Municipality, Segment, Lot, Strategy, SegmentStrategy, LotStrategy, Kpi)}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["zuid-limburg", "midden-limburg-west", "eemland"])
def test_an_example_strategy_loads_and_loading_it_again_changes_nothing(name):
    from regiekamer.strategy.load import load_strategy
    from regiekamer.strategy.models import SegmentStrategy

    loaded = load_strategy(strategy_path(name))
    before = _rows()
    again = load_strategy(strategy_path(name))
    assert _rows() == before
    assert again.strategy.pk == loaded.strategy.pk
    definition = read_strategy(strategy_path(name))
    stored = SegmentStrategy.objects.filter(strategy=loaded.strategy).order_by("position")
    assert [s.segment.code for s in stored] == [s.code for s in definition.segments]
    assert loaded.strategy.region.municipalities.count() == len(definition.municipalities)


@pytest.mark.django_db
def test_a_strategy_that_fails_loads_nothing(tmp_path):
    from regiekamer.regions.models import Region
    from regiekamer.strategy.load import load_strategy

    with pytest.raises(StrategyInvalid):
        load_strategy(write(tmp_path, MINIMAL.replace('model = "taak"', 'model = "pxq"')))
    assert not Region.objects.filter(code="proef").exists()


def test_cli_validate_prints_every_error_and_fails(tmp_path):
    from regiekamer.cli import main

    path = write(tmp_path, MINIMAL.replace('"huisarts"]', '"buurman"]'))
    result = CliRunner().invoke(main, ["strategy", "validate", str(path)])
    assert result.exit_code == 1
    assert "segmenten[0].toegang.verwijzers[1]: STR-VERWIJZER" in " ".join(result.output.split())
    ok = CliRunner().invoke(main, ["strategy", "validate", "zuid-limburg"])
    assert ok.exit_code == 0 and "in orde" in ok.output


def test_the_demo_region_comes_from_its_strategy_and_ingested_without_refusals(_demo_loaded, db):
    from regiekamer.strategy.models import Strategy

    assert _demo_loaded.errors == []
    strategy = Strategy.objects.get(region__code="zuid-holland-zuid")
    assert strategy.segments.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["zuid-limburg", "midden-limburg-west", "eemland"])
def test_a_small_demo_of_each_example_region_generates_and_ingests_without_refusals(name, tmp_path):
    from regiekamer.messaging.ingest import AnswerTarget, ingest_paths
    from regiekamer.regions.register import load_register
    from regiekamer.strategy.load import load_strategy

    summary = generate(tmp_path / name, region_code=name, seed=2, scale=0.01, years=2)
    load_strategy(strategy_path(name))
    load_register(tmp_path / name / "region.json")
    report = ingest_paths([tmp_path / name / "berichten"], answers=AnswerTarget(tmp_path / "antwoorden"))
    assert report.errors == [], [str(e.__dict__) for e in report.errors[:3]]
    assert report.processed == summary.messages and report.lines_rejected == 0
    register = json.loads((tmp_path / name / "region.json").read_text())
    region = region_definition(name)
    if any(segment.domain == "wmo" for segment in region.segments):
        assert any(kind.startswith("WMO") for kind in report.by_kind), report.by_kind
        assert {s["domain"] for s in register["segments"]} == {"jeugd", "wmo"}
