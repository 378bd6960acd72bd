"""How the web app is served (`regiekamer serve`, the demo and the load test): gunicorn with two worker processes
of four threads on the given address, and beside them one figures warmer (`regiekamer warm --follow`) that
computes the usual pages' figures into the shared figures cache whenever the data has changed.

`command()` builds the gunicorn command line; gunicorn reads this module as its configuration file
(`-c python:regiekamer.gunicorn_conf`) and calls the hooks below.
"""

from __future__ import annotations

import os
import subprocess
import sys

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


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's hook signature
    global _warmer
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
