"""Typed sources become one channel name, in every shipped language, before
they are written: the show-rate model and the reports group by that text."""

import pytest
import sqlalchemy as sa

from recruit.vacancies import candidates as cs
from recruit.vacancies import channels
from recruit.vacancies.models import ChannelAlias, SourceChannel, Vacancy

pytestmark = pytest.mark.pg


@pytest.mark.parametrize("typed, name", [
    ("Referral", "Referral"), ("  referral ", "Referral"), ("Рекомендация", "Referral"),
    ("Рекомендація", "Referral"), ("по рекомендации", "Referral"), ("від знайомих", "Referral"),
    ("Препоръка", "Referral"), ("Recomandare", "Referral"), ("recomandare", "Referral"),
    ("Preporuka", "Referral"), ("რეკომენდაცია", "Referral"),
    ("Сайт компании", "Company site"), ("Сайт компанії", "Company site"), ("Сайт на компанията", "Company site"),
    ("Site-ul companiei", "Company site"), ("Web stranica firme", "Company site"),
    ("კომპანიის საიტი", "Company site"), ("Company site", "Company site"),
    ("hh.ru", "HeadHunter"), ("HH", "HeadHunter"), ("Хедхантер", "HeadHunter"), ("HeadHunter", "HeadHunter"),
    ("rabota.ua", "Robota.ua"), ("Work.ua", "Work.ua"), ("work ua", "Work.ua"), ("jobs.bg", "Jobs.bg"),
    ("ejobs", "eJobs.ro"), ("MOJPOSAO.BA", "MojPosao.ba"), ("hr.ge", "HR.ge"), ("Авито", "Avito"),
])
def test_typed_sources_map_to_their_channel(ctx, typed, name):
    assert channels.canonical(typed) == name


def test_unknown_text_is_a_channel_of_its_own_and_empty_stays_empty(ctx):
    assert channels.canonical("  Telegram   group ") == "Telegram group"
    assert channels.canonical("") == ""
    assert channels.canonical(None) == ""
    assert channels.canonical("   ") == ""


def test_canonical_many_asks_the_database_once(ctx):
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(ctx.engine, "before_cursor_execute", seen)
    try:
        result = channels.canonical_many(["Рекомендация", "hh.ru", None, "Рекомендация", "Job fair"] * 5000)
        again = channels.canonical_many(["Препоръка"])
        one = channels.canonical("DOU")
    finally:
        sa.event.remove(ctx.engine, "before_cursor_execute", seen)
    assert result == {"Рекомендация": "Referral", "hh.ru": "HeadHunter", "": "", "Job fair": "Job fair"}
    assert again == {"Препоръка": "Referral"} and one == "DOU"
    assert len([s for s in statements if s.startswith("SELECT") and "FROM channel_aliases" in s]) == 1


def test_no_alias_of_the_built_ins_belongs_to_two_channels():
    owner: dict[str, str] = {}
    for name, aliases in channels.BUILT_IN:
        for alias in (name, *aliases):
            key = channels.channel_key(alias)
            assert key, alias
            assert owner.setdefault(key, name) == name, f"{alias!r} is {owner[key]} and {name}"


def test_a_new_source_keeps_its_first_spelling(ctx, make):
    vacancy = ctx.session.get(Vacancy, make.vacancy("open"))
    cs.add_candidate(vacancy, {"full_name": "From OLX", "email": "olx@x.test", "source": "olx"})
    ctx.session.flush()
    channels.forget()
    assert channels.canonical("OLX") == "olx"  # joins the candidates already from it
    assert channels.canonical_many(["Job Fair", "job  fair", "JOB FAIR"]) == {
        "Job Fair": "Job Fair", "job  fair": "Job Fair", "JOB FAIR": "Job Fair"}


def test_missing_built_ins_are_created_on_demand(ctx):
    ctx.session.execute(sa.delete(ChannelAlias))
    ctx.session.execute(sa.delete(SourceChannel))
    channels.forget()
    assert channels.canonical("Рекомендація") == "Referral"
    assert ctx.session.scalar(sa.select(sa.func.count(SourceChannel.id))) == len(channels.BUILT_IN)
    assert channels.ensure_built_ins() == []


def test_word_channels_go_through_the_catalogue_and_brands_do_not(monkeypatch):
    monkeypatch.setattr(channels, "_", lambda text: f"«{text}»")
    assert [channels.label(n) for n in ("Referral", "Company site", "HeadHunter", "Telegram group")] == [
        "«Referral»", "«Company site»", "HeadHunter", "Telegram group"]
