"""Views build no queries (docs/architecture.md, "the rooms of a feature
package"): a list or a lookup is a service in the feature's operation rooms,
and the object a URL names is loaded by `recruit.auth.permissions.load`
(404 when there is none, then the policy), not by a private copy of it.

Read from the source, no app: every `views.py` and `*_views.py` under
recruit/ is checked, so a new view module is covered the day it is added,
and the API's endpoint modules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

RECRUIT = Path(__file__).resolve().parent.parent / "recruit"

# The API's endpoint modules are views too (common.py and the package's
# __init__ hold no endpoints that query).
API_ENDPOINTS = ("api/vacancies.py", "api/candidates.py", "api/quizzes.py", "api/openapi.py")

SELECT = re.compile(r"\bselect\(")
# What running a query or loading an object by hand looks like in a view (a
# 404 for a route's word that names no object, as auth's password links do, is not one).
QUERY = re.compile(r"\bselect\(|\bdb\.session\.(?:get|scalars?|execute|query)\(|\bdb\.paginate\(|\.query\b")


def _view_modules() -> list[str]:
    return sorted([path.relative_to(RECRUIT).as_posix() for path in RECRUIT.rglob("*.py")
                   if path.name == "views.py" or path.name.endswith("_views.py")] + list(API_ENDPOINTS))


def _hits(module: str, pattern: re.Pattern[str]) -> list[str]:
    lines = (RECRUIT / module).read_text(encoding="utf-8").splitlines()
    return [f"{module}:{number}: {line.strip()}" for number, line in enumerate(lines, 1) if pattern.search(line)]


VIEW_MODULES = _view_modules()


def test_the_view_modules_are_found():
    for module in ("interviews/views.py", "training/views.py", "admin/views.py", "auth/views.py",
                   "quizzes/views.py", "vacancies/views.py", "vacancies/candidate_views.py"):
        assert module in VIEW_MODULES


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_view_module_builds_a_select(module):
    assert _hits(module, SELECT) == [], "a view builds a query; it belongs in the feature's service rooms"


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_view_module_runs_a_query_or_loads_by_hand(module):
    assert _hits(module, QUERY) == [], ("a view runs a query or loads an object by hand: lists and lookups are "
                                        "services, the object a URL names comes from permissions.load")


def test_the_pattern_sees_what_it_is_for():
    for line in ("sa.select(User)", "db.select(X)", "db.session.get(User, 1)", "db.session.scalar(stmt)",
                 "db.session.scalars(stmt)", "db.session.execute(stmt)", "db.paginate(stmt)", "User.query"):
        assert QUERY.search(line), line
    for line in ("db.session.commit()", "db.session.rollback()", "abort(404)", "planning.selected_applications(ids)"):
        assert not QUERY.search(line), line
