"""The admin's channel list (recruit.vacancies.channel_views): every channel
with its candidates and aliases, and the changes an admin makes to it:
adding and removing an alias, renaming, merging one channel into another.
Each change rewrites the candidates' and bookings' sources in the caller's
transaction and clears the alias map (`channels.forget`), so the next
`channels.canonical` reads the new names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import orm

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import offered_channels
from recruit.search import search_key
from recruit.vacancies import channels
from recruit.vacancies.models import Candidate, ChannelAlias, ChannelCost, SourceChannel

BOOKINGS = sa.table("bookings", sa.column("source", sa.String))  # interviews' table, by name: see `_rewrite`


class ChannelError(ValueError):
    """A refused channel change, with the message for the user."""


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
    aliases = channels.alias_map()
    stored = list(db.session.scalars(sa.select(SourceChannel).options(orm.selectinload(SourceChannel.aliases))))
    counts: Counter[str] = Counter()
    for source, number in db.session.execute(
            sa.select(Candidate.source, sa.func.count()).where(Candidate.source > "").group_by(Candidate.source)):
        counts[aliases.get(channels.channel_key(source) or source, source)] += number
    offered = {channels.canonical(name) for name in offered_channels()}
    rows = [ChannelRow(c.name, channels.label(c.name), c.id,
                       tuple(a for a in c.aliases if a.key != channels.channel_key(c.name)), counts.pop(c.name, 0),
                       c.name in offered) for c in stored]
    rows += [ChannelRow(name, name, None, (), number, name in offered) for name, number in counts.items()]
    return sorted(rows, key=lambda r: (-r.candidates, search_key(r.label)))


def channel_named(name: str | None) -> SourceChannel | None:
    """The stored channel a name or any of its aliases stands for."""
    key = channels.channel_key(name)
    if not key:
        return None
    return db.session.scalar(sa.select(SourceChannel).join(SourceChannel.aliases).where(ChannelAlias.key == key))


def _channel_for(name: str | None) -> SourceChannel:
    """The channel to act on; a source in use that is no channel yet becomes one."""
    channel = channel_named(name)
    if channel is not None:
        return channel
    text = channels.clean(name)
    if not text or not channels.channel_key(text):
        raise ChannelError(_("Choose a channel."))
    channel = channels.new_channel(channels.alias_map().get(channels.channel_key(text), text))
    db.session.flush()
    return channel


def add_alias(name: str, alias: str, actor: User | None) -> ChannelAlias:
    """`alias` now means the channel `name`; candidates and bookings whose
    source is written that way move to the channel."""
    channel = _channel_for(name)
    text = channels.one_line(alias)
    key = channels.channel_key(text)
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
    channels.forget()
    return added


def remove_alias(alias_id: int, actor: User | None) -> SourceChannel:
    """The alias stops meaning its channel; sources already rewritten stay."""
    alias = db.session.get(ChannelAlias, alias_id)
    if alias is None:
        raise ChannelError(_("That alias no longer exists."))
    channel = alias.channel
    if alias.key == channels.channel_key(channel.name):
        raise ChannelError(_("A channel's own name cannot be removed; rename the channel instead."))
    channel.aliases.remove(alias)
    db.session.flush()
    audit.record("channel.alias_removed", channel, actor_id=_id(actor),
                 alias=alias.alias)
    channels.forget()
    return channel


def rename(name: str, new_name: str, actor: User | None) -> SourceChannel:
    """The channel is called `new_name` from now on, in its candidates and
    bookings too; the old name stays an alias, so a file with it still maps."""
    channel = _channel_for(name)
    new = channels.clean(new_name)
    key = channels.channel_key(new)
    if not key:
        raise ChannelError(_("A channel name needs at least one letter or digit."))
    if len(channels.one_line(new_name)) > channels.NAME_WIDTH:
        raise ChannelError(ngettext("A channel name is at most %(num)d character.",
                                    "A channel name is at most %(num)d characters.", channels.NAME_WIDTH))
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
    channels.forget()
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
    if not channels.clean(name) or not channels.clean(into):
        raise ChannelError(_("Choose the channel to merge and the channel to merge it into."))
    source, target = channel_named(name), _channel_for(into)
    if ((source is not None and source.id == target.id)
            or channels.channel_key(name) == channels.channel_key(target.name)):
        raise ChannelError(_("A channel cannot be merged into itself: choose another channel."))
    if source is None:  # a source in use that was no channel: its spelling becomes an alias
        keys, old = {channels.channel_key(name)}, channels.clean(name)
        target.aliases.append(ChannelAlias(key=channels.channel_key(name), alias=old))
    else:
        keys, old = {a.key for a in source.aliases}, source.name
        for alias in list(source.aliases):
            alias.channel = target
        _move_costs(source, target)
        db.session.flush()
        db.session.delete(source)
    db.session.flush()
    moved = _rewrite(_spellings(keys) | {old}, target.name)
    audit.record("channel.merged", target, actor_id=_id(actor), merged=old,
                 into=target.name, candidates=moved[0], bookings=moved[1])
    channels.forget()
    return Merged(target, old, *moved)


def _move_costs(source: SourceChannel, target: SourceChannel) -> None:
    """The merged channel's months (recruit.vacancies.channel_costs) are added
    to the target's, per month and currency, before the merged channel goes."""
    for cost in list(db.session.scalars(sa.select(ChannelCost).where(ChannelCost.channel_id == source.id))):
        kept = db.session.scalar(sa.select(ChannelCost).where(
            ChannelCost.channel_id == target.id, ChannelCost.month == cost.month,
            ChannelCost.currency == cost.currency))
        if kept is None:
            cost.channel_id = target.id
        else:
            kept.amount += cost.amount
            db.session.delete(cost)
    db.session.flush()


def _spellings(keys: set[str]) -> set[str]:
    """The sources written in candidates and bookings that fold to one of `keys`."""
    found = set(channels.sources_in_use()) | set(db.session.scalars(sa.select(BOOKINGS.c.source).distinct()))
    return {s for s in found if s and channels.channel_key(s) in keys}


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
