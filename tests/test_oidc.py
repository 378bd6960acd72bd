"""OpenID Connect sign-in against a small but real OpenID provider on the loopback interface.

The provider runs in a thread (http.server): an authorization endpoint that hands out single-use codes bound
to the nonce and the PKCE challenge, a token endpoint that checks the client and the code verifier and returns
an id_token signed RS256 with a key made here, a JWKS and a userinfo endpoint. Django's test client drives the
sign-in; nothing of the library or the backend is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from django.urls import clear_url_caches
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "regiekamer-test"
CLIENT_SECRET = secrets.token_urlsafe(24)
PROVIDER_NAME = "Testmakelaar"
SUBJECT = "s-4f1c9a"
KEY_ID = "sleutel-1"


@dataclass
class FakeProvider:
    """An OpenID provider's state: its signing key, the codes it issued, and what the test wants it to do."""

    url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537,
                                                                                     key_size=2048))
    subject: str = SUBJECT
    tamper: str | None = None  # "signature", "foreign-key", "audience", "issuer", "userinfo-subject"
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # access token -> subject

    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> str:
        """Sign the person in (no questions asked) and send the browser back with a code."""
        assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "challenge": query["code_challenge"],
                            "redirect_uri": query["redirect_uri"], "subject": self.subject}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        if (grant is None or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["subject"]
        now = int(time.time())
        claims = {"iss": self.url, "sub": grant["subject"], "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"]}
        key = self.key
        if self.tamper == "audience":
            claims["aud"] = "een-andere-client"
        if self.tamper == "issuer":
            claims["iss"] = "https://nep-makelaar.example"
        if self.tamper == "foreign-key":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})
        if self.tamper == "signature":
            header, payload, signature = id_token.split(".")
            flipped = "A" if signature[10] != "A" else "B"
            id_token = ".".join([header, payload, signature[:10] + flipped + signature[11:]])
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        subject = self.tokens.get(authorization.removeprefix("Bearer "))
        if subject is None:
            return 401, {"error": "invalid_token"}
        if self.tamper == "userinfo-subject":
            subject = "iemand-anders"
        return 200, {"sub": subject, "email": "j.jansen@gemeente.example", "given_name": "Jan",
                     "family_name": "Jansen"}


def _handler(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if parts.path == "/authorize":
                self.send_response(302)
                self.send_header("Location", provider.authorize(query))
                self.end_headers()
            elif parts.path == "/jwks":
                self._json(200, provider.jwks())
            elif parts.path == "/userinfo":
                self._json(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {name: values[0] for name, values in parse_qs(body).items()}
            if urlsplit(self.path).path == "/token":
                self._json(*provider.token(form))
            else:
                self._json(404, {"error": "not_found"})

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output clean
            pass

    return Handler


def _reload_urls() -> None:
    import regiekamer.urls

    importlib.reload(regiekamer.urls)
    clear_url_caches()


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    """The fake provider on a free loopback port, and Regiekamer configured to sign in with it."""
    fake = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    from django.conf import settings

    oidc = override_settings(
        OIDC_ENABLED=True, OIDC_RP_CLIENT_ID=CLIENT_ID, OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_ISSUER=fake.url, OIDC_OP_AUTHORIZATION_ENDPOINT=f"{fake.url}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{fake.url}/token", OIDC_OP_USER_ENDPOINT=f"{fake.url}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{fake.url}/jwks", OIDC_RP_SIGN_ALGO="RS256", OIDC_RP_SCOPES="openid email",
        OIDC_USERNAME_CLAIM="sub", OIDC_PROVIDER_NAME=PROVIDER_NAME, OIDC_USE_NONCE=True, OIDC_USE_PKCE=True,
        OIDC_TIMEOUT=10, LOGIN_REDIRECT_URL_FAILURE="/login/?oidc=mislukt",
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, "regiekamer.access.oidc.OidcBackend"])
    with oidc:
        _reload_urls()
        yield fake
    _reload_urls()
    server.shutdown()
    server.server_close()


def _sign_in(client: Client, next_url: str = "/") -> tuple[Any, dict[str, str]]:
    """From the login button to the provider and back; returns the callback's response and the request sent."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    request = {name: values[0] for name, values in parse_qs(urlsplit(start["Location"]).query).items()}
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)  # the browser at the provider
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.netloc == "testserver"
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    return client.get(callback.path, query), request


def _signed_in_user(client: Client):
    from django.contrib.auth import get_user_model

    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_without_configuration_only_password_sign_in_exists(client, db):
    page = client.get("/login/").content.decode()
    assert "Inloggen via" not in page and "oidc" not in page.lower()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/").status_code == 404


def test_the_login_page_offers_the_provider(provider, client, db):
    page = client.get("/login/?next=/budget/").content.decode()
    assert f"Inloggen via {PROVIDER_NAME}" in page
    assert 'href="/oidc/authenticate/?next=/budget/"' in page
    assert 'name="password"' in page  # password sign-in stays


def test_sign_in_through_the_provider_gives_a_user_without_a_role_until_one_is_assigned(provider, client,
                                                                                         demo_region):
    from regiekamer.access.models import Membership, Role

    start = client.get("/oidc/authenticate/", {"next": "/definities/"})
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    request = parse_qs(urlsplit(start["Location"]).query)
    assert request["client_id"] == [CLIENT_ID]
    assert request["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert len(request["state"][0]) >= 32 and len(request["nonce"][0]) >= 32
    assert request["code_challenge_method"] == ["S256"]

    response, _ = _sign_in(client, "/definities/")
    assert response.status_code == 302 and response["Location"] == "/definities/"
    user = _signed_in_user(client)
    assert user.username == f"oidc:{SUBJECT}"
    assert (user.email, user.first_name, user.last_name) == ("j.jansen@gemeente.example", "Jan", "Jansen")
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert client.get("/").status_code == 403  # signed in, but no role: sees nothing
    assert client.get("/beheer/").status_code == 302  # not staff: to the admin's own login

    Membership.objects.create(user=user, role=Role.REGIO, region=demo_region)  # the administrator's step
    assert client.get("/?jaar=2024").status_code == 200

    client.logout()
    _sign_in(client)  # the next sign-in is the same user, with its role
    assert _signed_in_user(client) == user
    assert client.get("/?jaar=2024").status_code == 200


def test_a_code_and_state_are_used_once(provider, client, db):
    start = client.get("/oidc/authenticate/")
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    query = {name: values[0] for name, values in parse_qs(callback.query).items()}
    assert client.get(callback.path, query).status_code == 302
    client.logout()
    replay = client.get(callback.path, query)
    assert replay.status_code in {302, 400} and _signed_in_user(client) is None


@pytest.mark.parametrize(("tamper", "reason"), [
    ("signature", "JWS token verification failed"),  # a changed signature
    ("foreign-key", "JWS token verification failed"),  # signed by someone else's key under the provider's kid
    ("audience", "id_token is not meant for this client"),
    ("issuer", "id_token issuer 'https://nep-makelaar.example' is not"),
    ("userinfo-subject", "userinfo is about another subject than the id_token"),
])
def test_a_tampered_or_foreign_token_is_refused(provider, client, db, caplog, tamper, reason):
    from django.contrib.auth import get_user_model

    provider.tamper = tamper
    response, _ = _sign_in(client)
    assert reason in caplog.text
    assert response.status_code in {302, 400}  # 400: a bad signature; 302: back to the login page
    if response.status_code == 302:
        assert response["Location"] == "/login/?oidc=mislukt"
    assert _signed_in_user(client) is None
    assert not get_user_model().objects.filter(username__startswith="oidc:").exists()


@pytest.mark.parametrize(("claims", "refused"), [
    ({"aud": CLIENT_ID}, None),
    ({"aud": [CLIENT_ID, "ander"], "azp": CLIENT_ID}, None),
    ({"aud": [CLIENT_ID, "ander"]}, "several audiences"),
    ({"aud": ["ander"]}, "not meant for this client"),
    ({"aud": None}, "not meant for this client"),
    ({"exp": None}, "without expiry"),
])
def test_the_id_token_must_be_for_this_client_and_expire(claims, refused):
    from django.core.exceptions import SuspiciousOperation

    from regiekamer.access.oidc import check_id_token_claims

    payload = {"iss": "https://makelaar.example", "sub": SUBJECT, "aud": CLIENT_ID, "exp": 1, **claims}
    payload = {name: value for name, value in payload.items() if value is not None}
    if refused is None:
        check_id_token_claims(payload, CLIENT_ID, "https://makelaar.example")
    else:
        with pytest.raises(SuspiciousOperation, match=refused):
            check_id_token_claims(payload, CLIENT_ID, "https://makelaar.example")


def test_a_staff_account_cannot_sign_in_through_the_provider(provider, client, django_user_model):
    django_user_model.objects.create_user(f"oidc:{SUBJECT}", is_staff=True)
    response, _ = _sign_in(client)
    assert response["Location"] == "/login/?oidc=mislukt"
    assert _signed_in_user(client) is None
    assert f"Inloggen via {PROVIDER_NAME} is niet gelukt" in client.get(response["Location"]).content.decode()


def test_a_password_account_is_not_taken_over_by_a_matching_claim(provider, client, django_user_model):
    password_user = django_user_model.objects.create_user(SUBJECT, password="een-lang-wachtwoord")
    _sign_in(client)
    assert _signed_in_user(client).username == f"oidc:{SUBJECT}" != password_user.username


def _settings_with(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {name: value for name, value in os.environ.items() if not name.startswith("OIDC_")}
    program = ("import json\nfrom django.conf import settings\n"
               "print(json.dumps([settings.OIDC_ENABLED, settings.AUTHENTICATION_BACKENDS]))\n")
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                          env={**base, "REGIEKAMER_VAR_DIR": str(tmp_path),
                               "DJANGO_SETTINGS_MODULE": "regiekamer.settings", **env})


OIDC_ENV = {"OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": "geheim",
            "OIDC_OP_ISSUER": "https://makelaar.example", "OIDC_PROVIDER_NAME": PROVIDER_NAME,
            **{f"OIDC_OP_{name}_ENDPOINT": f"https://makelaar.example/{name.lower()}"
               for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")}}


def test_settings_read_the_provider_from_the_environment(tmp_path):
    off = _settings_with({}, tmp_path)
    assert json.loads(off.stdout) == [False, ["django.contrib.auth.backends.ModelBackend"]], off.stderr
    on = _settings_with(OIDC_ENV, tmp_path)
    assert json.loads(on.stdout) == [True, ["django.contrib.auth.backends.ModelBackend",
                                            "regiekamer.access.oidc.OidcBackend"]], on.stderr
    incomplete = _settings_with({**OIDC_ENV, "OIDC_OP_JWKS_ENDPOINT": ""}, tmp_path)
    assert incomplete.returncode != 0 and "OIDC_OP_JWKS_ENDPOINT is required" in incomplete.stderr
    symmetric = _settings_with({**OIDC_ENV, "OIDC_RP_SIGN_ALGO": "HS256"}, tmp_path)
    assert symmetric.returncode != 0 and "OIDC_RP_SIGN_ALGO must be one of" in symmetric.stderr
    production = {"REGIEKAMER_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(48),
                  "BSN_KEY": secrets.token_urlsafe(48), "ALLOWED_HOSTS": "regiekamer.example.nl", "DEBUG": "false"}
    plain_http = _settings_with({**OIDC_ENV, **production, "OIDC_OP_TOKEN_ENDPOINT": "http://makelaar.example/t"},
                                tmp_path)
    assert plain_http.returncode != 0 and "OIDC_OP_TOKEN_ENDPOINT must be an https:// address" in plain_http.stderr
