"""Reading and changing the organisation's settings."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.exc import IntegrityError

from recruit import audit
from recruit.extensions import db
from recruit.organisation.calendar import BusinessCalendar
from recruit.organisation.models import Holiday, OrgSettings, ReviewStep


class SettingsError(ValueError):
    pass


def get_settings() -> OrgSettings:
    """The single settings row, created with defaults on first use."""
    if has_request_context() and "org_settings" in g:
        return g.org_settings
    settings = db.session.scalar(sa.select(OrgSettings).order_by(OrgSettings.id).limit(1))
    if settings is None:
        try:
            with db.session.begin_nested():
                settings = OrgSettings(id=1)
                db.session.add(settings)
        except IntegrityError:  # another process created it a moment ago: use theirs
            settings = db.session.scalar(sa.select(OrgSettings).order_by(OrgSettings.id).limit(1))
    if has_request_context():
        g.org_settings = settings
    return settings


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now() -> datetime:
    return datetime.now(zone())


def calendar() -> BusinessCalendar:
    holidays = db.session.scalars(sa.select(Holiday.day)).all()
    return BusinessCalendar.of(get_settings().working_days, holidays)


def valid_timezones() -> list[str]:
    return sorted(available_timezones())


def update_settings(*, name: str, timezone: str, working_days: list[int], reminder_offsets_hours: list[int],
                    retention_days: int, approver_id: int | None, interview_reward: float | None = None,
                    interview_overflow_cost: float | None = None, show_rate_half_life_days: float | None = None,
                    no_show_grace_minutes: int | None = None) -> OrgSettings:
    if timezone not in available_timezones():
        raise SettingsError(f"Unknown time zone: {timezone}")
    BusinessCalendar.of(working_days)  # validates
    if any(h <= 0 or h > 24 * 30 for h in reminder_offsets_hours):
        raise SettingsError("Reminder offsets are hours before the interview, between 1 and 720.")
    if retention_days < 30:
        raise SettingsError("Keep rejected candidates for at least 30 days.")
    settings = get_settings()
    before = {"name": settings.name, "timezone": settings.timezone, "retention_days": settings.retention_days}
    settings.name = name.strip()
    settings.timezone = timezone
    settings.working_days = sorted(set(working_days))
    settings.reminder_offsets_hours = sorted(set(reminder_offsets_hours), reverse=True)
    settings.retention_days = retention_days
    settings.approver_id = approver_id
    if interview_reward is not None:
        if interview_reward <= 0 or (interview_overflow_cost or 0) < 0:
            raise SettingsError("An interview is worth more than nothing, and waiting costs zero or more.")
        settings.interview_reward = interview_reward
    if interview_overflow_cost is not None:
        settings.interview_overflow_cost = interview_overflow_cost
    if show_rate_half_life_days is not None:
        settings.show_rate_half_life_days = show_rate_half_life_days
    if no_show_grace_minutes is not None:
        settings.no_show_grace_minutes = no_show_grace_minutes
    db.session.flush()
    audit.record("settings.update", settings, before=before,
                 after={"name": settings.name, "timezone": timezone, "retention_days": retention_days})
    return settings


def add_holiday(day: date, name: str) -> Holiday:
    if db.session.scalar(sa.select(Holiday).where(Holiday.day == day)):
        raise SettingsError(f"{day.isoformat()} is already a holiday.")
    holiday = Holiday(day=day, name=name.strip())
    db.session.add(holiday)
    db.session.flush()
    audit.record("settings.holiday_add", holiday, day=day.isoformat(), name=name)
    return holiday


def remove_holiday(holiday_id: int) -> None:
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is not None:
        audit.record("settings.holiday_remove", holiday, day=holiday.day.isoformat())
        db.session.delete(holiday)
        db.session.flush()


def holidays() -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).order_by(Holiday.day)))


def review_steps() -> list[ReviewStep]:
    return list(db.session.scalars(sa.select(ReviewStep).order_by(ReviewStep.position, ReviewStep.id)))


def add_review_step(label: str, reviewer_id: int) -> ReviewStep:
    position = (db.session.scalar(sa.select(sa.func.max(ReviewStep.position))) or 0) + 1
    step = ReviewStep(label=label.strip(), reviewer_id=reviewer_id, position=position)
    db.session.add(step)
    db.session.flush()
    audit.record("settings.review_step_add", step, label=label, reviewer_id=reviewer_id)
    return step


def remove_review_step(step_id: int) -> None:
    step = db.session.get(ReviewStep, step_id)
    if step is not None:
        audit.record("settings.review_step_remove", step, label=step.label)
        db.session.delete(step)
        db.session.flush()
