"""The load test: a small real run (its own database, gunicorn, an ingest subprocess, users over HTTP) counts
every request, and every user gets only successful answers on pages its role may see."""

from __future__ import annotations

import os

import pytest

from regiekamer.loadtest import (
    ALL,
    LOGIN,
    LOGIN_FORM,
    PAGES,
    LoadConfig,
    LoadTestError,
    PostgresDatabase,
    percentile,
    run_load,
)

# What each role of the small run may open (docs/access.md), written out here independently of the load test.
MAY_SEE = {
    "regio": {"/", "/?jaar=…", "/definities/", "/uitgaven/<gemeente>/<jaar>/", "/budget/?jaar=…",
              "/scenario/?segment=…&jaar=…", "/kengetallen/?jaar=…", "/kengetallen/?jaar=…&per=gemeente"},
    "gemeente": {"/", "/?jaar=…", "/definities/", "/uitgaven/<gemeente>/<jaar>/", "/budget/?jaar=…",
                 "/kengetallen/?jaar=…", "/kengetallen/?jaar=…&per=gemeente"},
    "aanbieder": {"/definities/"},
}


def test_percentile_is_the_nearest_rank():
    values = [15, 20, 35, 40, 50]
    assert [percentile(values, p) for p in (5, 30, 40, 50, 100)] == [15, 20, 20, 35, 50]
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile(list(range(100, 0, -1)), 99) == 99  # the order of the values does not matter
    assert percentile(list(range(1, 21)), 95) == 19
    assert percentile([0.25], 50) == 0.25
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def test_a_postgresql_database_that_could_hold_other_data_is_refused():
    with pytest.raises(LoadTestError, match="_load"):
        PostgresDatabase("postgres://postgres@127.0.0.1:5432/regiekamer")
    assert PostgresDatabase("postgres://u@h:5432/x_load").alone_url == "postgres://u@h:5432/x_load_alone"


def _database_url() -> str | None:
    """On a PostgreSQL run of the suite, the load test uses a database of its own on the same server, named
    after this process so that it meets no other run's (`regiekamer loadtest` drops and recreates it)."""
    url = os.environ.get("DATABASE_URL", "")
    return f"{url}_{os.getpid()}_load" if url.startswith("postgres") else None


def test_a_small_load_run_counts_every_request_and_every_user_sees_only_its_pages():
    config = LoadConfig(users=3, requests=8, seconds=60, scale=0.02, think=0.05, idle_rounds=1,
                        database_url=_database_url())
    report = run_load(config)

    assert [a.role for a in report.accounts] == ["regio", "gemeente", "aanbieder"]
    assert report.requests == len(report.samples) == 3 * 8  # well within the time: every request was made
    assert report.errors == 0, [s for s in report.samples if s.error]
    for account in report.accounts:
        mine = [s for s in report.samples if s.user == account.username]
        assert len(mine) == 8
        assert [(s.kind, s.status) for s in mine[:2]] == [(LOGIN_FORM, 200), (LOGIN, 302)]
        pages = mine[2:]
        assert all(s.status == 200 for s in pages)
        assert {s.kind for s in pages} <= MAY_SEE[account.role]
        if account.role == "regio":
            assert len({s.kind for s in pages}) == len(pages) == 6  # six pages: each a different kind
        if account.municipality:
            assert all(s.path.startswith(f"/uitgaven/{account.municipality}/") for s in pages
                       if s.kind.startswith("/uitgaven/"))

    figures = report.as_dict()
    assert figures["load"]["pages"]["all"]["requests"] == 24
    assert sum(f["requests"] for kind, f in figures["load"]["pages"].items() if kind not in (ALL, PAGES)) == 24
    assert figures["load"]["pages"][PAGES]["requests"] == 24 - 3 * 2  # without each user's two login requests
    assert figures["load"]["pages"]["all"]["latency"]["p95"] > 0
    assert figures["alone_before_load"]["all"]["requests"] == 10  # one visit: login and eight pages

    during = report.ingest_under_load
    assert during.lines > 0 and during.messages > 0  # the ingest stored lines while the users browsed
    assert during.finished and during.exit_code == 0
    alone = report.ingest_alone
    assert (alone.messages, alone.lines) == (during.messages, during.lines)  # the reference ingested the same
    assert during.messages == report.load_messages
