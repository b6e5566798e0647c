"""Error pages and API errors in the reader's words: nothing half saved
(the session is rolled back first), nothing of the server's inner state shown."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from recruit.extensions import db, login_manager


def register(app: Flask) -> None:
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
