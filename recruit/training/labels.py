"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself.

The kinds:
- `plan_state`: an onboarding plan's state (models.PLAN_STATES), lower case,
  as in the plan filter ("running", "ready", "ended");
- `plan_filter`: the plan overview's state filter (the states and "all");
- `task_owner`: who owns a task (models.OWNER_ROLES);
- `criterion_kind`: an exit criterion's kind (criteria.KINDS);
- `activity_metric`: an activity figure (criteria.METRICS);
- `activity_source`: where a number of the activity log came from
  (models.ACTIVITY_SOURCES);
- `sign_off_role`: who signs a stage off ("mentor", "curator");
- `head_decision`: the head of department's decision after a failed
  role-play ("extend", "end");
- `role_play_result`: a role-play try ("passed", "failed": stored as a boolean,
  the form's and the page's words);
- `training_yes_no`: the yes/no cells of the exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels

PLAN_STATE = {
    "active": _l("running"),
    "ready": _l("ready"),
    "ended": _l("ended"),
}

PLAN_FILTER = {**PLAN_STATE, "all": _l("all")}

TASK_OWNER = {
    "new_hire": _l("New hire"),
    "mentor": _l("Mentor"),
    "curator": _l("Curator"),
    "sysadmin": _l("System administrator"),
    "head": _l("Head of department"),
    "hr": _l("HR"),
}

CRITERION_KIND = {
    "tasks_done": _l("All required tasks done"),
    "activity": _l("Activity target met"),
    "quiz_passed": _l("Quiz passed"),
    "role_play": _l("Role-play deal passed within the allowed tries"),
    "sign_off": _l("Sign-off"),
}

ACTIVITY_METRIC = {
    "calls": _l("Calls"),
    "email_offers": _l("E-mail offers"),
    "phone_offers": _l("Phone offers"),
    "meetings": _l("Meetings"),
    "leads": _l("Leads"),
    "contracts": _l("Contracts"),
}

ACTIVITY_SOURCE = {
    "hire": _l("entered by the new hire"),
    "mentor": _l("entered by the mentor"),
    "admin": _l("entered by an administrator"),
    "crm": _l("CRM import"),
}

SIGN_OFF_ROLE = {
    "mentor": _l("Mentor"),
    "curator": _l("Curator"),
}

HEAD_DECISION = {
    "extend": _l("extend the plan"),
    "end": _l("end the plan"),
}

ROLE_PLAY_RESULT = {
    "passed": _l("passed"),
    "failed": _l("failed"),
}

YES_NO = {
    "yes": _l("yes"),
    "no": _l("no"),
}


def register() -> None:
    """Called by create_app."""
    register_labels("plan_state", PLAN_STATE)
    register_labels("plan_filter", PLAN_FILTER)
    register_labels("task_owner", TASK_OWNER)
    register_labels("criterion_kind", CRITERION_KIND)
    register_labels("activity_metric", ACTIVITY_METRIC)
    register_labels("activity_source", ACTIVITY_SOURCE)
    register_labels("sign_off_role", SIGN_OFF_ROLE)
    register_labels("head_decision", HEAD_DECISION)
    register_labels("role_play_result", ROLE_PLAY_RESULT)
    register_labels("training_yes_no", YES_NO)
