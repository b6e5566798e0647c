"""The people of an onboarding plan, for the service tests of this feature."""

import pytest

from recruit.auth import services as accounts
from recruit.organisation import services as org


@pytest.fixture
def people(ctx):
    make = lambda email, roles: accounts.create_user(email, email.split("@")[0].title(), roles,  # noqa: E731
                                                     password="long-enough-pw")
    p = {"admin": make("admin@x.test", ["admin"]), "mentor": make("mentor@x.test", ["mentor"]),
         "curator": make("curator@x.test", ["mentor"]), "head": make("head@x.test", ["hiring_manager"]),
         "hr": make("hr@x.test", ["recruiter"]), "other": make("other@x.test", ["mentor"])}
    org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24], retention_days=365, approver_id=p["admin"].id)
    ctx.session.commit()
    return p
