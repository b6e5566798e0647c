import math
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from recruit import audit
from recruit.auth import services, sessions, signin, two_factor
from recruit.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ConfirmPasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    SetPasswordForm,
    TwoFactorCodeForm,
)
from recruit.auth.models import verify_password
from recruit.auth.permissions import ANY_ROLE, access_of, allow, public
from recruit.extensions import db, limiter
from recruit.web import commit_or_flash, same_site_path

bp = Blueprint("auth", __name__)

PENDING = "two_factor_pending"  # the session key while a sign-in waits for its second factor


def _safe_next(target: str | None) -> str:
    return same_site_path(target)


def _locked_message(seconds: int) -> str:
    return _("Too many failed sign-ins for this account. %(wait)s", wait=signin.wait_message(seconds))


@bp.errorhandler(429)
def _too_many_attempts(exc):
    """The per-address limit on the sign-in forms, with the real wait."""
    limit = limiter.current_limit
    seconds = max(1, math.ceil(limit.reset_at - time.time())) if limit is not None else 60
    db.session.rollback()
    message = _("Too many attempts from your address in a short time. %(wait)s", wait=signin.wait_message(seconds))
    response = make_response(render_template("error.html", status=429, title=_("Too many attempts"),
                                             message=message), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.before_app_request
def _two_factor_setup_first():
    """Where the organisation requires two-factor sign-in for the role, a
    member without it goes to set it up before anything else."""
    endpoint = request.endpoint
    if endpoint in (None, "static", "auth.two_factor_setup", "auth.logout") or request.path.startswith("/api/"):
        return None
    access = access_of(endpoint)
    if access is None or access.public or not current_user.is_authenticated:
        return None
    if two_factor.needs_setup(current_user):
        flash(_("Your organisation requires two-factor sign-in for your role. Set it up to go on."), "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = signin.authenticate(form.email.data, form.password.data)
        db.session.commit()
        user = outcome.user
        if outcome.locked_seconds:
            flash(_locked_message(outcome.locked_seconds), "error")
        elif user is None:
            flash(_("That e-mail and password do not match an active account."), "error")
        elif user.two_factor_enabled:
            session[PENDING] = {"uid": user.id, "v": user.session_version, "at": int(time.time()),
                                "remember": bool(form.remember.data), "next": _safe_next(request.args.get("next"))}
            return redirect(url_for("auth.two_factor_code"))
        else:
            sessions.sign_in(user, remember=form.remember.data)
            if two_factor.needs_setup(user):
                return redirect(url_for("auth.two_factor_setup"))
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _pending_sign_in():
    data = session.get(PENDING)
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None, None
    if not 0 <= time.time() - data.get("at", 0) <= two_factor.PENDING_SECONDS:
        return None, None
    user = two_factor.waiting_user(data["uid"], data.get("v"))
    return (user, data) if user is not None else (None, None)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def two_factor_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user, pending = _pending_sign_in()
    if user is None:
        session.pop(PENDING, None)
        return render_template("auth/two_factor.html", form=None)
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        waiting = signin.locked_seconds(user.email)
        if waiting:
            flash(_locked_message(waiting), "error")
        elif two_factor.verify(user, form.code.data):
            signin.clear_failures(user.email)
            user.last_login_at = signin.utcnow()
            db.session.commit()
            session.pop(PENDING, None)
            sessions.sign_in(user, remember=bool(pending.get("remember")))
            return redirect(_safe_next(pending.get("next")))
        else:
            locked = signin.record_failure(user.email)
            db.session.commit()
            flash(_locked_message(locked) if locked else _("That code is not right, or it was already used."),
                  "error")
    return render_template("auth/two_factor.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_ROLE)
def logout():
    """Ends this session and every other one of the same person, remember-me cookies included."""
    sessions.end_all_sessions(current_user)
    audit.record("user.sign_out", current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.pop(PENDING, None)
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If that address has an account, a reset link is on its way. It works for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/<purpose>/<token>", methods=["GET", "POST"])
@public
def set_password(purpose: str, token: str):
    if purpose not in ("reset", "invite"):
        abort(404)
    user = services.user_for_password_token(token, purpose)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data, reason=purpose)
        except services.AccountError as exc:
            flash(str(exc), "error")
        else:
            signin.clear_failures(user.email)  # locked out by someone else's guesses: the owner gets back in
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, purpose=purpose, user=user,
                           min_password=services.MIN_PASSWORD)


def _account_page(**extra):
    context = {"form": ChangePasswordForm(prefix="pw"), "token_form": ApiTokenForm(prefix="tok"),
               "language_form": LanguageForm(prefix="lang", locale=current_user.locale or ""),
               "tokens": services.tokens_of(current_user),
               "new_token": None,  # nosec B105: no token made on this request, not a password
               "two_factor_required": two_factor.is_required(current_user)}
    context.update(extra)
    return render_template("auth/account.html", **context)


def _own_password_right(password: str, wrong: str) -> bool:
    """A signed-in person typing their password again (to change it, or to
    change two-factor sign-in): wrong tries count towards the account's
    lockout as at sign-in, so a stolen session cannot guess the password."""
    user = current_user._get_current_object()
    waiting = signin.locked_seconds(user.email)
    if waiting:
        flash(_locked_message(waiting), "error")
        return False
    if verify_password(user, password):
        return True
    locked = signin.record_failure(user.email)
    db.session.commit()
    flash(_locked_message(locked) if locked else wrong, "error")
    return False


_PASSWORD_RATE = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])


@bp.route("/account", methods=["GET", "POST"])
@allow(ANY_ROLE)
@_PASSWORD_RATE
def account():
    form = ChangePasswordForm(prefix="pw")
    if request.method == "POST" and "pw-current" in request.form and form.validate_on_submit() and \
            _own_password_right(form.current.data, _("Your current password is not right.")) and \
            commit_or_flash(lambda: services.set_password(current_user, form.password.data, reason="changed by user"),
                            _("Password changed. You stay signed in here; every other session has ended.")):
        sessions.stay_signed_in(current_user)
        return redirect(url_for("auth.account"))
    return _account_page(form=form)


@bp.route("/account/language", methods=["POST"])
@allow(ANY_ROLE)
def account_language():
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        def saved() -> str:
            g.pop("locale", None)  # the message is written in the language just chosen
            return _("Language saved.")

        commit_or_flash(lambda: services.set_language(current_user, form.locale.data or None), saved)
    else:
        flash(_("Choose one of the languages offered."), "error")
    return redirect(url_for("auth.account"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@allow(ANY_ROLE)
def sign_out_everywhere():
    sessions.end_all_sessions(current_user)
    audit.record("user.sign_out_everywhere", current_user._get_current_object())
    db.session.commit()
    sessions.stay_signed_in(current_user)
    flash(_("Every other session and every remembered sign-in has ended. You stay signed in here."), "success")
    return redirect(url_for("auth.account"))


def _two_factor_page(**extra):
    user = current_user._get_current_object()
    context = {"user": user, "form": TwoFactorCodeForm(prefix="tf"), "password_form": ConfirmPasswordForm(prefix="pw"),
               "required": two_factor.is_required(user), "codes": None,
               "uri": two_factor.provisioning_uri(user) if user.totp_secret and not user.two_factor_enabled else None,
               "codes_left": two_factor.recovery_codes_left(user) if user.two_factor_enabled else 0}
    context.update(extra)
    return render_template("auth/two_factor_setup.html", **context)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@allow(ANY_ROLE)
def two_factor_setup():
    form = TwoFactorCodeForm(prefix="tf")
    action = request.form.get("action") if request.method == "POST" else None
    if action == "start":
        commit_or_flash(lambda: two_factor.start_setup(current_user))
        return redirect(url_for("auth.two_factor_setup"))
    if action == "confirm" and form.validate_on_submit() and (confirmed := commit_or_flash(
            lambda: two_factor.confirm_setup(current_user, form.code.data),
            _("Two-factor sign-in is on. Every other session has ended."))):
        sessions.stay_signed_in(current_user)
        return _two_factor_page(codes=confirmed.value)
    return _two_factor_page(form=form)


def _password_confirmed(form: ConfirmPasswordForm) -> bool:
    if not form.validate_on_submit():
        flash(_("Your password is not right."), "error")
        return False
    return _own_password_right(form.password.data, _("Your password is not right."))


@bp.route("/account/two-factor/disable", methods=["POST"])
@allow(ANY_ROLE)
@_PASSWORD_RATE
def two_factor_disable():
    if not _password_confirmed(ConfirmPasswordForm(prefix="pw")) or not commit_or_flash(
            lambda: two_factor.disable(current_user), _("Two-factor sign-in is off. Every other session has ended."),
            category="info"):
        return redirect(url_for("auth.two_factor_setup"))
    sessions.stay_signed_in(current_user)
    return redirect(url_for("auth.account"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@allow(ANY_ROLE)
@_PASSWORD_RATE
def recovery_codes():
    made = _password_confirmed(ConfirmPasswordForm(prefix="pw")) and commit_or_flash(
        lambda: two_factor.regenerate_recovery_codes(current_user),
        _("New recovery codes: the old ones no longer work."))
    if not made:
        return redirect(url_for("auth.two_factor_setup"))
    return _two_factor_page(codes=made.value)


@bp.route("/account/tokens", methods=["POST"])
@allow(ANY_ROLE)
def create_token():
    token_form = ApiTokenForm(prefix="tok")
    if not token_form.validate_on_submit():
        flash(_("Name the token after what will use it."), "error")
        return redirect(url_for("auth.account"))
    try:
        _token, raw = services.create_api_token(current_user, token_form.name.data)
    except services.AccountError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.account"))
    db.session.commit()
    return _account_page(new_token=raw)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(ANY_ROLE)
def revoke_token(token_id: int):
    try:
        services.revoke_api_token(current_user, token_id)
    except services.AccountError:
        abort(404)
    db.session.commit()
    flash(_("Token revoked."), "info")
    return redirect(url_for("auth.account"))
