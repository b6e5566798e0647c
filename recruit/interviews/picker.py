"""The day page's candidate picker: whom a recruiter may tick for the planner,
filtered by vacancy, stage and import. Only those who can be invited come
ticked; the others are listed apart, grouped by why (booked for another
day, no e-mail for the invitation), every one of them, so nobody is
invited twice or silently left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from recruit.extensions import db
from recruit.interviews.models import LIVE_STATES, Booking, InterviewSession, Slot
from recruit.interviews.sessions import open_vacancies
from recruit.vacancies import bulk
from recruit.vacancies.models import Application, Vacancy
from recruit.vacancies.pipeline import STAGES

SHOWN = 200  # candidates offered at once; the filters narrow a larger pipeline
PICKABLE_STAGES = STAGES[:4]  # new, screened, invited, interviewed (a second interview)
DEFAULT_STAGES = ("new", "screened")


@dataclass(frozen=True)
class PickerFilter:
    vacancy_id: int | None = None
    stage: str | None = None
    batch_id: int | None = None


@dataclass
class Booked:
    application: Application
    starts_at: datetime
    title: str
    here: bool


@dataclass
class Picker:
    flt: PickerFilter
    vacancy: Vacancy | None
    vacancies: list[Vacancy]
    imports: list[tuple[int, str, int]]
    ready: list[Application] = field(default_factory=list)
    booked: list[Booked] = field(default_factory=list)
    unreachable: list[Application] = field(default_factory=list)
    more: bool = False

    @property
    def groups(self) -> list[tuple[str, list[str]]]:
        """Who cannot be ticked, by the reason, for the page to list."""
        found = []
        elsewhere = [b for b in self.booked if not b.here]
        here = [b for b in self.booked if b.here]
        if here:
            found.append((_("Already invited to this day"), [b.application.candidate.full_name for b in here]))
        if elsewhere:
            found.append((_("Booked for another day"), [b.application.candidate.full_name for b in elsewhere]))
        if self.unreachable:
            found.append((_("No e-mail for the invitation"), [a.candidate.full_name for a in self.unreachable]))
        return found


def picker(session: InterviewSession, flt: PickerFilter) -> Picker:
    vacancies = [] if session.vacancy_id else open_vacancies()
    vacancy_id = session.vacancy_id or (flt.vacancy_id if flt.vacancy_id in {v.id for v in vacancies} else None)
    vacancy = db.session.get(Vacancy, vacancy_id) if vacancy_id else None
    flt = PickerFilter(vacancy_id, flt.stage if flt.stage in PICKABLE_STAGES else None, flt.batch_id)
    found = Picker(flt, vacancy, vacancies, bulk.batches(vacancy) if vacancy else [])
    if vacancy is None:
        return found
    stmt = (sa.select(Application).join(Application.candidate).where(Application.vacancy_id == vacancy.id)
            .where(Application.stage.in_((flt.stage,) if flt.stage else DEFAULT_STAGES))
            .options(orm.lazyload(Application.vacancy)))
    if flt.batch_id:
        stmt = stmt.where(Application.import_batch_id == flt.batch_id)
    # the screened first, then the newest: what the recruiter just imported is on top
    applications = list(db.session.scalars(stmt.order_by(Application.stage.desc(), Application.id.desc())
                                           .limit(SHOWN + 1)).unique())
    found.more = len(applications) > SHOWN
    applications = applications[:SHOWN]
    live = _live_bookings([a.candidate_id for a in applications])
    for application in applications:
        booking = live.get(application.candidate_id)
        if booking is not None:
            found.booked.append(Booked(application, booking[0], booking[1], booking[2] == session.id))
        elif not (application.candidate.email or "").strip():
            found.unreachable.append(application)
        else:
            found.ready.append(application)
    return found


def _live_bookings(candidate_ids: list[int]) -> dict[int, tuple[datetime, str, int]]:
    """Each candidate's live booking: when, the day's title, the day."""
    if not candidate_ids:
        return {}
    rows = db.session.execute(
        sa.select(Booking.candidate_id, sa.func.coalesce(Slot.starts_at, InterviewSession.starts_at),
                  InterviewSession.title, InterviewSession.id)
        .join(InterviewSession, InterviewSession.id == Booking.session_id)
        .outerjoin(Slot, Slot.id == Booking.slot_id)
        .where(Booking.candidate_id.in_(candidate_ids), Booking.state.in_(LIVE_STATES))).all()
    return {cid: (starts_at, title, session_id) for cid, starts_at, title, session_id in rows}
