"""Vacancy intake and review, and the funnel forecast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import orm

from recruit import audit
from recruit.extensions import db
from recruit.i18n import label, shipped
from recruit.organisation.services import get_settings, local_now
from recruit.vacancies import amendments, funnel, notifications
from recruit.vacancies.errors import VacancyError
from recruit.vacancies.labels import PAY_LEVEL_LABELS
from recruit.vacancies.models import (
    Application,
    JobTemplate,
    Vacancy,
    VacancyAmendment,
    VacancyComment,
    VacancyReview,
    VacancyStageCount,
)
from recruit.vacancies.pipeline import CLOSED, STAGE_INDEX, VACANCY_TRANSITIONS, can_transition
from recruit.vacancies.policies import is_approver, sent_back_by
from recruit.vacancies.review_steps import decide, new_chain

PAY_LEVELS = PAY_LEVEL_LABELS  # 1 to 4, with their words (recruit/vacancies/labels.py)
VACANCY_FIELDS = ("position", "department", "city", "headcount", "pay_level", "salary_min", "salary_max",
                  "education", "min_experience_years", "skills", "duties", "kpis", "target_start", "language")


# --- templates -----------------------------------------------------------------

TEMPLATE_FIELDS = ("title", "general", "requirements", "duties", "rights", "responsibility", "kpis",
                   "pay_level", "education", "min_experience_years", "skills")


def templates(first_language: str | None = None) -> list[JobTemplate]:
    """The job descriptions in the reader's language first, then those with
    no language, then the other languages' (the demo ships all seven)."""
    order = sa.case((JobTemplate.language == first_language, 0), (JobTemplate.language.is_(None), 1), else_=2)
    return list(db.session.scalars(sa.select(JobTemplate).order_by(order, JobTemplate.language, JobTemplate.title)))


def save_template(template: JobTemplate | None, data: dict[str, Any]) -> JobTemplate:
    title = (data.get("title") or "").strip()
    if not title:
        raise VacancyError(_("A template needs a title."))
    clash = db.session.scalar(sa.select(JobTemplate).where(JobTemplate.title == title))
    if clash is not None and clash is not template:
        raise VacancyError(_("A template called “%(title)s” already exists.", title=title))
    if int(data.get("pay_level") or 1) not in PAY_LEVELS:
        raise VacancyError(_("The pay level is 1 to 4."))
    created = template is None
    template = template or JobTemplate()
    for name in TEMPLATE_FIELDS:
        if name in data:
            setattr(template, name, data[name] if data[name] is not None else "")
    template.title = title
    db.session.add(template)
    db.session.flush()
    audit.record("template.create" if created else "template.update", template, title=title)
    return template


# --- vacancies -----------------------------------------------------------------

def _check_vacancy_data(data: dict[str, Any]) -> None:
    if not (data.get("position") or "").strip():
        raise VacancyError(_("Name the position."))
    if int(data.get("headcount") or 0) < 1:
        raise VacancyError(_("The headcount is at least 1."))
    if int(data.get("pay_level") or 0) not in PAY_LEVELS:
        raise VacancyError(_("The pay level is 1 to 4."))
    low, high = int(data.get("salary_min") or 0), int(data.get("salary_max") or 0)
    if low < 0 or high < 0:
        raise VacancyError(_("Salaries cannot be negative."))
    if low > high:
        raise VacancyError(_("The salary range runs from the lower figure to the higher one."))
    if float(data.get("min_experience_years") or 0) < 0:
        raise VacancyError(_("Experience cannot be negative."))
    start = data.get("target_start")
    if start is not None and not isinstance(start, date):
        raise VacancyError(_("The target start is a date."))
    language = data.get("language")
    if language and shipped(str(language)) is None:
        raise VacancyError(_("Choose one of the languages offered."))


def _with_language(data: dict[str, Any]) -> dict[str, Any]:
    """"" (the organisation's) is stored as None, a code as the shipped language it names."""
    if "language" not in data:
        return data
    return {**data, "language": shipped(str(data["language"])) if data["language"] else None}


def defaults_from_template(template: JobTemplate) -> dict[str, Any]:
    return {
        "position": template.title, "pay_level": template.pay_level, "education": template.education,
        "min_experience_years": template.min_experience_years, "skills": template.skills,
        "duties": template.duties, "kpis": template.kpis, "headcount": 1,
    }


def request_vacancy(template: JobTemplate | None, data: dict[str, Any], requested_by) -> Vacancy:
    merged: dict[str, Any] = {"headcount": 1, "pay_level": 1}
    merged.update(defaults_from_template(template) if template else {})
    merged.update({k: v for k, v in data.items() if v is not None})
    _check_vacancy_data(merged)
    merged = _with_language(merged)
    vacancy = Vacancy(template_id=template.id if template else None, requested_by_id=requested_by.id, state="draft")
    for name in VACANCY_FIELDS:
        if name in merged:
            setattr(vacancy, name, merged[name])
    db.session.add(vacancy)
    db.session.flush()
    audit.record("vacancy.create", vacancy, actor_id=requested_by.id, position=vacancy.position, state="draft")
    return vacancy


def update_vacancy(vacancy: Vacancy, data: dict[str, Any], user=None, *,
                   reason: str = "") -> VacancyAmendment | None:
    """Saves an edit; the audit keeps each changed field's old and new value.
    On an approved vacancy a new headcount or pay does not apply: it becomes a
    change to approve (recruit.vacancies.amendments), with `reason`, proposed
    by `user`, and returned; the rest of the edit applies at once."""
    merged = {name: getattr(vacancy, name) for name in VACANCY_FIELDS}
    merged.update({k: v for k, v in data.items() if k in VACANCY_FIELDS})
    # a figure left empty on the form is none (the columns hold a number, not NULL)
    merged.update({name: 0 for name in ("salary_min", "salary_max", "min_experience_years") if merged[name] is None})
    _check_vacancy_data(merged)
    merged = _with_language(merged)
    changed = {name: (getattr(vacancy, name), merged[name]) for name in VACANCY_FIELDS
               if getattr(vacancy, name) != merged[name]}
    held = amendments.needs_amendment(vacancy, changed)
    proposed = None
    if held:
        if user is None:
            raise PermissionError("amend")
        proposed = amendments.propose(vacancy, held, reason, user)
    applied = {name: change for name, change in changed.items() if name not in held}
    for name, (_before, after) in applied.items():
        setattr(vacancy, name, after)
    if applied:
        db.session.flush()
        audit.record("vacancy.update", vacancy, actor_id=user.id if user is not None else None,
                     changed=amendments.before_after(applied))
    return proposed


def _who_may_transition(vacancy: Vacancy, target: str, user) -> bool:
    owner = vacancy.requested_by_id == user.id
    staff = user.has_role("admin", "recruiter")
    if vacancy.state == "draft":  # the requester's until it is sent (a reviewer may follow it, not move it)
        return owner or user.has_role("admin")
    if target == "in_review":
        return owner or user.has_role("admin")
    if target == "draft":
        return owner or user.has_role("admin")
    if target == "approved":
        return is_approver(user)
    if target in ("open", "on_hold", "filled"):
        return staff
    if target == "cancelled":
        return staff or is_approver(user) or (owner and vacancy.state in ("draft", "in_review"))
    return False


def transition(vacancy: Vacancy, target: str, user, comment: str = "") -> Vacancy:
    """Move a vacancy through draft -> in_review -> approved -> open ... ; every
    move is an audit entry (who, when, from, to) and may carry a comment."""
    source = vacancy.state
    if not can_transition(source, target):
        raise VacancyError(_("A vacancy that is %(source)s cannot become %(target)s.",
                             source=label(source, "vacancy_state"), target=label(target, "vacancy_state")))
    if not _who_may_transition(vacancy, target, user):
        raise PermissionError(target)
    again = target == "in_review" and bool(vacancy.reviews)  # it was reviewed before: a resubmission
    if target == "in_review":
        vacancy.reviews = new_chain()
    if target == "approved":
        pending = [r.label for r in vacancy.reviews if r.decision != "approved"]
        if pending:
            raise VacancyError(_("Waiting for the review of: %(who)s.", who=", ".join(pending)))
        vacancy.approved_by_id = user.id
        vacancy.approved_on = local_now().date()
    if target == "filled":
        hired = hired_count(vacancy)
        if hired < vacancy.headcount and not comment.strip():
            raise VacancyError(ngettext("Only %(num)d of %(headcount)d is hired; say why it is filled anyway.",
                                        "Only %(num)d of %(headcount)d are hired; say why it is filled anyway.",
                                        hired, headcount=vacancy.headcount))
    if target in ("filled", "cancelled"):
        amendments.close_with_vacancy(vacancy, user)
    vacancy.state = target
    comment = comment.strip()
    if comment:
        db.session.add(VacancyComment(vacancy=vacancy, author_id=user.id, state=target, body=comment))
    db.session.flush()
    audit.record("vacancy.transition", vacancy, actor_id=user.id, **{"from": source, "to": target, "comment": comment})
    if target == "in_review":
        notifications.submitted(vacancy, user, comment, again=again)
    elif target == "draft":
        notifications.withdrawn(vacancy, user, comment)
    elif target == "approved":
        notifications.approved(vacancy, user, comment)
    else:
        notifications.state_changed(vacancy, source, user, comment)
    return vacancy


def review(vacancy: Vacancy, review_id: int, decision: str, comment: str, user) -> VacancyReview:
    """A reviewer's step, on the vacancy or on a change of its headcount or pay.
    Asking for changes sends the vacancy back to its requester's draft."""
    item = db.session.get(VacancyReview, review_id)
    if item is not None and item.vacancy_id == vacancy.id and item.amendment_id is not None:
        return amendments.review(item, decision, comment, user)
    if vacancy.state != "in_review":
        raise VacancyError(_("This vacancy is not in review."))
    if item is None or item.vacancy_id != vacancy.id:
        raise VacancyError(_("No such review step."))
    comment = decide(item, decision, comment, user)
    if comment:
        db.session.add(VacancyComment(vacancy=vacancy, author_id=user.id, state=vacancy.state,
                                      body=f"[{item.label}] {comment}"))
    audit.record("vacancy.review", vacancy, actor_id=user.id, step=item.label, decision=decision, comment=comment)
    if decision == "changes_requested":
        vacancy.state = "draft"
        audit.record("vacancy.transition", vacancy, actor_id=user.id, **{"from": "in_review", "to": "draft",
                                                        "comment": f"{item.label}: changes requested"})
        notifications.changes_asked(vacancy, item, user, comment)
    else:
        notifications.step_approved(vacancy, item, user, comment)
    db.session.flush()
    return item


def add_comment(vacancy: Vacancy, body: str, user) -> VacancyComment:
    body = (body or "").strip()
    if not body:
        raise VacancyError(_("Write something first."))
    comment = VacancyComment(vacancy=vacancy, author_id=user.id, state=vacancy.state, body=body[:5000])
    db.session.add(comment)
    db.session.flush()
    audit.record("vacancy.comment", vacancy, actor_id=user.id, state=vacancy.state)
    return comment


def visible_vacancies(user, state: str | None = None) -> sa.Select:
    stmt = sa.select(Vacancy).order_by(Vacancy.updated_at.desc())
    if state:
        stmt = stmt.where(Vacancy.state == state)
    if user.has_role("admin"):
        return stmt
    clauses = [Vacancy.requested_by_id == user.id]
    if user.has_role("recruiter") or is_approver(user):
        clauses.append(Vacancy.state != "draft")
    clauses.append(sa.and_(Vacancy.state != "draft", Vacancy.id.in_(
        sa.select(VacancyReview.vacancy_id).where(VacancyReview.reviewer_id == user.id))))
    clauses.append(sa.and_(Vacancy.state == "draft", sent_back_by(user)))
    return stmt.where(sa.or_(*clauses))


def vacancy_list(user, state: str | None = None, *, limit: int | None = None) -> list[Vacancy]:
    """The vacancies page (and the first `limit` on the home page): what
    `visible_vacancies` lets this user see, newest change first."""
    return list(db.session.scalars(visible_vacancies(user, state).limit(limit)))


def template_or_none(template_id: int | None) -> JobTemplate | None:
    """The template a new vacancy starts from, or None (the page then offers the list)."""
    return db.session.get(JobTemplate, template_id) if template_id else None


def awaiting_me(user) -> list[Vacancy]:
    """Vacancies in review, or with a change of headcount or pay, waiting for
    this user's review or approval."""
    stmt = sa.select(Vacancy).where(Vacancy.state == "in_review").options(orm.selectinload(Vacancy.reviews))
    result = []
    for vacancy in db.session.scalars(stmt):
        mine = [r for r in vacancy.reviews if r.reviewer_id == user.id and r.decision == "pending"]
        ready = all(r.decision == "approved" for r in vacancy.reviews)
        if mine or (ready and is_approver(user)):
            result.append(vacancy)
    return result + [v for v in amendments.waiting_for(user) if v not in result]


def allowed_transitions(vacancy: Vacancy, user) -> list[str]:

    return [t for t in VACANCY_TRANSITIONS[vacancy.state] if _who_may_transition(vacancy, t, user)]


# --- funnel --------------------------------------------------------------------

def hired_count(vacancy: Vacancy) -> int:
    return db.session.scalar(sa.select(sa.func.count(Application.id)).where(
        Application.vacancy_id == vacancy.id, Application.stage == "hired")) or 0


@dataclass(frozen=True)
class FunnelData:
    forecast: funnel.Forecast
    hired: int
    in_pipeline: dict[str, int]


def observed_rates() -> tuple[funnel.Rate, funnel.Rate, funnel.Rate]:
    """The organisation's own conversions over decided applications."""
    closed = Application.stage.in_(CLOSED)
    far = Application.furthest_stage
    invited, interviewed, hired = STAGE_INDEX["invited"], STAGE_INDEX["interviewed"], STAGE_INDEX["hired"]

    def count(cond):
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

    row = db.session.execute(sa.select(
        count(sa.or_(far >= 1, sa.and_(closed, far == 0))),
        count(far >= invited),
        count(sa.or_(far >= interviewed, sa.and_(closed, far == invited))),
        count(far >= interviewed),
        count(sa.and_(far >= interviewed, sa.or_(Application.stage == "hired", closed))),
        count(sa.and_(far >= hired, Application.stage == "hired")),
    )).one()
    screened, n_invited, invited_decided, n_interviewed, interviewed_decided, n_hired = (int(x) for x in row)
    return (
        funnel.Rate(n_invited, screened, funnel.DEFAULT_INVITE_RATE),
        funnel.Rate(n_interviewed, invited_decided, funnel.DEFAULT_SHOW_RATE),
        funnel.Rate(n_hired, interviewed_decided, funnel.DEFAULT_HIRE_RATE),
    )


def stage_counts(vacancy: Vacancy) -> dict[str, int]:
    """Read from the counts the database keeps (see VacancyStageCount)."""
    return stage_counts_of([vacancy])[vacancy.id]


def stage_counts_of(vacancies: list[Vacancy]) -> dict[int, dict[str, int]]:
    """The stage counts of every vacancy of a list, in one query (a list page
    reads them all at once, not one query per row)."""
    counts: dict[int, dict[str, int]] = {v.id: {} for v in vacancies}
    if not counts:
        return counts
    db.session.flush()
    rows = db.session.execute(
        sa.select(VacancyStageCount.vacancy_id, VacancyStageCount.stage, VacancyStageCount.count)
        .where(VacancyStageCount.vacancy_id.in_(list(counts)), VacancyStageCount.count > 0)
    ).all()
    for vacancy_id, stage, count in rows:
        counts[vacancy_id][stage] = count
    return counts


def funnel_for(vacancy: Vacancy) -> FunnelData:
    counts = stage_counts(vacancy)
    hired = counts.get("hired", 0)
    invite_rate, show_rate, hire_rate = observed_rates()
    return FunnelData(funnel.forecast(vacancy.headcount - hired, invite_rate, show_rate, hire_rate), hired, counts)


def forecasts(vacancies: list[Vacancy], counts: dict[int, dict[str, int]]) -> dict[int, funnel.Forecast]:
    """What each open vacancy still needs, from one reading of the rates."""
    rates = observed_rates()
    return {v.id: funnel.forecast(max(v.headcount - counts.get(v.id, {}).get("hired", 0), 0), *rates)
            for v in vacancies if v.state == "open"}


def approver():
    return get_settings().approver
