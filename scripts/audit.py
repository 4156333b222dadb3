"""Runs pip-audit on the locked environment and says plainly how much it could check.

Fails when a known vulnerability is found. When the vulnerability service cannot be reached for
some packages, it lists how many were left unaudited; REPRISE_AUDIT_STRICT=1 makes that fail too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--skip-editable",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip() or "pip-audit produced no report", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [
        d for d in dependencies if d.get("skip_reason") and "editable" not in d["skip_reason"]
    ]
    audited = (
        len(dependencies)
        - len(skipped)
        - sum(1 for d in dependencies if "editable" in (d.get("skip_reason") or ""))
    )
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"VULNERABLE {dependency['name']} {dependency['version']}: {ids}")
    print(
        f"pip-audit: {audited} package(s) audited, {len(vulnerable)} vulnerable, "
        f"{len(skipped)} not auditable from here"
    )
    if skipped:
        print(
            "  not auditable (the vulnerability service did not know them or was "
            "unreachable): "
            + ", ".join(d["name"] for d in skipped[:12])
            + (" ..." if len(skipped) > 12 else "")
        )
    if vulnerable:
        return 1
    if skipped and os.environ.get("REPRISE_AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
