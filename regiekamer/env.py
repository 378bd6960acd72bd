"""Typed environment helpers that fail loudly instead of guessing."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """A setting from the environment is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ConfigurationError(f"environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"environment variable {name} must be a boolean, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def var_dir() -> Path:
    """Where the embedded database, keys and generated data live (REGIEKAMER_VAR_DIR, default ./var)."""
    path = Path(os.environ.get("REGIEKAMER_VAR_DIR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def env_secret(name: str, min_length: int) -> str:
    """A secret that must come from the environment (production): present and long enough."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"environment variable {name} is required in production "
                                 f"(REGIEKAMER_PRODUCTION=true); keys are not generated into files there")
    if len(value) < min_length:
        raise ConfigurationError(f"environment variable {name} must be at least {min_length} characters "
                                 f"in production, got {len(value)}")
    return value


CODE_VERSION_ENV = "REGIEKAMER_CODE_VERSION"  # set by the server for its workers and warmer: one digest for all


@functools.cache
def code_version() -> str:
    """A digest of the program's source, so that figures computed by other code are never taken for this
    code's (monitoring.facts_cache). The server computes it once at start and hands it to its processes."""
    if os.environ.get(CODE_VERSION_ENV):
        return os.environ[CODE_VERSION_ENV]
    digest = hashlib.sha256()
    for path in sorted((BASE_DIR / "regiekamer").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
