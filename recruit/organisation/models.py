"""Organisation-wide settings every feature reads: time zone, working week,
holidays, reminder offsets, data retention, the vacancy review chain."""

from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db


class OrgSettings(db.Model):
    __tablename__ = "org_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="Our company")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow")
    locale: Mapped[str] = mapped_column(sa.String(16), default="en")
    # The country sets the defaults below (recruit/organisation/countries.py); each stays editable.
    country: Mapped[str | None] = mapped_column(sa.String(2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR", server_default="EUR")
    phone_region: Mapped[str] = mapped_column(sa.String(2), default="UA", server_default="UA")
    # whom candidates call about their interview (E.164), named in every message and on their page
    contact_phone: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    csv_separator: Mapped[str] = mapped_column(sa.String(1), default=",", server_default=",")
    working_days: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [0, 1, 2, 3, 4])
    reminder_offsets_hours: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [24, 2])
    retention_days: Mapped[int] = mapped_column(default=365)
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # the planner's preference, a step of interviews.preferences.STEPS (idle interviewers 1 .. waiting candidates 5)
    planning_preference: Mapped[int] = mapped_column(default=2, server_default="2")
    show_rate_half_life_days: Mapped[float] = mapped_column(default=60.0, server_default="60.0")
    no_show_grace_minutes: Mapped[int] = mapped_column(default=30, server_default="30")
    # Admins and recruiters must sign in with a second factor (recruit/auth/two_factor.py).
    require_two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # "UA-2027": the country-years whose holidays were imported, so the yearly
    # job imports each once and never brings back a day an admin removed.
    holiday_imports: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default="[]")
    # A new random value with every change of the holidays, in the same
    # transaction, and for a new row: read with the signed-in user, it tells
    # each process whether the business calendar it keeps is still the database's.
    calendar_stamp: Mapped[int] = mapped_column(sa.BigInteger, default=lambda: secrets.randbits(62), server_default="0")

    approver = relationship("User", lazy="joined")


DAY_OFF = "day_off"
WORKING_DAY = "working_day"
HOLIDAY_KINDS = (DAY_OFF, WORKING_DAY)


class Holiday(db.Model):
    """A day that breaks the working week: a public holiday or moved day off
    (`day_off`), or a Saturday worked in exchange for a bridge day (`working_day`)."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    kind: Mapped[str] = mapped_column(sa.String(16), default=DAY_OFF, server_default=DAY_OFF)


class ReviewStep(db.Model):
    """One reviewer in the vacancy review chain (e.g. HR, legal)."""

    __tablename__ = "review_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(80))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))

    reviewer = relationship("User", lazy="joined")
