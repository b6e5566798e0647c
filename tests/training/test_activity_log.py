"""The activity log a trainer can trust: a save changes only the numbers
entered, a CRM export is previewed and merged field by field, lowers nothing
unless the user says so, is applied once, and every number says where it came
from and who set it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.organisation import services as org
from recruit.training import activity_log
from recruit.training.errors import TrainingError
from recruit.training.models import ActivityChange, ActivityEntry, ActivityImport
from tests.training.test_plans import _plan

pytestmark = pytest.mark.pg


@pytest.mark.parametrize("values, message", [
    ({"calls": -1}, "negative"), ({"calls": 5000}, "not plausible"), ({"leads": "many"}, "whole number"),
    ({"meetings": 1.5}, "whole number"), ({}, "Nothing to save"), ({"calls": "", "leads": "  "}, "Nothing to save"),
])
def test_activity_log_refuses_bad_numbers(people, values, message):
    plan = _plan(people, org.local_now().date() - timedelta(days=10))
    with pytest.raises(TrainingError, match=message):
        activity_log.log_activity(plan, org.local_now().date(), values, plan.hire)


def test_activity_log_dates_and_ownership(people):
    today = org.local_now().date()
    plan = _plan(people, today - timedelta(days=10))
    with pytest.raises(TrainingError, match="future"):
        activity_log.log_activity(plan, today + timedelta(days=1), {"calls": 3}, plan.hire)
    with pytest.raises(TrainingError, match="before the plan"):
        activity_log.log_activity(plan, plan.start_date - timedelta(days=1), {"calls": 3}, plan.hire)
    with pytest.raises(PermissionError):
        activity_log.log_activity(plan, today, {"calls": 3}, people["other"])
    entry = activity_log.log_activity(plan, today, {"calls": 3}, plan.hire)
    again = activity_log.log_activity(plan, today, {"calls": 31, "leads": 2}, people["mentor"])  # a correction
    assert again.id == entry.id and (again.calls, again.leads) == (31, 2)


def test_a_blank_keeps_the_number_and_every_change_says_who_and_where_from(people, ctx):
    today = org.local_now().date()
    plan = _plan(people, today - timedelta(days=10))
    activity_log.log_activity(plan, today, {"calls": "34", "contracts": "1", "meetings": "2"}, plan.hire)
    entry = activity_log.log_activity(plan, today, {"calls": "", "meetings": "3", "contracts": None}, people["mentor"])
    assert (entry.calls, entry.meetings, entry.contracts, entry.leads) == (34, 3, 1, 0)
    activity_log.log_activity(plan, today, {"calls": 34}, plan.hire)  # the same number: no change to record
    changes = [(c.metric, c.old, c.new, c.source, c.changed_by.email) for c in reversed(activity_log.history(plan))]
    assert changes == [("calls", None, 34, "hire", "hire@x.test"), ("meetings", None, 2, "hire", "hire@x.test"),
                       ("contracts", None, 1, "hire", "hire@x.test"),
                       ("meetings", 2, 3, "mentor", "mentor@x.test")]
    activity_log.log_activity(plan, today, {"leads": 4}, people["admin"])
    assert activity_log.history(plan)[0].source == "admin"


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(rows) + "\r\n").encode(encoding)


def test_a_crm_export_is_previewed_and_merged_field_by_field(people, ctx):
    cal = org.calendar()
    today = org.local_now().date()
    start = cal.add_business_days(today, -6)
    plan = _plan(people, start)
    d1, d2, d3 = (cal.add_business_days(start, n) for n in (1, 2, 3))
    activity_log.log_activity(plan, d1, {"calls": 30, "contracts": 1, "meetings": 2}, plan.hire)
    activity_log.log_activity(plan, d2, {"calls": 40}, plan.hire)
    activity_log.log_activity(plan, d3, {"calls": 25}, plan.hire)
    data = _csv("Дата;Звонки;Встречи", f"{d1:%d.%m.%Y};33;", f"{d2.isoformat()};28;1", f"{d3.isoformat()};25;",
                f"{cal.add_business_days(start, 4).isoformat()};12;0", encoding="cp1251")

    upload = activity_log.upload_activity(plan, data, "crm.csv", plan.hire)
    shown = activity_log.preview(upload)
    assert [(d.day, [(f.metric, f.old, f.new) for f in d.fields]) for d in shown.days] == [
        (d1, [("calls", 30, 33)]),
        (d2, [("calls", 40, 28), ("meetings", 0, 1)]),
        (cal.add_business_days(start, 4), [("calls", None, 12), ("meetings", None, 0)]),
    ]
    assert shown.unchanged == 1 and [d.day for d in shown.lowers] == [d2] and not shown.errors
    assert ctx.session.scalar(sa.select(ActivityEntry).where(ActivityEntry.day == d1)).calls == 30  # not yet

    report = activity_log.apply_import(upload, plan.hire, skip_bad_rows=False, lower=False)
    assert report == {"days": 3, "kept_lower": 1, "skipped_rows": 0}
    by_day = {e.day: e for e in ctx.session.scalars(sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id))}
    assert (by_day[d1].calls, by_day[d1].contracts, by_day[d1].meetings) == (33, 1, 2)  # the file had no contracts
    assert (by_day[d2].calls, by_day[d2].meetings) == (40, 1)  # 40 kept: the file's 28 would lower it
    assert {c.source for c in ctx.session.scalars(sa.select(ActivityChange).where(ActivityChange.new == 33))} == {"crm"}
    with pytest.raises(TrainingError, match="already been imported"):
        activity_log.apply_import(upload, plan.hire, skip_bad_rows=False, lower=True)

    again = activity_log.upload_activity(plan, data, "crm.csv", people["mentor"])
    assert [d.day for d in activity_log.preview(again).days] == [d2]
    activity_log.apply_import(again, people["mentor"], skip_bad_rows=False, lower=True)
    ctx.session.refresh(by_day[d2])
    assert by_day[d2].calls == 28 and activity_log.history(plan)[0].old == 40


def test_a_crm_export_with_bad_rows_imports_nothing_unless_they_are_skipped(people, ctx):
    today = org.local_now().date()
    cal = org.calendar()
    start = cal.add_business_days(today, -5)
    plan = _plan(people, start)
    d1, d2 = cal.add_business_days(start, 1), cal.add_business_days(start, 2)
    data = _csv("Дата;Звонки;КП по e-mail;КП по телефону;Встречи;Заявки;Договоры",
                f"{d1.strftime('%d.%m.%Y')};35;40;12;1;2;0",
                f"{d2.isoformat()};-4;40;12;1;2;0",
                f"{(today + timedelta(days=3)).isoformat()};30;0;0;0;0;0",
                f"{d1.isoformat()};31;0;0;0;0;0",
                "yesterday;1;1;1;1;1;1",
                f"{d2.isoformat()};9999;1;1;1;1;1", encoding="cp1251")
    upload = activity_log.upload_activity(plan, data, "crm.csv", plan.hire)
    ctx.session.commit()  # the upload's request
    shown = activity_log.preview(upload)
    joined = "\n".join(shown.errors)
    assert len(shown.errors) == 5
    for expected in ("line 3, Звонки: a count cannot be negative", "is in the future", "duplicate of line 2",
                     "“yesterday” is not a date", "9999 in one day is not plausible"):
        assert expected in joined
    with pytest.raises(TrainingError, match="rows with problems"):
        activity_log.apply_import(upload, plan.hire, skip_bad_rows=False, lower=False)
    ctx.session.rollback()
    assert not ctx.session.scalars(sa.select(ActivityEntry)).all()
    assert activity_log.apply_import(upload, plan.hire, skip_bad_rows=True, lower=False)["days"] == 1
    entry = ctx.session.scalar(sa.select(ActivityEntry))
    assert (entry.day, entry.calls, entry.email_offers, entry.phone_offers) == (d1, 35, 40, 12)


def test_a_crm_upload_checks_the_person_and_the_file(people, ctx):
    plan = _plan(people, org.local_now().date() - timedelta(days=10))
    with pytest.raises(PermissionError):
        activity_log.upload_activity(plan, _csv("Date;Calls", "2026-01-01;3"), "x.csv", people["other"])
    with pytest.raises(TrainingError, match="Map a column"):
        activity_log.upload_activity(plan, b"Calls\n3\n", "x.csv", plan.hire)
    with pytest.raises(TrainingError, match="Map a column to: Calls, E-mail offers"):
        activity_log.upload_activity(plan, b"Date;Note\n2026-01-01;x\n", "x.csv", plan.hire)
    activity_log.upload_activity(plan, _csv("Date;Calls", "2026-01-01;3"), "a.csv", plan.hire)
    activity_log.upload_activity(plan, _csv("Date;Calls", "2026-01-01;4"), "b.csv", plan.hire)
    assert ctx.session.scalars(sa.select(ActivityImport.filename)).all() == ["b.csv"]  # the preview left open goes
