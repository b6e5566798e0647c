"""What the source channels cost, month by month: an admin enters a job
board's package or an agency's invoice for a month, and the reports divide
a period's cost by the channel's hires (cost per hire). Amounts are kept in
the currency they were entered in (the organisation's at the time), so a
country that changes its currency (Bulgaria in 2026) keeps its old months
right; a period with two currencies shows each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.money import currency
from recruit.vacancies import channels
from recruit.vacancies.channel_list import ChannelError, channel_named
from recruit.vacancies.models import ChannelCost, SourceChannel

MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
RECENT_COSTS = 36  # months of costs the channel page lists


@dataclass(frozen=True)
class CostRow:
    id: int
    channel: str
    month: date
    amount: Decimal
    currency: str


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def set_cost(channel_name: str, month: date, amount: Decimal, actor: User | None) -> ChannelCost:
    """The channel's cost for `month`, in the organisation's currency: a
    month entered again is corrected, not added to. Flushes; the caller commits."""
    channels.alias_map()  # the built-in channels exist (a database emptied by hand)
    channel = channel_named(channel_name)
    if channel is None:
        raise ChannelError(_("Choose a channel."))
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ChannelError(_("Enter an amount of zero or more."))
    month, code = first_of_month(month), currency()
    amount = amount.quantize(Decimal("0.01"))
    cost = db.session.scalar(sa.select(ChannelCost).where(ChannelCost.channel_id == channel.id,
                                                          ChannelCost.month == month, ChannelCost.currency == code)
                             .with_for_update(of=ChannelCost))
    before = None if cost is None else str(cost.amount)
    if cost is None:
        cost = ChannelCost(channel_id=channel.id, month=month, currency=code, amount=amount)
        try:
            with db.session.begin_nested():  # the same month entered twice at once: the second corrects the first
                db.session.add(cost)
                db.session.flush()
        except IntegrityError:
            cost = db.session.scalars(sa.select(ChannelCost).where(
                ChannelCost.channel_id == channel.id, ChannelCost.month == month,
                ChannelCost.currency == code)).one()
    cost.amount, cost.entered_by_id = amount, getattr(actor, "id", None)
    db.session.flush()
    audit.record("channel.cost_set", channel, actor_id=getattr(actor, "id", None), month=month.isoformat(),
                 amount=str(amount), currency=code, before=before or "")
    return cost


def remove_cost(cost_id: int, actor: User | None) -> None:
    cost = db.session.get(ChannelCost, cost_id)
    if cost is None:
        raise ChannelError(_("That cost is no longer recorded."))
    audit.record("channel.cost_removed", cost.channel, actor_id=getattr(actor, "id", None),
                 month=cost.month.isoformat(), amount=str(cost.amount), currency=cost.currency)
    db.session.delete(cost)
    db.session.flush()


def recent_costs(limit: int = RECENT_COSTS * 4) -> list[CostRow]:
    """The latest months entered, newest first, for the channel page."""
    rows = db.session.execute(
        sa.select(ChannelCost.id, SourceChannel.name, ChannelCost.month, ChannelCost.amount, ChannelCost.currency)
        .join(SourceChannel, ChannelCost.channel_id == SourceChannel.id)
        .order_by(ChannelCost.month.desc(), SourceChannel.name).limit(limit))
    return [CostRow(*row) for row in rows]


# (channel name, currency, total) over the months of `period_bounds`; built once, as every
# statement of a page (the hiring report reads it within its funnel's statement)
COST_TOTALS = (sa.select(SourceChannel.name, ChannelCost.currency, sa.func.sum(ChannelCost.amount).label("total"))
               .join(SourceChannel, ChannelCost.channel_id == SourceChannel.id)
               .where(ChannelCost.month >= sa.bindparam("first"), ChannelCost.month <= sa.bindparam("last"))
               .group_by(SourceChannel.name, ChannelCost.currency))
OPEN_START, OPEN_END = date(1900, 1, 1), date(9999, 12, 1)


def period_bounds(start: date | None, end: date | None) -> dict[str, date]:
    """COST_TOTALS' parameters: the months that touch the period [start, end] (either open)."""
    return {"first": first_of_month(start) if start else OPEN_START, "last": end or OPEN_END}


def costs_by_channel(start: date | None, end: date | None) -> dict[str, dict[str, Decimal]]:
    """{channel name: {currency: total}} over the months that touch the
    period [start, end] (either open), read in one statement."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for name, code, total in db.session.execute(COST_TOTALS, period_bounds(start, end)):
        totals[name][code] = Decimal(total)
    return dict(totals)


def channel_names() -> list[str]:
    """The stored channels a cost can be entered for, by name."""
    return sorted(db.session.scalars(sa.select(SourceChannel.name)), key=channels.label)
