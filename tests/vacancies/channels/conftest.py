"""A client for the channel page. Until recruit/__init__.py registers the
channels blueprint, a second application on the same test database carries
it (a blueprint cannot join an application that has served requests); its
connections are closed after each test, before the next reset."""

import pytest

from config import TestConfig
from recruit.app import create_app
from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.vacancies import services as vs
from recruit.vacancies.channel_views import bp

_SECOND: dict[str, object] = {}


@pytest.fixture
def channels_app(clean_app):
    if "channels.index" in clean_app.view_functions:
        yield clean_app
        return
    if "app" not in _SECOND:
        settings = {key: clean_app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR")}
        app = create_app(type("ChannelsConfig", (TestConfig,), settings))
        app.register_blueprint(bp)
        _SECOND["app"] = app
    app = _SECOND["app"]
    yield app
    with app.app_context():  # the next test's reset replaces the database file under these connections
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(ctx):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, admin)
    for target in ("in_review", "approved", "open"):
        for item in vacancy.reviews:
            vs.review(vacancy, item.id, "approved", "", item.reviewer)
        vs.transition(vacancy, target, admin)
    ctx.session.flush()
    return {"admin": admin, "vacancy": vacancy}
