"""The interviews' service tests stand on one organisation: a vacancy with
thirty candidates, an admin, a recruiter and two interviewers."""


import pytest

from recruit.auth import services as accounts
from recruit.organisation import services as org
from recruit.vacancies import candidates as cs
from recruit.vacancies import services as vs


@pytest.fixture
def world(ctx):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    recruiter = accounts.create_user("rec@x.test", "Rita", ["recruiter"], password="long-enough-pw")
    anna = accounts.create_user("anna@x.test", "Anna", ["hiring_manager"], password="long-enough-pw")
    boris = accounts.create_user("boris@x.test", "Boris", ["mentor"], password="long-enough-pw")
    org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=admin.id)
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, anna)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, anna if target == "in_review" else admin)
    apps = [cs.add_candidate(vacancy, {"full_name": f"Cand {n}", "email": f"c{n}@x.test",
                                       "source": "HeadHunter" if n % 2 else "Referral"}).application
            for n in range(30)]
    ctx.session.commit()
    return {"admin": admin, "recruiter": recruiter, "anna": anna, "boris": boris, "vacancy": vacancy, "apps": apps}
