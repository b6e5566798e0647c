"""canonical source channels; search keys folded across accents and scripts

Sources were free text, so "Рекомендация", "Рекомендація" and "Referral"
were three channels to the show-rate model and the reports. Channels and
their aliases become tables (recruit.vacancies.channels), seeded with the
built-in channels of the seven languages, and the existing
`candidates.source` and `bookings.source` values are rewritten to their
channel's name through those aliases.

Search keys now fold accents and letters across scripts (recruit.search):
`name_norm` of users and candidates is recomputed, and SQLite's FTS5 table
over the keys is rebuilt. Both folds are frozen here as they were when this
ran, so a later change of the app's fold needs its own migration.

Only add_column / create_table and plain UPDATEs: a batch rebuild of
`candidates` on SQLite would cascade-delete its applications.

Revision ID: c13d00000004
Revises: c13c00000003
Create Date: 2026-12-01 22:20:00

"""
import re
import unicodedata
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c13d00000004'
down_revision = 'c13c00000003'
branch_labels = None
depends_on = None

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_BEFORE = str.maketrans({
    "đ": "dj", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th",
    "ґ": "г", "є": "е", "і": "и", "ї": "и", "ё": "е",
    "’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'",
    "й": "\ue000",
})
_AFTER = str.maketrans({"\ue000": "й"})


def _key(text):
    """recruit.search.search_key as it was when this ran."""
    folded = (text or "").casefold().translate(_BEFORE)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.translate(_AFTER)).strip()


def _channel_key(text):
    """recruit.vacancies.channels.channel_key as it was when this ran."""
    return _NOT_WORD.sub("", _key(text))[:120]


# recruit.vacancies.channels.BUILT_IN as it was when this ran.
BUILT_IN = (
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


channels = sa.table("source_channels", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("active", sa.Boolean), sa.column("created_at", sa.DateTime))
aliases = sa.table("channel_aliases", sa.column("key", sa.String), sa.column("alias", sa.String),
                   sa.column("channel_id", sa.Integer))


def upgrade():
    op.create_table(
        'source_channels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_source_channels')),
        sa.UniqueConstraint('name', name=op.f('uq_source_channels_name')),
    )
    op.create_table(
        'channel_aliases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('alias', sa.String(length=120), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['channel_id'], ['source_channels.id'],
                                name=op.f('fk_channel_aliases_channel_id_source_channels'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_aliases')),
        sa.UniqueConstraint('key', name=op.f('uq_channel_aliases_key')),
    )
    op.create_index(op.f('ix_channel_aliases_channel_id'), 'channel_aliases', ['channel_id'], unique=False)

    bind = op.get_bind()
    names = _seed(bind)
    for table in ("candidates", "bookings"):
        _canonicalise(bind, table, names)
    _rekey(bind, "candidates", 160)
    _rekey(bind, "users", 120)
    if bind.dialect.name == "sqlite" and _has_table(bind, "candidates_search"):
        op.execute("INSERT INTO candidates_search (candidates_search) VALUES ('rebuild')")


def _seed(bind):
    """The built-in channels and their aliases; {alias key: channel name}."""
    from datetime import datetime

    now = datetime.now(UTC)
    keys = {}
    for name, spellings in BUILT_IN:
        bind.execute(channels.insert().values(name=name, active=True, created_at=now))
        channel_id = bind.execute(sa.select(channels.c.id).where(channels.c.name == name)).scalar_one()
        rows = []
        for alias in (name, *spellings):
            key = _channel_key(alias)
            if key and key not in keys:
                keys[key] = name
                rows.append({"key": key, "alias": alias, "channel_id": channel_id})
        bind.execute(aliases.insert(), rows)
    return keys


def _canonicalise(bind, table, names):
    """Each distinct source written the way of a built-in alias becomes the
    channel's name: one UPDATE per distinct spelling, whatever the rows."""
    values = bind.execute(sa.text(f"SELECT DISTINCT source FROM {table}")).scalars().all()  # nosec B608
    update = sa.text(f"UPDATE {table} SET source = :name WHERE source = :old")  # nosec B608: fixed names
    for old in values:
        new = names.get(_channel_key(old), _SPACES.sub(" ", old or "").strip()[:80])
        if new != old and old is not None:
            bind.execute(update, {"name": new, "old": old})


def _rekey(bind, table, width):
    rows = bind.execute(sa.text(f"SELECT id, full_name, name_norm FROM {table}")).all()  # nosec B608
    update = sa.text(f"UPDATE {table} SET name_norm = :key WHERE id = :id")  # nosec B608: fixed names
    changed = [{"id": row.id, "key": _key(row.full_name)[:width]} for row in rows
               if _key(row.full_name)[:width] != row.name_norm]
    for start in range(0, len(changed), 1000):
        bind.execute(update, changed[start:start + 1000])


def _has_table(bind, name):
    return bind.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name"),
                        {"name": name}).scalar() == 1


def _old_key(text):
    return re.sub(r"\s+", " ", (text or "").casefold().replace("ё", "е")).strip()


def downgrade():
    """The tables go; the sources keep their canonical names (the spellings
    they replaced are not kept), and the keys go back to the old fold."""
    bind = op.get_bind()
    for table, width in (("candidates", 160), ("users", 120)):
        rows = bind.execute(sa.text(f"SELECT id, full_name FROM {table}")).all()  # nosec B608
        update = sa.text(f"UPDATE {table} SET name_norm = :key WHERE id = :id")  # nosec B608
        batch = [{"id": row.id, "key": _old_key(row.full_name)[:width]} for row in rows]
        for start in range(0, len(batch), 1000):
            bind.execute(update, batch[start:start + 1000])
    if bind.dialect.name == "sqlite" and _has_table(bind, "candidates_search"):
        op.execute("INSERT INTO candidates_search (candidates_search) VALUES ('rebuild')")
    op.drop_index(op.f('ix_channel_aliases_channel_id'), table_name='channel_aliases')
    op.drop_table('channel_aliases')
    op.drop_table('source_channels')
