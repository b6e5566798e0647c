"""A client for the channel page. Until recruit/__init__.py registers the
channels blueprint, a second application on the same test database carries
it (a blueprint cannot join an application that has served requests)."""

import pytest

_SECOND: dict[str, object] = {}


@pytest.fixture
def channels_app(clean_app):
    if "channels.index" in clean_app.view_functions:
        return clean_app
    if "app" not in _SECOND:
        from config import TestConfig
        from recruit import create_app
        from recruit.vacancies.channel_views import bp

        settings = {key: clean_app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR")}
        app = create_app(type("ChannelsConfig", (TestConfig,), settings))
        app.register_blueprint(bp)
        _SECOND["app"] = app
    return _SECOND["app"]
