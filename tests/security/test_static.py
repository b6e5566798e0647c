"""Static checks that run with the suite: bandit finds nothing unjustified in
the application code (each accepted finding carries a `# nosec` with its
reason). Known vulnerabilities of the pins are `make audit`'s job
(deploy/audit.py): what a registry publishes today must not turn a commit red."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_bandit_finds_nothing_unjustified():
    done = subprocess.run([str(BIN / "bandit"), "-q", "-r", "recruit", "config.py", "wsgi.py", "-f", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert findings == []
