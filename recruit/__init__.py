"""recruit: recruiting and onboarding for sales teams."""

from __future__ import annotations

import logging
import os

from flask import Flask, g, render_template, request
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from recruit.extensions import babel, csrf, db, limiter, login_manager, migrate


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL for concurrent readers, and a wait instead of
    'database is locked' when two requests write at once."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


class DatabaseId(IntegerConverter):
    """`<int:...>` in a URL: an id a database column can hold. Larger numbers
    are simply not found (404), never an overflow in the driver (500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config_object: str | type = "config.Config") -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=os.environ.get("RECRUIT_INSTANCE_DIR") or None)
    app.config.from_object(config_object)
    os.makedirs(app.instance_path, exist_ok=True)
    _set_secret_key(app)
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.url_map.converters["int"] = DatabaseId
    from recruit.web import StrictJSONProvider

    app.json = StrictJSONProvider(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_security(app)
    if app.config["JOBS_MODE"] == "thread" and app.config.get("START_TICKER") and not app.testing \
            and os.environ.get("RECRUIT_NO_TICKER") != "1":
        from recruit.jobs import start_ticker

        start_ticker(app)
    return app


def _set_secret_key(app: Flask) -> None:
    from pathlib import Path

    from recruit.keys import SecretKeyError, check_fallbacks, resolve

    try:
        check_fallbacks(list(app.config.get("SECRET_KEY_FALLBACKS") or []))
        app.config["SECRET_KEY"] = resolve(app.config.get("SECRET_KEY"), scale_out=bool(app.config.get("SCALE_OUT")),
                                           instance_dir=Path(app.instance_path))
    except SecretKeyError as exc:
        logging.getLogger("recruit").critical("%s", exc)
        raise


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    limiter.init_app(app)
    from recruit import i18n

    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=_select_timezone)
    from recruit.organisation.services import get_settings

    i18n.read_organisation_language_with(lambda: get_settings().locale)
    missing = i18n.missing_catalogues(app.extensions["babel"].translation_directories)
    if missing:
        logging.getLogger("recruit").error(
            "no compiled catalogue for %s: run `pybabel compile -d translations` (make does it)", ", ".join(missing))

    from recruit.auth.sessions import load_user

    login_manager.user_loader(load_user)  # "<id>:<session version>:<signed in at>", checked on every request

    @app.before_request
    def _api_token_auth():
        """The API authenticates by bearer token only; a browser's session
        cookie never counts there, so the API needs no CSRF protection."""
        if not request.path.startswith("/api/"):
            return
        header = request.headers.get("Authorization", "")
        user = None
        if header.lower().startswith("bearer "):
            from recruit.auth.services import user_for_api_token

            user = user_for_api_token(header[7:].strip())
            if user is not None:
                db.session.commit()
        g.token_auth = user is not None
        login_manager._update_request_context_with_user(user)


def _select_timezone() -> str:
    from recruit.organisation.services import get_settings

    try:
        return get_settings().timezone or "UTC"
    except Exception:
        return "UTC"


def register_blueprints(app: Flask) -> None:
    from recruit import audit, housekeeping, jobs, mail  # noqa: F401 - models and jobs register on import
    from recruit.admin.views import bp as admin_bp
    from recruit.api import quizzes as _api_quizzes  # noqa: F401 - routes on the API blueprint
    from recruit.api.views import bp as api_bp
    from recruit.auth.views import bp as auth_bp

    # The features above vacancies take part in anonymisation through its hooks.
    from recruit.interviews import erasure as _interviews_erasure  # noqa: F401
    from recruit.interviews.views import bp as interviews_bp
    from recruit.main import bp as main_bp
    from recruit.organisation import models as _org  # noqa: F401
    from recruit.quizzes.views import bp as quizzes_bp
    from recruit.training import erasure as _training_erasure  # noqa: F401
    from recruit.training import policies as _training_policies  # noqa: F401
    from recruit.training.views import bp as training_bp
    from recruit.vacancies.channel_views import bp as channels_bp
    from recruit.vacancies.views import bp as vacancies_bp

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


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _refuse_nul_characters():
    """A NUL character is never text a person typed, and PostgreSQL refuses to
    store one: turn it away at the door with a clear 400, before any write."""
    from flask import abort

    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [*request.form.values(), *request.form.keys(), *(f.filename for f in request.files.values())]
        if request.is_json:
            values.append(request.get_json(silent=True))
    if any(_contains_nul(v) for v in values):
        abort(400, description=_("Text cannot contain NUL characters."))


def register_security(app: Flask) -> None:
    from recruit import i18n
    from recruit.auth.permissions import check_request

    app.before_request(_refuse_nul_characters)
    app.before_request(check_request)
    app.before_request(i18n.remember_choice)
    app.after_request(i18n.keep_cookie)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        if app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS only: browsers must not try plain HTTP
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def register_errorhandlers(app: Flask) -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    def _render(status: int, title: str, message: str):
        db.session.rollback()
        if request.path.startswith("/api/"):
            return {"error": {"status": status, "message": message}}, status
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.response is not None and exc.code is None:
            return exc.response
        if exc.response is not None and request.path.startswith("/api/"):
            return exc.response
        from flask_wtf.csrf import CSRFError

        titles = {
            400: _("This request could not be understood"), 401: _("Sign in first"), 403: _("Not for your role"),
            404: _("Nothing here"), 405: _("Not like this"), 409: _("This clashes with another change"),
            413: _("That file is too large"), 429: _("Too many attempts"), 500: _("Something went wrong"),
        }
        messages = {
            400: _("The request was incomplete or not valid. Reload the page and try again."),
            401: _("This page needs you to be signed in."),
            403: _("Your account does not give access to this page. Ask an admin if you need it."),
            404: _("The page or record does not exist, or it was removed."),
            405: _("This address does not take that kind of request. Use the page's own buttons."),
            409: _("Someone saved a conflicting change at the same time; nothing was saved. Try again."),
            413: _("Uploads are limited to %(mb)d MB.", mb=app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)),
            429: _("Too many attempts in a short time. Wait a minute and try again."),
            500: _("Nothing was saved. The error was logged."),
        }
        code = exc.code or 500
        if isinstance(exc, CSRFError):
            message = _("The form expired or was opened in another session. Nothing was saved: "
                        "reload the page and try again.")
        elif exc.description and exc.description != type(exc).description:
            message = exc.description  # our own words, given to abort(): already translated
        else:
            message = messages.get(code, "")
        return _render(code, titles.get(code, _("Something went wrong")), message)

    @app.errorhandler(StaleDataError)
    def _stale(exc):
        return _render(409, _("Someone else changed this first"),
                       _("Another user saved this record while you were editing. Reload it and try again."))

    @app.errorhandler(IntegrityError)
    def _conflict(exc):
        return _render(409, _("This clashes with another change"),
                       _("Someone saved a conflicting change at the same time; nothing was saved. Try again."))

    @app.errorhandler(OperationalError)
    def _db_down(exc):
        app.logger.error("database error: %s", exc)
        g._login_user = login_manager.anonymous_user()  # the page must not ask the database who is signed in
        return _render(503, _("The database is not answering"),
                       _("Nothing was saved. Try again in a moment."))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        app.logger.exception("unhandled error")
        return _render(500, _("Something went wrong"), _("Nothing was saved. The error was logged."))


def _translations():
    """The request's catalogue, looked up once: a page calls gettext a few
    hundred times, and each lookup through Flask-Babel walks its contexts."""
    from flask import has_request_context
    from flask_babel import get_translations

    if not has_request_context():
        return get_translations()
    cache = g.setdefault("_translations", {})
    locale = str(get_locale())  # a message written in another person's language (in_language) has its own
    if locale not in cache:
        cache[locale] = get_translations()
    return cache[locale]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return _("%(m)d min %(s)02d s", m=minutes, s=rest) if minutes else _("%(s)d s", s=rest)


def register_template_helpers(app: Flask) -> None:
    from recruit import i18n
    from recruit.auth.forms import ROLE_LABELS
    from recruit.auth.permissions import can
    from recruit.dates import at_minute
    from recruit.organisation import money
    from recruit.quizzes import text as question_text
    from recruit.vacancies import candidates as candidate_services
    from recruit.vacancies import channels

    app.jinja_env.filters["dt"] = lambda v, f="medium": at_minute(v, f) if v else "—"
    app.jinja_env.filters["d"] = lambda v, f="medium": format_date(v, f) if v else "—"
    app.jinja_env.filters["time"] = lambda v, f="HH:mm": format_time(v, f) if v else "—"
    app.jinja_env.filters["num"] = lambda v, f=None: format_decimal(v, f) if v is not None else "—"
    app.jinja_env.filters["duration"] = _duration
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: _translations().ugettext(text),
        lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: _translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n))
    app.jinja_env.filters["question_text"] = question_text.render
    app.jinja_env.filters["label"] = i18n.label
    from recruit.admin import labels as admin_labels
    from recruit.interviews import labels as interview_labels
    from recruit.quizzes import labels as quiz_labels
    from recruit.training import labels as training_labels
    from recruit.vacancies import labels as vacancy_labels

    for feature in (admin_labels, vacancy_labels, interview_labels, training_labels, quiz_labels):
        feature.register()
    app.jinja_env.filters["money"] = money.format_money
    app.jinja_env.filters["phone"] = candidate_services.phone_display
    app.jinja_env.filters["channel"] = lambda name: channels.label(name) if name else ""
    app.jinja_env.globals.update(can=can, ROLE_LABELS=ROLE_LABELS, LANGUAGES=i18n.LANGUAGES,
                                 url_in_language=i18n.url_in, labels=i18n.labels,
                                 current_language=lambda: str(get_locale()))

    @app.context_processor
    def _inject():
        from recruit.organisation.services import get_settings

        try:
            org = get_settings()
        except Exception:
            org = None
        return {"org": org, "current_user": current_user}


def register_commands(app: Flask) -> None:
    from recruit.cli import register

    register(app)
    logging.basicConfig(level=logging.INFO)
