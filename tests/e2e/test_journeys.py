"""One journey per role, clicking through the real pages of `make run`."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


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
    from datetime import date, timedelta

    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5 or (day.month, day.day) in {(12, 31)} or (day.month == 1 and day.day <= 8):
        day += timedelta(days=1)
    return day


HEADER = "ФИО;Телефон;Email;Город;Опыт работы, лет;Образование;Источник;Вакансия\n"
ROWS = [f"Тестова Анна {n};+7 (900) 100-00-0{n};e2e.candidate{n}@example.ru;Москва;2;Высшее;HeadHunter;"
        f"Менеджер по работе с клиентами\n" for n in range(1, 7)]


def test_recruiter_imports_plans_an_overbooked_day_and_the_candidate_confirms(as_user, mail, tmp_path):
    recruiter = as_user("recruiter@demo.local")
    page = recruiter.page
    recruiter.screenshot("recruiter-home")
    page.goto("/vacancies?state=open")
    page.click("text=Client manager — Moscow")
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

    fixed = tmp_path / "export-fixed.csv"
    fixed.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    page.goto(vacancy_url)
    page.click("text=Import candidates")
    page.set_input_files("#file", str(fixed))
    page.click("button:has-text('Upload and preview')")
    page.click("button:has-text('Check every row')")
    assert page.locator("table.errors").count() == 0
    page.click("button:has-text('Import 6 candidates')")
    page.wait_for_selector("text=6 new candidates", timeout=30000)  # the progress bar hands over to the result
    page.click("text=Open the pipeline")
    assert "New 6" in page.locator("main").inner_text()

    day = _next_weekday()
    page.goto("/interviews/new")
    page.select_option("#kind", "stream")
    page.select_option("#vacancy_id", label="Client manager — Moscow")
    page.fill("#title", "Stream day, e2e")
    page.fill("#day", day.isoformat())
    page.fill("#start", "10:00")
    page.fill("#end", "11:00")
    page.fill("#slot_minutes", "30")
    page.fill("#place", "Office 3, Tverskaya 1")
    page.select_option("#receptionist_id", label="Olga Reception")
    page.select_option("#interviewers", label=["Mikhail Petrov (Head of Sales)"])
    page.click("button:has-text('Plan the day')")
    page.click("button:has-text('Propose a plan')")
    chosen = [s.input_value() for s in page.locator("select[name^=slot_]").all()]
    invited = [c for c in chosen if c]
    assert len(invited) > 2, chosen  # one interviewer, two slots: the planner overbooks from show-up rates
    recruiter.screenshot("recruiter-plan")
    page.click("button:has-text('Send invitations')")
    assert "invit" in recruiter.flash().lower()

    first_invited = [f"e2e.candidate{n + 1}@example.ru" for n, c in enumerate(chosen) if c][0]
    invitation = mail.wait_for(first_invited, "Invitation to an interview")
    assert any(part.get_content_type() == "text/calendar" for part in invitation.iter_attachments())
    link = next(url for url in mail.links(invitation) if "/b/" in url)

    candidate = as_user.anonymous()
    candidate.page.goto(link)
    assert "Stream day, e2e" in candidate.page.locator("main").inner_text()
    candidate.screenshot("candidate-invitation")
    candidate.page.click("button:has-text('I will come')")
    assert "confirmed" in candidate.page.locator("main").inner_text().lower()
    replay = candidate.page.goto(link.rsplit("/", 1)[0] + "/not-a-real-token")
    assert replay.status in (403, 404, 410)
