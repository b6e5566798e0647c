"""Structured interview kits: the criteria a vacancy's interviewers score,
each with the question to ask and what a 1 and a 5 look like, so that two
interviewers judge the same thing the same way and the decision compares
like with like. A vacancy without a kit of its own is offered one drawn
from its job description (experience, education, the listed skills)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.extensions import db
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import KitCriterion
from recruit.vacancies.models import Vacancy

MAX_CRITERIA = 12
_SKILL_SPLIT = re.compile(r"[,;\n]+")


@dataclass
class CriterionDraft:
    name: str
    question: str = ""
    low: str = ""
    high: str = ""


_KIT = (sa.select(KitCriterion).where(KitCriterion.vacancy_id == sa.bindparam("vacancy_id"))
        .order_by(KitCriterion.position, KitCriterion.id))


def kit(vacancy_id: int) -> list[KitCriterion]:
    return list(db.session.scalars(_KIT, {"vacancy_id": vacancy_id}))


def suggested(vacancy: Vacancy) -> list[CriterionDraft]:
    """A first kit from the job description, for the recruiter to sharpen."""
    drafts: list[CriterionDraft] = []
    years = vacancy.min_experience_years or 0
    drafts.append(CriterionDraft(
        _("Sales experience"),
        _("Tell me about a client you won: how did you find them and what did you offer?"),
        _("No sales experience, or cannot give an example."),
        _("At least %(years)s years in sales with concrete, checkable results.", years=f"{years:g}")
        if years else _("Concrete, checkable sales results and clients they can name.")))
    for skill in _SKILL_SPLIT.split(vacancy.skills or ""):
        name = skill.strip().rstrip(".")[:120]
        if not name or any(d.name.casefold() == name.casefold() for d in drafts):
            continue
        drafts.append(CriterionDraft(
            name, _("How have you used this in your work? Show or describe a recent example."),
            _("Has not used it and cannot describe it."),
            _("Uses it every day and shows it with a recent, concrete example.")))
    if vacancy.education:
        drafts.append(CriterionDraft(
            _("Education"), _("What did you study, and what of it do you use?"),
            _("Does not meet the requirement: %(education)s.", education=vacancy.education),
            _("Meets the requirement (%(education)s) and applies what they learnt.", education=vacancy.education)))
    return drafts[:MAX_CRITERIA]


def save(vacancy: Vacancy, drafts: list[CriterionDraft], by) -> list[KitCriterion]:
    """Replace the vacancy's kit. A criterion keeps its row while its name
    stays, so scores already given still point at it; rows left empty are
    dropped, and a name given twice is refused, not merged."""
    clean = [CriterionDraft(d.name.strip()[:120], d.question.strip(), d.low.strip(), d.high.strip())
             for d in drafts if d.name.strip()]
    if len(clean) > MAX_CRITERIA:
        raise InterviewError(_("A kit holds at most %(n)d criteria.", n=MAX_CRITERIA))
    seen: set[str] = set()
    for draft in clean:
        key = draft.name.casefold()
        if key in seen:
            raise InterviewError(_("The criterion “%(name)s” is listed twice.", name=draft.name))
        seen.add(key)
        if not draft.low or not draft.high:
            raise InterviewError(_("Say what a 1 and a 5 look like for “%(name)s”.", name=draft.name))
    current = {c.name.casefold(): c for c in kit(vacancy.id)}
    kept: list[KitCriterion] = []
    for gone in set(current) - seen:
        db.session.delete(current[gone])
    db.session.flush()  # a renamed criterion's old row goes before a new one takes the name
    for position, draft in enumerate(clean):
        row = current.get(draft.name.casefold()) or KitCriterion(vacancy_id=vacancy.id)
        row.position, row.name, row.question, row.low, row.high = \
            position, draft.name, draft.question, draft.low, draft.high
        db.session.add(row)
        kept.append(row)
    db.session.flush()
    audit.record("interview_kit.save", vacancy, actor_id=by.id, criteria=[c.name for c in kept])
    return kept
