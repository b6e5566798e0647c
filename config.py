"""Settings from the environment. Defaults give the embedded set-up: a SQLite
file in instance/, jobs run in-process, mail kept in the outbox."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from recruit.keys import fallbacks, is_scale_out

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("RECRUIT_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'recruit.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    # No built-in key: create_app() generates one for the embedded set-up and
    # refuses to start the scale-out shape without a real one (recruit/keys.py).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SECRET_KEY_FALLBACKS = fallbacks(os.environ.get("SECRET_KEY_FALLBACKS"))
    SCALE_OUT = is_scale_out(os.environ)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_MODE = os.environ.get("JOBS_MODE") or ("rq" if REDIS_URL else "thread")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in this process meanwhile rather than refuse every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    # "Keep me signed in" (and any sign-in) lasts this many days at most; never more than 30.
    REMEMBER_COOKIE_DURATION = timedelta(days=max(1, min(30, int(os.environ.get("REMEMBER_DAYS", "30")))))
    WTF_CSRF_TIME_LIMIT = None

    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
    RESUME_MAX_BYTES = int(os.environ.get("RESUME_MAX_MB", "5")) * 1024 * 1024

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "recruit@localhost")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))

    # Mail domains of the company's own network (special-use names that
    # email-validator refuses otherwise), separated by commas or spaces.
    EMAIL_INTERNAL_DOMAINS = tuple(os.environ.get("EMAIL_INTERNAL_DOMAINS", "local").replace(",", " ").split())

    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ["en"]
    # The country the demo organisation (`flask demo load`, `make run`) is in: UA, BG, RO, BA, GE or RU.
    DEMO_COUNTRY = os.environ.get("DEMO_COUNTRY", "UA")

    EXTERNAL_URL = os.environ.get("EXTERNAL_URL", "http://127.0.0.1:5000")
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE = 7 * 24 * 3600
    TICKER_SECONDS = int(os.environ.get("TICKER_SECONDS", "60"))
    START_TICKER = _bool("START_TICKER", True)
    PAGE_SIZE = 50
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))  # TLS proxies in front that set X-Forwarded-*


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "tests-only-key-that-signs-nothing-real"  # nosec B105: the test configuration only
    SECRET_KEY_FALLBACKS: list[str] = []
    SCALE_OUT = False
    EMAIL_INTERNAL_DOMAINS = ("local", "test")
    JOBS_MODE = "sync"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # nosec B105: a cheap hash for the suite's thousands of sign-ins
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = False
    START_TICKER = False
    MAIL_SERVER = ""
    EXTERNAL_URL = "http://recruit.test"
