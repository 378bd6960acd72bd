"""The command line: the documented commands work and report clearly."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from regiekamer.cli import main


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "generate", "ingest", "load-register", "figures", "serve", "bench"):
        assert command in result.output


def test_generate_refuses_a_non_empty_target(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["generate", str(tmp_path / "r"), "--scale", "0.005"]).exit_code == 0
    again = runner.invoke(main, ["generate", str(tmp_path / "r"), "--scale", "0.005"])
    assert again.exit_code != 0
    assert "niet leeg" in again.output


@pytest.mark.django_db
def test_ingest_json_summary_and_exit_code(demo_region, tmp_path):
    broken = tmp_path / "kapot.xml"
    broken.write_bytes(b"<Bericht")
    result = CliRunner().invoke(main, ["ingest", str(broken), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["afgewezen"] == 1
    assert summary["fouten"][0]["rule"] == "XML-SYNTAX"
    assert summary["fouten"][0]["file"] == str(broken)


@pytest.mark.django_db
def test_figures_json(demo_region):
    result = CliRunner().invoke(main, ["figures", "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["jaar"] == 2024 and len(data["gemeenten"]) == 10
    assert all(isinstance(row["uitgaven_cent"], int) for row in data["gemeenten"])


def test_a_demo_is_not_mixed_with_one_built_by_another_generator_version_or_size(tmp_path):
    from regiekamer.demo.service import DemoError, build_demo, source_dir_for

    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "database-built-from").write_text("zuid-holland-zuid-seed1-scale1-v1")
    with pytest.raises(DemoError, match="make clean"):
        build_demo(tmp_path, seed=1, scale=1.0)
    assert not source_dir_for(tmp_path, "zuid-holland-zuid", 1, 1.0).exists()  # nothing generated
