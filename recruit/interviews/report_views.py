"""The show-rate model and the reports, on the interviews blueprint: the
filtered report page, its tables as CSV and XLSX, and the scorecard reminders."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from recruit.auth.permissions import allow
from recruit.dates import reader_locale
from recruit.exports import csv_download
from recruit.interviews import (
    formats,
    hiring_report,
    planning,
    report_tables,
    reports,
    scorecard_reminders,
)
from recruit.interviews.blueprint import bp
from recruit.interviews.forms import ReportFilterForm
from recruit.interviews.pace import PACE_WINDOW_WEEKS, SCORECARD_TARGET
from recruit.vacancies import channels
from recruit.web import commit_or_flash

# --- the model and reports -----------------------------------------------------------------

@bp.route("/interviews/show-rates")
@allow("admin", "recruiter")
def show_rates():
    return render_template("interviews/show_rates.html", data=reports.show_rate_page(planning.current_model()),
                           brier=planning.calibration())


def _report_filters() -> ReportFilterForm:
    """The reports' filter form read from the GET parameters, its choices filled."""
    form = ReportFilterForm(request.args)
    choices = hiring_report.filter_choices()
    form.vacancy.choices = [("", _("All vacancies")), *choices.vacancies]
    form.interviewer.choices = [("", _("All interviewers")), *choices.interviewers]
    form.channel.choices = [("", _("All channels"))] + [(name, channels.label(name)) for name in choices.channels]
    if request.args:
        form.validate()
    return form


def _show_up_tables():
    """Show-up by channel and by week, written once per language while the
    outcome counts stay put (not kept while templates reload)."""
    def write(figures):
        return get_template_attribute("interviews/_show_up.html", "show_up_tables")(figures, formats.percent)

    if current_app.jinja_env.auto_reload:
        return write(reports.outcome_figures(reports.outcome_tally()))
    return reports.kept_with_outcomes(str(reader_locale()), write)


@bp.route("/interviews/reports")
@allow("admin", "recruiter")
def report():
    form = _report_filters()
    hiring = hiring_report.hiring_report(form.filters())
    return render_template("interviews/reports.html", data=hiring.days, show_up=_show_up_tables(),
                           form=form, hiring=hiring, target=SCORECARD_TARGET, window=PACE_WINDOW_WEEKS)


@bp.route("/interviews/reports/<any(funnel, pace, scorecards):table>.csv")
@allow("admin", "recruiter")
def report_table(table: str):
    """One table of the hiring report, with the page's filters, as CSV or XLSX."""
    filename, build = report_tables.TABLES[table]
    header, rows = build(hiring_report.hiring_report(_report_filters().filters()))
    return csv_download(filename, header, rows)


@bp.route("/interviews/reports/scorecard-reminders", methods=["POST"])
@allow("admin", "recruiter")
def send_scorecard_reminders():
    done = commit_or_flash(scorecard_reminders.send_now)
    if done:
        sent = done.value
        flash(ngettext("%(num)d interviewer was reminded", "%(num)d interviewers were reminded", sent.interviewers)
              + " " + ngettext("of %(num)d missing scorecard.", "of %(num)d missing scorecards.", sent.scorecards)
              if sent.interviewers else _("No interviewer is owed a reminder: every scorecard missing from the "
                                          "days that have ended was asked for already, or none is missing."),
              "success")
    return redirect(url_for("interviews.report", **request.args))


@bp.route("/interviews/reports.csv")
@allow("admin", "recruiter")
def report_csv():
    return csv_download("interviews.csv", reports.booking_header(),
                        reports.booking_rows(_report_filters().filters()))
