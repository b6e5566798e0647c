"""Admin pages: users and roles, organisation settings, outbox, audit trail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from recruit import audit, phones
from recruit.admin import outbox as outbox_services
from recruit.admin import services as admin_services
from recruit.admin.forms import (
    HOLIDAY_KINDS,
    FirstStartForm,
    HolidayForm,
    HolidayImportForm,
    ReviewStepForm,
    SettingsForm,
    country_choices,
    currency_choices,
    region_choices,
    separator_choices,
)
from recruit.auth import services as accounts
from recruit.auth import two_factor
from recruit.auth.forms import UserForm
from recruit.auth.models import User
from recruit.auth.permissions import allow, load
from recruit.extensions import db
from recruit.i18n import LANGUAGES
from recruit.mail import OutboxMessage
from recruit.organisation import holiday_import
from recruit.organisation import services as org
from recruit.organisation.countries import COMMON_CHANNELS, COUNTRIES, country
from recruit.utc import utcnow
from recruit.web import commit_or_flash, db_int

bp = Blueprint("admin", __name__)


@bp.route("/users")
@allow("admin")
def users():
    q = request.args.get("q", "").strip()
    return render_template("admin/users.html", users=admin_services.find_users(q), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@allow("admin")
def user_new():
    form = UserForm()
    invited = _("%(email)s was invited; the invitation is in the outbox.", email=form.email.data or "")
    if form.validate_on_submit() and commit_or_flash(
            lambda: accounts.invite_user(form.email.data, form.full_name.data, form.roles.data), invited):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow("admin")
def user_edit(user_id: int):
    user = load(User, user_id)
    form = UserForm(obj=user, data={"roles": sorted(user.roles)} if request.method == "GET" else None)
    form.email.render_kw = {"readonly": True}
    form.email.data = user.email
    if form.validate_on_submit() and commit_or_flash(
            lambda: accounts.update_user(user, full_name=form.full_name.data, roles=form.roles.data,
                                         active=form.active.data, actor=current_user), _("Saved.")):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user)


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@allow("admin")
def user_reset(user_id: int):
    user = load(User, user_id)
    accounts.request_password_reset(user.email)
    db.session.commit()
    flash(_("A password reset link for %(email)s is in the outbox.", email=user.email), "info")
    return redirect(url_for("admin.user_edit", user_id=user.id))


APPROVER_ROLES = ("admin", "hiring_manager")
REVIEWER_ROLES = ("admin", "hiring_manager", "recruiter")


def _user_choices(blank: str | None = None, roles: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """Only the people who may hold the part: the select field refuses any
    other id that a hand-made request sends."""
    choices = [(u.id, f"{u.full_name} <{u.email}>") for u in accounts.active_people()
               if not roles or u.has_role(*roles)]
    return ([(0, blank)] if blank else []) + choices


def _country_prompt() -> Markup:
    return Markup('{} <a href="{}">{}</a>').format(
        _("The organisation's country is not chosen yet: it sets the time zone, language, currency, "
          "phone numbers, public holidays and job boards."),
        url_for("admin.first_start"), _("Choose the country"))


@bp.before_app_request
def _ask_an_admin_for_the_country() -> None:
    """Chosen at first start: an admin is told, once a session, on the first
    page they open, while the organisation has no country. Nobody is held up."""
    if request.method != "GET" or request.blueprint in ("api", None) or request.endpoint == "admin.first_start" \
            or session.get("country_prompted") or not current_user.is_authenticated:
        return
    if not current_user.has_role("admin") or org.get_settings().country is not None:
        return
    session["country_prompted"] = True
    flash(_country_prompt(), "info")


def _settings_form(current) -> SettingsForm:
    form = SettingsForm(data=None if request.method == "POST" else {
        "name": current.name, "contact_phone": phones.display(current.contact_phone, current.phone_region),
        "timezone": current.timezone, "working_days": current.working_days,
        "reminder_offsets": ", ".join(str(h) for h in current.reminder_offsets_hours),
        "retention_days": current.retention_days, "approver_id": current.approver_id or 0,
        "planning_preference": current.planning_preference,
        "show_rate_half_life_days": int(current.show_rate_half_life_days),
        "no_show_grace_minutes": current.no_show_grace_minutes, "require_two_factor": current.require_two_factor,
        "locale": current.locale, "country": current.country or "", "currency": current.currency,
        "phone_region": current.phone_region, "csv_separator": current.csv_separator})
    form.timezone.choices = [(z, z) for z in org.valid_timezones()]
    form.approver_id.choices = _user_choices(_("Any admin"), APPROVER_ROLES)
    form.country.choices = country_choices(blank=current.country is None)
    form.currency.choices = currency_choices(org.offered_currencies())
    form.phone_region.choices = region_choices(org.valid_phone_regions())
    form.csv_separator.choices = separator_choices()
    return form


@bp.route("/settings", methods=["GET", "POST"])
@allow("admin")
def settings():
    current = org.get_settings()
    form = _settings_form(current)
    if form.validate_on_submit():
        try:
            offsets = [int(x) for x in form.reminder_offsets.data.replace(";", ",").split(",") if x.strip()]
        except ValueError:
            flash(_("Reminder offsets are whole hours, separated by commas."), "error")
        else:
            if commit_or_flash(lambda: two_factor.set_requirement(org.update_settings(
                    name=form.name.data, timezone=form.timezone.data, working_days=form.working_days.data,
                    reminder_offsets_hours=offsets, retention_days=form.retention_days.data,
                    approver_id=form.approver_id.data or None,
                    planning_preference=form.planning_preference.data,
                    show_rate_half_life_days=float(form.show_rate_half_life_days.data),
                    no_show_grace_minutes=form.no_show_grace_minutes.data, locale=form.locale.data,
                    country_code=form.country.data or None, currency=form.currency.data,
                    phone_region=form.phone_region.data, csv_separator=form.csv_separator.data,
                    contact_phone=form.contact_phone.data),
                    form.require_two_factor.data), _("Settings saved.")):
                return redirect(url_for("admin.settings"))
    step_form = ReviewStepForm()
    step_form.reviewer_id.choices = _user_choices(roles=REVIEWER_ROLES)
    year = org.local_now().year
    import_form = HolidayImportForm(data={"year": year if not holiday_import.already_imported(year) else year + 1})
    return render_template("admin/settings.html", form=form, holiday_form=HolidayForm(), step_form=step_form,
                           import_form=import_form, holidays=org.holidays(), steps=org.review_steps(),
                           holiday_kinds=HOLIDAY_KINDS, country=country(current.country),
                           common_channels=COMMON_CHANNELS)


def _defaults_applied_message() -> str:
    current = org.get_settings()
    return _("The defaults of %(country)s are set: time zone %(zone)s, language %(language)s, currency "
             "%(currency)s, phone region %(region)s. Each can still be changed below.",
             country=_(country(current.country).name), zone=current.timezone,
             language=LANGUAGES.get(current.locale, current.locale), currency=current.currency,
             region=current.phone_region)


@bp.route("/settings/country-defaults", methods=["POST"])
@allow("admin")
def country_defaults():
    """The "Apply the country's defaults" button of the settings form: the
    country chosen in the form (or the stored one) sets its defaults."""
    code = (request.form.get("country") or "").strip().upper() or None
    commit_or_flash(lambda: org.apply_country_defaults(code), _defaults_applied_message)
    return redirect(url_for("admin.settings"))


@bp.route("/first-start", methods=["GET", "POST"])
@allow("admin")
def first_start():
    """Where an admin chooses the organisation's country; its defaults and this year's holidays follow."""
    form = FirstStartForm()
    form.country.choices = country_choices()
    if form.validate_on_submit():
        def start() -> holiday_import.ImportResult | None:
            org.apply_country_defaults(form.country.data)
            if form.import_holidays.data and COUNTRIES[form.country.data].holidays_code:
                return holiday_import.import_year(org.local_now().year)
            return None

        done = commit_or_flash(start, _defaults_applied_message)
        if done:
            if done.value is not None:
                flash(_imported_message(done.value), "info")
            return redirect(url_for("admin.settings"))
    return render_template("admin/first_start.html", form=form, current=org.get_settings(), countries=COUNTRIES)


def _imported_message(result: holiday_import.ImportResult) -> str:
    name = _(COUNTRIES[result.country].name)
    if not result.listed:
        return _("The holidays package lists no days off for %(country)s in %(year)s; add them by hand when "
                 "the government declares some.", country=name, year=result.year)
    if not result.added:
        return ngettext("Nothing added: the %(num)d holiday of %(year)s was already in the calendar.",
                        "Nothing added: all %(num)d holidays of %(year)s were already in the calendar.",
                        result.listed, year=result.year)
    added = ngettext("%(num)d holiday of %(year)s added.", "%(num)d holidays of %(year)s added.", result.added,
                     year=result.year)
    if result.added == result.listed:
        return added
    kept = result.listed - result.added
    return added + " " + ngettext("%(num)d was already in the calendar.", "%(num)d were already in the calendar.",
                                  kept)


@bp.route("/settings/holidays/import", methods=["POST"])
@allow("admin")
def holidays_import():
    form = HolidayImportForm()
    if form.validate_on_submit():
        done = commit_or_flash(lambda: holiday_import.import_year(form.year.data))
        if done:
            flash(_imported_message(done.value), "success")
    else:
        flash(_("Give a year from 2000 to 2100."), "error")
    return redirect(url_for("admin.settings") + "#holidays")


@bp.route("/settings/holidays", methods=["POST"])
@allow("admin")
def holiday_add():
    form = HolidayForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: org.add_holiday(form.day.data, form.name.data or "", form.kind.data))
    else:
        flash(_("Give the day's date and whether it is a day off or a working day."), "error")
    return redirect(url_for("admin.settings") + "#holidays")


@bp.route("/settings/holidays/<int:holiday_id>/remove", methods=["POST"])
@allow("admin")
def holiday_remove(holiday_id: int):
    org.remove_holiday(holiday_id)
    db.session.commit()
    return redirect(url_for("admin.settings") + "#holidays")


@bp.route("/settings/review-steps", methods=["POST"])
@allow("admin")
def review_step_add():
    form = ReviewStepForm()
    form.reviewer_id.choices = _user_choices(roles=REVIEWER_ROLES)
    if form.validate_on_submit():
        org.add_review_step(form.label.data, form.reviewer_id.data)
        db.session.commit()
    else:
        flash(_("Name the review and choose the reviewer."), "error")
    return redirect(url_for("admin.settings") + "#review")


@bp.route("/settings/review-steps/<int:step_id>/remove", methods=["POST"])
@allow("admin")
def review_step_remove(step_id: int):
    org.remove_review_step(step_id)
    db.session.commit()
    return redirect(url_for("admin.settings") + "#review")


@bp.route("/outbox")
@allow("admin")
def outbox():
    page = outbox_services.messages_page(request.args.get("page", 1, type=db_int))
    return render_template("admin/outbox.html", page=page, now=utcnow())


@bp.route("/outbox/<int:message_id>")
@allow("admin")
def outbox_message(message_id: int):
    message = load(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message, resendable=outbox_services.RESENDABLE)


@bp.route("/outbox/<int:message_id>/send-again", methods=["POST"])
@allow("admin")
def outbox_send_again(message_id: int):
    message = load(OutboxMessage, message_id)
    fresh = commit_or_flash(lambda: outbox_services.send_again(message, current_user),
                            _("Sent again; the new message is below."), errors=(outbox_services.OutboxError,))
    return redirect(url_for("admin.outbox_message", message_id=fresh.value.id if fresh else message.id))


@bp.route("/audit")
@allow("admin")
def audit_log():
    flt = {"action": request.args.get("action", "").strip(), "actor": request.args.get("actor", "").strip(),
           "object_type": request.args.get("object_type", "").strip()}
    object_id = request.args.get("object_id", type=db_int)
    page = admin_services.audit_page(**flt, object_id=object_id, page=request.args.get("page", 1, type=db_int))
    return render_template("admin/audit.html", page=page, flt=flt, object_id=object_id,
                           detail_items=audit.detail_items)
