"""The review-options migration: quizzes and attempts stored before it get
the safe defaults and are all still there (on SQLite a batch rebuild of the
quizzes table would cascade-delete every attempt), and it goes back down."""

import pytest
import sqlalchemy as sa


def test_existing_quizzes_get_the_default_review_options(tmp_path):
    from flask_migrate import downgrade, upgrade

    from config import TestConfig
    from recruit.app import create_app
    from recruit.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="c12a00000001")
        db.session.execute(sa.text(
            "INSERT INTO users (email, full_name, active, created_at, max_mentees, name_norm, session_version) "
            "VALUES ('h@x.test', 'H', 1, CURRENT_TIMESTAMP, 3, 'h', 1)"))
        db.session.execute(sa.text(
            "INSERT INTO quizzes (title, key, description, time_limit_minutes, pass_mark, attempt_limit, "
            "shuffle_questions, shuffle_choices, random_draws, created_at) "
            "VALUES ('Old', 'old', '', 30, 0.7, 2, 1, 1, '[]', CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text(
            "INSERT INTO bank_questions (name, archived, created_at) VALUES ('Q', 0, CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text(
            "INSERT INTO question_versions (question_id, number, kind, points, data, created_at) "
            "VALUES (1, 1, 'matching', 1.0, '{}', CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text(
            "INSERT INTO attempts (quiz_id, user_id, number, state, started_at, deadline, closed_by_deadline, "
            "max_score) VALUES (1, 1, 1, 'in_progress', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 1.0)"))
        db.session.execute(sa.text(
            "INSERT INTO attempt_answers (attempt_id, position, version_id, choice_order, seconds_spent, comment, "
            "override_reason) VALUES (1, 0, 1, '[]', 0, '', '')"))
        db.session.commit()
        upgrade(revision="c12b00000002")
        kept = "SELECT (SELECT count(*) FROM attempts), (SELECT count(*) FROM attempt_answers)"
        assert db.session.execute(sa.text(kept)).one() == (1, 1)
        assert db.session.execute(sa.text("SELECT review_open, review_closed FROM quizzes")).one() == \
            ("score", "answers")
        assert db.session.execute(sa.text("SELECT right_order FROM attempt_answers")).scalar() == "[]"
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text("UPDATE quizzes SET review_open = 'everything'"))
        db.session.rollback()
        downgrade(revision="c12a00000001")
        assert db.session.execute(sa.text(kept)).one() == (1, 1)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("quizzes")}
        assert "review_open" not in columns and "quiz_adjustments" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
