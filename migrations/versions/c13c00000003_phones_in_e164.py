"""phones in e164

Candidates were told apart by the digits of their phone with 8 read as +7,
so `067 123 45 67` and `+380 67 123 45 67` were two people. The key is now
the number in E.164, read in the organisation's phone region
(org_settings.phone_region): every stored key is recomputed from the number
as written. A number that cannot be read keeps its old key, so nobody loses
the match they had. phonenumbers is used directly, not the app's wrapper,
so the migration stays what it was when the wrapper changes. Plain SQL
over batches of rows: the same on SQLite and PostgreSQL.

Revision ID: c13c00000003
Revises: c13b00000002
Create Date: 2026-12-01 22:20:00

"""
import re

import phonenumbers
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c13c00000003'
down_revision = 'c13b00000002'
branch_labels = None
depends_on = None

BATCH = 2000
_SEPARATORS = re.compile(r"[,;/|\n]")


def _region(conn) -> str:
    region = conn.execute(sa.text("SELECT phone_region FROM org_settings ORDER BY id LIMIT 1")).scalar()
    region = (region or "").strip().upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else "ZZ"


def _e164(phone: str, old: str | None, region: str) -> str | None:
    """The first number of the cell in E.164; the old key (digits with the
    country code) read with a + when the cell cannot be; else the old key."""
    for text, where in (((_SEPARATORS.split(phone or "") or [""])[0].strip(), region),
                        ("+" + old if old and old.isdigit() else "", None)):
        if not text:
            continue
        if text.startswith("00"):
            text = "+" + text[2:]
        try:
            number = phonenumbers.parse(text, where)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return old


def _old_key(phone: str) -> str | None:
    """The key as the old code wrote it: the digits, 8 as +7 in an 11-digit number."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return None
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits[:20]


def _rewrite(key) -> None:
    """Every candidate with a phone key, in id order by batches; only changed keys are written."""
    conn = op.get_bind()
    region = _region(conn)
    last = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, phone, phone_norm FROM candidates WHERE id > :last AND phone_norm IS NOT NULL "
            "ORDER BY id LIMIT :batch"), {"last": last, "batch": BATCH}).all()
        if not rows:
            break
        last = rows[-1][0]
        changes = []
        for cid, phone, old in rows:
            new = key(phone, old, region)
            if new != old:
                changes.append({"id": cid, "key": new})
        if changes:
            conn.execute(sa.text("UPDATE candidates SET phone_norm = :key WHERE id = :id"), changes)


def upgrade():
    _rewrite(_e164)


def downgrade():
    _rewrite(lambda phone, old, _region: _old_key(phone) if phone else (old or "").lstrip("+") or None)
