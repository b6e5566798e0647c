"""Sources are canonical when written, so the show-rate model, which
groups outcomes by the booking's copy of the source, gives an imported
"Рекомендация" the rate learned for Referral, not the overall one."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.interviews import planning, sessions
from recruit.interviews.models import Booking
from recruit.organisation import services as org
from recruit.utc import utcnow
from recruit.vacancies import candidates as cs
from recruit.vacancies import imports
from recruit.vacancies.models import Application, Candidate

pytestmark = pytest.mark.pg


def _history(world, ctx, session, source, arrived, no_show):
    """Recorded outcomes of earlier invitations from `source`."""
    person = cs.add_candidate(world["vacancy"], {"full_name": f"Past {source}", "email": f"{len(source)}@past.test",
                                                 "source": source}).candidate
    for n in range(arrived + no_show):
        ctx.session.add(Booking(session_id=session.id, candidate_id=person.id,
                                application_id=person.applications[0].id, source=person.source,
                                state="arrived" if n < arrived else "no_show",
                                lead_days=(session.starts_at - utcnow()).total_seconds() / 86400,
                                outcome_at=utcnow() - timedelta(days=1)))
    ctx.session.flush()


def test_an_imported_referral_gets_the_referral_channels_learned_rate(world, ctx):
    session = sessions.create_session(kind="group", title="Group", vacancy=world["vacancy"],
                                day=(org.local_now() + timedelta(days=3)).date(), start=time(10), end=time(12),
                                seats=6, place="Office", interviewers=[sessions.InterviewerHours(world["admin"].id)],
                                created_by=world["admin"])
    _history(world, ctx, session, "Referral", arrived=36, no_show=4)
    _history(world, ctx, session, "HeadHunter", arrived=4, no_show=56)
    csv = "ФИО;Email;Источник\nПетренко Ганна;hanna@x.test;Рекомендація\nИванов Иван;ivan@x.test;по рекомендации\n"
    batch = imports.start(world["vacancy"], "referrals.csv", csv.encode("utf-8"), world["admin"])
    imports.check(batch, batch.mapping)
    imports.run(batch, skip_bad_rows=False)  # JOBS_MODE=sync: the job runs now
    ctx.session.commit()
    imported = list(ctx.session.scalars(sa.select(Application).join(Application.candidate)
                                        .where(Candidate.email.in_(("hanna@x.test", "ivan@x.test")))))
    assert sorted(a.candidate.source for a in imported) == ["Referral", "Referral"]

    model = planning.current_model()
    overall = model.overall.mean
    slot_start = session.starts_at
    referral = [planning.show_probability(a, session, slot_start) for a in imported]
    learned = model.probability(planning.segment_for(imported[0], session, slot_start))
    assert referral == [pytest.approx(learned)] * 2
    assert learned > overall + 0.25  # the channel's own rate, well above the overall one
    assert planning.segment_for(imported[0], session, slot_start).source == "Referral"

    # the gap this closes: the same referral stored as typed would have been an unseen segment
    raw = imported[1].candidate
    ctx.session.execute(sa.update(Candidate).where(Candidate.id == raw.id).values(source="Рекомендация"))
    ctx.session.refresh(raw)
    assert planning.show_probability(imported[1], session, slot_start) == pytest.approx(overall)
