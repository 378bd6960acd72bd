"""Figures computed once per data version for every server process (monitoring.facts_cache), and computed before
anyone asks (monitoring.warm): what a page shows is the same whether it computed the figures itself, found them
in the shared cache, or `regiekamer warm` put them there."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date

import pytest
from django.core.cache import caches

from regiekamer.access.models import Role
from regiekamer.monitoring import facts_cache, warm
from regiekamer.monitoring.facts_cache import data_version, remembered, shared_key
from tests.authorisation import OWN

PAGES = ("/?jaar=2024", "/kengetallen/?jaar=2024", "/kengetallen/?jaar=2024&per=municipality",
         f"/uitgaven/{OWN}/2024/", "/budget/?jaar=2024&peildatum=2024-07-01", "/scenario/?segment=4&jaar=2024")
MUNICIPAL_PAGES = PAGES[:5]


def _forget_in_process() -> None:
    """As if the next request came to another server process: nothing kept in this one."""
    facts_cache._results.clear()


def _strip_csrf(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_figure_computed_in_one_process_is_taken_from_the_shared_cache_by_the_next():
    calls = []
    key = ("test", "one-process", time.time_ns())

    def compute() -> dict:
        calls.append(1)
        return {"cents": 12345}

    assert remembered(key, compute) == {"cents": 12345}
    _forget_in_process()
    assert remembered(key, compute) == {"cents": 12345}
    assert len(calls) == 1


def test_a_process_waits_for_the_one_that_is_computing_instead_of_computing_again():
    key = ("test", "busy", time.time_ns())
    name = shared_key(key)
    cache = caches["figures"]
    assert cache.add(name + ":busy", True, timeout=30)  # another process has started on it

    def the_other_process_finishes() -> None:
        time.sleep(0.3)
        cache.set(name, "from the other process")
        cache.delete(name + ":busy")

    threading.Thread(target=the_other_process_finishes).start()
    assert remembered(key, lambda: pytest.fail("computed a figure another process was computing")) == \
        "from the other process"


def test_shared_keys_are_the_same_in_every_process():
    """Sets of text are ordered differently per process (hash randomisation); the shared key must not be."""
    script = ("import django; django.setup(); from regiekamer.monitoring.facts_cache import shared_key; "
              "print(shared_key((1, 'themes', frozenset({'0505', '0590', '0642', '1978', 'x', 'y'}), date(2024, 1, 1))))")
    keys = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, DJANGO_SETTINGS_MODULE="regiekamer.settings")
        done = subprocess.run([sys.executable, "-c", "from datetime import date; " + script], env=env,
                              capture_output=True, text=True, check=True)
        keys.add(done.stdout.strip())
    assert len(keys) == 1


def test_a_key_with_an_object_that_has_no_stable_text_is_refused():
    with pytest.raises(TypeError, match="cannot be part of a figures key"):
        shared_key(("overview", object()))


@pytest.mark.parametrize("role", [Role.REGIO, Role.GEMEENTE])
def test_pages_from_the_shared_cache_equal_the_pages_that_computed_them(make_user, client, demo_region, role):
    client.force_login(make_user(f"cache-{role.value}", role, **({"municipality": OWN} if role is Role.GEMEENTE else {})))
    pages = PAGES if role is Role.REGIO else MUNICIPAL_PAGES
    computed = {}
    for page in pages:
        _forget_in_process()
        caches["figures"].clear()
        computed[page] = _strip_csrf(client.get(page).content.decode())
    _forget_in_process()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert _strip_csrf(response.content.decode()) == computed[page], page


def test_after_warming_the_pages_compute_nothing(make_user, client, demo_region, monkeypatch):
    caches["figures"].clear()
    _forget_in_process()
    result = warm.warm(today=date.today())
    assert result.complete and result.figures > 0
    _forget_in_process()  # a server process that has computed nothing itself

    def refuse(*args, **kwargs):
        raise AssertionError("a figure was computed on request after warming")

    for module, name in (("regiekamer.monitoring.figures", "overview"), ("regiekamer.monitoring.kpi_views", "_themes"),
                         ("regiekamer.monitoring.kpi_views", "_split"),
                         ("regiekamer.budgets.monitor", "monitor"), ("regiekamer.budgets.monitor", "ceilings"),
                         ("regiekamer.settlements.scenarios", "compare"), ("regiekamer.monitoring.facts", "load_facts"),
                         ("regiekamer.monitoring.facts_cache", "load_facts")):
        monkeypatch.setattr(f"{module}.{name}", refuse)
    client.force_login(make_user("warm-regio", Role.REGIO))
    for page in ("/?jaar=2024", "/kengetallen/?jaar=2024", "/kengetallen/?jaar=2024&per=municipality",
                 f"/uitgaven/{OWN}/2024/", "/budget/?jaar=2024", "/scenario/?segment=4&jaar=2024"):
        assert client.get(page).status_code == 200, page
    client.force_login(make_user("warm-gemeente", Role.GEMEENTE, municipality=OWN))
    for page in ("/?jaar=2024", "/kengetallen/?jaar=2024", "/budget/?jaar=2024"):
        assert client.get(page).status_code == 200, page


def test_warming_stops_when_the_data_changes_meanwhile(demo_region, monkeypatch):
    versions = iter([(1,), (1,), (2,)])
    monkeypatch.setattr(warm, "data_version", lambda: next(versions, (2,)))
    monkeypatch.setattr(warm, "figures", lambda today=None: [warm.Figure(str(n), lambda: None) for n in range(5)])
    result = warm.warm()
    assert (result.complete, result.figures) == (False, 1)


def test_following_warms_once_the_data_has_stood_still(monkeypatch):
    versions = [(1,)] * 3 + [(2,)] * 20
    rounds = []
    monkeypatch.setattr(warm, "data_version", lambda: versions.pop(0) if len(versions) > 1 else versions[0])
    monkeypatch.setattr(warm, "QUIET_SECONDS", 0.0)
    monkeypatch.setattr(warm, "CHECK_SECONDS", 0.0)
    monkeypatch.setattr(warm, "close_old_connections", lambda: None)
    monkeypatch.setattr(warm, "warm", lambda: rounds.append(versions[0]) or warm.Warmed(versions[0], 1, 0.0, True))
    warm.follow(stop=lambda: len(versions) <= 1 and len(rounds) >= 2 or len(rounds) > 5)
    assert rounds[:2] == [(1,), (2,)]  # once per version, not again while it stands still
    assert len(rounds) == 2


def test_the_data_version_moves_with_every_stored_message(demo_region, tmp_path):
    from regiekamer.messaging.ingest import ingest_paths
    from regiekamer.providers.models import Provider
    from tests.test_ingest import assignment, put

    before = data_version()
    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    put(tmp_path, "1.xml", assignment(agb))
    assert ingest_paths([tmp_path]).processed == 1
    assert data_version() != before
