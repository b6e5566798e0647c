"""A hire the product knows: a candidate moved through every stage to
"hired" (`hired`), and the organisation's today (`today`)."""

from recruit.extensions import db
from recruit.organisation.services import local_now
from recruit.vacancies import candidates as cs
from recruit.vacancies.models import Application


def hired(clean_app, make):
    vacancy = make.vacancy("open")
    application_id = make.candidate(vacancy, full_name="Ivan Hired", email="ivan@x.test")
    with clean_app.app_context():
        application = db.session.get(Application, application_id)
        for stage in ("screened", "invited", "interviewed", "role_play", "offer", "hired"):
            cs.move(application, stage)
        db.session.commit()
    return application_id


def today(app):
    with app.app_context():
        return local_now().date()
