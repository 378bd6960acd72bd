"""Production security settings: keys only from the environment, HTTPS and cookie protections on, Django's
deployment checks passing (and able to fail), and CSRF protection on the login form."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
SECURITY_SETTINGS = ("DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
                     "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                     "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
                     "X_FRAME_OPTIONS", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "SESSION_COOKIE_NAME",
                     "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SILENCED_SYSTEM_CHECKS", "ALLOWED_HOSTS")
PRINT_SETTINGS = ("import json\n"
                  "from django.conf import settings\n"
                  f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))\n")


def _environment(var_dir: Path, **values: str) -> dict[str, str]:
    """This process's environment without any key, debug or sign-in setting, plus `values`."""
    env = {name: value for name, value in os.environ.items()
           if name not in {"SECRET_KEY", "BSN_KEY", "DEBUG", "ALLOWED_HOSTS", "REGIEKAMER_PRODUCTION",
                           "REGIEKAMER_TLS_PROXY", "SECURE_HSTS_PRELOAD", "DJANGO_SETTINGS_MODULE"}
           and not name.startswith("OIDC_")}
    return {**env, "REGIEKAMER_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "regiekamer.settings", **values}


def _production(var_dir: Path, **values: str) -> dict[str, str]:
    return _environment(var_dir, REGIEKAMER_PRODUCTION="true", SECRET_KEY=secrets.token_urlsafe(48),
                        BSN_KEY=secrets.token_urlsafe(48), ALLOWED_HOSTS="regiekamer.example.nl", **values)


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PRINT_SETTINGS], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "BSN_KEY"])
def test_production_refuses_to_start_without_keys_from_the_environment(tmp_path, missing):
    env = _production(tmp_path)
    del env[missing]
    run = _settings_in(env)
    assert run.returncode != 0
    assert "ConfigurationError" in run.stderr
    assert f"environment variable {missing} is required in production" in run.stderr
    assert not (tmp_path / missing.lower()).exists()  # no key generated into a file


@pytest.mark.parametrize(("change", "message"), [
    ({"SECRET_KEY": "te-kort"}, "SECRET_KEY must be at least 50 characters"),
    ({"BSN_KEY": "te-kort"}, "BSN_KEY must be at least 32 characters"),
    ({"DEBUG": "true"}, "DEBUG must be false in production"),
    ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required in production"),
])
def test_production_refuses_weak_or_unsafe_configuration(tmp_path, change, message):
    run = _settings_in({**_production(tmp_path), **change})
    assert run.returncode != 0 and message in run.stderr, run.stderr


def test_production_turns_on_https_cookie_and_browser_protections(tmp_path):
    run = _settings_in(_production(tmp_path))
    assert run.returncode == 0, run.stderr
    values = json.loads(run.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # not trusted unless a proxy is declared
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False and values["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600 and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["ALLOWED_HOSTS"] == ["regiekamer.example.nl"]
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "bsn_key").exists()


def test_a_declared_tls_proxy_is_trusted_for_the_scheme_and_preload_is_opt_in(tmp_path):
    run = _settings_in(_production(tmp_path, REGIEKAMER_TLS_PROXY="true", SECURE_HSTS_PRELOAD="true"))
    assert run.returncode == 0, run.stderr
    values = json.loads(run.stdout)
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_PRELOAD"] is True and values["SILENCED_SYSTEM_CHECKS"] == []


def test_development_keeps_plain_http_on_the_loopback(settings):
    assert settings.PRODUCTION is False
    assert not settings.SESSION_COOKIE_SECURE and not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SESSION_COOKIE_NAME == "sessionid"


def _check_deploy(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / "check-deploy.sh"), *args],
                          env={**env, "PYTHON": sys.executable}, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_deployment_checks_pass_with_the_production_settings(tmp_path):
    run = _check_deploy(_environment(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_deployment_checks_fail_when_a_protection_is_turned_off(tmp_path):
    (tmp_path / "insecure_settings.py").write_text(
        "from regiekamer.settings import *  # noqa: F403\n\nSESSION_COOKIE_SECURE = False\n")
    env = _environment(tmp_path, PYTHONPATH=f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    run = _check_deploy(env, "--settings", "insecure_settings")
    assert run.returncode != 0
    assert "security.W012" in run.stderr + run.stdout  # SESSION_COOKIE_SECURE


@pytest.mark.django_db
def test_the_login_form_refuses_a_post_without_csrf_token(django_user_model):
    django_user_model.objects.create_user("csrf-proef", password="een-lang-wachtwoord")
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/login/", {"username": "csrf-proef", "password": "een-lang-wachtwoord"})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session

    client.get("/login/")  # the form sets the CSRF cookie; with its token the same post signs in
    token = client.cookies["csrftoken"].value
    accepted = client.post("/login/", {"username": "csrf-proef", "password": "een-lang-wachtwoord",
                                       "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and client.session["_auth_user_id"]
