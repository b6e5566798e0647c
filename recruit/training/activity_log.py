"""The trainee's activity log. The gates and the mentor's bonus are read from
these numbers, so a save changes only the numbers entered (a blank keeps the
number it had), a CRM export is previewed (old -> new) before it is applied and
lowers nothing unless the user says so, and every change keeps where it came
from and who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from recruit import audit, i18n
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import local_now
from recruit.tabular.reports import FileError
from recruit.training import activity_import, criteria
from recruit.training.activity_import import DayChange
from recruit.training.errors import TrainingError
from recruit.training.models import ActivityChange, ActivityEntry, ActivityImport, OnboardingPlan
from recruit.training.plans import responsibilities
from recruit.utc import utcnow
from recruit.vacancies.messages import file_error, message

ACTIVITY_LIMITS = activity_import.LIMITS


def _metric(code: str) -> str:
    return i18n.label(code, "activity_metric")


def _may_log(plan: OnboardingPlan, by: User) -> None:
    if not ({"new_hire", "mentor"} & responsibilities(plan, by)) and not by.has_role("admin"):
        raise PermissionError("activity")


def _source_of(plan: OnboardingPlan, by: User) -> str:
    if by.id == plan.hire_id:
        return "hire"
    return "mentor" if "mentor" in responsibilities(plan, by) else "admin"


def _check_day(plan: OnboardingPlan, day: date) -> None:
    if day > local_now().date():
        raise TrainingError(_("%(day)s is in the future.", day=format_date(day, "medium")))
    if day < plan.start_date:
        raise TrainingError(_("%(day)s is before the plan started.", day=format_date(day, "medium")))


def _clean(values: dict[str, Any]) -> dict[str, int]:
    """The numbers entered; a blank or a missing field is not a number entered."""
    clean: dict[str, int] = {}
    for metric in criteria.METRICS:
        raw = values.get(metric)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            number = int(raw.strip() if isinstance(raw, str) else raw)
            if isinstance(raw, float) and raw != number:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise TrainingError(_("%(metric)s: “%(value)s” is not a whole number.", metric=_metric(metric),
                                  value=raw)) from exc
        if number < 0:
            raise TrainingError(_("%(metric)s cannot be negative.", metric=_metric(metric)))
        if number > ACTIVITY_LIMITS[metric]:
            raise TrainingError(_("%(metric)s: %(n)d in one day is not plausible (at most %(max)d).",
                                  metric=_metric(metric), n=number, max=ACTIVITY_LIMITS[metric]))
        clean[metric] = number
    return clean


def _write(plan: OnboardingPlan, day: date, numbers: dict[str, int], by: User, source: str) -> ActivityEntry:
    entry = db.session.scalar(sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id,
                                                             ActivityEntry.day == day).with_for_update())
    fresh = entry is None
    if fresh:
        entry = ActivityEntry(plan_id=plan.id, day=day, **dict.fromkeys(criteria.METRICS, 0))
        db.session.add(entry)
    changed = {}
    for metric, number in numbers.items():
        old = None if fresh else getattr(entry, metric)
        if old == number:
            continue
        setattr(entry, metric, number)
        changed[metric] = number
        entry_changes = ActivityChange(metric=metric, old=old, new=number, source=source, changed_by_id=by.id)
        entry_changes.entry = entry
        db.session.add(entry_changes)
    if fresh or changed:
        entry.recorded_by_id = by.id
        db.session.flush()
        audit.record("activity.log", entry, actor_id=by.id, day=day.isoformat(), source=source, **changed)
    return entry


def log_activity(plan: OnboardingPlan, day: date, values: dict[str, Any], by: User) -> ActivityEntry:
    _may_log(plan, by)
    _check_day(plan, day)
    numbers = _clean(values)
    if not numbers:
        raise TrainingError(_("Nothing to save: enter the numbers of the day (a blank field keeps its number)."))
    return _write(plan, day, numbers, by, _source_of(plan, by))


# The CRM export: upload -> preview -> apply.

def upload_activity(plan: OnboardingPlan, data: bytes, filename: str, by: User) -> ActivityImport:
    """Held for its preview; a file that cannot be read at all is refused now.
    The plan's earlier previews that were never applied are dropped."""
    _may_log(plan, by)
    _read(plan, data)
    db.session.execute(sa.delete(ActivityImport).where(ActivityImport.plan_id == plan.id,
                                                       ActivityImport.applied_at.is_(None)))
    upload = ActivityImport(plan_id=plan.id, filename=filename[:255], content=data, uploaded_by_id=by.id)
    db.session.add(upload)
    db.session.flush()
    return upload


def held_import(plan: OnboardingPlan, import_id: int) -> ActivityImport | None:
    upload = db.session.get(ActivityImport, import_id)
    return upload if upload is not None and upload.plan_id == plan.id else None


def _read(plan: OnboardingPlan, data: bytes) -> activity_import.ActivityFile:
    try:
        return activity_import.read(data, first_day=plan.start_date, last_day=local_now().date())
    except FileError as exc:
        raise TrainingError(file_error(exc)) from exc


@dataclass
class ImportPreview:
    upload: ActivityImport
    days: list[DayChange]
    unchanged: int
    errors: list[str]

    @property
    def lowers(self) -> list[DayChange]:
        return [d for d in self.days if d.lowers]


def preview(upload: ActivityImport) -> ImportPreview:
    plan = db.session.get(OnboardingPlan, upload.plan_id)
    parsed = _read(plan, upload.content)
    recorded = {e.day: {m: getattr(e, m) for m in criteria.METRICS} for e in db.session.scalars(
        sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id,
                                       ActivityEntry.day.in_([r.day for r in parsed.rows])))}
    days = activity_import.changes(parsed.rows, recorded)
    errors = [_("line %(line)d, %(column)s: %(reason)s", line=e.line, column=e.column,
                reason=message(e.code, e.params)) for e in parsed.errors]
    return ImportPreview(upload, days, len(parsed.rows) - len(days), errors)


def apply_import(upload: ActivityImport, by: User, *, skip_bad_rows: bool, lower: bool) -> dict[str, int]:
    """The previewed changes, read again from the same bytes and the log as it
    is now; a number the file would lower stays unless `lower`. Once only: a
    second click finds the import applied."""
    plan = db.session.get(OnboardingPlan, upload.plan_id)
    _may_log(plan, by)
    locked = db.session.execute(sa.update(ActivityImport).where(ActivityImport.id == upload.id,
                                                                ActivityImport.applied_at.is_(None))
                                .values(applied_at=utcnow()))
    if locked.rowcount != 1:
        raise TrainingError(_("This file has already been imported."))
    shown = preview(upload)
    if shown.errors and not skip_bad_rows:
        raise TrainingError(_("Nothing imported: the file has rows with problems. Fix the file, or choose to "
                              "skip those rows."))
    days = kept_lower = 0
    for day in shown.days:
        numbers = {f.metric: f.new for f in day.fields if lower or not f.lowers}
        kept_lower += len(day.fields) - len(numbers)
        if numbers:
            _write(plan, day.day, numbers, by, "crm")
            days += 1
    db.session.refresh(upload)
    return {"days": days, "kept_lower": kept_lower, "skipped_rows": len(shown.errors)}


def history(plan: OnboardingPlan, limit: int = 12) -> list[ActivityChange]:
    return list(db.session.scalars(
        sa.select(ActivityChange).join(ActivityEntry).where(ActivityEntry.plan_id == plan.id)
        .options(sa.orm.joinedload(ActivityChange.entry), sa.orm.joinedload(ActivityChange.changed_by))
        .order_by(ActivityChange.changed_at.desc(), ActivityChange.id.desc()).limit(limit)))
