"""The interviews' service tests stand on one organisation: a vacancy with
thirty candidates, an admin, a recruiter and two interviewers."""


import pytest

from recruit.auth import services as accounts
from recruit.vacancies import candidates as cs
from tests.worlds.interviews import open_vacancy


@pytest.fixture
def world(ctx):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    recruiter = accounts.create_user("rec@x.test", "Rita", ["recruiter"], password="long-enough-pw")
    anna = accounts.create_user("anna@x.test", "Anna", ["hiring_manager"], password="long-enough-pw")
    boris = accounts.create_user("boris@x.test", "Boris", ["mentor"], password="long-enough-pw")
    vacancy = open_vacancy(admin, anna)
    apps = [cs.add_candidate(vacancy, {"full_name": f"Cand {n}", "email": f"c{n}@x.test",
                                       "source": "HeadHunter" if n % 2 else "Referral"}).application
            for n in range(30)]
    ctx.session.commit()
    return {"admin": admin, "recruiter": recruiter, "anna": anna, "boris": boris, "vacancy": vacancy, "apps": apps}
