"""The vacancy's approval as e-mail. The reviewers, the approver and the
requester hear of each step that asks something of them or answers them,
each in their own language (their account's, else the organisation's), with
the link to the vacancy. Every message is an outbox row first (recruit.mail),
so a failing SMTP server delays it and loses nothing. Nobody is told of a
step they took themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit import audit
from recruit.auth.models import User
from recruit.auth.services import users_with_role
from recruit.i18n import in_language, reader_language
from recruit.mail import OutboxMessage, absolute_url, queue_mail
from recruit.organisation.money import format_money
from recruit.organisation.services import get_settings
from recruit.vacancies.models import Vacancy, VacancyAmendment, VacancyReview

Words = Callable[[User], str]
SUBJECT_MAX = OutboxMessage.subject.type.length

# the vacancy's fields as its form and page name them, in the form's order
FIELD_WORDS = {
    "position": _l("Position"), "department": _l("Department"), "city": _l("City"), "headcount": _l("Headcount"),
    "pay_level": _l("Pay level"), "salary_min": _l("Salary from"), "salary_max": _l("Salary to"),
    "education": _l("Education"), "min_experience_years": _l("Minimum experience, years"), "skills": _l("Skills"),
    "duties": _l("Duties"), "kpis": _l("KPIs"), "target_start": _l("Target start date"),
    "language": _l("Candidates' language"),
}


def approvers() -> list[User]:
    """Who gives the final approval: the organisation's approver, else every admin."""
    settings = get_settings()
    if settings.approver_id is not None:
        return [settings.approver] if settings.approver is not None else []
    return users_with_role("admin")


def _send(people: Iterable[User | None], actor: User | None, kind: str, vacancy: Vacancy, subject: Words,
          sentence: Words, *, comment: str = "", lines: Callable[[], list[str]] | None = None) -> int:
    """One message per person (once each, never to the actor), written in
    their language: the greeting, what happened, the details, the link."""
    link = absolute_url("vacancies.detail", vacancy_id=vacancy.id)
    seen: set[int] = set()
    for person in people:
        if person is None or person.id in seen or not person.active or not person.email:
            continue
        seen.add(person.id)
        if actor is not None and person.id == actor.id:
            continue
        with in_language(reader_language(person)):
            parts = [_("Hello %(name)s,", name=person.full_name), sentence(person)]
            details = lines() if lines else []
            if details:
                parts.append("\n".join(details))
            if comment:
                parts.append(_("Comment: %(comment)s", comment=comment))
            parts.append(_("Open the vacancy: %(link)s", link=link))
            # a long position and city must not overflow the subject's column (PostgreSQL refuses it)
            queue_mail(person.email, subject(person)[:SUBJECT_MAX], "\n\n".join(parts), kind=kind, related=vacancy)
    return len(seen)


def _steps_of(person: User, items: list[VacancyReview]) -> str:
    return ", ".join(r.label for r in items if r.reviewer_id == person.id)


def _reviewers(items: list[VacancyReview]) -> list[User]:
    return [r.reviewer for r in items]


# --- the vacancy's own review and approval ---------------------------------------------

def submitted(vacancy: Vacancy, actor: User, comment: str, *, again: bool) -> None:
    """Sent for review (`again`: after changes were asked for): each reviewer
    is asked for their steps; with no review chain, the approver at once."""
    title = vacancy.title
    if not vacancy.reviews:
        ready_for_approval(vacancy, actor, comment)
        return
    if again:
        changed = changed_since_sent_back(vacancy)
        _send(_reviewers(vacancy.reviews), actor, "vacancy.resubmitted", vacancy,
              lambda p: _("Changed, please review again: %(title)s", title=title),
              lambda p: _("%(who)s changed the vacancy “%(title)s” and sends it for review again. "
                          "Your step: %(steps)s.", who=actor.full_name, title=title,
                          steps=_steps_of(p, vacancy.reviews)), comment=comment,
              lines=lambda: [_("What changed: %(fields)s", fields=", ".join(str(FIELD_WORDS[f]) for f in changed))]
              if changed else [])
    else:
        _send(_reviewers(vacancy.reviews), actor, "vacancy.submitted", vacancy,
              lambda p: _("Please review: %(title)s", title=title),
              lambda p: _("%(who)s asks you to review the vacancy “%(title)s”. Your step: %(steps)s.",
                          who=actor.full_name, title=title, steps=_steps_of(p, vacancy.reviews)), comment=comment)


def changed_since_sent_back(vacancy: Vacancy) -> list[str]:
    """The fields edited since the vacancy last went back to draft, in form
    order: what a reviewer reads again."""
    entries = audit.history("vacancies", vacancy.id)
    back = max((i for i, e in enumerate(entries)
                if e.action == "vacancy.transition" and (e.data or {}).get("to") == "draft"), default=None)
    if back is None:
        return []
    edited = {name for e in entries[back + 1:] if e.action == "vacancy.update" for name in (e.data or {}).get(
        "changed", {})}
    return [name for name in FIELD_WORDS if name in edited]


def ready_for_approval(vacancy: Vacancy, actor: User | None, comment: str = "") -> None:
    title = vacancy.title
    _send(approvers(), actor, "vacancy.ready_for_approval", vacancy,
          lambda p: _("Ready for your approval: %(title)s", title=title),
          lambda p: _("The vacancy “%(title)s”, requested by %(who)s, has every review it needs and waits "
                      "for your approval.", title=title, who=vacancy.requested_by.full_name), comment=comment)


def step_approved(vacancy: Vacancy, item: VacancyReview, actor: User, comment: str) -> None:
    title = vacancy.title
    _send([vacancy.requested_by], actor, "vacancy.step_approved", vacancy,
          lambda p: _("Review step approved: %(title)s", title=title),
          lambda p: _("%(who)s approved the step “%(step)s” of your vacancy “%(title)s”.",
                      who=actor.full_name, step=item.label, title=title), comment=comment)
    if all(r.decision == "approved" for r in vacancy.reviews):
        ready_for_approval(vacancy, actor)


def changes_asked(vacancy: Vacancy, item: VacancyReview, actor: User, comment: str) -> None:
    title = vacancy.title
    _send([vacancy.requested_by], actor, "vacancy.changes_requested", vacancy,
          lambda p: _("Changes asked for: %(title)s", title=title),
          lambda p: _("%(who)s (%(step)s) asks for changes to your vacancy “%(title)s”. It is back in draft: "
                      "make the changes and send it for review again.", who=actor.full_name, step=item.label,
                      title=title), comment=comment)
    _send(_reviewers(vacancy.reviews), actor, "vacancy.sent_back", vacancy,
          lambda p: _("Sent back for changes: %(title)s", title=title),
          lambda p: _("%(who)s (%(step)s) sent the vacancy “%(title)s” back for changes. You will be asked "
                      "to review it again when it is sent back.", who=actor.full_name, step=item.label,
                      title=title), comment=comment)


def withdrawn(vacancy: Vacancy, actor: User, comment: str) -> None:
    title = vacancy.title
    waiting = [r for r in vacancy.reviews if r.decision == "pending"]
    people = _reviewers(waiting) + (approvers() if not waiting else [])
    _send(people, actor, "vacancy.withdrawn", vacancy,
          lambda p: _("Withdrawn from review: %(title)s", title=title),
          lambda p: _("%(who)s took the vacancy “%(title)s” back to draft. Nothing waits for you on it "
                      "until it is sent for review again.", who=actor.full_name, title=title), comment=comment)


def approved(vacancy: Vacancy, actor: User, comment: str) -> None:
    title = vacancy.title
    _send([vacancy.requested_by, *_reviewers(vacancy.reviews)], actor, "vacancy.approved", vacancy,
          lambda p: _("Approved: %(title)s", title=title),
          lambda p: _("%(who)s approved the vacancy “%(title)s”. Recruiters can now open it for candidates.",
                      who=actor.full_name, title=title), comment=comment)


STATE_NEWS: dict[str, tuple[Any, Any]] = {
    "open": (_l("Open for candidates: %(title)s"), _l("%(who)s opened the vacancy “%(title)s” for candidates.")),
    "on_hold": (_l("On hold: %(title)s"), _l("%(who)s put the vacancy “%(title)s” on hold.")),
    "filled": (_l("Filled: %(title)s"), _l("%(who)s marked the vacancy “%(title)s” filled.")),
    "cancelled": (_l("Cancelled: %(title)s"), _l("%(who)s cancelled the vacancy “%(title)s”.")),
}


def state_changed(vacancy: Vacancy, source: str, actor: User, comment: str) -> None:
    """Opened, on hold, filled or cancelled: the requester hears of it; a
    cancellation (a refusal, when it was in review) reaches everyone it involved."""
    subject, sentence = STATE_NEWS[vacancy.state]
    people = [vacancy.requested_by]
    if vacancy.state == "cancelled" and source != "draft":
        people += _reviewers(vacancy.reviews)
        people += approvers() if source == "in_review" else [vacancy.approved_by]
    title = vacancy.title
    _send(people, actor, f"vacancy.{vacancy.state}", vacancy,
          lambda p: str(subject) % {"title": title},
          lambda p: str(sentence) % {"who": actor.full_name, "title": title}, comment=comment)


# --- a change of headcount or pay ----------------------------------------------------------

def _value(name: str, value: Any) -> str:
    if name in ("salary_min", "salary_max"):
        return format_money(value)
    return format_decimal(value)


def change_lines(amendment: VacancyAmendment) -> list[str]:
    """"Headcount: 2 → 3", one line per changed field, in the reader's language."""
    lines = [_("%(field)s: %(before)s → %(after)s", field=str(FIELD_WORDS[name]), before=_value(name, before),
               after=_value(name, after)) for name, (before, after) in amendment.changes.items()]
    if amendment.reason:
        lines.append(_("Reason: %(reason)s", reason=amendment.reason))
    return lines


def amendment_proposed(amendment: VacancyAmendment, actor: User) -> None:
    vacancy, title = amendment.vacancy, amendment.vacancy.title
    if amendment.reviews:
        _send(_reviewers(amendment.reviews), actor, "vacancy.amendment_proposed", vacancy,
              lambda p: _("Change to review: %(title)s", title=title),
              lambda p: _("%(who)s proposes to change the headcount or pay of the approved vacancy “%(title)s”. "
                          "Your step: %(steps)s. Until the change is approved the vacancy keeps its approved "
                          "values.", who=actor.full_name, title=title, steps=_steps_of(p, amendment.reviews)),
              lines=lambda: change_lines(amendment))
    else:
        amendment_ready(amendment, actor)
    _send([vacancy.requested_by], actor, "vacancy.amendment_proposed", vacancy,
          lambda p: _("Change proposed: %(title)s", title=title),
          lambda p: _("%(who)s proposes to change the headcount or pay of your vacancy “%(title)s”. It goes "
                      "through review and approval; until then the approved values stay.",
                      who=actor.full_name, title=title), lines=lambda: change_lines(amendment))


def amendment_ready(amendment: VacancyAmendment, actor: User | None) -> None:
    vacancy, title = amendment.vacancy, amendment.vacancy.title
    _send(approvers(), actor, "vacancy.amendment_ready", vacancy,
          lambda p: _("Change ready for your approval: %(title)s", title=title),
          lambda p: _("The change to the vacancy “%(title)s” proposed by %(who)s has every review it needs "
                      "and waits for your approval.", title=title, who=amendment.requested_by.full_name),
          lines=lambda: change_lines(amendment))


def amendment_returned(amendment: VacancyAmendment, item: VacancyReview, actor: User, comment: str) -> None:
    vacancy, title = amendment.vacancy, amendment.vacancy.title
    _send([amendment.requested_by, vacancy.requested_by], actor, "vacancy.amendment_returned", vacancy,
          lambda p: _("Change sent back: %(title)s", title=title),
          lambda p: _("%(who)s (%(step)s) asks for changes to the proposed change of the vacancy “%(title)s”. "
                      "The approved values stay; propose the change again when it is reworked.",
                      who=actor.full_name, step=item.label, title=title),
          comment=comment, lines=lambda: change_lines(amendment))


def amendment_decided(amendment: VacancyAmendment, actor: User, comment: str) -> None:
    vacancy, title = amendment.vacancy, amendment.vacancy.title
    people = [amendment.requested_by, vacancy.requested_by, *_reviewers(amendment.reviews)]
    if amendment.state == "approved":
        subject = lambda p: _("Change approved: %(title)s", title=title)  # noqa: E731
        sentence = lambda p: _("%(who)s approved the change to the vacancy “%(title)s”; the new values "  # noqa: E731
                               "apply from now on.", who=actor.full_name, title=title)
    else:
        subject = lambda p: _("Change declined: %(title)s", title=title)  # noqa: E731
        sentence = lambda p: _("%(who)s declined the change to the vacancy “%(title)s”; the approved "  # noqa: E731
                               "values stay.", who=actor.full_name, title=title)
    _send(people, actor, f"vacancy.amendment_{amendment.state}", vacancy, subject, sentence, comment=comment,
          lines=lambda: change_lines(amendment))


def amendment_withdrawn(amendment: VacancyAmendment, actor: User) -> None:
    vacancy, title = amendment.vacancy, amendment.vacancy.title
    waiting = [r for r in amendment.reviews if r.decision == "pending"]
    people = _reviewers(waiting) + (approvers() if not waiting else []) + [vacancy.requested_by]
    _send(people, actor, "vacancy.amendment_withdrawn", vacancy,
          lambda p: _("Change withdrawn: %(title)s", title=title),
          lambda p: _("%(who)s withdrew the proposed change to the vacancy “%(title)s”; the approved values "
                      "stay.", who=actor.full_name, title=title), lines=lambda: change_lines(amendment))
