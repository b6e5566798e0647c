"""Who sees and changes which onboarding plan."""

from __future__ import annotations

from recruit.auth.permissions import policy
from recruit.training.plans import responsibilities


@policy("plan.view")
def _view(user, plan) -> bool:
    return user.has_role("admin", "recruiter") or bool(responsibilities(plan, user))


@policy("plan.coach")
def _coach(user, plan) -> bool:
    """Record activity for the hire, role-play tries: the mentor (or an admin)."""
    return user.has_role("admin") or "mentor" in responsibilities(plan, user)


@policy("plan.log_activity")
def _log(user, plan) -> bool:
    return user.has_role("admin") or bool({"new_hire", "mentor"} & responsibilities(plan, user))


@policy("plan.decide")
def _decide(user, plan) -> bool:
    return user.has_role("admin") or "head" in responsibilities(plan, user)


@policy("plan.start")
def _start(user, application) -> bool:
    return user.has_role("admin", "recruiter")
