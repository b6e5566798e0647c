"""`make audit` (deploy/audit.py) reads pip-audit's report honestly: a
database that answered for no pinned version audited nothing, and the script
says so with exit 2 instead of a clean result. The reports below are the
shapes pip-audit writes; no registry is asked."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("deploy_audit", ROOT / "deploy" / "audit.py")
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit
spec.loader.exec_module(audit)


def _report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


SKIPPED = {"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (==3.1.3)"}


def test_a_mirror_without_per_version_data_is_no_audit():
    pypi = audit.read_report("pypi", 0, _report(SKIPPED, {**SKIPPED, "name": "babel"}), "")
    osv = audit.read_report("osv", 1, "", "Traceback ...\nConnectionError: Failed to resolve 'api.osv.dev'")
    code, message = audit.verdict([pypi, osv])
    assert code == 2
    assert "No vulnerability database reachable" in message and "nothing was audited" in message
    assert "api.osv.dev" in message and "answered without data" in message


def test_a_vulnerable_pin_fails_and_is_named():
    report = _report({"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95"}]},
                     {"name": "flask", "version": "3.1.3", "vulns": []})
    code, message = audit.verdict([audit.read_report("pypi", 1, report, "")])
    assert code == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95" in message


def test_a_pin_the_database_does_not_know_is_not_called_clean():
    report = _report({"name": "flask", "version": "3.1.3", "vulns": []}, {**SKIPPED, "name": "private-lib"})
    code, message = audit.verdict([audit.read_report("osv", 0, report, "")])
    assert code == 1 and "not audited: private-lib" in message


def test_a_clean_audit_counts_what_it_checked():
    report = _report({"name": "flask", "version": "3.1.3", "vulns": []},
                     {"name": "babel", "version": "2.18.0", "vulns": []})
    code, message = audit.verdict([audit.read_report("pypi", 0, report, "")])
    assert code == 0 and "2 pins audited, no known vulnerabilities" in message


def test_osv_decides_when_pypi_audited_nothing():
    pypi = audit.read_report("pypi", 0, _report(SKIPPED), "")
    osv = audit.read_report("osv", 0, _report({"name": "flask", "version": "3.1.3", "vulns": []}), "")
    code, message = audit.verdict([pypi, osv])
    assert code == 0 and message.startswith("pip-audit (osv)")
