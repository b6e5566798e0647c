"""Canonical source channels. A candidate's source is written a dozen ways
("Рекомендация", "Рекомендація", "по рекомендации", "Referral"; "hh.ru",
"HH", "Хедхантер"), and the show-rate model, the planner and the reports
group by the text, so every spelling must become one name when it is
written: `canonical` maps a typed source to its channel's name through the
aliases, and unknown text comes back as a new channel name of its own.

Channels and aliases live in the database (`SourceChannel`, `ChannelAlias`)
so an admin can add aliases, rename and merge (the services at the end,
behind recruit.vacancies.channel_views); the built-ins below are seeded by
the migration and created on demand when missing (a database emptied by
hand, a test that truncates)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.countries import Country
from recruit.organisation.services import offered_channels, when_country_applied
from recruit.search import search_key
from recruit.vacancies.models import Candidate, ChannelAlias, SourceChannel

NAME_WIDTH = 80  # candidates.source and bookings.source
_NOT_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")

# The built-in channels and the ways they are written in en, uk, ru, bg, ro,
# bs and ka (DOMAIN.md §6 names the job boards of each country). A new
# alias here reaches existing databases the next time the built-ins are
# ensured only for a channel that is missing; add it through the admin page
# or a migration otherwise.
def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


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
BOOKINGS = sa.table("bookings", sa.column("source", sa.String))  # interviews' table, by name: see `_rewrite`


class ChannelError(ValueError):
    """A refused channel change, with the message for the user."""


def clean(name: str | None) -> str:
    """The text as a name: stripped, inner white space as one space, cut to the column."""
    return _SPACES.sub(" ", name or "").strip()[:NAME_WIDTH]


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
    for source in _sources_in_use():
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


def _sources_in_use(limit: int = 5000) -> list[str]:
    """The distinct candidate sources, by skipping through their index one
    value at a time: the cost follows the number of channels, not of candidates."""
    sql = sa.text(
        "WITH RECURSIVE v(value) AS ("
        " SELECT min(source) FROM candidates WHERE source > ''"
        " UNION ALL SELECT (SELECT min(source) FROM candidates WHERE source > v.value) FROM v"
        " WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL LIMIT :limit")
    return list(db.session.scalars(sql, {"limit": limit}))


def _new_channel(name: str, spellings: Iterable[str] = ()) -> SourceChannel:
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
            created = [_new_channel(name, spellings) for name, spellings in missing]
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
            stored[channel_key(name)] = _new_channel(clean(name)).name
    db.session.flush()
    forget()


# --- the admin's channel list: aliases, rename, merge ------------------------------------

@dataclass(frozen=True)
class ChannelRow:
    """One line of the channel page. `channel_id` is None for a source in
    use that is no channel yet (typed before channels were kept, or new)."""

    name: str
    label: str  # the name as shown: a built-in common channel in the reader's language
    channel_id: int | None
    aliases: tuple[ChannelAlias, ...]
    candidates: int
    offered: bool


def overview() -> list[ChannelRow]:
    """Every channel and every source in use, with its candidates (spellings
    that fold to a channel's alias counted with it), most used first."""
    aliases = alias_map()
    stored = list(db.session.scalars(sa.select(SourceChannel).options(orm.selectinload(SourceChannel.aliases))))
    counts: Counter[str] = Counter()
    for source, number in db.session.execute(
            sa.select(Candidate.source, sa.func.count()).where(Candidate.source > "").group_by(Candidate.source)):
        counts[aliases.get(channel_key(source) or source, source)] += number
    offered = {canonical(name) for name in offered_channels()}
    rows = [ChannelRow(c.name, label(c.name), c.id,
                       tuple(a for a in c.aliases if a.key != channel_key(c.name)), counts.pop(c.name, 0),
                       c.name in offered) for c in stored]
    rows += [ChannelRow(name, name, None, (), number, name in offered) for name, number in counts.items()]
    return sorted(rows, key=lambda r: (-r.candidates, search_key(r.label)))


def channel_named(name: str | None) -> SourceChannel | None:
    """The stored channel a name or any of its aliases stands for."""
    key = channel_key(name)
    if not key:
        return None
    return db.session.scalar(sa.select(SourceChannel).join(SourceChannel.aliases).where(ChannelAlias.key == key))


def _channel_for(name: str | None) -> SourceChannel:
    """The channel to act on; a source in use that is no channel yet becomes one."""
    channel = channel_named(name)
    if channel is not None:
        return channel
    text = clean(name)
    if not text or not channel_key(text):
        raise ChannelError(_("Choose a channel."))
    channel = _new_channel(alias_map().get(channel_key(text), text))
    db.session.flush()
    return channel


def add_alias(name: str, alias: str, actor: User | None) -> ChannelAlias:
    """`alias` now means the channel `name`; candidates and bookings whose
    source is written that way move to the channel."""
    channel = _channel_for(name)
    text = _SPACES.sub(" ", alias or "").strip()
    key = channel_key(text)
    if not key:
        raise ChannelError(_("An alias needs at least one letter or digit."))
    if len(text) > 120:
        raise ChannelError(ngettext("An alias is at most %(num)d character.",
                                    "An alias is at most %(num)d characters.", 120))
    owner = db.session.scalar(sa.select(ChannelAlias).where(ChannelAlias.key == key))
    if owner is not None and owner.channel_id == channel.id:
        raise ChannelError(_("“%(alias)s” is already an alias of %(channel)s.", alias=text, channel=channel.name))
    if owner is not None:
        raise ChannelError(_("“%(alias)s” already means %(channel)s. Merge the two channels instead.",
                             alias=text, channel=owner.channel.name))
    added = ChannelAlias(key=key, alias=text)
    channel.aliases.append(added)
    db.session.flush()
    moved = _rewrite(_spellings({key}) - {channel.name}, channel.name)
    audit.record("channel.alias_added", channel, actor_id=_id(actor), alias=text,
                 candidates=moved[0], bookings=moved[1])
    forget()
    return added


def remove_alias(alias_id: int, actor: User | None) -> SourceChannel:
    """The alias stops meaning its channel; sources already rewritten stay."""
    alias = db.session.get(ChannelAlias, alias_id)
    if alias is None:
        raise ChannelError(_("That alias no longer exists."))
    channel = alias.channel
    if alias.key == channel_key(channel.name):
        raise ChannelError(_("A channel's own name cannot be removed; rename the channel instead."))
    channel.aliases.remove(alias)
    db.session.flush()
    audit.record("channel.alias_removed", channel, actor_id=_id(actor),
                 alias=alias.alias)
    forget()
    return channel


def rename(name: str, new_name: str, actor: User | None) -> SourceChannel:
    """The channel is called `new_name` from now on, in its candidates and
    bookings too; the old name stays an alias, so a file with it still maps."""
    channel = _channel_for(name)
    new = clean(new_name)
    key = channel_key(new)
    if not key:
        raise ChannelError(_("A channel name needs at least one letter or digit."))
    if len(_SPACES.sub(" ", new_name).strip()) > NAME_WIDTH:
        raise ChannelError(ngettext("A channel name is at most %(num)d character.",
                                    "A channel name is at most %(num)d characters.", NAME_WIDTH))
    owner = channel_named(new)
    if owner is not None and owner.id != channel.id:
        raise ChannelError(_("%(name)s is already a channel. Merge the two channels instead.", name=owner.name))
    old = channel.name
    if new == old:
        return channel
    spellings = _spellings({a.key for a in channel.aliases}) | {old}
    channel.name = new
    if owner is None:
        channel.aliases.append(ChannelAlias(key=key, alias=new))
    db.session.flush()
    moved = _rewrite(spellings - {new}, new)
    audit.record("channel.renamed", channel, actor_id=_id(actor),
                 **{"from": old, "to": new}, candidates=moved[0], bookings=moved[1])
    forget()
    return channel


@dataclass(frozen=True)
class Merged:
    channel: SourceChannel
    merged: str
    candidates: int
    bookings: int


def merge(name: str, into: str, actor: User | None) -> Merged:
    """Everything `name` stood for becomes `into`: its aliases (its own name
    included) move over, and the candidates' and bookings' sources are
    rewritten, in the caller's transaction, so the show-rate model and the
    reports see one channel from the next request on."""
    if not clean(name) or not clean(into):
        raise ChannelError(_("Choose the channel to merge and the channel to merge it into."))
    source, target = channel_named(name), _channel_for(into)
    if (source is not None and source.id == target.id) or channel_key(name) == channel_key(target.name):
        raise ChannelError(_("A channel cannot be merged into itself: choose another channel."))
    if source is None:  # a source in use that was no channel: its spelling becomes an alias
        keys, old = {channel_key(name)}, clean(name)
        target.aliases.append(ChannelAlias(key=channel_key(name), alias=old))
    else:
        keys, old = {a.key for a in source.aliases}, source.name
        for alias in list(source.aliases):
            alias.channel = target
        db.session.flush()
        db.session.delete(source)
    db.session.flush()
    moved = _rewrite(_spellings(keys) | {old}, target.name)
    audit.record("channel.merged", target, actor_id=_id(actor), merged=old,
                 into=target.name, candidates=moved[0], bookings=moved[1])
    forget()
    return Merged(target, old, *moved)


def _spellings(keys: set[str]) -> set[str]:
    """The sources written in candidates and bookings that fold to one of `keys`."""
    found = set(_sources_in_use()) | set(db.session.scalars(sa.select(BOOKINGS.c.source).distinct()))
    return {s for s in found if s and channel_key(s) in keys}


def _rewrite(spellings: set[str], name: str) -> tuple[int, int]:
    """Candidates' and bookings' sources written one of `spellings` become
    `name`: (candidates, bookings) changed. Bookings belong to interviews,
    which sit above vacancies; their copy of the source is written here by
    table name so a merge is one transaction without vacancies importing
    interviews."""
    if not spellings:
        return 0, 0
    candidates = db.session.execute(sa.update(Candidate).where(Candidate.source.in_(spellings))
                                    .values(source=name).execution_options(synchronize_session="fetch"))
    bookings = db.session.execute(sa.update(BOOKINGS).where(BOOKINGS.c.source.in_(spellings)).values(source=name))
    return candidates.rowcount, bookings.rowcount


def _id(actor: User | None) -> int | None:
    return getattr(actor, "id", None)
