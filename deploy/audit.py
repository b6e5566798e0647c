"""`make audit`: the pinned requirements against a vulnerability database.

pip-audit asks PyPI's per-version JSON first, then OSV. A package index that
answers for pypi.org without per-version data (a registry mirror) makes
pip-audit skip every pin as "not found": that is no audit at all, so this
script says which database it could not reach and exits 2 instead of
reporting a clean result. It stays out of the test suite on purpose: what a
registry publishes today must not decide whether a commit is green.

Exit codes: 0 audited and clean, 1 a known vulnerability or an unaudited pin,
2 no vulnerability database reachable.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
SERVICES = ("pypi", "osv")


@dataclass
class Outcome:
    service: str
    audited: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)
    unreachable: str = ""


def read_report(service: str, returncode: int, stdout: str, stderr: str) -> Outcome:
    """What one pip-audit run really established: a report in which every
    dependency was skipped audited nothing."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        lines = [line for line in (stderr or "").strip().splitlines() if line.strip()]
        return Outcome(service, unreachable=(lines[-1] if lines else f"pip-audit exited {returncode}")[:300])
    outcome = Outcome(service)
    for dependency in report.get("dependencies", []):
        pin = f"{dependency.get('name')} {dependency.get('version', '?')}"
        if "skip_reason" in dependency:
            outcome.unaudited.append(pin)
            continue
        outcome.audited.append(pin)
        ids = [v.get("id") for v in dependency.get("vulns") or []]
        if ids:
            outcome.vulnerable.append(f"{pin}: {', '.join(map(str, ids))}")
    if not outcome.audited:
        outcome.unreachable = "answered without data for any pinned version"
    return outcome


def verdict(outcomes: list[Outcome]) -> tuple[int, str]:
    """The first service that audited anything decides; if none did, say so."""
    for outcome in outcomes:
        if outcome.unreachable:
            continue
        if outcome.vulnerable or outcome.unaudited:
            lines = [f"pip-audit ({outcome.service}): {len(outcome.audited)} pins audited."]
            lines += [f"  vulnerable: {v}" for v in outcome.vulnerable]
            lines += [f"  not audited: {u}" for u in outcome.unaudited]
            return 1, "\n".join(lines)
        return 0, f"pip-audit ({outcome.service}): {len(outcome.audited)} pins audited, no known vulnerabilities."
    reasons = "\n".join(f"  {o.service}: {o.unreachable}" for o in outcomes)
    return 2, ("No vulnerability database reachable from this machine; nothing was audited.\n" + reasons +
               "\nRun `make audit` where pypi.org (per-version JSON) or api.osv.dev answers.")


def run(service: str) -> Outcome:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "-f", "json", "-s", service]
    for name in REQUIREMENTS:
        command += ["-r", name]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)  # nosec B603
    except subprocess.TimeoutExpired:
        return Outcome(service, unreachable="no answer within 15 minutes")
    return read_report(service, done.returncode, done.stdout, done.stderr)


def main() -> int:
    outcomes = []
    for service in SERVICES:
        outcomes.append(run(service))
        if not outcomes[-1].unreachable:
            break
    code, message = verdict(outcomes)
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main())
