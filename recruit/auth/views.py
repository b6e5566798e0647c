from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from recruit.auth import services
from recruit.auth.forms import ApiTokenForm, ChangePasswordForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from recruit.auth.permissions import ANY_ROLE, allow, public
from recruit.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("That e-mail and password do not match an active account."), "error")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_ROLE)
def logout():
    logout_user()
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
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, purpose=purpose, user=user)


@bp.route("/account", methods=["GET", "POST"])
@allow(ANY_ROLE)
def account():
    form = ChangePasswordForm(prefix="pw")
    token_form = ApiTokenForm(prefix="tok")
    if request.method == "POST" and "pw-current" in request.form and form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            flash(_("Your current password is not right."), "error")
        else:
            try:
                services.set_password(current_user, form.password.data, reason="changed by user")
            except services.AccountError as exc:
                flash(str(exc), "error")
            else:
                db.session.commit()
                login_user(current_user)
                flash(_("Password changed."), "success")
                return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, token_form=token_form,
                           tokens=services.tokens_of(current_user), new_token=None)


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
    return render_template("auth/account.html", form=ChangePasswordForm(prefix="pw"),
                           token_form=ApiTokenForm(prefix="tok"),
                           tokens=services.tokens_of(current_user), new_token=raw)


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
