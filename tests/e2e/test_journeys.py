"""One journey per role, clicking through the real pages of `make run`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from recruit import demo
from tests.e2e.conftest import Mailbox

pytestmark = pytest.mark.e2e
# What the demo shows in its country (DEMO_COUNTRY, as `make run` reads it): people, the open vacancy, tasks.
SHOWN = demo.shown()
PEOPLE = SHOWN["people"]
OPEN_VACANCY = SHOWN["open_vacancy"]
TASK = SHOWN["task"]


def test_hiring_manager_requests_and_approvers_approve(as_user):
    manager = as_user("manager@demo.local")
    page = manager.page
    manager.screenshot("hiring-manager-home")
    page.click("text=Request a vacancy")
    page.locator("a.tile").first.click()
    page.fill("#position", "Account manager, e2e")
    page.fill("#headcount", "2")
    page.click("button:has-text('Save draft')")
    assert "Draft saved" in manager.flash()
    vacancy_url = page.url
    page.click("button:has-text('Send for review')")
    assert "in review" in manager.flash()

    hr = as_user("recruiter@demo.local")
    hr.page.goto(vacancy_url)
    hr.page.select_option("#decision", "approved")
    hr.page.click("button:has-text('Record my review')")
    assert "Your review is recorded" in hr.flash()

    approver = as_user("admin@demo.local")
    approver.page.goto(vacancy_url)
    approver.page.click("button:has-text('Approve')")
    assert "now approved" in approver.flash()
    approver.page.click("button:has-text('Open for candidates')")
    assert "now open" in approver.flash()
    page.reload()
    assert re.search(r"\bOpen\b", page.locator("main").inner_text(), re.I)


def _next_weekday(days_ahead: int = 1):
    """A working day after the organisation's today (the demo's own stream day
    is today in its time zone and keeps its interviewers busy, whatever the hour)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import holidays

    day = datetime.now(ZoneInfo(SHOWN["timezone"])).date() + timedelta(days=days_ahead)
    days_off = holidays.country_holidays(SHOWN["country"], years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in days_off:
        day += timedelta(days=1)
    return day


# The journeys' candidates read English (the Language column): their invitations and pages are in it,
# whatever the demo organisation's own language.
HEADER = "ФИО;Телефон;Email;Город;Опыт работы, лет;Образование;Источник;Вакансия;Language\n"
ROWS = [f"Тестова Анна {n};+7 (900) 100-00-0{n};e2e.candidate{n}@example.ru;Москва;2;Высшее;HeadHunter;"
        f"Менеджер по работе с клиентами;en\n" for n in range(1, 7)]


def _import(page, vacancy_url: str, rows: list[str], path) -> None:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    page.goto(vacancy_url)
    page.click("text=Import candidates")
    page.set_input_files("#file", str(path))
    page.click("button:has-text('Upload and preview')")
    page.click("button:has-text('Check every row')")
    assert page.locator("table.errors").count() == 0
    page.click(f"button:has-text('Import {len(rows)} candidates')")
    page.wait_for_selector(f"text={len(rows)} new candidates", timeout=30000)


def test_recruiter_imports_plans_an_overbooked_day_and_the_candidate_confirms(as_user, mail, tmp_path):
    recruiter = as_user("recruiter@demo.local")
    page = recruiter.page
    recruiter.screenshot("recruiter-home")
    page.goto("/vacancies?state=open")
    page.click(f"text={OPEN_VACANCY}")
    vacancy_url = page.url

    bad = tmp_path / "export-with-a-bad-row.csv"
    bad.write_text(HEADER + "".join(ROWS[:2]) + ROWS[2].replace("@example.ru", "-at-example.ru") + "".join(ROWS[3:]),
                   encoding="utf-8")
    page.click("text=Import candidates")
    page.set_input_files("#file", str(bad))
    page.click("button:has-text('Upload and preview')")
    page.click("button:has-text('Check every row')")
    problems = page.locator("table.errors tbody tr")
    assert problems.count() == 1 and "4" in problems.first.inner_text()  # line 4 of the file
    page.click("button:has-text('Drop this upload')")

    _import(page, vacancy_url, ROWS, tmp_path / "export-fixed.csv")  # the progress bar hands over to the result
    page.click("text=Open the pipeline")
    assert "New 6" in page.locator("main").inner_text()

    day = _next_weekday()
    page.goto("/interviews/new")
    page.select_option("#kind", "stream")
    page.select_option("#vacancy_id", label=OPEN_VACANCY)
    page.fill("#title", "Stream day, e2e")
    page.fill("#day", day.isoformat())
    page.fill("#start", "10:00")
    page.fill("#end", "11:00")
    page.fill("#slot_minutes", "30")
    page.fill("#place", "Office 3, Tverskaya 1")
    page.select_option("#receptionist_id", label=PEOPLE["reception"])
    page.select_option("#interviewers", label=[PEOPLE["manager"]])
    page.click("button:has-text('Plan the day')")
    page.click("button:has-text('Propose a plan')")
    invited = [row.locator("label").inner_text()  # the ticked rows, each under its slot
               for row in page.locator("tr[data-application]:has(.tick:checked)").all()]
    assert len(invited) > 2, invited  # one interviewer, two slots: the planner overbooks from show-up rates
    recruiter.screenshot("recruiter-plan")
    page.click("button:has-text('Send invitations')")
    assert "invit" in recruiter.flash().lower()

    first_invited = f"e2e.candidate{invited[0].rsplit(' ', 1)[1]}@example.ru"  # "Тестова Анна 3" -> candidate3
    invitation = mail.wait_for(first_invited, "Invitation to an interview")
    assert any(part.get_content_type() == "text/calendar" for part in invitation.iter_attachments())
    link = next(url for url in mail.links(invitation) if "/b/" in url)

    candidate = as_user.anonymous()
    candidate.page.goto(link)
    assert "Stream day, e2e" in candidate.page.locator("main").inner_text()
    candidate.screenshot("candidate-invitation")
    candidate.page.click("button:has-text('I will come')")
    assert "confirmed" in candidate.page.locator("main").inner_text().lower()
    forged = candidate.page.goto(link + "x")
    assert forged.status == 410 and "I will come" not in candidate.page.content()


PLAN_FIGURES = ("interviews_held", "idle_minutes", "waiting_minutes", "p_wait_over_one_slot", "unseen")


def _plan_figures(page) -> dict[str, str]:
    """The day's figures and each slot's expected arrivals, as the planner's page shows them."""
    shown = {name: page.locator(f"[data-metric={name}]").inner_text() for name in PLAN_FIGURES}
    for slot in page.locator("tbody[data-slot]:has([data-arrivals])").all():
        shown[f"slot {slot.get_attribute('data-slot')}"] = slot.locator("[data-arrivals]").inner_text()
    return shown


def test_recruiter_edits_the_proposal_and_the_figures_follow_as_the_server_computes_them(as_user, tmp_path):
    recruiter = as_user("recruiter@demo.local")
    page = recruiter.page
    page.goto("/vacancies?state=open")
    page.click(f"text={OPEN_VACANCY}")
    rows = [f"Plan Guest {n};+7 (902) 300-00-{n:02d};plan.guest{n}@example.ru;Москва;1;Высшее;"
            f"{('HeadHunter', 'SuperJob', 'Referral')[n % 3]};x;en\n" for n in range(1, 25)]
    _import(page, page.url, rows, tmp_path / "planner.csv")
    page.goto("/interviews/new")
    page.select_option("#kind", "stream")
    page.select_option("#vacancy_id", label=OPEN_VACANCY)
    page.fill("#title", "Planner day, e2e")
    page.fill("#day", _next_weekday().isoformat())
    page.fill("#start", "16:00")  # clear of the other journeys' days (10:00-11:00, 14:00-15:00)
    page.fill("#end", "18:00")
    page.fill("#slot_minutes", "30")
    page.fill("#place", "Office 3, Tverskaya 1")
    page.select_option("#interviewers", label=[PEOPLE["manager"], PEOPLE["mentor"]])
    page.click("button:has-text('Plan the day')")
    page.click("button:has-text('Propose a plan')")
    assert "of these candidates come" in page.locator(".plan-explanation").inner_text()
    proposed = _plan_figures(page)
    expect(page.locator("[data-edited]")).to_be_hidden()

    # untick the first proposed candidate, move the second to the last slot, tick one not invited
    rows = page.locator("tr[data-application]:has(.tick:checked)")
    rows.nth(0).locator(".tick").uncheck()
    moved = rows.nth(1).get_attribute("data-application")
    last_slot = page.locator("tbody[data-slot]:has([data-arrivals])").last.get_attribute("data-slot")
    page.select_option(f"select[name=slot_{moved}]", last_slot)
    expect(page.locator(f"tbody[data-slot='{last_slot}'] tr[data-application='{moved}']")).to_have_count(1)
    expect(page.locator("[data-edited]")).to_be_visible()
    in_page = _plan_figures(page)
    assert in_page != proposed, in_page  # the figures followed the edits without a page load
    recruiter.screenshot("recruiter-plan-edited")

    page.click("button:has-text('Recalculate')")  # the server computes the same plan again
    expect(page.locator("text=Figures for your edited plan.")).to_be_visible()
    assert _plan_figures(page) == in_page
    expect(page.locator(f"tbody[data-slot='{last_slot}'] tr[data-application='{moved}']")).to_have_count(1)


def _choose(select, starts_with: str) -> None:
    labels = [o.inner_text() for o in select.locator("option").all()]
    select.select_option(index=next(i for i, label in enumerate(labels) if label.startswith(starts_with)))


def test_receptionist_checks_in_and_moves_the_overflow_then_the_interviewer_scores(as_user, tmp_path):
    recruiter = as_user("recruiter@demo.local")
    page = recruiter.page
    page.goto("/vacancies?state=open")
    page.click(f"text={OPEN_VACANCY}")
    rows = [f"Desk Guest {n};+7 (901) 200-00-0{n};desk.guest{n}@example.ru;Москва;1;Высшее;Referral;x;en\n"
            for n in range(1, 4)]
    _import(page, page.url, rows, tmp_path / "desk.csv")
    day, start, end = _next_weekday(), "14:00", "15:00"  # clear of the demo's days (today; group day 11:00-12:30)
    page.goto("/interviews/new")
    page.select_option("#vacancy_id", label=OPEN_VACANCY)
    page.fill("#title", "Front desk day, e2e")
    page.fill("#day", day.isoformat())
    page.fill("#start", start)
    page.fill("#end", end)
    page.fill("#place", "Office, 12 Tverskaya St., room 5")
    page.select_option("#receptionist_id", label=PEOPLE["reception"])
    page.select_option("#interviewers", label=[PEOPLE["manager"], PEOPLE["mentor"]])
    page.click("button:has-text('Plan the day')")
    session_url = page.url
    for box in page.locator("input[name=a]").all():
        if "Desk Guest" not in box.evaluate("b => b.parentElement.textContent"):
            box.uncheck()
    page.click("button:has-text('Propose a plan')")
    page.click("button:has-text('Send invitations')")

    desk_path = session_url.replace("/interviews/", "/reception/")
    reception = as_user("reception@demo.local", phone=True)
    desk = reception.page
    desk.goto(desk_path)
    assert "Front desk day, e2e" in desk.locator("main").inner_text()
    desk.locator(".desk-row:has-text('Desk Guest 1') button:has-text('Arrived')").click()
    expect(desk.locator(".desk-list .desk-row")).to_have_count(1)  # the tap updates the screen in place
    desk.locator(".desk-row:has-text('Desk Guest 2') button:has-text('Arrived')").click()
    expect(desk.locator(".desk-list .desk-row")).to_have_count(2)
    first = desk.locator(".desk-list .desk-row:has-text('Desk Guest 1')")
    _choose(first.locator("select"), PEOPLE["manager"])
    first.locator("button:has-text('Send in')").click()
    expect(desk.locator(".desk-list .desk-row")).to_have_count(1)
    overflow = desk.locator(".desk-list .desk-row:has-text('Desk Guest 2')")
    _choose(overflow.locator("select"), PEOPLE["mentor"])  # the slot's interviewer is busy: the other one
    overflow.locator("button:has-text('Send in')").click()
    expect(desk.locator("text=Nobody is waiting")).to_be_visible()
    text = desk.locator("main").inner_text()
    assert f"Desk Guest 1 → {PEOPLE['manager']}" in text and f"Desk Guest 2 → {PEOPLE['mentor']}" in text
    assert reception.fits_the_screen()
    reception.screenshot("receptionist-desk-phone")

    interviewer = as_user("manager@demo.local")
    page = interviewer.page
    page.goto("/my-interviews")
    interviewer.screenshot("interviewer-my-interviews")
    page.locator("tr:has-text('Desk Guest 1') a:has-text('Scorecard')").click()
    page.select_option("#motivation", "5")
    page.select_option("#competence", "4")
    page.select_option("#adequacy", "5")
    page.fill("#note", "Clear speech, asked about the client base.")
    page.select_option("#next_stage", "role_play")
    page.click("button:has-text('Save scorecard')")
    assert "scorecard" in interviewer.flash().lower()
    page.goto("/vacancies?state=open")
    page.click(f"text={OPEN_VACANCY}")
    page.click("text=Candidate pipeline")
    page.fill("input[name=q]", "Desk Guest 1")
    page.keyboard.press("Enter")
    assert "Role-play" in page.locator("table").inner_text()


def _right_answers() -> dict[str, object]:
    """The demo bank's key, by the first words of each question as the page shows them."""
    from recruit.quizzes import gift

    source = SHOWN["gift"].read_text("utf-8")
    key = {}
    for q in gift.parse(source):
        words = re.sub(r"<[^>]+>|\*\*|\\", "", q.text).split()[:5]
        key[" ".join(words)] = q
    return key


def _answer(fieldset, question) -> None:
    kind = question.kind
    if kind == "single":
        right = next(c.text for c in question.choices if c.fraction == 1.0)
        fieldset.locator("label.option", has_text=right).locator("input").check()
    elif kind == "multiple":
        for choice in question.choices:
            if choice.fraction > 0:
                fieldset.locator("label.option", has_text=choice.text).locator("input").check()
    elif kind == "true_false":
        fieldset.locator("label.option", has_text="True" if question.correct else "False").locator("input").check()
    elif kind == "numeric":
        number = question.numbers[0]
        value = number.value if number.value is not None else (number.low + number.high) / 2
        fieldset.locator("input[name$=-answer]").fill(f"{value:g}")
    elif kind == "short":
        fieldset.locator("input[name$=-answer]").fill(question.choices[0].text)
    elif kind == "matching":
        for left, right in question.pairs:
            fieldset.locator("label.match", has_text=left).locator("select").select_option(label=right)
    elif kind == "essay":
        fieldset.locator("textarea").fill("Offer the 8 chairs in stock today and the other 12 from the factory "
                                          "within a week, with the delivery date in writing.")
    fieldset.evaluate("f => f.dispatchEvent(new Event('change', {bubbles: true}))")


def test_new_hire_logs_activity_and_takes_the_quiz_then_the_mentor_grades_and_signs_off(as_user, mail):
    hire = as_user("hire@demo.local", phone=True)
    page = hire.page
    page.goto("/my-plan?lang=en")  # kept on the profile: the result mail below is in English too
    assert hire.fits_the_screen()
    hire.screenshot("new-hire-plan-phone")
    page.fill("#m-calls", "34")
    page.fill("#m-email_offers", "52")
    page.fill("#m-phone_offers", "21")
    page.click("button:has-text('Save the day')")
    assert "34" in page.locator(".activity-chart").inner_html()
    page.locator(f"li:has-text('{TASK['First client-base entries in the CRM']}') button:has-text('Done')").first.click()

    page.goto("/quizzes")
    page.click("button:has-text('Start')")
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    assert hire.fits_the_screen()
    assert int(page.locator("[data-countdown]").inner_text().split(":")[0]) <= 30  # the quiz's 30 minutes

    # While the attempt runs, the mentor gives extra time (WCAG 2.2.1); the open page takes it from its next save.
    adjuster = as_user("mentor@demo.local")
    adjuster.page.goto("/quizzes/1/statistics")
    adjuster.page.locator(f"a:has-text('{PEOPLE['hire']}')").first.click()
    adjuster.page.fill("#extra_minutes", "30")
    adjuster.page.fill("#reason", "Reads Russian slowly; the quiz is not a reading test.")
    adjuster.page.click("button:has-text('Give')")
    assert "has the adjustment" in adjuster.flash()

    key = _right_answers()
    page_source = page.content()
    feedback = [c.feedback for q in key.values() for c in q.choices if c.feedback]
    assert feedback and not any(f in page_source for f in feedback)  # no key
    for fieldset in page.locator("fieldset.question").all():
        legend = re.sub(r"^\d+\.\s*", "", " ".join(fieldset.locator("legend").inner_text().split()))
        question = next((q for words, q in key.items() if legend.startswith(words)), None)
        assert question is not None, legend
        _answer(fieldset, question)
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-save-state]")).to_have_text("Saved")
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^(5\d|60):\d\d$"))  # 30 + 30 minutes
    page.reload()  # autosaved: a reload loses nothing
    assert page.locator("fieldset.question textarea").first.input_value().startswith("Offer the 8 chairs")
    hire.screenshot("new-hire-quiz-phone")
    page.click("button.submit-quiz")
    assert "Submitted" in hire.flash()

    mentor = as_user("mentor@demo.local")
    page = mentor.page
    page.goto("/")
    mentor.screenshot("mentor-home")
    page.click("text=Grading queue")
    page.locator(f"tr:has-text('{PEOPLE['hire']}') a").click()
    for form in page.locator("form:has(button:text-is('Grade'))").all():
        form.locator("input[name=points]").fill("1")
        form.locator("input[name=comment]").fill("Good: you kept the client.")
        form.locator("button").click()
    assert "passed" in page.locator(".metrics").inner_text()
    page.click("button:has-text('Sign off this result')")
    assert "signed off" in mentor.flash()
    result = mail.wait_for("hire@demo.local", "Your result")
    assert "/attempts/" in Mailbox.text(result)

    page.goto("/mentees")
    page.click(f"text={PEOPLE['hire']}")
    page.locator(f"tr:has-text('{TASK['Cold-call technique']}') button:has-text('Done')").click()
    page.locator("button:has-text('Sign off this stage')").first.click()
    assert f"“{SHOWN['stages'][1]}” is signed off" in mentor.flash()
    gate = page.locator("li:has-text('Quiz passed')").first.inner_text()
    assert gate.startswith("✓"), gate


def test_curator_signs_readiness(as_user):
    hire = as_user("sofia.markova@demo.local", phone=True)
    hire.page.goto("/my-plan")
    hire.page.locator(f"tr:has-text('{TASK['Monthly report by the 3rd']}') button:has-text('Done')").click()

    curator = as_user("manager@demo.local")
    page = curator.page
    page.goto("/mentees")
    page.click(f"text={PEOPLE['sofia.markova']}")
    window = page.locator("li.unmet:has-text('business days of the window')")
    window.locator("input[name=reason]").fill("Works alone since the start of the month; CRM reviewed weekly.")
    window.locator("button:has-text('override')").click()
    page.locator("button:has-text('Sign off this stage')").click()
    assert "is signed off" in curator.flash()
    assert "ready" in page.locator("main").inner_text().lower()
    curator.screenshot("curator-plan-ready")


MAIN_PAGES = [("admin@demo.local", "/", False), ("manager@demo.local", "/", False),
              ("recruiter@demo.local", "/vacancies/1/pipeline", False), ("reception@demo.local", "/reception", True),
              ("mentor@demo.local", "/mentees", False), ("trainer@demo.local", "/grading", False),
              ("trainer@demo.local", "/quizzes/1/statistics", False),
              ("hire@demo.local", "/my-plan", True), ("hire@demo.local", "/quizzes", True)]


@pytest.mark.parametrize(("email", "path", "phone"), MAIN_PAGES)
def test_main_page_of_each_role(as_user, email, path, phone):
    person = as_user(email, phone=phone)
    response = person.page.goto(path)
    assert response.status == 200
    assert person.page.locator("h1").count() >= 1
    if phone:
        assert person.fits_the_screen(), f"{path} scrolls sideways at {person.page.viewport_size['width']} px"
    name = email.split("@")[0] + path.replace("/", "-").rstrip("-") + ("-phone" if phone else "")
    person.screenshot(f"main-{name}")
