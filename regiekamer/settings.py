"""Django settings, read from the environment.

Development is the default: keys are generated once into var/, the site is served over plain http on the
loopback interface. REGIEKAMER_PRODUCTION=true switches to production: keys must come from the environment,
DEBUG is refused, and cookies, HTTPS and browser protections are on (docs/access.md, "Signing in").

REGIEKAMER_PRODUCTION  "true" for production (default false)
REGIEKAMER_TLS_PROXY   "true" when a TLS-terminating proxy sets X-Forwarded-Proto (production; default false)
REGIEKAMER_VAR_DIR     embedded database, keys and generated data (default ./var)
DATABASE_URL   database (default: SQLite file var/regiekamer.sqlite3)
REGIEKAMER_FIGURES_CACHE  folder of the computed figures that all server processes share (default var/figures;
               see docs/reliability.md, "Figures under load")
SECRET_KEY     Django secret key (default: a key generated once into var/secret_key; production: required,
               at least 50 characters)
BSN_KEY        key material for BSN hashing, encryption and pseudonyms (default: generated into var/bsn_key;
               production: required, at least 32 characters)
DEBUG          "true" for development (default false; refused in production)
ALLOWED_HOSTS  comma separated (default 127.0.0.1,localhost; production: required)
SECURE_HSTS_PRELOAD  "true" to ask browsers to preload HTTPS for the domain (production; default false)
REGIEKAMER_OCDS_PREFIX  the region's ocid prefix for OCDS exports, "ocds-" and 6 letters or digits, as registered
               with the Open Contracting Partnership (default "ocds-test00": a test prefix, never to be published)

OpenID Connect sign-in is on when OIDC_RP_CLIENT_ID is set; then all of these are required unless a default
is given:
OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET   the client as registered with the provider
OIDC_OP_ISSUER                  the provider's issuer; the id_token's `iss` must equal it
OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT
                                the provider's endpoints (https in production)
OIDC_RP_SIGN_ALGO               id_token signature algorithm: RS256/384/512 or ES256/384/512 (default RS256)
OIDC_RP_SCOPES                  requested scopes (default "openid")
OIDC_USERNAME_CLAIM             the claim that identifies a person (default "sub")
OIDC_PROVIDER_NAME              shown on the login page as "Inloggen via <name>"
"""

from __future__ import annotations

import os
import re
import secrets

import dj_database_url

from regiekamer.env import BASE_DIR, ConfigurationError, env_bool, env_list, env_secret, env_str, var_dir

VAR_DIR = var_dir()


def _key_from_file(name: str) -> str:
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


PRODUCTION = env_bool("REGIEKAMER_PRODUCTION", False)

if PRODUCTION:
    SECRET_KEY = env_secret("SECRET_KEY", 50)
    BSN_KEY = env_secret("BSN_KEY", 32)
    if env_bool("DEBUG", False):
        raise ConfigurationError("DEBUG must be false in production (REGIEKAMER_PRODUCTION=true)")
    DEBUG = False
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigurationError("environment variable ALLOWED_HOSTS is required in production "
                                 "(REGIEKAMER_PRODUCTION=true): the host names the site is served under")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _key_from_file("secret_key")
    BSN_KEY = os.environ.get("BSN_KEY") or _key_from_file("bsn_key")
    DEBUG = env_bool("DEBUG", False)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "regiekamer.regions",
    "regiekamer.segments",
    "regiekamer.providers",
    "regiekamer.contracts",
    "regiekamer.care",
    "regiekamer.messaging",
    "regiekamer.declarations",
    "regiekamer.budgets",
    "regiekamer.settlements",
    "regiekamer.strategy",
    "regiekamer.tenders",
    "regiekamer.access",
    "regiekamer.monitoring",
    "regiekamer.api",
    "ninja",  # serves the API's documentation page (Swagger UI) from its own static files
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "regiekamer.urls"
WSGI_APPLICATION = "regiekamer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "regiekamer" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regiekamer.access.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'regiekamer.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, for the test database: the browser tests' server thread must see it too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Computed figures, shared by every server process and `regiekamer warm` (monitoring.facts_cache). Keys carry
# the data version, so nothing needs to be removed when data changes; old versions age out.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("REGIEKAMER_FIGURES_CACHE") or str(VAR_DIR / "figures"),
        "TIMEOUT": 7 * 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/start/"  # on to the first page of the user's role
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # numbers are formatted explicitly (money filters)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "regiekamer" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    # Only over HTTPS, and browsers are told to keep it that way for a year. The app's own host and its
    # subdomains are covered; preloading commits the whole registrable domain (often the municipality's or
    # region's), so that is the domain owner's decision: off unless SECURE_HSTS_PRELOAD=true.
    SECURE_SSL_REDIRECT = True
    if env_bool("REGIEKAMER_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preload is a deliberate choice, see above
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"  # no page address (municipality, year, pseudonym) leaves the site
    X_FRAME_OPTIONS = "DENY"
    # Cookies only over HTTPS, bound to this host (__Host- prefix). Lax, not Strict: the return from the
    # OpenID provider is a cross-site navigation that must carry the session with the login state.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SAMESITE = "Lax"
    CSRF_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# OCDS exports (regiekamer/tenders/ocds.py): the ocid prefix the region registered; the default is a test prefix.
OCDS_TEST_PREFIX = "ocds-test00"
OCDS_OCID_PREFIX = env_str("REGIEKAMER_OCDS_PREFIX", OCDS_TEST_PREFIX).strip()
if not re.fullmatch(r"ocds-[a-z0-9]{6}", OCDS_OCID_PREFIX):
    raise ConfigurationError("environment variable REGIEKAMER_OCDS_PREFIX must be \"ocds-\" and 6 lower-case "
                             f"letters or digits, got {OCDS_OCID_PREFIX!r}")

# Sign-in: username and password always; OpenID Connect when a client is configured (regiekamer/access/oidc.py).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
OIDC_SIGN_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID", "").strip())
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    if OIDC_RP_SIGN_ALGO not in OIDC_SIGN_ALGORITHMS:
        raise ConfigurationError(f"OIDC_RP_SIGN_ALGO must be one of {', '.join(OIDC_SIGN_ALGORITHMS)}, "
                                 f"got {OIDC_RP_SIGN_ALGO!r}")
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid")
    OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "sub")
    OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME")
    if PRODUCTION:
        for _name, _url in (("OIDC_OP_ISSUER", OIDC_OP_ISSUER),
                             ("OIDC_OP_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
                             ("OIDC_OP_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
                             ("OIDC_OP_USER_ENDPOINT", OIDC_OP_USER_ENDPOINT),
                             ("OIDC_OP_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT)):
            if not _url.startswith("https://"):
                raise ConfigurationError(f"{_name} must be an https:// address in production, got {_url!r}")
    OIDC_USE_NONCE = True
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10  # seconds per request to the provider
    LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=mislukt"
    AUTHENTICATION_BACKENDS.append("regiekamer.access.oidc.OidcBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
