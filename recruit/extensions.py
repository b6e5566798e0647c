"""Extension instances, created unbound once and init_app'd in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()


def commit_keeping_what_was_read() -> None:
    """A commit that does not expire what the request has read: an action
    whose answer is written from the objects already in hand (the user, the
    settings, a desk's day) does not read each of them a second time."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint: the column holds one of these words."""
    return f"{column} IN (" + ",".join(f"'{v}'" for v in values) + ")"


def migration_include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For autogenerate and the drift test: the search indexes of one engine
    (pg_trgm indexes, SQLite's FTS5 table and its shadow tables) live in the
    migrations, not in the models."""
    if type_ == "index" and name and name.endswith("_trgm"):
        return False
    return not (type_ == "table" and name and name.startswith("candidates_search"))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, WAL for concurrent readers, and a wait instead of
    'database is locked' when two requests write at once."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
