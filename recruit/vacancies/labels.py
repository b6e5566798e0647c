"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself.

Kinds: "vacancy_state", "application_stage", "stage_move" (the stages plus
"reopen", for the move control), "review_decision", "amendment_state" (a
change of headcount or pay), "pay_level",
"audit_event" (every audit action code, for the histories and the audit
trail) and "audit_detail" (the keys of an entry's details). Vacancy
states and review decisions read lower case, as they sit inside sentences
("The vacancy is now in review.")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels

VACANCY_STATE_LABELS = {
    "draft": _l("draft"),
    "in_review": _l("in review"),
    "approved": _l("approved"),
    "open": _l("open"),
    "on_hold": _l("on hold"),
    "filled": _l("filled"),
    "cancelled": _l("cancelled"),
}

APPLICATION_STAGE_LABELS = {
    "new": _l("New"),
    "screened": _l("Screened"),
    "invited": _l("Invited"),
    "interviewed": _l("Interviewed"),
    "role_play": _l("Role-play"),
    "offer": _l("Offer"),
    "hired": _l("Hired"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

STAGE_MOVE_LABELS = {**APPLICATION_STAGE_LABELS, "reopen": _l("Reopen")}

REVIEW_DECISION_LABELS = {
    "pending": _l("pending"),
    "approved": _l("approved"),
    "changes_requested": _l("changes requested"),
}

# a change of headcount or pay (VacancyAmendment), inside sentences ("The change is now approved.")
AMENDMENT_STATE_LABELS = {
    "pending": _l("waiting for approval"),
    "approved": _l("approved"),
    "returned": _l("sent back for changes"),
    "declined": _l("declined"),
    "withdrawn": _l("withdrawn"),
}

PAY_LEVEL_LABELS = {
    1: _l("Level 1: no experience (students, first job)"),
    2: _l("Level 2: a year or more, knows 1C, consults clients, handles conflict"),
    3: _l("Level 3: two years or more, finds and wins new clients"),
    4: _l("Level 4: lead account manager, three years or more, higher education"),
}

# What happened, as the histories and the audit trail name it. The codes stay
# English in the database and the logs.
AUDIT_EVENT_LABELS = {
    "activity.log": _l("activity logged"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "application.bulk_email": _l("e-mail sent to several candidates"),
    "application.move": _l("moved to another stage"),
    "attempt.grade": _l("quiz attempt graded"),
    "attempt.retake_requested": _l("quiz retake requested"),
    "attempt.sign_off": _l("quiz attempt signed off"),
    "attempt.start": _l("quiz attempt started"),
    "attempt.submit": _l("quiz attempt submitted"),
    "booking.another_day": _l("another day chosen after a day was cancelled"),
    "booking.call": _l("call recorded"),
    "booking.cancel": _l("interview booking cancelled"),
    "booking.check_in": _l("checked in"),
    "booking.check_in_undone": _l("check-in undone"),
    "booking.confirm": _l("interview booking confirmed"),
    "booking.create": _l("interview booked"),
    "booking.decline": _l("interview declined"),
    "booking.no_show": _l("did not come to the interview"),
    "booking.offered_from_waitlist": _l("seat offered from the waiting list"),
    "booking.reschedule": _l("interview rescheduled"),
    "booking.sent_in": _l("sent in to the interview"),
    "candidate.add": _l("candidate added"),
    "candidate.anonymise": _l("personal data erased"),
    "candidate.language": _l("language changed"),
    "candidate.resume_download": _l("résumé downloaded"),
    "candidate.resume_upload": _l("résumé uploaded"),
    "candidate.retention_run": _l("retention period applied"),
    "candidate.retention_skipped": _l("kept past the retention period"),
    "candidate.update": _l("candidate edited"),
    "channel.alias_added": _l("channel spelling added"),
    "channel.alias_removed": _l("channel spelling removed"),
    "channel.merged": _l("channels merged"),
    "channel.renamed": _l("channel renamed"),
    "channel.cost_set": _l("channel cost entered"),
    "channel.cost_removed": _l("channel cost removed"),
    "criterion.override": _l("criterion overridden"),
    "import.done": _l("import finished"),
    "interview_kit.save": _l("interview kit saved"),
    "import.drop": _l("upload dropped"),
    "import.failed": _l("import failed"),
    "import.run": _l("import started"),
    "import.upload": _l("file uploaded for import"),
    "interview_session.cancel": _l("interview day cancelled"),
    "interview_session.create": _l("interview day created"),
    "interview_session.interviewer_hours": _l("interviewer hours changed"),
    "interview_session.interviewer_removed": _l("interviewer removed"),
    "interview_session.plan_override": _l("interview plan overridden"),
    "onboarding_plan.decision": _l("onboarding decision recorded"),
    "onboarding_plan.ready": _l("onboarding plan ready"),
    "onboarding_plan.start": _l("onboarding started"),
    "onboarding_template.create": _l("onboarding template created"),
    "onboarding_template.details": _l("onboarding template details changed"),
    "onboarding_template.add_stage": _l("onboarding stage added"),
    "onboarding_template.save_stage": _l("onboarding stage edited"),
    "onboarding_template.stage_up": _l("onboarding stage moved up"),
    "onboarding_template.stage_down": _l("onboarding stage moved down"),
    "onboarding_template.delete_stage": _l("onboarding stage removed"),
    "onboarding_template.add_task": _l("onboarding task added"),
    "onboarding_template.task_up": _l("onboarding task moved up"),
    "onboarding_template.task_down": _l("onboarding task moved down"),
    "onboarding_template.delete_task": _l("onboarding task removed"),
    "outbox.send_again": _l("message sent again"),
    "plan_task.done": _l("task done"),
    "plan_task.reopened": _l("task reopened"),
    "question.edit": _l("question edited"),
    "question_bank.import": _l("questions imported"),
    "quiz.adjust": _l("quiz adjusted"),
    "quiz.review_options": _l("quiz review options changed"),
    "role_play.try": _l("role-play tried"),
    "scorecard.save": _l("scorecard saved"),
    "settings.country_defaults": _l("country defaults applied"),
    "settings.holiday_add": _l("holiday added"),
    "settings.holiday_remove": _l("holiday removed"),
    "settings.holidays_import": _l("public holidays imported"),
    "settings.require_two_factor": _l("two-factor requirement changed"),
    "settings.review_step_add": _l("review step added"),
    "settings.review_step_remove": _l("review step removed"),
    "settings.update": _l("settings changed"),
    "stage.sign_off": _l("stage signed off"),
    "template.create": _l("job description created"),
    "template.update": _l("job description edited"),
    "user.create": _l("user created"),
    "user.password_reset_requested": _l("password reset requested"),
    "user.password_set": _l("password set"),
    "user.recovery_code_used": _l("recovery code used"),
    "user.recovery_codes_new": _l("new recovery codes made"),
    "user.sign_out": _l("signed out"),
    "user.sign_out_everywhere": _l("signed out everywhere else"),
    "user.two_factor_off": _l("two-factor sign-in switched off"),
    "user.two_factor_on": _l("two-factor sign-in switched on"),
    "user.update": _l("user edited"),
    "vacancy.amendment_approved": _l("change of headcount or pay approved"),
    "vacancy.amendment_declined": _l("change of headcount or pay declined"),
    "vacancy.amendment_proposed": _l("change of headcount or pay proposed"),
    "vacancy.amendment_returned": _l("change of headcount or pay sent back"),
    "vacancy.amendment_reviewed": _l("change of headcount or pay reviewed"),
    "vacancy.amendment_withdrawn": _l("change of headcount or pay withdrawn"),
    "vacancy.comment": _l("comment added"),
    "vacancy.create": _l("vacancy requested"),
    "vacancy.review": _l("review recorded"),
    "vacancy.transition": _l("state changed"),
    "vacancy.update": _l("vacancy edited"),
}

# The details an audit entry carries, as the audit trail names them; a key
# without words shows as itself, its underscores as spaces.
AUDIT_DETAIL_LABELS = {
    "from": _l("from"), "to": _l("to"), "comment": _l("comment"), "reason": _l("reason"), "step": _l("step"),
    "decision": _l("decision"), "state": _l("state"), "stage": _l("stage"), "position": _l("position"),
    "title": _l("title"), "name": _l("name"), "email": _l("e-mail"), "roles": _l("roles"), "role": _l("role"),
    "user": _l("user"), "vacancy_id": _l("vacancy"), "reviewer_id": _l("reviewer"), "label": _l("label"),
    "changed": _l("changed"), "before": _l("before"), "after": _l("after"), "created": _l("created"),
    "linked": _l("linked"), "already": _l("already there"), "count": _l("count"), "rows": _l("rows"),
    "filename": _l("file"), "size": _l("size"), "skip_bad_rows": _l("bad rows skipped"), "version": _l("version"),
    "language": _l("language"), "country": _l("country"), "year": _l("year"), "via": _l("via"),
    "kind": _l("kind"), "type": _l("type"), "note": _l("note"), "score": _l("score"), "passed": _l("passed"),
    "evidence": _l("evidence"), "interviewer": _l("interviewer"), "slot": _l("slot"), "to_slot": _l("new slot"),
    "day": _l("day"), "number": _l("number"), "required": _l("required"), "left": _l("left"),
    "by_deadline": _l("by the deadline"), "kept": _l("kept"), "amendment": _l("change"),
    "free_text_cleaned": _l("texts cleaned"), "audit_entries_redacted": _l("audit entries redacted"),
    "messages_dropped": _l("messages dropped"), "messages_redacted": _l("messages redacted"),
    "messages_scrubbed": _l("messages cleaned"), "outcome": _l("outcome"),
    "call_notes_erased": _l("call notes erased"),
}


# An upload's state as the import pages show it (the `label` filter, kind "import_status").
IMPORT_STATUS_LABELS = {
    "uploaded": _l("uploaded"),
    "checked": _l("checked"),
    "queued": _l("queued"),
    "importing": _l("importing"),
    "done": _l("imported"),
    "failed": _l("failed"),
    "dropped": _l("dropped"),
}


def register() -> None:
    """Called by create_app."""
    register_labels("vacancy_state", VACANCY_STATE_LABELS)
    register_labels("import_status", IMPORT_STATUS_LABELS)
    register_labels("application_stage", APPLICATION_STAGE_LABELS)
    register_labels("stage_move", STAGE_MOVE_LABELS)
    register_labels("review_decision", REVIEW_DECISION_LABELS)
    register_labels("amendment_state", AMENDMENT_STATE_LABELS)
    register_labels("pay_level", PAY_LEVEL_LABELS)
    register_labels("audit_event", AUDIT_EVENT_LABELS)
    register_labels("audit_detail", AUDIT_DETAIL_LABELS)
