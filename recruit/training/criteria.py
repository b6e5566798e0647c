"""Stage exit criteria, evaluated from the plan's data: one function per kind,
each returning met / not met with the evidence a person can check. No request
and no database: the gate page, the sign-off service and the tests share it.
The evidence is written in the current language (English outside an app)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from recruit.organisation.calendar import BusinessCalendar
from recruit.training.labels import ACTIVITY_METRIC, CRITERION_KIND

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


def _locale() -> Any:
    return get_locale() or "en"


def _day(day: date) -> str:
    return format_date(day, "medium", locale=_locale())


def _number(value: float, pattern: str | None = None) -> str:
    return format_decimal(value, pattern, locale=_locale())


def _tasks_done(params: Mapping[str, Any], facts: Facts) -> Result:
    required = [t for t in facts.tasks if t.required]
    missing = [t.title for t in required if t.done_on is None]
    done = len(required) - len(missing)
    if missing:
        return Result(False, ngettext("%(done)d of %(num)d required task done; open: %(open)s",
                                      "%(done)d of %(num)d required tasks done; open: %(open)s",
                                      len(required), done=done, open="; ".join(missing)))
    return Result(True, ngettext("all %(num)d required task done", "all %(num)d required tasks done",
                                 len(required)))


def _activity(params: Mapping[str, Any], facts: Facts) -> Result:
    metric = params.get("metric")
    if metric not in METRICS:
        raise CriterionError(_("unknown activity metric “%(metric)s”", metric=metric))
    minimum = float(params.get("min_per_day", 0))
    window = int(params.get("window_days", 5))
    if window < 1:
        raise CriterionError(_("the window is at least one business day"))
    last = facts.today if facts.calendar.is_business_day(facts.today) else \
        facts.calendar.add_business_days(facts.today, -1)
    days = [last]
    while len(days) < window:
        days.append(facts.calendar.add_business_days(days[-1], -1))
    days.reverse()
    if days[0] < facts.stage_start:
        elapsed = sum(1 for d in days if d >= facts.stage_start)
        return Result(False, ngettext(
            "%(elapsed)d of the %(num)d business day of the window has passed in this stage",
            "%(elapsed)d of the %(num)d business days of the window have passed in this stage",
            window, elapsed=elapsed))
    total = sum(int(facts.activity.get(d, {}).get(metric, 0)) for d in days)
    average = total / window
    evidence = ngettext(
        "%(metric)s: %(average)s a day on average over %(first)s – %(last)s "
        "(%(total)s in %(num)d business day; target %(target)s)",
        "%(metric)s: %(average)s a day on average over %(first)s – %(last)s "
        "(%(total)s in %(num)d business days; target %(target)s)",
        window, metric=str(ACTIVITY_METRIC[metric]), average=_number(average, "#,##0.0"), first=_day(days[0]),
        last=_day(days[-1]), total=_number(total), target=_number(minimum))
    return Result(average >= minimum, evidence)


def _quiz_passed(params: Mapping[str, Any], facts: Facts) -> Result:
    key = str(params.get("quiz", ""))
    if facts.quizzes.get(key):
        return Result(True, _("quiz “%(quiz)s” passed and signed off", quiz=key))
    return Result(False, _("quiz “%(quiz)s” not passed yet", quiz=key))


def _role_play(params: Mapping[str, Any], facts: Facts) -> Result:
    allowed = int(params.get("max_tries", 2))
    tries = sorted(facts.role_plays, key=lambda t: t.tried_on)
    for number, attempt in enumerate(tries[:allowed], start=1):
        if attempt.passed:
            return Result(True, _("role-play deal passed on try %(number)d (%(day)s)", number=number,
                                  day=_day(attempt.tried_on)))
    if len(tries) >= allowed:
        return Result(False, ngettext("role-play deal failed %(num)d time: the head of department decides",
                                      "role-play deal failed %(num)d times: the head of department decides",
                                      allowed), needs_decision=True)
    return Result(False, ngettext("role-play deal: %(used)d of %(num)d try used, not passed yet",
                                  "role-play deal: %(used)d of %(num)d tries used, not passed yet",
                                  allowed, used=len(tries)))


def _sign_off(params: Mapping[str, Any], facts: Facts) -> Result:
    role = str(params.get("role", "mentor"))
    if role in facts.sign_offs:
        return Result(True, _("signed off by the curator") if role == "curator" else _("signed off by the mentor"))
    return Result(False, _("waiting for the curator’s sign-off") if role == "curator"
                  else _("waiting for the mentor’s sign-off"))


# Each kind's name (a lazy string: str() writes it in the current language) and its check.
KINDS: dict[str, tuple[Any, Callable[[Mapping[str, Any], Facts], Result]]] = {
    "tasks_done": (CRITERION_KIND["tasks_done"], _tasks_done),
    "activity": (CRITERION_KIND["activity"], _activity),
    "quiz_passed": (CRITERION_KIND["quiz_passed"], _quiz_passed),
    "role_play": (CRITERION_KIND["role_play"], _role_play),
    "sign_off": (CRITERION_KIND["sign_off"], _sign_off),
}


def kind_label(kind: str) -> str:
    """A criterion kind's name in the current language."""
    return str(KINDS[kind][0]) if kind in KINDS else kind


def evaluate(kind: str, params: Mapping[str, Any], facts: Facts) -> Result:
    if kind not in KINDS:
        raise CriterionError(_("unknown criterion kind “%(kind)s”", kind=kind))
    return KINDS[kind][1](params, facts)


def validate(kind: str, params: Mapping[str, Any]) -> None:
    """Refuse a criterion a template could never evaluate."""
    if kind not in KINDS:
        raise CriterionError(_("unknown criterion kind “%(kind)s”", kind=kind))
    if kind == "activity":
        if params.get("metric") not in METRICS:
            raise CriterionError(_("the activity metric is one of %(metrics)s", metrics=", ".join(METRICS)))
        if float(params.get("min_per_day", -1)) < 0 or int(params.get("window_days", 0)) < 1:
            raise CriterionError(_("an activity target has a minimum of 0 or more and a window of at least one day"))
    if kind == "sign_off" and params.get("role") not in ("mentor", "curator"):
        raise CriterionError(_("the sign-off is the mentor’s or the curator’s (sign_off mentor, sign_off curator)"))
    if kind == "quiz_passed" and not params.get("quiz"):
        raise CriterionError(_("name the quiz by its key"))
    if kind == "role_play" and int(params.get("max_tries", 2)) < 1:
        raise CriterionError(_("a role-play deal allows at least one try"))


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
                raise CriterionError(_("line %(number)d: “%(text)s” is not a criterion", number=number,
                                       text=raw.strip()))
        except CriterionError:
            raise
        except ValueError as exc:
            raise CriterionError(_("line %(number)d: numbers expected in “%(text)s”", number=number,
                                   text=raw.strip())) from exc
        try:
            validate(kind, item)
        except CriterionError as exc:
            raise CriterionError(_("line %(number)d: %(reason)s", number=number, reason=str(exc))) from exc
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
