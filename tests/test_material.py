"""Material controls: reproducible samples, volume outliers and upcoding signals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from regiekamer.cli import main
from regiekamer.declarations.material import (
    MixRow,
    SampleLine,
    UsageRow,
    sample,
    upcoding_signals,
    volume_outliers,
)

LINES = [SampleLine(f"R{i}", f"P{i % 7}", "45A48", "2024-01-01", 4, 29_000) for i in range(200)]


def test_sample_is_reproducible_and_independent_of_order():
    first = sample(LINES, 10, "seed-a")
    assert len(first) == 10 and len({line.reference for line in first}) == 10
    assert sample(list(reversed(LINES)), 10, "seed-a") == first
    assert sample(LINES, 10, "seed-b") != first
    assert sample(LINES, 500, "seed-a") == sample(LINES, 200, "seed-a")


def test_far_out_volume_is_flagged_and_ordinary_spread_is_not():
    rows = [UsageRow(f"P{i}", "98000001", "45A48", 40 + i % 9) for i in range(30)]
    rows.append(UsageRow("PX", "98000002", "45A48", 400))
    rows += [UsageRow(f"Q{i}", "98000001", "43A07", 200) for i in range(5)]  # too few peers to judge
    rows.append(UsageRow("QX", "98000001", "43A07", 3000))
    found = volume_outliers(rows)
    assert [(o.client, o.product_code) for o in found] == [("PX", "45A48")]
    assert found[0].threshold < 400 and found[0].peers == 31


def test_upcoding_needs_a_rise_beyond_the_peers():
    rows = [
        MixRow("A", "4", 2023, 20, 100), MixRow("A", "4", 2024, 60, 100),  # +40 points
        MixRow("B", "4", 2023, 20, 100), MixRow("B", "4", 2024, 25, 100),  # +5 points
        MixRow("C", "4", 2023, 30, 100), MixRow("C", "4", 2024, 30, 100),
    ]
    signals = upcoding_signals(rows)
    assert [(s.provider, s.year) for s in signals] == [("A", 2024)]
    assert signals[0].share_before == pytest.approx(0.2) and signals[0].share_now == pytest.approx(0.6)


@pytest.mark.django_db
def test_sample_command_draws_accepted_lines_of_that_provider(demo_region):
    from regiekamer.declarations.models import DeclarationLine

    agb = DeclarationLine.objects.values_list("provider__agb_code", flat=True).order_by("provider__agb_code").first()
    runner = CliRunner()
    result = runner.invoke(main, ["controls", "sample", agb, "--year", "2024", "--size", "5", "--json"])
    assert result.exit_code == 0, result.output
    drawn = json.loads(result.stdout)
    assert 0 < len(drawn) <= 5
    references = {line["reference"] for line in drawn}
    assert DeclarationLine.objects.filter(reference__in=references, provider__agb_code=agb,
                                          status="toegekend").count() == len(drawn)
    again = runner.invoke(main, ["controls", "sample", agb, "--year", "2024", "--size", "5", "--json"])
    assert json.loads(again.stdout) == drawn
    assert all(not line["client"].isdigit() for line in drawn)  # pseudonyms, never a BSN


@pytest.mark.django_db
def test_signals_command_runs_on_the_demo(demo_region):
    result = CliRunner().invoke(main, ["controls", "signals", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert set(found) == {"uitschieters", "opwaardering"}
