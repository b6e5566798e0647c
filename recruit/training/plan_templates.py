"""Onboarding templates: the shipped one of DOMAIN.md §3, templates from a spec,
creating and editing them (one function per edit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit, i18n
from recruit.auth.models import User
from recruit.extensions import db
from recruit.training import criteria
from recruit.training.errors import TrainingError
from recruit.training.models import (
    OnboardingTemplate,
    TemplateStage,
    TemplateTask,
)
from recruit.translatable import N_

# --- the default template (DOMAIN.md §3) -------------------------------------------------------

DEFAULT_TEMPLATE = {
    "name": N_("Sales onboarding: four stages"),
    "description": N_("Orientation, product and client base, sales training with a mentor, working rhythm under a "
                      "curator (DOMAIN.md §3)."),
    "mentor_bonus_days": 40,
    "stages": [
        {"name": N_("Orientation"), "duration_days": 2,
         "description": N_("Company information and current policy; introductions; software and first tasks."),
         "tasks": [
             (N_("Company and policy briefing"), "hr", 0, 1), (N_("Meet the team"), "head", 0, 1),
             (N_("Accounts for the office suite, 1C and the CRM; shared drives and equipment"), "sysadmin", 0, 1),
             (N_("Clients and first tasks from the head of department"), "head", 1, 1),
         ],
         "criteria": [{"kind": "tasks_done"}, {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Product and client base"), "duration_days": 5,
         "description": N_("Short training (products, the sales system, cold calls), then start building a client "
                           "base at once."),
         "tasks": [
             (N_("Product training"), "mentor", 0, 2), (N_("Cold-call technique"), "mentor", 1, 1),
             (N_("First client-base entries in the CRM"), "new_hire", 2, 3),
         ],
         "criteria": [{"kind": "tasks_done"},
                      {"kind": "activity", "metric": "calls", "min_per_day": 20, "window_days": 3},
                      {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Sales training with a mentor"), "duration_days": 20,
         "description": N_("The mentor's topics, the product study (most profitable first), the knowledge check and "
                           "the role-play deal."),
         "tasks": [
             (N_("Mentor's topics: commercial offers, documents, CRM, prospects, other departments, segments, "
                 "prices and discounts"), "mentor", 0, 10),
             (N_("Product study, most profitable products first"), "new_hire", 0, 15),
             (N_("Knowledge check"), "mentor", 15, 2), (N_("Role-play deal"), "mentor", 17, 3),
         ],
         "criteria": [{"kind": "tasks_done"},
                      {"kind": "activity", "metric": "calls", "min_per_day": 30, "window_days": 5},
                      {"kind": "quiz_passed", "quiz": "product-knowledge"},
                      {"kind": "role_play", "max_tries": 2},
                      {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Working rhythm under a curator"), "duration_days": 60,
         "description": N_("Full load under a curator who helps analyse client situations; readiness to work "
                           "independently."),
         "tasks": [(N_("Weekly review of client situations with the curator"), "curator", 0, 60),
                   (N_("Monthly report by the 3rd"), "new_hire", 15, 5)],
         "criteria": [{"kind": "activity", "metric": "calls", "min_per_day": 30, "window_days": 10},
                      {"kind": "activity", "metric": "contracts", "min_per_day": 0.2, "window_days": 20},
                      {"kind": "sign_off", "role": "curator"}]},
    ],
}


def templates() -> list[OnboardingTemplate]:
    """Every template, by name."""
    return list(db.session.scalars(sa.select(OnboardingTemplate).order_by(OnboardingTemplate.name)))


def chosen_template(template_id: int) -> OnboardingTemplate:
    """The template a new plan starts from; TrainingError when there is none with that id."""
    template = db.session.get(OnboardingTemplate, template_id)
    if template is None:
        raise TrainingError(_("Choose a template."))
    return template


def ensure_default_template() -> OnboardingTemplate:
    """The shipped template, written in the organisation's language when it is
    first made (afterwards it is the organisation's own text, edited as such)."""
    with i18n.in_language(i18n.organisation_default()):
        return _default_template()


def _shipped(text: str) -> str:
    """A text of the shipped template (marked with N_ above) in the current language."""
    return _(text)


def _default_template() -> OnboardingTemplate:
    names = {DEFAULT_TEMPLATE["name"], _shipped(DEFAULT_TEMPLATE["name"])}
    existing = db.session.scalar(sa.select(OnboardingTemplate).where(OnboardingTemplate.name.in_(names))
                                 .order_by(OnboardingTemplate.id).limit(1))
    if existing is not None:
        return existing
    return template_from_spec(DEFAULT_TEMPLATE, _shipped)


def template_from_spec(spec: dict[str, Any], words: Callable[[str], str] = str) -> OnboardingTemplate:
    """A new template from a spec shaped like DEFAULT_TEMPLATE; `words` turns
    each text into the language it is made in (the demo's content files
    give the words already written in it)."""
    template = OnboardingTemplate(name=words(spec["name"]), description=words(spec["description"]),
                                  mentor_bonus_days=spec["mentor_bonus_days"], version=1)
    for position, stage_spec in enumerate(spec["stages"], start=1):
        for item in stage_spec["criteria"]:
            criteria.validate(item["kind"], item)
        stage = TemplateStage(position=position, name=words(stage_spec["name"]),
                              description=words(stage_spec["description"]),
                              duration_days=stage_spec["duration_days"], criteria=stage_spec["criteria"])
        for task_position, (title, role, offset, duration) in enumerate(stage_spec["tasks"], start=1):
            stage.tasks.append(TemplateTask(position=task_position, title=words(title), owner_role=role,
                                            start_offset=offset, duration=duration))
        template.stages.append(stage)
    db.session.add(template)
    db.session.flush()
    audit.record("onboarding_template.create", template, name=template.name)
    return template


# --- editing templates ------------------------------------------------------------------------
# Plans copy their stages and tasks when they start, so an edit never reaches a running
# plan; each edit bumps the template's version, which new plans record.

def _bump(template: OnboardingTemplate, by: User, action: str, **data: Any) -> None:
    template.version += 1
    db.session.flush()
    db.session.expire(template, ["stages"])  # reload in the new order
    for stage in template.stages:
        db.session.expire(stage, ["tasks"])
    audit.record(f"onboarding_template.{action}", template, actor_id=by.id, version=template.version, **data)


def create_template(name: str, by: User) -> OnboardingTemplate:
    name = name.strip()
    if not name:
        raise TrainingError(_("Name the template."))
    if db.session.scalar(sa.select(OnboardingTemplate.id).where(OnboardingTemplate.name == name)):
        raise TrainingError(_("A template called “%(name)s” exists.", name=name))
    template = OnboardingTemplate(name=name, version=1)
    db.session.add(template)
    db.session.flush()
    audit.record("onboarding_template.create", template, actor_id=by.id, name=name)
    return template



# One edit from the template page, one function each; the view picks the one its form's
# action names. Each takes the template, the submitted form and who edits.

def _field(key: str) -> str:
    return {"duration_days": _("Business days"),
            "mentor_bonus_days": _("Mentor bonus: stage 3 within (business days)"),
            "start_offset": _("Start offset"), "duration": _("Duration"), "stage_id": _("Stage"),
            "task_id": _("Task")}.get(key, key)


def _number(form: dict[str, str], key: str, low: int, high: int, default: int | None = None) -> int:
    raw = (form.get(key) or "").strip()
    if not raw and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise TrainingError(_("%(field)s is a whole number.", field=_field(key))) from exc
    if not low <= value <= high:
        raise TrainingError(_("%(field)s runs from %(low)d to %(high)d.", field=_field(key),
                              low=low, high=high))
    return value


def _stage_of(template: OnboardingTemplate, form: dict[str, str]) -> TemplateStage:
    stage = db.session.get(TemplateStage, _number(form, "stage_id", 1, 10**9))
    if stage is None or stage.template_id != template.id:
        raise TrainingError(_("No such stage."))
    return stage


def _task_of(template: OnboardingTemplate, form: dict[str, str]) -> TemplateTask:
    task = db.session.get(TemplateTask, _number(form, "task_id", 1, 10**9))
    if task is None or task.stage.template_id != template.id:
        raise TrainingError(_("No such task."))
    return task


def _parsed_criteria(form: dict[str, str]) -> list[dict[str, Any]]:
    try:
        return criteria.parse_lines(form.get("criteria", ""))
    except criteria.CriterionError as exc:
        raise TrainingError(str(exc)) from exc


def edit_details(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    name = (form.get("name") or "").strip()
    if not name:
        raise TrainingError(_("Name the template."))
    clash = db.session.scalar(sa.select(OnboardingTemplate.id).where(OnboardingTemplate.name == name,
                                                                     OnboardingTemplate.id != template.id))
    if clash:
        raise TrainingError(_("A template called “%(name)s” exists.", name=name))
    template.name, template.description = name, (form.get("description") or "").strip()
    template.mentor_bonus_days = _number(form, "mentor_bonus_days", 1, 500) if form.get("mentor_bonus_days") else None
    _bump(template, by, "details")


def add_stage(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    name = (form.get("name") or "").strip()
    if not name:
        raise TrainingError(_("Name the stage."))
    template.stages.append(TemplateStage(position=len(template.stages) + 1, name=name,
                                         duration_days=_number(form, "duration_days", 1, 400, 5),
                                         description=(form.get("description") or "").strip(),
                                         criteria=_parsed_criteria(form) or [{"kind": "tasks_done"}]))
    _bump(template, by, "add_stage")


def save_stage(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    stage = _stage_of(template, form)
    stage.name = (form.get("name") or stage.name).strip()
    stage.duration_days = _number(form, "duration_days", 1, 400)
    stage.description = (form.get("description") or "").strip()
    stage.criteria = _parsed_criteria(form)
    _bump(template, by, "save_stage")


def _renumber_stages(stages: list[TemplateStage]) -> None:
    for position, item in enumerate(stages, start=1):
        item.position = position + 1000  # step aside first, then settle
    db.session.flush()
    for position, item in enumerate(stages, start=1):
        item.position = position


def _move_stage(template: OnboardingTemplate, form: dict[str, str], by: User, step: int, action: str) -> None:
    stage = _stage_of(template, form)
    stages = list(template.stages)
    index = stages.index(stage)
    other = index + step
    if 0 <= other < len(stages):
        stages[index], stages[other] = stages[other], stages[index]
    _renumber_stages(stages)
    _bump(template, by, action)


def stage_up(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    _move_stage(template, form, by, -1, "stage_up")


def stage_down(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    _move_stage(template, form, by, 1, "stage_down")


def delete_stage(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    stage = _stage_of(template, form)
    stages = list(template.stages)
    stages.remove(stage)
    template.stages.remove(stage)
    _renumber_stages(stages)
    _bump(template, by, "delete_stage")


def add_task(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    stage = _stage_of(template, form)
    title = (form.get("title") or "").strip()
    role = form.get("owner_role", "")
    if not title or role not in ("new_hire", "mentor", "curator", "sysadmin", "head", "hr"):
        raise TrainingError(_("A task needs a title and an owner."))
    stage.tasks.append(TemplateTask(position=len(stage.tasks) + 1, title=title[:200], owner_role=role,
                                    start_offset=_number(form, "start_offset", 0, 400, 0),
                                    duration=_number(form, "duration", 1, 400, 1),
                                    required=form.get("required", "1") == "1",
                                    instructions=(form.get("instructions") or "").strip(),
                                    link=(form.get("link") or "").strip()[:500]))
    _bump(template, by, "add_task")


def _move_task(template: OnboardingTemplate, form: dict[str, str], by: User, step: int, action: str) -> None:
    task = _task_of(template, form)
    tasks = list(task.stage.tasks)
    index = tasks.index(task)
    other = index + step
    if 0 <= other < len(tasks):
        tasks[index], tasks[other] = tasks[other], tasks[index]
    for position, item in enumerate(tasks, start=1):
        item.position = position
    _bump(template, by, action)


def task_up(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    _move_task(template, form, by, -1, "task_up")


def task_down(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    _move_task(template, form, by, 1, "task_down")


def delete_task(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    task = _task_of(template, form)
    tasks = list(task.stage.tasks)
    tasks.remove(task)
    task.stage.tasks.remove(task)
    for position, item in enumerate(tasks, start=1):
        item.position = position
    _bump(template, by, "delete_task")


def unknown_change(template: OnboardingTemplate, form: dict[str, str], by: User) -> None:
    raise TrainingError(_("Unknown change."))
