"""Shared fixtures: one generated demo region per test session, loaded once into the test database."""

from __future__ import annotations

import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from regiekamer.generator.output import GenerationSummary, generate

TEST_SCALE = 0.03  # about 650 clients and 6,000 declaration lines: quick, yet every segment has data
TEST_SEED = 7
TEST_FAULTS = 0.01  # one line in a hundred carries a typical error (faults.json) that the controls must catch
BROWSER_USER = ("browser-analist", "browser-wachtwoord-2026")  # regional analyst
BROWSER_ACCESS_TEAM = ("browser-toegang", "browser-wachtwoord-2026")  # access team of Dordrecht (0505)
BROWSER_PROVIDER = ("browser-aanbieder", "browser-wachtwoord-2026")  # the first provider with declarations


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Tests hold one transaction each; on SQLite it must not take the write lock at BEGIN, or the browser
    tests' server thread could not write its sessions."""
    from django.conf import settings

    settings.DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)
    # Close connections after each request, so the server thread leaves none behind at teardown.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _figures_cache(tmp_path_factory):
    """A shared figures cache of this session's own (monitoring.facts_cache), not the var folder's."""
    from django.conf import settings

    settings.CACHES["figures"]["LOCATION"] = str(tmp_path_factory.mktemp("figures"))


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory) -> tuple[Path, GenerationSummary]:
    out = tmp_path_factory.mktemp("demo-source")
    summary = generate(out, seed=TEST_SEED, scale=TEST_SCALE, faults=TEST_FAULTS)
    return out, summary


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker, demo_source):
    """Load the demo region once and commit it, so every test (and the browser's server thread) sees it."""
    from django.contrib.auth import get_user_model

    from regiekamer.messaging.ingest import ingest_paths
    from regiekamer.regions.register import load_register
    from regiekamer.strategy.load import load_strategy
    from regiekamer.strategy.regiondef import strategy_path

    out, _ = demo_source
    with django_db_blocker.unblock():
        load_strategy(strategy_path("zuid-holland-zuid"))
        load_register(out / "region.json")
        report = ingest_paths([out / "berichten"])
        assert report.errors == [], report.errors[:5]
        user = get_user_model().objects.create_user(BROWSER_USER[0], password=BROWSER_USER[1])
        from regiekamer.access.models import Membership, Role
        from regiekamer.declarations.models import DeclarationLine
        from regiekamer.regions.models import Region

        region = Region.objects.get(code="zuid-holland-zuid")
        Membership.objects.create(user=user, role=Role.REGIO, region=region)
        team = Membership.objects.create(role=Role.TOEGANG, region=region, user=get_user_model().objects.create_user(
            BROWSER_ACCESS_TEAM[0], password=BROWSER_ACCESS_TEAM[1]))
        team.municipalities.set(region.municipalities.filter(cbs_code="0505"))
        provider = DeclarationLine.objects.order_by("provider__agb_code").first().provider
        Membership.objects.create(role=Role.AANBIEDER, region=region, provider=provider, user=get_user_model().objects
                                  .create_user(BROWSER_PROVIDER[0], password=BROWSER_PROVIDER[1]))
    return report


@pytest.fixture
def demo_region(_demo_loaded, db):
    from regiekamer.regions.models import Region

    return Region.objects.get(code="zuid-holland-zuid")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass


@pytest.fixture(scope="session")
def web_server(_demo_loaded, django_db_blocker):
    """The real WSGI application on a free loopback port, backed by the committed test database."""
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    with django_db_blocker.unblock():
        _close_server_connections()


def _close_server_connections() -> None:
    """Request threads may leave a PostgreSQL session open; end them so the test database can be dropped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def make_user(demo_region):
    """A user with a role in the demo region: make_user("naam", Role.GEMEENTE, municipality="0505")."""
    from django.contrib.auth import get_user_model

    from regiekamer.access.models import Membership, Role
    from regiekamer.providers.models import Provider

    def make(username: str, role=Role.REGIO, municipality: str | None = None, provider: str | None = None):
        user = get_user_model().objects.create_user(username, password="x" * 16)
        membership = Membership.objects.create(
            user=user, role=role, region=demo_region,
            provider=Provider.objects.get(agb_code=provider) if provider else None)
        if municipality:
            membership.municipalities.set(demo_region.municipalities.filter(cbs_code=municipality))
        return user

    return make
