"""The candidate's signed links."""

from datetime import timedelta

import pytest

from recruit.interviews import bookings, links
from recruit.utc import utcnow
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_signed_links(world, ctx, clean_app, monkeypatch):
    session = stream(world)
    result = bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 0)], None, world["recruiter"])
    ctx.session.commit()
    a, b = result.invited[0], result.invited[1]
    token = links.booking_token(a)
    assert links.booking_from_token(token) is a
    payload, signature = token.rsplit(".", 1)
    tampered = payload + "." + ("B" if signature[0] == "A" else "A") + signature[1:]  # the last character
    assert links.booking_from_token(tampered) is None  # of a signature may carry unused bits: change the first
    forged = links._serializer().loads(links.booking_token(b))
    assert forged["b"] == b.id and links.booking_from_token(token) is not b  # each link names its own booking
    a.token_version += 1
    ctx.session.commit()
    assert links.booking_from_token(token) is None  # replaced by a newer link
    token_b = links.booking_token(b)
    monkeypatch.setattr(links, "LINK_MAX_AGE", -1)
    assert links.booking_from_token(token_b) is None  # past its age
    monkeypatch.undo()
    assert links.booking_from_token(token_b) is b
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=2)
    ctx.session.commit()
    assert links.booking_from_token(token_b) is None  # the day is over
