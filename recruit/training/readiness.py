"""The readiness forecast of a plan's current stage: for each activity target,
when the trainee's own curve says it will be met and how likely that is
before the stage is due (recruit/training/forecast.py), for the plan page,
the mentees page and the home page of whoever mentors, curates or heads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recruit.training import forecast as model
from recruit.training.gates import PlanFacts, plans_facts
from recruit.training.labels import ACTIVITY_METRIC
from recruit.training.models import OnboardingPlan, PlanStage
from recruit.training.plans import current_stage


@dataclass(frozen=True)
class TargetForecast:
    metric: str
    stage: PlanStage
    forecast: model.Forecast

    min_days = model.MIN_DAYS

    @property
    def label(self) -> str:
        return str(ACTIVITY_METRIC.get(self.metric, self.metric))


def _observed(stage: PlanStage, facts: PlanFacts, metric: str) -> list[int]:
    """The metric on each business day of the stage so far; today counts once
    something is entered for it (a day under way is not a day of zero)."""
    cal, today = facts.calendar, facts.today
    entered_today = cal.is_business_day(today) and today in facts.activity
    last = today if entered_today else cal.add_business_days(today, -1)
    counts = []
    day = cal.next_business_day(stage.starts_on)
    while day <= last:
        counts.append(int(facts.activity.get(day, {}).get(metric, 0) or 0))
        day = cal.add_business_days(day, 1)
    return counts


def stage_forecasts(stage: PlanStage, facts: PlanFacts) -> list[TargetForecast]:
    """One forecast per activity target of the stage, in the gate's order."""
    if stage.starts_on > facts.today:
        return []
    found = []
    for item in stage.criteria:
        if item.get("kind") != "activity":
            continue
        target = model.Target(item["metric"], float(item.get("min_per_day", 0)), int(item.get("window_days", 5)))
        made = model.forecast(_observed(stage, facts, target.metric), target, calendar=facts.calendar,
                              stage_start=stage.starts_on, today=facts.today, due_on=stage.due_on)
        found.append(TargetForecast(target.metric, stage, made))
    return found


def plan_forecasts(plan: OnboardingPlan, facts: PlanFacts) -> list[TargetForecast]:
    stage = current_stage(plan)
    return stage_forecasts(stage, facts) if stage is not None and plan.state == "active" else []


def plans_forecasts(plans: list[OnboardingPlan], facts: dict[int, PlanFacts] | None = None,
                    ) -> dict[int, list[TargetForecast]]:
    facts = facts if facts is not None else plans_facts(plans)
    return {plan.id: plan_forecasts(plan, facts[plan.id]) for plan in plans}


@dataclass(frozen=True)
class AtRisk:
    plan: OnboardingPlan
    targets: list[TargetForecast]

    @property
    def due_on(self) -> date:
        return self.targets[0].stage.due_on


def at_risk(plans: list[OnboardingPlan], forecasts: dict[int, list[TargetForecast]]) -> list[AtRisk]:
    """The trainees whose current stage's target is unlikely before it is due, the soonest due first."""
    risky = [AtRisk(plan, [f for f in forecasts.get(plan.id, []) if f.forecast.at_risk]) for plan in plans]
    return sorted((r for r in risky if r.targets), key=lambda r: (r.due_on, r.plan.id))
