"""Every page of every role, rendered under a pseudo-translation generated
from the source: visible interface text that did not pass through the
catalogue fails the test, with the page and the words.

The demo organisation gives every page something to show. What its records
hold (names, cities, what people typed) is data, not interface text: the
words of every text column are allowed. Pages are found the way a person
finds them, by following the links of each role from the home page; of the
pages of one route (/candidates/1, /candidates/2...) three are read."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from recruit.auth.services import user_by_email
from recruit.demo import DEMO_PASSWORD
from recruit.extensions import db
from recruit.vacancies import services
from recruit.vacancies.models import Vacancy
from tests.conftest import login
from tests.i18n import pseudo

# Words that are the same in every language: product and file-format names,
# units people read as symbols, and the shipped languages' own names.
UNIVERSAL = {
    "recruit", "csv", "xlsx", "ics", "gift", "moodle", "pdf", "docx", "doc", "odt", "rtf", "txt", "api", "json",
    "url", "utf", "telegram", "viber", "whatsapp", "sms", "totp", "e164", "id", "qr", "null",
}


def _universal() -> set[str]:
    """Names that are the same in every language: the shipped languages' own
    names and codes, time-zone identifiers, ISO currency and country codes,
    the job boards' names."""
    from zoneinfo import available_timezones

    from babel import Locale

    from recruit import i18n

    words = set(UNIVERSAL) | set(i18n.LANGUAGES) | pseudo.words_of(list(i18n.LANGUAGES.values()))
    words |= pseudo.words_of(sorted(available_timezones()))
    english = Locale.parse("en")
    words |= {code.lower() for code in english.currencies} | {code.lower() for code in english.territories}
    try:
        from recruit.organisation.countries import COUNTRIES
    except ImportError:
        return words
    for country in COUNTRIES.values():
        words |= pseudo.words_of(list(getattr(country, "channels", ())))
    return words
SKIP_PATHS = ("/logout", "/static/", "/healthz", "/api/")
PER_ROUTE = 3
MAX_PAGES_PER_ROLE = 250


def _route_of(path: str) -> str:
    return re.sub(r"/\d+", "/#", path)


def _links(html: str) -> list[str]:
    return re.findall(r'<a\s[^>]*href="([^"#]+)', html)


def _data_words(db) -> set[str]:
    words: set[str] = set()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns
                       if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
            if not columns:
                continue
            for row in conn.execute(sa.select(*columns)):
                words |= pseudo.words_of(list(row))
    return words


@pytest.fixture
def pseudo_app(clean_app, tmp_path):
    """The demo organisation, shown under the pseudo catalogue."""
    from flask_babel import get_babel

    from recruit import demo
    from recruit.extensions import db

    directory = pseudo.build(tmp_path)
    with clean_app.app_context():
        demo.load()
        db.session.commit()
        data = _data_words(db) | _universal()
        config = get_babel(clean_app)
        saved = (config.translation_directories, dict(config.instance.domain_instance.cache))
        config.translation_directories = [str(directory)]
        config.instance.domain_instance.cache.clear()
    yield clean_app, data
    with clean_app.app_context():
        config = get_babel(clean_app)
        config.translation_directories = saved[0]
        config.instance.domain_instance.cache.clear()
        config.instance.domain_instance.cache.update(saved[1])


def _walk(client, start: str, data: set[str]) -> dict[str, list[str]]:
    """Every page reachable from `start`: {url: unmarked words with their context}."""
    seen_routes: dict[str, int] = defaultdict(int)
    queue, visited, findings = deque([start]), set(), {}
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url, headers={"Accept-Language": pseudo.PSEUDO_LOCALE})
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        problems = []
        for text in pseudo.visible_text(html):
            for word in pseudo.unmarked_words(text):
                if word.lower() not in data:
                    problems.append(f"{word!r} in {text.strip()[:80]!r}")
        if problems:
            findings[url] = sorted(set(problems))
        for href in _links(html):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PATHS) or "lang=" in parts.query:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            route = _route_of(parts.path)
            if target in visited or seen_routes[route] >= PER_ROUTE:
                continue
            seen_routes[route] += 1
            queue.append(target)
    return findings


ROLES = ["admin", "manager", "recruiter", "reception", "mentor", "trainer", "hire"]


@pytest.mark.parametrize("who", ROLES)
def test_every_page_of_a_role_passes_through_the_catalogue(pseudo_app, who):
    from recruit.demo import DEMO_PASSWORD

    app, data = pseudo_app
    client = app.test_client()
    login(client, f"{who}@demo.local", DEMO_PASSWORD)
    findings = _walk(client, "/", data)
    report = "\n".join(f"{url}\n    " + "\n    ".join(words) for url, words in sorted(findings.items()))
    assert not findings, f"interface text outside the catalogue ({len(findings)} pages):\n{report}"


def test_the_pages_before_sign_in_pass_through_the_catalogue(pseudo_app):
    app, data = pseudo_app
    client = app.test_client()
    findings = {}
    for start in ("/login", "/password/forgot", "/password/reset/not-a-token"):
        findings |= _walk(client, start, data)
    report = "\n".join(f"{url}\n    " + "\n    ".join(words) for url, words in sorted(findings.items()))
    assert not findings, f"interface text outside the catalogue:\n{report}"


def test_the_pseudo_catalogue_catches_an_unmarked_word():
    """The check itself: marked text passes, a bare English word does not."""
    assert pseudo.unmarked_words("⟦Sign in⟧") == []
    assert pseudo.unmarked_words("⟦Hello, ⟦dear⟧ %s⟧ 12") == []
    assert pseudo.unmarked_words("⟦Booked⟧: no show") == ["no", "show"]
    assert pseudo.visible_text('<p title="Close">x<script>var a="b"</script></p>') == ["Close", "x"]


def _unmarked(client, url: str, data: set[str]) -> list[str]:
    response = client.get(url, headers={"Accept-Language": pseudo.PSEUDO_LOCALE})
    assert response.status_code == 200, url
    return sorted({f"{word!r} in {text.strip()[:80]!r}" for text in pseudo.visible_text(response.get_data(as_text=True))
                   for word in pseudo.unmarked_words(text) if word.lower() not in data})


def test_a_change_of_headcount_or_pay_waiting_passes_through_the_catalogue(pseudo_app):
    """The demo has no change waiting: one is proposed, and the vacancy's page
    (table, reviews, decisions), its edit page and the home page are read by
    the reviewer who is asked and by the approver."""
    app, data = pseudo_app
    reason = "Second shop opens"
    with app.app_context():
        vacancy = db.session.scalar(sa.select(Vacancy).where(Vacancy.state == "open").order_by(Vacancy.id))
        services.update_vacancy(vacancy, {"headcount": vacancy.headcount + 1, "salary_max": vacancy.salary_max + 500},
                                user_by_email("recruiter@demo.local"), reason=reason)
        db.session.commit()
        vacancy_id = vacancy.id
    findings = {}
    for who in ("recruiter", "admin"):
        client = app.test_client()
        login(client, f"{who}@demo.local", DEMO_PASSWORD)
        for url in (f"/vacancies/{vacancy_id}", f"/vacancies/{vacancy_id}/edit", "/"):
            if problems := _unmarked(client, url, data | pseudo.words_of([reason])):
                findings[f"{who} {url}"] = problems
    assert not findings, f"interface text outside the catalogue: {findings}"
