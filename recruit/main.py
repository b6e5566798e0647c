"""The home page: what each role has to do today."""

from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from recruit.auth.permissions import ANY_ROLE, allow, public
from recruit.housekeeping import database_answers
from recruit.interviews import today as today_room
from recruit.interviews.sessions import INTERVIEWER_ROLES
from recruit.organisation.services import local_now
from recruit.quizzes.grading import grading_queue
from recruit.training import pages as training_pages
from recruit.training import readiness
from recruit.vacancies import services as vacancy_services

bp = Blueprint("main", __name__)


@bp.route("/")
@allow(ANY_ROLE)
def home():
    vacancies = []
    if current_user.has_role("admin", "recruiter", "hiring_manager"):
        vacancies = vacancy_services.vacancy_list(current_user, limit=12)
    counts = vacancy_services.stage_counts_of([v for v in vacancies if v.state in ("open", "on_hold", "filled")])
    recruiting = current_user.has_role("admin", "recruiter")
    today = local_now().date()
    days = today_room.days_around(today) if recruiting else ([], [])
    trainees_at_risk = []
    if current_user.has_role("admin", "hiring_manager", "mentor"):
        mentees = training_pages.mentees_of(current_user)
        trainees_at_risk = readiness.at_risk(mentees, readiness.plans_forecasts(mentees))
    return render_template("home.html", vacancies=vacancies, counts=counts,
                           awaiting=vacancy_services.awaiting_me(current_user),
                           grading_count=lambda: len(grading_queue(current_user)),
                           recruiting=recruiting, today_days=days[0], tomorrow_days=days[1],
                           trainees_at_risk=trainees_at_risk,
                           forecasts=vacancy_services.forecasts(vacancies, counts) if recruiting else {},
                           decisions=today_room.awaiting_decision() if recruiting else [],
                           my_days=today_room.my_interviews(current_user, today=today)
                           if current_user.has_role(*INTERVIEWER_ROLES) else None)


@bp.route("/healthz")
@public
def healthz():
    """For the load balancer and the benchmarks' baseline: the process answers
    and reaches its database (a 503 from the error handler otherwise)."""
    database_answers()
    return jsonify(status="ok")
