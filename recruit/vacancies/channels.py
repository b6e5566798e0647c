"""Canonical source channels. A candidate's source is written a dozen ways
("Рекомендация", "Рекомендація", "по рекомендации", "Referral"; "hh.ru",
"HH", "Хедхантер"), and the show-rate model, the planner and the reports
group by the text, so every spelling must become one name when it is
written: `canonical` maps a typed source to its channel's name through the
aliases, and unknown text comes back as a new channel name of its own.

Channels and aliases live in the database (`SourceChannel`, `ChannelAlias`)
so an admin can add aliases, rename and merge (channel_list.py, behind
recruit.vacancies.channel_views); the built-ins below are seeded by
the migration and created on demand when missing (a database emptied by
hand, a test that truncates)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recruit.extensions import db
from recruit.organisation.countries import Country
from recruit.organisation.services import when_country_applied
from recruit.search import search_key
from recruit.translatable import N_
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
    (N_("Referral"), (
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
    (N_("Company site"), (
        "Company website", "Website", "Our website", "Career site", "Careers page",
        "Сайт компании", "Наш сайт", "Корпоративный сайт", "Сайт",
        "Сайт компанії", "Корпоративний сайт",
        "Сайт на компанията", "Уебсайт", "Фирмен сайт",
        "Site-ul companiei", "Site companie", "Site-ul nostru", "Pagina de cariere",
        "Web stranica firme", "Web stranica kompanije", "Stranica firme", "Sajt firme", "Web stranica",
        "კომპანიის საიტი", "საიტი", "ვებგვერდი",
    )),
    (N_("Walk-in"), (
        "Walk in", "Came in person", "In person",
        "Пришёл сам", "Пришла сама", "Пришли сами", "Пришёл лично", "Сам пришёл",
        "Прийшов сам", "Прийшла сама", "Особисто",
        "Дойде сам", "Дойде сама", "Лично",
        "Venit direct", "Venit personal", "În persoană",
        "Došao sam", "Došla sama", "Lično", "Osobno",
        "თავად მოვიდა", "პირადად",
    )),
    (N_("Agency"), (
        "Recruitment agency", "Recruiting agency", "Staffing agency",
        "Кадровое агентство", "Агентство", "Рекрутинговое агентство",
        "Кадрова агенція", "Агенція", "Рекрутингова агенція",
        "Агенция", "Агенция за подбор на персонал", "Агенция за персонал",
        "Agenție", "Agenție de recrutare", "Agenție de plasare",
        "Agencija", "Agencija za zapošljavanje", "Agencija za regrutaciju",
        "სააგენტო", "რეკრუტინგული სააგენტო",
    )),
    (N_("Social media"), (
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
                    "Хэдхантер", "ХХ", "ХХ.ру")),
    ("Work.ua", ("work ua", "workua", "www.work.ua", "Ворк юа", "Ворк.юа")),
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

# The built-ins whose names are words, not brands: shown in the reader's language.
TRANSLATED = frozenset(name for name, _spellings in BUILT_IN[:5])

_CACHE = "_recruit_channel_aliases"


def one_line(text: str | None) -> str:
    """The text stripped, its inner white space as one space."""
    return _SPACES.sub(" ", text or "").strip()


def clean(name: str | None) -> str:
    """The text as a name: stripped, inner white space as one space, cut to the column."""
    return one_line(name)[:NAME_WIDTH]


def label(name: str) -> str:
    """A channel name as shown: the built-ins that are words (Referral,
    Company site...) in the reader's language, brands and typed names as stored."""
    return _(name) if name in TRANSLATED else name


def channel_key(text: str | None) -> str:
    """The folded form aliases are compared by: `search_key` without the
    punctuation and spaces people write or omit ("hh.ru", "HH RU", "work-ua")."""
    return _NOT_WORD.sub("", search_key(text))[:120]


def canonical(name: str | None) -> str:
    """The canonical channel name of a typed source; "" for an empty one.
    Unknown text comes back cleaned, as a new channel's name, and the same
    text typed in another case or spacing later in the request comes back
    as that first spelling, as does any source already in use."""
    text = clean(name)
    if not text:
        return ""
    return alias_map().setdefault(channel_key(text) or text, text)


def canonical_many(names: Iterable[str | None]) -> dict[str, str]:
    """`canonical` for many sources at once (an import's column) with one
    alias lookup for the lot. Keyed by the text as given (None as ""); of
    two new spellings of one channel, the first in the file names it."""
    return {name or "": canonical(name) for name in dict.fromkeys(names)}


def alias_map() -> dict[str, str]:
    """{alias key: channel name}, read once per application context (one
    request, one job, one CLI command), so a 20,000-row import asks the
    database once; the admin's changes clear it (`forget`). Sources already
    in use that are no channel yet map to their first spelling, so "OLX"
    joins the candidates who came from "olx"."""
    if has_app_context():
        cached = g.get(_CACHE)
        if cached is not None:
            return cached
    aliases = _stored_aliases()
    for channel in ensure_built_ins(aliases):
        aliases.update((alias.key, channel.name) for alias in channel.aliases)
    for source in sources_in_use():
        aliases.setdefault(channel_key(source) or source, source)
    if has_app_context():
        setattr(g, _CACHE, aliases)
    return aliases


def forget() -> None:
    """Drop the cached alias map after a change to channels or aliases."""
    if has_app_context():
        g.pop(_CACHE, None)


def _stored_aliases() -> dict[str, str]:
    rows = db.session.execute(sa.select(ChannelAlias.key, SourceChannel.name).join(ChannelAlias.channel))
    return {key: name for key, name in rows}


# The distinct candidate sources, by skipping through their index one value
# at a time: the cost follows the number of channels, not of candidates.
SOURCES_IN_USE = sa.text(
    "WITH RECURSIVE v(value) AS ("
    " SELECT min(source) FROM candidates WHERE source > ''"
    " UNION ALL SELECT (SELECT min(source) FROM candidates WHERE source > v.value) FROM v"
    " WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL LIMIT :limit")


def sources_in_use(limit: int = 5000) -> list[str]:
    """The distinct candidate sources (`SOURCES_IN_USE`)."""
    return list(db.session.scalars(SOURCES_IN_USE, {"limit": limit}))


def new_channel(name: str, spellings: Iterable[str] = ()) -> SourceChannel:
    channel = SourceChannel(name=name)
    seen: set[str] = set()
    for alias in (name, *spellings):
        key = channel_key(alias)
        if key and key not in seen:
            seen.add(key)
            channel.aliases.append(ChannelAlias(key=key, alias=alias[:120]))
    db.session.add(channel)
    return channel


def ensure_built_ins(aliases: dict[str, str] | None = None) -> list[SourceChannel]:
    """Create the built-in channels whose name and aliases are all unknown
    (a merged or renamed built-in keeps its keys on the channel it went to,
    so it is not brought back). `aliases`: the stored alias map when the
    caller has just read it. Flushes; the caller commits."""
    if aliases is None:
        aliases = _stored_aliases()
    known, names = set(aliases), set(aliases.values())
    missing = [(name, spellings) for name, spellings in BUILT_IN
               if name not in names and not {channel_key(name), *(channel_key(a) for a in spellings)} & known]
    if not missing:
        return []
    try:
        with db.session.begin_nested():  # another request may be seeding the same channels right now
            created = [new_channel(name, spellings) for name, spellings in missing]
            db.session.flush()
    except IntegrityError:
        return []  # theirs are in; the next read finds them
    return created


@when_country_applied
def _offer_country_channels(country: Country) -> None:
    """A country's job boards are channels from the day it is chosen, so
    the admin page lists them before the first candidate comes from one."""
    ensure_built_ins()
    stored = _stored_aliases()
    for name in country.channels:
        if channel_key(name) and channel_key(name) not in stored:
            stored[channel_key(name)] = new_channel(clean(name)).name
    db.session.flush()
    forget()
