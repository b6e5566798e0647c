"""One factory for the domain objects tests need, each made through the
product's own services (so a test's world is one a user could have made)
and committed; every method returns the new object's id."""

from __future__ import annotations

PASSWORD = "correct-horse-battery"


class Factory:
    """One place that makes domain objects for tests, committed."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _seq(self) -> int:
        self._n += 1
        return self._n

    def user(self, *roles: str, email: str | None = None, password: str = PASSWORD, name: str | None = None):
        from recruit.auth import services
        from recruit.extensions import db

        with self.app.app_context():
            user = services.create_user(email or f"user{self._seq()}@example.test", name or "", list(roles) or
                                        ["recruiter"], password=password)
            db.session.commit()
            return user.id

    def template(self, **fields) -> int:
        from recruit.demo import CLIENT_MANAGER
        from recruit.extensions import db
        from recruit.vacancies import services

        with self.app.app_context():
            data = {**CLIENT_MANAGER, "title": f"Client manager {self._seq()}", **fields}
            template = services.save_template(None, data)
            db.session.commit()
            return template.id

    def vacancy(self, state: str = "open", *, manager: int | None = None, **fields) -> int:
        """A vacancy walked through the real workflow up to `state`."""
        from recruit.auth.models import User
        from recruit.extensions import db
        from recruit.organisation.services import get_settings
        from recruit.vacancies import services

        manager = manager or self.user("hiring_manager")
        with self.app.app_context():
            configured = get_settings().approver_id
        admin = configured or self.user("admin")
        with self.app.app_context():
            requester = db.session.get(User, manager)
            approver = db.session.get(User, admin)
            data = {"position": "Client manager", "city": "Moscow", "headcount": 2, "salary_min": 50000,
                    "salary_max": 90000, **fields}
            vacancy = services.request_vacancy(None, data, requester)
            path = {"draft": [], "in_review": ["in_review"], "approved": ["in_review", "approved"],
                    "open": ["in_review", "approved", "open"], "on_hold": ["in_review", "approved", "open", "on_hold"],
                    "filled": ["in_review", "approved", "open", "filled"], "cancelled": ["cancelled"]}[state]
            for target in path:
                if target == "approved":
                    for item in vacancy.reviews:
                        services.review(vacancy, item.id, "approved", "", item.reviewer)
                actor = requester if target == "in_review" else approver
                services.transition(vacancy, target, actor, "filled anyway" if target == "filled" else "")
            db.session.commit()
            return vacancy.id

    def candidate(self, vacancy_id: int, **values) -> int:
        from recruit.extensions import db
        from recruit.vacancies import candidates
        from recruit.vacancies.models import Vacancy

        n = self._seq()
        with self.app.app_context():
            data = {"full_name": f"Candidate {n}", "email": f"cand{n}@example.test", **values}
            result = candidates.add_candidate(db.session.get(Vacancy, vacancy_id), data)
            db.session.commit()
            return result.application.id if result.application else result.candidate.id

    def plan(self, mentor: int, *, hire_email: str = "hire@x.test", hire_name: str = "Hire", days_ago: int = 0,
             curator: int | None = None, head: int | None = None, hr: int | None = None,
             by: int | None = None) -> int:
        """An onboarding plan from the shipped template, started `days_ago`
        calendar days back (the hire's account is created or given the role)."""
        from datetime import timedelta

        from recruit.auth.models import User
        from recruit.extensions import db
        from recruit.organisation.services import local_now
        from recruit.training import plans
        from recruit.training.plan_templates import ensure_default_template

        with self.app.app_context():
            request = plans.PlanRequest(hire_email, hire_name, local_now().date() - timedelta(days=days_ago),
                                        ensure_default_template(), mentor, curator or mentor, head_id=head, hr_id=hr)
            plan = plans.start_plan(request, db.session.get(User, by or mentor))
            db.session.commit()
            return plan.id

    def quiz(self, *questions, assign_to: tuple[int, ...] = (), title: str = "PK", key: str = "pk",
             **fields) -> int:
        """A quiz of these bank questions (`recruit.quizzes.types.Question`), in
        this order, assigned to the given users."""
        from recruit.extensions import db
        from recruit.quizzes.bank import add_question
        from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion

        with self.app.app_context():
            quiz = Quiz(title=title, key=key, **fields)
            for position, question in enumerate(questions):
                quiz.fixed.append(QuizQuestion(question_id=add_question(question).id, position=position))
            db.session.add(quiz)
            db.session.flush()
            for user_id in assign_to:
                db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=user_id))
            db.session.commit()
            return quiz.id
