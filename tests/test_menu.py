"""The menu is kept per set of roles and language (templating.main_nav): each
reader still sees the links of their own roles, in their own language, and
their own name beside it."""

import re

from tests.conftest import login


def _menu(page: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', page, re.S).group(1)
    return re.findall(r">([^<]+)</a>", nav)


def test_each_reader_sees_the_menu_of_their_roles_in_their_language(clean_app, make):
    make.user("recruiter", email="rita@x.test", name="Rita Recruiter")
    make.user("new_hire", email="nik@x.test", name="Nik New")
    make.user("recruiter", email="roman@x.test", name="Roman Recruiter")
    rita, nik, roman = clean_app.test_client(), clean_app.test_client(), clean_app.test_client()
    for client, email in ((rita, "rita@x.test"), (nik, "nik@x.test"), (roman, "roman@x.test")):
        login(client, email)

    recruiter = _menu(rita.get("/").get_data(as_text=True))
    assert "Candidates" in recruiter and "Onboarding" in recruiter and "My plan" not in recruiter
    hire_page = nik.get("/").get_data(as_text=True)
    assert _menu(hire_page) == ["Home", "My plan", "Quizzes"] and "Nik New" in hire_page
    other = roman.get("/").get_data(as_text=True)
    assert _menu(other) == recruiter and "Roman Recruiter" in other and "Rita Recruiter" not in other
    ukrainian = _menu(roman.get("/?lang=uk").get_data(as_text=True))
    assert len(ukrainian) == len(recruiter) and ukrainian != recruiter and "Кандидати" in ukrainian
    assert _menu(rita.get("/").get_data(as_text=True)) == recruiter  # Roman's language is his own


def test_everyone_who_may_sit_on_a_panel_finds_my_interviews(clean_app, make):
    from recruit.interviews.sessions import INTERVIEWER_ROLES

    for role in (*INTERVIEWER_ROLES, "receptionist", "trainer", "new_hire"):
        make.user(role, email=f"{role}@x.test")
        client = clean_app.test_client()
        login(client, f"{role}@x.test")
        menu = _menu(client.get("/").get_data(as_text=True))
        assert ("My interviews" in menu) == (role in INTERVIEWER_ROLES), (role, menu)
