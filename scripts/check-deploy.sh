#!/usr/bin/env bash
# Django's deployment checks against the production settings, with throwaway keys made for this run only.
# Any warning fails (e.g. a cookie without Secure, HSTS missing, DEBUG on). Extra arguments go to `check`.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
throwaway() { "$PYTHON" -c "import secrets; print(secrets.token_urlsafe(48))"; }
var_dir="$(mktemp -d)"
trap 'rm -rf "$var_dir"' EXIT
REGIEKAMER_PRODUCTION=true \
REGIEKAMER_VAR_DIR="$var_dir" \
SECRET_KEY="$(throwaway)" \
BSN_KEY="$(throwaway)" \
ALLOWED_HOSTS="regiekamer.example.nl" \
DEBUG=false \
DJANGO_SETTINGS_MODULE=regiekamer.settings \
  "$PYTHON" -m django check --deploy --fail-level WARNING "$@"
