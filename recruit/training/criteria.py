"""Stage exit criteria, evaluated from the plan's data: one function per kind,
each returning met / not met with the evidence a person can check. No Flask,
no database: the gate page, the sign-off service and the tests share it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recruit.organisation.calendar import BusinessCalendar

METRICS = ("calls", "email_offers", "phone_offers", "meetings", "leads", "contracts")


@dataclass(frozen=True)
class TaskFact:
    title: str
    required: bool
    done_on: date | None


@dataclass(frozen=True)
class RolePlayFact:
    tried_on: date
    passed: bool


@dataclass(frozen=True)
class Facts:
    today: date
    calendar: BusinessCalendar
    stage_start: date
    tasks: Sequence[TaskFact] = ()
    activity: Mapping[date, Mapping[str, int]] = field(default_factory=dict)
    role_plays: Sequence[RolePlayFact] = ()
    quizzes: Mapping[str, bool] = field(default_factory=dict)
    sign_offs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Result:
    met: bool
    evidence: str
    needs_decision: bool = False


class CriterionError(ValueError):
    pass


def _tasks_done(params: Mapping[str, Any], facts: Facts) -> Result:
    required = [t for t in facts.tasks if t.required]
    missing = [t.title for t in required if t.done_on is None]
    done = len(required) - len(missing)
    if missing:
        return Result(False, f"{done} of {len(required)} required tasks done; open: " + "; ".join(missing))
    return Result(True, f"all {len(required)} required tasks done")


def _activity(params: Mapping[str, Any], facts: Facts) -> Result:
    metric = params.get("metric")
    if metric not in METRICS:
        raise CriterionError(f"unknown activity metric {metric!r}")
    minimum = float(params.get("min_per_day", 0))
    window = int(params.get("window_days", 5))
    if window < 1:
        raise CriterionError("the window is at least one business day")
    last = facts.today if facts.calendar.is_business_day(facts.today) else \
        facts.calendar.add_business_days(facts.today, -1)
    days = [last]
    while len(days) < window:
        days.append(facts.calendar.add_business_days(days[-1], -1))
    days.reverse()
    if days[0] < facts.stage_start:
        elapsed = sum(1 for d in days if d >= facts.stage_start)
        return Result(False, f"{elapsed} of the {window} business days of the window have passed in this stage")
    total = sum(int(facts.activity.get(d, {}).get(metric, 0)) for d in days)
    average = total / window
    label = metric.replace("_", " ")
    evidence = (f"{label}: {average:.1f} a day on average over {days[0].isoformat()} – {days[-1].isoformat()} "
                f"({total} in {window} business days; target {minimum:g})")
    return Result(average >= minimum, evidence)


def _quiz_passed(params: Mapping[str, Any], facts: Facts) -> Result:
    key = str(params.get("quiz", ""))
    if facts.quizzes.get(key):
        return Result(True, f"quiz “{key}” passed and signed off")
    return Result(False, f"quiz “{key}” not passed yet")


def _role_play(params: Mapping[str, Any], facts: Facts) -> Result:
    allowed = int(params.get("max_tries", 2))
    tries = sorted(facts.role_plays, key=lambda t: t.tried_on)
    for number, attempt in enumerate(tries[:allowed], start=1):
        if attempt.passed:
            return Result(True, f"role-play deal passed on try {number} ({attempt.tried_on.isoformat()})")
    if len(tries) >= allowed:
        return Result(False, f"role-play deal failed {allowed} times: the head of department decides",
                      needs_decision=True)
    return Result(False, f"role-play deal: {len(tries)} of {allowed} tries used, not passed yet")


def _sign_off(params: Mapping[str, Any], facts: Facts) -> Result:
    role = str(params.get("role", "mentor"))
    if role in facts.sign_offs:
        return Result(True, f"signed off by the {role}")
    return Result(False, f"waiting for the {role}'s sign-off")


KINDS: dict[str, tuple[str, Callable[[Mapping[str, Any], Facts], Result]]] = {
    "tasks_done": ("All required tasks done", _tasks_done),
    "activity": ("Activity target met", _activity),
    "quiz_passed": ("Quiz passed", _quiz_passed),
    "role_play": ("Role-play deal passed within the allowed tries", _role_play),
    "sign_off": ("Sign-off", _sign_off),
}


def evaluate(kind: str, params: Mapping[str, Any], facts: Facts) -> Result:
    if kind not in KINDS:
        raise CriterionError(f"unknown criterion kind {kind!r}")
    return KINDS[kind][1](params, facts)


def validate(kind: str, params: Mapping[str, Any]) -> None:
    """Refuse a criterion a template could never evaluate."""
    if kind not in KINDS:
        raise CriterionError(f"unknown criterion kind {kind!r}")
    if kind == "activity":
        if params.get("metric") not in METRICS:
            raise CriterionError(f"activity metric is one of {', '.join(METRICS)}")
        if float(params.get("min_per_day", -1)) < 0 or int(params.get("window_days", 0)) < 1:
            raise CriterionError("an activity target has a minimum >= 0 and a window of at least one day")
    if kind == "sign_off" and params.get("role") not in ("mentor", "curator"):
        raise CriterionError("the sign-off is the mentor's or the curator's")
    if kind == "quiz_passed" and not params.get("quiz"):
        raise CriterionError("name the quiz")
    if kind == "role_play" and int(params.get("max_tries", 2)) < 1:
        raise CriterionError("at least one try")


def parse_lines(text: str) -> list[dict[str, Any]]:
    """Criteria as an admin writes them, one a line:
    `tasks_done`, `activity calls 30 5` (metric, per day, business days),
    `quiz_passed product-knowledge`, `role_play 2`, `sign_off mentor`."""
    result = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split()
        if not words:
            continue
        kind, args = words[0], words[1:]
        try:
            if kind == "tasks_done" and not args:
                item: dict[str, Any] = {"kind": kind}
            elif kind == "activity" and len(args) == 3:
                item = {"kind": kind, "metric": args[0], "min_per_day": float(args[1]), "window_days": int(args[2])}
            elif kind == "quiz_passed" and len(args) == 1:
                item = {"kind": kind, "quiz": args[0]}
            elif kind == "role_play" and len(args) <= 1:
                item = {"kind": kind, "max_tries": int(args[0]) if args else 2}
            elif kind == "sign_off" and len(args) == 1:
                item = {"kind": kind, "role": args[0]}
            else:
                raise CriterionError(f"line {number}: “{raw.strip()}” is not a criterion")
        except CriterionError:
            raise
        except ValueError as exc:
            raise CriterionError(f"line {number}: numbers expected in “{raw.strip()}”") from exc
        try:
            validate(kind, item)
        except CriterionError as exc:
            raise CriterionError(f"line {number}: {exc}") from exc
        result.append(item)
    return result


def format_lines(items: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for item in items:
        kind = item["kind"]
        if kind == "activity":
            lines.append(f"activity {item['metric']} {float(item['min_per_day']):g} {int(item['window_days'])}")
        elif kind == "quiz_passed":
            lines.append(f"quiz_passed {item['quiz']}")
        elif kind == "role_play":
            lines.append(f"role_play {int(item.get('max_tries', 2))}")
        elif kind == "sign_off":
            lines.append(f"sign_off {item['role']}")
        else:
            lines.append(kind)
    return "\n".join(lines)
