"""The channel page through the browser's requests: admins and recruiters
only, every change a POST, refusals as messages with nothing written."""

import html

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.vacancies.models import Candidate
from tests.conftest import csrf_token, login

pytestmark = pytest.mark.pg


@pytest.fixture
def page(channels_app, make):
    vacancy = make.vacancy("open")
    for source in ("Referral", "Рекомендация", "Telegram"):
        make.candidate(vacancy, source=source)
    make.user("recruiter", email="rita@x.test")
    client = channels_app.test_client()
    login(client, "rita@x.test")
    return client


def _sources(app):
    with app.app_context():
        return sorted(db.session.scalars(sa.select(Candidate.source)))


def test_the_page_lists_channels_with_their_candidates(page):
    text = html.unescape(page.get("/channels").get_data(as_text=True))
    assert "Source channels" in text and "2 candidates" in text and "1 candidate" in text
    assert "Telegram" in text and "Рекомендация" in text  # an alias of Referral is listed
    assert "typed, not yet a channel" in text  # Telegram came from a typed source


def test_merge_through_the_page(page, channels_app):
    token = csrf_token(page.get("/channels").get_data(as_text=True))
    response = page.post("/channels/merge", data={"csrf_token": token, "channel": "Telegram", "into": "Social media"},
                         follow_redirects=True)
    assert "Telegram was merged into Social media. 1 candidate moved." in html.unescape(response.get_data(as_text=True))
    assert _sources(channels_app) == ["Referral", "Referral", "Social media"]


def test_merging_into_itself_is_refused_with_the_reason(page, channels_app):
    token = csrf_token(page.get("/channels").get_data(as_text=True))
    response = page.post("/channels/merge", data={"csrf_token": token, "channel": "Referral", "into": "Рекомендация"},
                         follow_redirects=True)
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert _sources(channels_app) == ["Referral", "Referral", "Telegram"]


def test_alias_and_rename_through_the_page(page, channels_app):
    token = csrf_token(page.get("/channels").get_data(as_text=True))
    added = page.post("/channels/alias", data={"csrf_token": token, "channel": "Telegram", "alias": "Телеграм"},
                      follow_redirects=True)
    assert "now means Telegram" in html.unescape(added.get_data(as_text=True))
    renamed = page.post("/channels/rename", data={"csrf_token": token, "channel": "Telegram", "name": "Telegram ads"},
                        follow_redirects=True)
    assert "Telegram is now called Telegram ads." in html.unescape(renamed.get_data(as_text=True))
    assert _sources(channels_app) == ["Referral", "Referral", "Telegram ads"]


@pytest.mark.parametrize("role, status", [("admin", 200), ("recruiter", 200), ("hiring_manager", 403),
                                          ("mentor", 403), ("receptionist", 403), ("new_hire", 403)])
def test_only_admins_and_recruiters_reach_it(channels_app, make, role, status):
    make.user(role, email=f"{role}@x.test")
    client = channels_app.test_client()
    login(client, f"{role}@x.test")
    assert client.get("/channels").status_code == status
    refused = client.post("/channels/merge", data={}, follow_redirects=True)
    assert refused.status_code == status
    if status == 200:  # nothing to merge: the reason, and nothing written
        assert "Choose the channel to merge" in html.unescape(refused.get_data(as_text=True))

