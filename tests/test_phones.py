"""recruit/phones.py: numbers read in the organisation's region, compared in
E.164, shown in the national format; the reason an impossible one is refused."""

from __future__ import annotations

import pytest

from recruit import phones


@pytest.mark.parametrize("typed", ["067 123 45 67", "+380 67 123 45 67", "0671234567", "(067) 123-45-67",
                                   "00380671234567", "+380671234567"])
def test_one_ukrainian_number_in_every_spelling(typed):
    assert phones.to_e164(typed, "UA") == "+380671234567"


@pytest.mark.parametrize("typed, region, e164", [
    ("8 (916) 123-45-67", "RU", "+79161234567"),
    ("+7 916 123-45-67", "UA", "+79161234567"),  # a country code wins over the region
    ("0888 123 456", "BG", "+359888123456"),
    ("0722 123 456", "RO", "+40722123456"),
    ("061 123 456", "BA", "+38761123456"),
    ("555 12 34 56", "GE", "+995555123456"),
    ("79161234567", None, "+79161234567"),  # no region: the country code without its +
])
def test_numbers_of_the_six_countries(typed, region, e164):
    assert phones.to_e164(typed, region) == e164


@pytest.mark.parametrize("typed, code", [
    ("067 123", "phone_too_short"),
    ("12", "phone_too_short"),
    ("+1 555", "phone_too_short"),
    ("06712345678901", "phone_too_long"),
    ("8 (916) 123 45 67", "phone_too_long"),  # a Russian 8-number read in Ukraine has a digit too many
    ("+380 11 123 45 67", "phone_invalid"),  # right length, no such Ukrainian range
    ("+999 123456", "phone_invalid"),  # no such country code
    ("call me", "bad_phone"),
])
def test_impossible_numbers_say_why(typed, code):
    with pytest.raises(phones.PhoneError) as caught:
        phones.to_e164(typed, "UA")
    assert caught.value.code == code and caught.value.value == typed


def test_a_national_number_needs_a_region():
    with pytest.raises(phones.PhoneError) as caught:
        phones.to_e164("067 123 45 67", "ZZ")
    assert caught.value.code in ("phone_no_country", "phone_invalid")


def test_display_is_national_at_home_international_abroad():
    assert phones.display("+380671234567", "UA") == "067 123 4567"
    assert phones.display("+79161234567", "UA") == "+7 916 123-45-67"
    assert phones.display("+79161234567", "RU") == "8 (916) 123-45-67"
    assert phones.display("not a number", "UA") == "not a number"
    assert phones.display("", "UA") == ""


def test_several_numbers_in_one_cell():
    assert phones.split("067 123 45 67, 050 765 43 21") == ["067 123 45 67", "050 765 43 21"]
    assert phones.split("067 123 45 67 / 050 765 43 21") == ["067 123 45 67", "050 765 43 21"]
    assert phones.split("067 123 45 67; +380 44 123 4567\n050 765 43 21") == [
        "067 123 45 67", "+380 44 123 4567", "050 765 43 21"]
    assert phones.split("+380 (67) 123-45-67") == ["+380 (67) 123-45-67"]
    assert phones.split("") == []


def test_search_forms_hold_the_typed_digits_and_the_whole_number():
    assert phones.search_forms("45 67", "UA") == ["4567"]
    assert phones.search_forms("067 123 45 67", "UA") == ["0671234567", "380671234567"]
    assert phones.search_forms("8 916 123-45-67", "RU") == ["89161234567", "79161234567"]
    assert phones.search_forms("Ivan 2026", "UA") == ["2026"]  # a name with digits is no number
    assert phones.search_forms("123", "UA") == []


@pytest.mark.parametrize("e164, national, digits", [
    ("+380671234567", "067 123 45 67", "671234567"),
    ("+359888123456", "0888 123 456", "888123456"),
    ("+38761123456", "061 123 456", "61123456"),
    ("+995555123456", "555 12 34 56", "555123456"),
    ("+79161234567", "8 (916) 123-45-67", "9161234567"),
])
def test_national_digits_are_inside_every_spelling(e164, national, digits):
    assert phones.national_digits(e164) == digits
    assert digits in "".join(c for c in national if c.isdigit())
    assert phones.national_digits("not a number") is None and phones.national_digits("") is None
