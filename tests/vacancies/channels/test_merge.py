"""The admin's channel work: aliases, renames and merges rewrite every
stored source in one transaction and leave an audit entry; a merge into
itself is refused with a reason."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.interviews import sessions
from recruit.interviews.models import Booking
from recruit.organisation import services as org
from recruit.vacancies import candidates as cs
from recruit.vacancies import channel_list, channels
from recruit.vacancies.models import Candidate, ChannelAlias, SourceChannel

pytestmark = pytest.mark.pg


def _candidates(world, *sources):
    return [cs.add_candidate(world["vacancy"], {"full_name": f"C {n}", "email": f"c{n}@x.test", "source": source})
            .candidate for n, source in enumerate(sources)]


def _sources(ctx):
    return sorted(ctx.session.scalars(sa.select(Candidate.source)))


def _raw_sources(ctx, *pairs):
    """Sources written before channels existed: straight into the table."""
    for candidate, text in pairs:
        ctx.session.execute(sa.update(Candidate).where(Candidate.id == candidate.id).values(source=text))
    channels.forget()


def test_merging_a_typed_source_into_a_channel_rewrites_it_and_remembers_it(world, ctx):
    people = _candidates(world, "Referral", "x", "x", "x")
    _raw_sources(ctx, (people[1], "Друзья семьи"), (people[2], "друзья  семьи"), (people[3], "Job fair"))
    result = channel_list.merge("Друзья семьи", "Referral", world["admin"])
    assert (result.channel.name, result.candidates) == ("Referral", 3 - 1)
    assert _sources(ctx) == ["Job fair", "Referral", "Referral", "Referral"]
    assert channels.canonical("ДРУЗЬЯ СЕМЬИ") == "Referral"  # a later import maps it
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "channel.merged"))
    assert entry.data["merged"] == "Друзья семьи" and entry.data["into"] == "Referral"
    assert entry.actor_id == world["admin"].id


def test_merging_one_channel_into_another_moves_its_aliases_and_drops_it(world, ctx):
    _candidates(world, "Djinni", "DOU", "DOU")
    result = channel_list.merge("dou.ua", "Djinni", world["admin"])
    assert result.merged == "DOU" and result.candidates == 2
    assert _sources(ctx) == ["Djinni"] * 3
    assert ctx.session.scalar(sa.select(SourceChannel).where(SourceChannel.name == "DOU")) is None
    assert channels.canonical("ДОУ") == "Djinni" and channels.canonical("DOU") == "Djinni"
    djinni = channel_list.channel_named("Djinni")
    assert {"DOU", "dou.ua", "ДОУ", "Djinni", "djinni.co"} <= {a.alias for a in djinni.aliases}
    assert channels.ensure_built_ins() == []  # the merged built-in is not brought back


def test_a_merge_rewrites_bookings_too(world, ctx):
    people = _candidates(world, "Agency", "Agency")
    session = sessions.create_session(kind="group", title="Group", vacancy=world["vacancy"],
                                day=(org.local_now() + timedelta(days=3)).date(), start=time(10), end=time(12),
                                seats=6, place="Office", interviewers=[sessions.InterviewerHours(world["admin"].id)],
                                created_by=world["admin"])
    for person in people:
        application = person.applications[0]
        ctx.session.add(Booking(session_id=session.id, candidate_id=person.id, application_id=application.id,
                                source=person.source, state="invited"))
    ctx.session.flush()
    result = channel_list.merge("Agency", "Referral", world["admin"])
    assert (result.candidates, result.bookings) == (2, 2)
    assert set(ctx.session.scalars(sa.select(Booking.source))) == {"Referral"}


@pytest.mark.parametrize("name, into", [("Referral", "Referral"), ("Рекомендация", "Referral"),
                                        ("referral", "Рекомендація"), ("olx", "OLX")])
def test_a_channel_is_never_merged_into_itself(world, ctx, name, into):
    _candidates(world, "olx")
    with pytest.raises(channel_list.ChannelError, match="cannot be merged into itself"):
        channel_list.merge(name, into, world["admin"])


def test_aliases_are_added_once_and_move_the_sources_written_that_way(world, ctx):
    people = _candidates(world, "x", "Agency")
    _raw_sources(ctx, (people[0], "Кадровик"))
    channel_list.add_alias("Agency", "кадровик", world["admin"])
    assert _sources(ctx) == ["Agency", "Agency"]
    assert channels.canonical("КАДРОВИК") == "Agency"
    with pytest.raises(channel_list.ChannelError, match="already an alias of Agency"):
        channel_list.add_alias("Agency", "Кадровик", world["admin"])
    with pytest.raises(channel_list.ChannelError, match="already means Referral"):
        channel_list.add_alias("Agency", "Рекомендация", world["admin"])
    with pytest.raises(channel_list.ChannelError, match="letter or digit"):
        channel_list.add_alias("Agency", " -- ", world["admin"])
    alias = ctx.session.scalar(sa.select(ChannelAlias).where(ChannelAlias.alias == "кадровик"))
    channel_list.remove_alias(alias.id, world["admin"])
    assert channels.canonical("Кадровик") == "Кадровик"
    own = ctx.session.scalar(sa.select(ChannelAlias).where(ChannelAlias.alias == "Agency"))
    with pytest.raises(channel_list.ChannelError, match="own name"):
        channel_list.remove_alias(own.id, world["admin"])


def test_renaming_rewrites_sources_and_keeps_the_old_name_as_an_alias(world, ctx):
    _candidates(world, "Social media", "Social media", "Referral")
    channel_list.rename("Social media", "Соцсети и мессенджеры", world["admin"])
    assert _sources(ctx) == ["Referral", "Соцсети и мессенджеры", "Соцсети и мессенджеры"]
    assert channels.canonical("Social media") == "Соцсети и мессенджеры"
    assert channels.canonical("соцмережі") == "Соцсети и мессенджеры"
    with pytest.raises(channel_list.ChannelError, match="Referral is already a channel"):
        channel_list.rename("Соцсети и мессенджеры", "Рекомендация", world["admin"])
    with pytest.raises(channel_list.ChannelError, match="at most 80"):
        channel_list.rename("Referral", "x" * 81, world["admin"])
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "channel.renamed"))
    assert entry.data["from"] == "Social media" and entry.data["to"] == "Соцсети и мессенджеры"


def test_the_overview_counts_candidates_per_channel_and_lists_typed_sources(world, ctx):
    people = _candidates(world, "Referral", "Referral", "x", "Telegram")
    _raw_sources(ctx, (people[2], "рекомендація"))  # written before channels: counted with its channel
    rows = {row.name: row for row in channel_list.overview()}
    assert rows["Referral"].candidates == 3 and rows["Referral"].channel_id
    assert rows["Telegram"].candidates == 1 and rows["Telegram"].channel_id is None
    assert rows["Djinni"].candidates == 0
    assert list(rows)[:2] == ["Referral", "Telegram"]  # most used first
    assert "Рекомендация" in {a.alias for a in rows["Referral"].aliases}


def test_a_country_brings_its_job_boards(world, ctx):
    org.apply_country_defaults("UA")
    names = {row.name for row in channel_list.overview()}
    assert {"Work.ua", "Robota.ua", "Djinni", "DOU", "Referral"} <= names
    assert {row.name for row in channel_list.overview() if row.offered} >= {"Work.ua", "Referral"}
