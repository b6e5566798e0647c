"""What the admin pages read: the people with accounts, the audit trail by pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.search import contains, search_key

AUDIT_PAGE_SIZE = 100


def find_users(q: str = "") -> list[User]:
    """Everyone, the active first, by name; with `q`, those whose name or e-mail contains it."""
    stmt = sa.select(User).options(selectinload(User.role_rows)).order_by(User.active.desc(), User.full_name)
    if q:
        stmt = stmt.where(sa.or_(contains(User.name_norm, search_key(q)), contains(User.email, q.lower())))
    return list(db.session.scalars(stmt))


def audit_page(*, action: str, actor: str, object_type: str, object_id: int | None, page: int):
    """One page of the audit trail, filtered as the admin asked: `actor` is a
    fragment of an e-mail address, or "system" for the app's own jobs."""
    actors = sa.select(User.id).where(contains(User.email, actor.lower())) if actor and actor != "system" else None
    stmt = audit.trail(action=action, actors=actors, system=actor == "system", object_type=object_type,
                       object_id=object_id)
    return db.paginate(stmt, page=page, per_page=AUDIT_PAGE_SIZE, error_out=False)
