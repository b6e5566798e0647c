"""Canonical source channels. A candidate's source is written a dozen ways
("Рекомендация", "Рекомендація", "по рекомендации", "Referral"; "hh.ru",
"HH", "Хедхантер"), and the show-rate model, the planner and the reports
group by the text, so every spelling must become one name when it is
written: `canonical` maps a typed source to its channel's name through the
aliases, and unknown text comes back as a new channel name of its own.

Channels and aliases live in the database (`SourceChannel`, `ChannelAlias`)
so an admin can add aliases, rename and merge (recruit.vacancies.channel_admin);
the built-ins below are seeded by the migration and created on demand when
missing (a database emptied by hand, a test that truncates)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from flask import g, has_app_context

from recruit.extensions import db
from recruit.search import search_key
from recruit.vacancies.models import ChannelAlias, SourceChannel

NAME_WIDTH = 80  # candidates.source and bookings.source
_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")

# The built-in channels and the ways they are written in en, uk, ru, bg, ro,
# bs and ka (DOMAIN.md §6 names the job boards of each country). A new
# alias here reaches existing databases the next time the built-ins are
# ensured only for a channel that is missing; add it through the admin page
# or a migration otherwise.
BUILT_IN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Referral", (
        "Referrals", "Employee referral", "Referral program", "Recommendation", "Friends",
        "Рекомендация", "Рекомендации", "По рекомендации", "Рекомендация сотрудника", "От знакомых",
        "Через знакомых", "Знакомые", "Друзья", "Реферал",
        "Рекомендація", "Рекомендації", "За рекомендацією", "Від знайомих", "Через знайомих", "Знайомі",
        "Друзі",
        "Препоръка", "Препоръки", "По препоръка", "Препоръка от служител", "От познати", "Приятели",
        "Recomandare", "Recomandări", "Recomandare angajat", "Prin recomandare", "Prieteni", "Cunoștințe",
        "Preporuka", "Preporuke", "Po preporuci", "Preporuka zaposlenog", "Prijatelji", "Poznanici",
        "რეკომენდაცია", "რეკომენდაციით", "მეგობრები", "ნაცნობები",
    )),
    ("Company site", (
        "Company website", "Website", "Our website", "Career site", "Careers page",
        "Сайт компании", "Наш сайт", "Корпоративный сайт", "Сайт",
        "Сайт компанії", "Корпоративний сайт",
        "Сайт на компанията", "Уебсайт", "Фирмен сайт",
        "Site-ul companiei", "Site companie", "Site-ul nostru", "Pagina de cariere",
        "Web stranica firme", "Web stranica kompanije", "Stranica firme", "Sajt firme", "Web stranica",
        "კომპანიის საიტი", "საიტი", "ვებგვერდი",
    )),
    ("Walk-in", (
        "Walk in", "Came in person", "In person",
        "Пришёл сам", "Пришла сама", "Пришли сами", "Пришёл лично", "Сам пришёл",
        "Прийшов сам", "Прийшла сама", "Особисто",
        "Дойде сам", "Дойде сама", "Лично",
        "Venit direct", "Venit personal", "În persoană",
        "Došao sam", "Došla sama", "Lično", "Osobno",
        "თავად მოვიდა", "პირადად",
    )),
    ("Agency", (
        "Recruitment agency", "Recruiting agency", "Staffing agency",
        "Кадровое агентство", "Агентство", "Рекрутинговое агентство",
        "Кадрова агенція", "Агенція", "Рекрутингова агенція",
        "Агенция", "Агенция за подбор на персонал", "Агенция за персонал",
        "Agenție", "Agenție de recrutare", "Agenție de plasare",
        "Agencija", "Agencija za zapošljavanje", "Agencija za regrutaciju",
        "სააგენტო", "რეკრუტინგული სააგენტო",
    )),
    ("Social media", (
        "Social networks", "Social network", "Social",
        "Соцсети", "Социальные сети", "Соцсеть",
        "Соцмережі", "Соціальні мережі", "Соцмережа",
        "Социални мрежи", "Социална мрежа",
        "Rețele sociale", "Rețea socială", "Social media",
        "Društvene mreže", "Društvena mreža",
        "სოციალური ქსელები", "სოციალური ქსელი", "სოც ქსელები",
    )),
    ("LinkedIn", ("Linked In", "linkedin.com", "Линкедин", "Лінкедин", "ЛинкедИн")),
    ("HeadHunter", ("hh.ru", "hh", "hh.ua", "hh.kz", "headhunter.ru", "Head Hunter", "Хедхантер", "ХедХантер",
                    "Хэдхантер", "ХХ", "ХХ.ру", "Хантер")),
    ("Work.ua", ("work ua", "workua", "www.work.ua", "Ворк юа", "Ворк.юа", "Ворк")),
    ("Robota.ua", ("rabota.ua", "robota ua", "rabota ua", "Робота.юа", "Работа.юа", "Робота юа", "Работа юа")),
    ("Djinni", ("djinni.co", "Джинни", "Джині", "Джіні")),
    ("DOU", ("dou.ua", "jobs.dou.ua", "ДОУ")),
    ("Jobs.bg", ("jobs bg", "jobsbg", "www.jobs.bg", "Джобс.бг")),
    ("Zaplata.bg", ("zaplata bg", "zaplata", "Заплата.бг", "Заплата")),
    ("eJobs.ro", ("ejobs", "e-jobs", "ejobs ro", "www.ejobs.ro")),
    ("BestJobs", ("bestjobs.eu", "bestjobs.ro", "best jobs")),
    ("Hipo.ro", ("hipo", "hipo ro", "www.hipo.ro")),
    ("Posao.ba", ("posao ba", "www.posao.ba")),
    ("MojPosao.ba", ("mojposao", "moj posao", "moj-posao.ba", "mojposao.net")),
    ("Jobs.ge", ("jobs ge", "jobsge", "www.jobs.ge")),
    ("HR.ge", ("hr ge", "hrge", "www.hr.ge")),
    ("MyJobs.ge", ("myjobs", "my jobs", "myjobs ge")),
    ("SuperJob", ("superjob.ru", "super job", "Суперджоб", "СуперДжоб")),
    ("Avito", ("avito.ru", "Авито", "Авито Работа", "Avito Работа")),
)

_CACHE = "_recruit_channel_aliases"


def clean(name: str | None) -> str:
    """The text as a name: stripped, inner white space as one space, cut to the column."""
    return _SPACES.sub(" ", name or "").strip()[:NAME_WIDTH]


def channel_key(text: str | None) -> str:
    """The folded form aliases are compared by: `search_key` without the
    punctuation and spaces people write or omit ("hh.ru", "HH RU", "work-ua")."""
    return _NOT_WORD.sub("", search_key(text))[:120]


def canonical(name: str | None) -> str:
    """The canonical channel name of a typed source; "" for an empty one;
    unknown text comes back cleaned, as a new channel's name."""
    text = clean(name)
    if not text:
        return ""
    return alias_map().get(channel_key(text), text)


def canonical_many(names: Iterable[str | None]) -> dict[str, str]:
    """`canonical` for many sources at once (an import's column): one alias
    lookup for the lot. Keyed by the text as given (None as "")."""
    aliases = alias_map()
    result: dict[str, str] = {}
    for name in names:
        given = name or ""
        if given not in result:
            text = clean(given)
            result[given] = aliases.get(channel_key(text), text) if text else ""
    return result


def alias_map() -> dict[str, str]:
    """{alias key: channel name}, read once per application context (one
    request, one job, one CLI command), so a 20,000-row import asks the
    database once; the admin's changes clear it (`forget`)."""
    if has_app_context():
        cached = g.get(_CACHE)
        if cached is not None:
            return cached
    rows = db.session.execute(sa.select(ChannelAlias.key, SourceChannel.name).join(ChannelAlias.channel)).all()
    aliases = {key: name for key, name in rows}
    for channel in ensure_built_ins(aliases):
        aliases.update((alias.key, channel.name) for alias in channel.aliases)
    if has_app_context():
        setattr(g, _CACHE, aliases)
    return aliases


def forget() -> None:
    """Drop the cached alias map after a change to channels or aliases."""
    if has_app_context():
        g.pop(_CACHE, None)


def ensure_built_ins(aliases: dict[str, str] | None = None) -> list[SourceChannel]:
    """Create the built-in channels whose name and aliases are all unknown
    (a merged or renamed built-in keeps its keys on the channel it went to,
    so it is not brought back). `aliases`: the alias map when the caller has
    just read it. Flushes; the caller commits."""
    if aliases is None:
        aliases = dict(db.session.execute(sa.select(ChannelAlias.key, SourceChannel.name)
                                          .join(ChannelAlias.channel)).tuples())
    known, names = set(aliases), set(aliases.values())
    created: list[SourceChannel] = []
    for name, aliases in BUILT_IN:
        keys = {channel_key(name), *(channel_key(a) for a in aliases)}
        if name in names or keys & known:
            continue
        channel = SourceChannel(name=name)
        seen: set[str] = set()
        for alias in (name, *aliases):
            key = channel_key(alias)
            if key and key not in seen:
                seen.add(key)
                channel.aliases.append(ChannelAlias(key=key, alias=alias))
        db.session.add(channel)
        known |= seen
        created.append(channel)
    if created:
        db.session.flush()
    return created
