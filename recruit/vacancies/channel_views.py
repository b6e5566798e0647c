"""The source-channel page (admins and recruiters): every channel with its
candidates and aliases, adding and removing an alias, renaming, merging one
channel into another. A blueprint of its own, so the routes need no change
to the vacancies views; registered in recruit/__init__.py. Views parse,
call recruit.vacancies.channel_list, commit, render."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from recruit.auth.permissions import allow, can, ensure
from recruit.organisation.money import currency, format_money
from recruit.vacancies import channel_costs, channel_list, channels
from recruit.vacancies.forms import ChannelCostForm
from recruit.web import commit_or_flash

bp = Blueprint("channels", __name__, url_prefix="/channels")

ROLES = ("admin", "recruiter")


@bp.route("")
@allow(*ROLES)
def index() -> str:
    return _page(_cost_form())


def _cost_form() -> ChannelCostForm:
    form = ChannelCostForm()
    form.channel.choices = [("", _("choose a channel"))] + [(n, channels.label(n))
                                                               for n in channel_costs.channel_names()]
    return form


def _page(form: ChannelCostForm, status: int = 200) -> tuple[str, int]:
    rows = channel_list.overview()
    admin = can("channel.cost")
    return render_template("vacancies/channels.html", rows=rows, names=sorted(r.name for r in rows),
                           cost_form=form if admin else None, currency=currency(),
                           costs=channel_costs.recent_costs() if admin else []), status


@bp.route("/costs", methods=["POST"])
@allow("admin")
def set_cost() -> Response | tuple[str, int]:
    """An admin enters what a channel cost in a month (the reports' cost per hire)."""
    ensure("channel.cost")
    form = _cost_form()
    if not form.validate_on_submit():
        return _page(form, 400)
    month = date.fromisoformat(form.month.data + "-01")
    done = commit_or_flash(lambda: channel_costs.set_cost(form.channel.data, month, form.amount.data, current_user),
                           lambda: _("%(channel)s cost %(amount)s in %(month)s.", channel=channels.label(
                               form.channel.data), amount=format_money(form.amount.data, whole=False),
                               month=format_date(month, "LLLL yyyy")))
    return redirect(url_for("channels.index", _anchor="costs")) if done else _page(form, 400)


@bp.route("/costs/<int:cost_id>/remove", methods=["POST"])
@allow("admin")
def remove_cost(cost_id: int) -> Response:
    ensure("channel.cost")
    commit_or_flash(lambda: channel_costs.remove_cost(cost_id, current_user), _("The cost was removed."))
    return redirect(url_for("channels.index", _anchor="costs"))


@bp.route("/alias", methods=["POST"])
@allow(*ROLES)
def add_alias() -> Response:
    name, alias = request.form.get("channel", ""), request.form.get("alias", "")
    commit_or_flash(lambda: channel_list.add_alias(name, alias, current_user),
                    lambda: _("“%(alias)s” now means %(channel)s.", alias=alias.strip(), channel=name))
    return redirect(url_for("channels.index"))


@bp.route("/alias/<int:alias_id>/remove", methods=["POST"])
@allow(*ROLES)
def remove_alias(alias_id: int) -> Response:
    commit_or_flash(lambda: channel_list.remove_alias(alias_id, current_user), _("The alias was removed."))
    return redirect(url_for("channels.index"))


@bp.route("/rename", methods=["POST"])
@allow(*ROLES)
def rename() -> Response:
    name, new = request.form.get("channel", ""), request.form.get("name", "")
    commit_or_flash(lambda: channel_list.rename(name, new, current_user),
                    lambda: _("%(old)s is now called %(new)s.", old=name, new=channels.clean(new)))
    return redirect(url_for("channels.index"))


@bp.route("/merge", methods=["POST"])
@allow(*ROLES)
def merge() -> Response:
    name, into = request.form.get("channel", ""), request.form.get("into", "")
    done = commit_or_flash(lambda: channel_list.merge(name, into, current_user))
    if done:
        merged = done.value
        flash(_("%(old)s was merged into %(new)s.", old=merged.merged, new=merged.channel.name) + " " +
              ngettext("%(num)d candidate moved.", "%(num)d candidates moved.", merged.candidates), "success")
    return redirect(url_for("channels.index"))
