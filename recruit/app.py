"""The application factory: wiring only. Every feature is imported here, at
the top, and registers its blueprints, labels, jobs and hooks through one
`register_*` step each; nothing registers itself as a side effect of being
imported elsewhere."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from werkzeug.middleware.proxy_fix import ProxyFix

from recruit import cli, emails, errors, i18n, jobs, read_only, security, templating
from recruit import tasks as shared_tasks
from recruit.admin import labels as admin_labels
from recruit.admin.views import bp as admin_bp
from recruit.api import candidates as api_candidates
from recruit.api import openapi as api_openapi
from recruit.api import quizzes as api_quizzes
from recruit.api import vacancies as api_vacancies
from recruit.api.common import bp as api_bp
from recruit.auth.services import authenticate_api_request
from recruit.auth.sessions import load_user
from recruit.auth.views import bp as auth_bp
from recruit.extensions import babel, csrf, db, limiter, login_manager, migrate
from recruit.interviews import candidate_side as interview_candidate_side
from recruit.interviews import erasure as interview_erasure
from recruit.interviews import evidence_views as interview_evidence_views
from recruit.interviews import labels as interview_labels
from recruit.interviews import pipeline_side as interview_pipeline_side
from recruit.interviews import tasks as interview_tasks
from recruit.interviews.views import bp as interviews_bp
from recruit.keys import SecretKeyError, check_fallbacks, resolve
from recruit.main import bp as main_bp
from recruit.organisation import tasks as organisation_tasks
from recruit.organisation.services import get_settings
from recruit.quizzes import labels as quiz_labels
from recruit.quizzes import policies as quiz_policies
from recruit.quizzes.views import bp as quizzes_bp
from recruit.training import erasure as training_erasure
from recruit.training import labels as training_labels
from recruit.training import policies as training_policies
from recruit.training import tasks as training_tasks
from recruit.training.views import bp as training_bp
from recruit.vacancies import labels as vacancy_labels
from recruit.vacancies import tasks as vacancy_tasks
from recruit.vacancies.channel_views import bp as channels_bp
from recruit.vacancies.views import bp as vacancies_bp
from recruit.web import DatabaseId, StrictJSONProvider

# Modules whose import is their registration: routes on the API blueprint,
# policies in the permission table, the anonymisation steps and candidate-page
# parts of the features above vacancies, the interviews' evidence pages.
# Named here so the factory says what the app is made of.
REGISTERED_ON_IMPORT = (api_candidates, api_openapi, api_quizzes, api_vacancies, quiz_policies, training_policies,
                        interview_erasure, training_erasure, interview_candidate_side, interview_evidence_views,
                        interview_pipeline_side)


def create_app(config_object: str | type = "config.Config") -> Flask:
    app = Flask("recruit", template_folder="../templates", static_folder="../static",
                instance_path=os.environ.get("RECRUIT_INSTANCE_DIR") or None)
    app.config.from_object(config_object)
    os.makedirs(app.instance_path, exist_ok=True)
    _set_secret_key(app)
    if app.config.get("PROXY_HOPS"):
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.url_map.converters["int"] = DatabaseId
    app.json = StrictJSONProvider(app)
    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    register_labels(app)
    register_jobs(app)
    templating.register(app)
    register_commands(app)
    security.register(app)
    if app.config["JOBS_MODE"] == "thread" and app.config.get("START_TICKER") and not app.testing \
            and os.environ.get("RECRUIT_NO_TICKER") != "1":
        jobs.start_ticker(app)
    return app


def _set_secret_key(app: Flask) -> None:
    try:
        check_fallbacks(list(app.config.get("SECRET_KEY_FALLBACKS") or []))
        app.config["SECRET_KEY"] = resolve(app.config.get("SECRET_KEY"), scale_out=bool(app.config.get("SCALE_OUT")),
                                           instance_dir=Path(app.instance_path))
    except SecretKeyError as exc:
        logging.getLogger("recruit").critical("%s", exc)
        raise


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    read_only.end_read_only_requests(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=_select_timezone)
    i18n.read_organisation_language_with(lambda: get_settings().locale)
    emails.read_internal_domains_with(_internal_domains)
    missing = i18n.missing_catalogues(app.extensions["babel"].translation_directories)
    if missing:
        logging.getLogger("recruit").error(
            "no compiled catalogue for %s: run `pybabel compile -d translations` (make does it)", ", ".join(missing))
    login_manager.user_loader(load_user)  # "<id>:<session version>:<signed in at>", checked on every request
    app.before_request(authenticate_api_request)


def _internal_domains() -> tuple[str, ...] | None:
    if not has_app_context():
        return None
    return tuple(current_app.config.get("EMAIL_INTERNAL_DOMAINS", emails.DEFAULT_INTERNAL_DOMAINS))


def _select_timezone() -> str:
    try:
        return get_settings().timezone or "UTC"
    except Exception:
        return "UTC"


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(vacancies_bp)
    app.register_blueprint(channels_bp)
    app.register_blueprint(interviews_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)


def register_labels(app: Flask) -> None:
    """Each feature's words for the codes it stores (the `label` filter)."""
    for feature in (admin_labels, vacancy_labels, interview_labels, training_labels, quiz_labels):
        feature.register()


def register_jobs(app: Flask) -> None:
    """Each feature's background and periodic jobs (its `tasks.py`)."""
    for feature in (shared_tasks, vacancy_tasks, interview_tasks, training_tasks, organisation_tasks):
        jobs.register(feature.JOBS)


def register_commands(app: Flask) -> None:
    cli.register(app)
    logging.basicConfig(level=logging.INFO)
