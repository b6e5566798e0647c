"""What a channel cost in a month, entered by an admin on the channel page:
one amount per channel and month (entered again, corrected), refused input
named with nothing written, the months carried over by a merge."""

import html
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.vacancies import channel_costs, channel_list
from recruit.vacancies.models import ChannelCost
from tests.conftest import csrf_token, login

pytestmark = pytest.mark.pg


@pytest.fixture
def admin_page(channels_app, make):
    make.candidate(make.vacancy("open"), source="Work.ua")
    make.user("admin", email="head@x.test")
    with channels_app.app_context():
        get_settings().currency = "UAH"
        db.session.commit()
    client = channels_app.test_client()
    login(client, "head@x.test")
    return client


def _costs(app):
    with app.app_context():
        return [(c.channel.name, c.month, c.amount, c.currency) for c in
                db.session.scalars(sa.select(ChannelCost).order_by(ChannelCost.month))]


def _post(client, **data):
    token = csrf_token(client.get("/channels").get_data(as_text=True))
    return client.post("/channels/costs", data={"csrf_token": token, **data}, follow_redirects=True)


def test_an_admin_enters_a_month_and_corrects_it(admin_page, channels_app):
    response = _post(admin_page, channel="Work.ua", month="2026-03", amount="1500")
    text = html.unescape(response.get_data(as_text=True))
    assert "Work.ua cost UAH1,500.00 in March 2026." in text and "<td>March 2026</td>" in text
    _post(admin_page, channel="Work.ua", month="2026-03", amount="1200.50")
    assert _costs(channels_app) == [("Work.ua", date(2026, 3, 1), Decimal("1200.50"), "UAH")]


@pytest.mark.parametrize("data, message", [
    ({"channel": "Work.ua", "month": "2026-13", "amount": "100"}, "Give the month as year and month, e.g. 2026-03."),
    ({"channel": "Work.ua", "month": "", "amount": "100"}, "Choose the month."),
    ({"channel": "Work.ua", "month": "2026-03", "amount": "-5"}, "Enter an amount of zero or more."),
    ({"channel": "Work.ua", "month": "2026-03", "amount": "NaN"}, "Enter an amount of zero or more."),
    ({"channel": "Work.ua", "month": "2026-03", "amount": "1e20"}, "Enter an amount of zero or more."),
    ({"channel": "Work.ua", "month": "2026-03", "amount": "lots"}, "Not a valid decimal value."),
    ({"channel": "Nowhere", "month": "2026-03", "amount": "100"}, "Not a valid choice."),
])
def test_refused_input_is_named_and_nothing_is_written(admin_page, channels_app, data, message):
    token = csrf_token(admin_page.get("/channels").get_data(as_text=True))
    response = admin_page.post("/channels/costs", data={"csrf_token": token, **data})
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert _costs(channels_app) == []


def test_a_recruiter_sees_no_cost_form_and_may_not_post_one(channels_app, make):
    make.user("recruiter", email="rita@x.test")
    client = channels_app.test_client()
    login(client, "rita@x.test")
    page = client.get("/channels").get_data(as_text=True)
    assert "What the channels cost" not in page
    assert client.post("/channels/costs", data={"channel": "Work.ua", "month": "2026-03",
                                                 "amount": "1"}).status_code in (400, 403)
    assert _costs(channels_app) == []


def test_a_merge_adds_the_merged_channels_months_to_the_target(ctx, world):
    channel_costs.set_cost("Work.ua", date(2026, 3, 1), Decimal("100"), world["admin"])
    channel_costs.set_cost("Work.ua", date(2026, 4, 1), Decimal("40"), world["admin"])
    channel_costs.set_cost("Robota.ua", date(2026, 3, 1), Decimal("50"), world["admin"])
    channel_list.merge("Robota.ua", "Work.ua", world["admin"])
    rows = {(c.channel.name, c.month): c.amount for c in ctx.session.scalars(sa.select(ChannelCost))}
    assert rows == {("Work.ua", date(2026, 3, 1)): Decimal("150.00"), ("Work.ua", date(2026, 4, 1)): Decimal("40.00")}
    assert channel_costs.costs_by_channel(date(2026, 3, 15), date(2026, 3, 31)) == {"Work.ua": {"EUR": Decimal("150")}}
