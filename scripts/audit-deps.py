"""Audit the pinned requirements.txt for known vulnerabilities (pip-audit against the PyPI advisory data).

Exits 1 when a pinned package has a known vulnerability, listing it with the versions that fix it. A pin that
the service could not look up is not a pass: it is listed and counted, and with REGIEKAMER_AUDIT_STRICT=true
it fails the run as well. Run with the project's venv: .venv/bin/python scripts/audit-deps.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def main() -> int:
    run = subprocess.run(
        [str(PIP_AUDIT), "--requirement", str(ROOT / "requirements.txt"), "--no-deps", "--disable-pip",
         "--progress-spinner", "off", "--format", "json"],
        capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr or run.stdout, file=sys.stderr)
        print("pip-audit did not produce a report", file=sys.stderr)
        return 2
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dependency['name']}=={dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if skipped and audited == 0:
        print(f"WARNING: nothing was audited; the package index answered no per-version query "
              f"({skipped[0]['skip_reason']})")
    else:
        for dependency in skipped:
            print(f"not audited: {dependency['name']}: {dependency['skip_reason']}")
    print(f"pip-audit: {audited} of {len(dependencies)} pinned packages audited, "
          f"{len(vulnerable)} with known vulnerabilities, {len(skipped)} could not be looked up")
    if vulnerable:
        return 1
    if skipped and os.environ.get("REGIEKAMER_AUDIT_STRICT", "").lower() in {"1", "true", "yes", "on"}:
        print("REGIEKAMER_AUDIT_STRICT: every pin must be audited")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
