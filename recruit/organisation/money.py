"""Amounts of money in the organisation's currency, written the way the
reader's language writes them (babel): "25 000 ₴", "UAH25,000", "25.000 RON"."""

from __future__ import annotations

from flask_babel import format_currency, get_locale

from recruit.organisation.services import get_settings


def currency() -> str:
    return get_settings().currency or "EUR"


def format_money(amount: float | int | None, code: str | None = None, *, whole: bool = True) -> str:
    """Pay ranges are whole amounts: the locale's pattern without its decimals."""
    if amount is None:
        return "—"
    if not whole:
        return format_currency(amount, code or currency())
    pattern = get_locale().currency_formats["standard"].pattern.replace(".00", "").replace(",00", "")
    return format_currency(amount, code or currency(), format=pattern, currency_digits=False)
