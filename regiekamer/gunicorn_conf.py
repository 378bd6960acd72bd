"""How the web app is served (`regiekamer serve`, the demo and the load test): gunicorn with two worker processes
of four threads on the given address, and beside them one figures warmer (`regiekamer warm --follow`) that
computes the usual pages' figures into the shared figures cache whenever the data has changed.

`command()` builds the gunicorn command line; gunicorn reads this module as its configuration file
(`-c python:regiekamer.gunicorn_conf`) and calls the hooks below: each new worker imports its views and
compiles its templates before it takes requests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WORKERS = 2
THREADS = 4
WARM_ENV = "REGIEKAMER_WARM"  # "false": no warmer beside the server

workers = WORKERS
threads = THREADS
accesslog = "-"

_warmer: subprocess.Popen | None = None


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "regiekamer.wsgi:application", "-c", "python:regiekamer.gunicorn_conf",
            "--bind", f"{host}:{port}"]


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """Before a new worker takes requests: import every view (the URL configuration) and compile every template,
    which the first request would otherwise wait for (about half a second)."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views
    for folder in map(Path, settings.TEMPLATES[0]["DIRS"]):
        for template in folder.rglob("*.html"):
            get_template(template.relative_to(folder).as_posix())


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's hook signature
    global _warmer
    # Workers and warmer key the shared figures by the code they were started with, even if files change later.
    from regiekamer.env import CODE_VERSION_ENV, code_version

    os.environ[CODE_VERSION_ENV] = code_version()
    if os.environ.get(WARM_ENV, "true").lower() == "false":
        return
    _warmer = subprocess.Popen([sys.executable, "-m", "regiekamer.cli", "warm", "--follow"])
    server.log.info("figures warmer started (pid %s)", _warmer.pid)


def on_exit(server) -> None:  # noqa: ANN001 - gunicorn's hook signature
    if _warmer is not None and _warmer.poll() is None:
        _warmer.terminate()
        try:
            _warmer.wait(10)
        except subprocess.TimeoutExpired:
            _warmer.kill()
