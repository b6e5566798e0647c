"""The pure CSV reader (recruit/tabular/, recruit/vacancies/candidate_rows.py) on the files users
bring (DOMAIN.md §6): encodings, headers in seven languages, name parts,
experience in words, title lines, rows wider than their header, phones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from recruit import i18n
from recruit.tabular import encodings, reports, values
from recruit.vacancies import candidate_rows

JOBBOARD = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "candidates_jobboard_cp1251.csv"

BALKAN = ("Nume;Prenume;Telefon;Email;Oraş;Experienţă\r\n"
          "Dumitrescu;Ştefan;0722 123 456;stefan@example.ro;Cluj;peste 5 ani\r\n"
          "Kovačević;Đorđe;+387 61 123 456;djordje@example.ba;Sarajevo;3 godine\r\n"
          "Hodžić;Šejla;+387 62 765 432;sejla@example.ba;Tuzla;bez iskustva\r\n")


def _validate(text: str, region: str = "UA", encoding: str = "utf-8") -> candidate_rows.Validation:
    parsed = candidate_rows.parse(text.encode(encoding))
    return candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region=region)


# --- encodings ---------------------------------------------------------------------

def test_windows_1250_file_with_romanian_and_bosnian_names():
    """Windows-1250 has the cedilla Ş/ţ Romanian exports are written with (it
    has no comma-below Ș); Bosnian č, ć, đ, š, ž."""
    parsed = candidate_rows.parse(BALKAN.encode("cp1250"))
    assert parsed.encoding == "cp1250" and encodings.ENCODINGS[parsed.encoding] == "Windows-1250"
    assert parsed.notices == []
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region="RO")
    assert [r.full_name for r in result.valid] == ["Ştefan Dumitrescu", "Đorđe Kovačević", "Šejla Hodžić"]
    assert [r.experience_years for r in result.valid] == [5, 3, 0]
    assert [r.phone_norm for r in result.valid] == ["+40722123456", "+38761123456", "+38762765432"]


def test_iso_8859_16_keeps_the_comma_below_letters():
    text = BALKAN.replace("Ş", "Ș").replace("ţ", "ț").replace("ş", "ș")
    parsed = candidate_rows.parse(text.encode("iso8859-16"))
    assert parsed.encoding == "iso8859-16" and parsed.notices == []
    assert parsed.rows[0][1][1] == "Ștefan" and parsed.headers[4] == "Oraș"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "iso8859-2", "cp1250"])
def test_the_same_names_in_every_latin_encoding(encoding):
    parsed = candidate_rows.parse(BALKAN.encode(encoding))
    assert [cells[1] + " " + cells[0] for _line, cells in parsed.rows] == [
        "Ştefan Dumitrescu", "Đorđe Kovačević", "Šejla Hodžić"]
    assert parsed.notices == []


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-u", "utf-8", "utf-16"])
def test_cyrillic_exports(encoding):
    data = JOBBOARD.read_bytes().decode("cp1251").encode(encoding)
    parsed = candidate_rows.parse(data)
    assert parsed.encoding == ("utf-16" if encoding == "utf-16" else encoding)
    assert parsed.headers[0] == "ФИО" and parsed.rows[0][1][0] == "Смирнова Наталья" and parsed.notices == []


def test_the_job_board_export_still_reads_whole():
    parsed = candidate_rows.parse(JOBBOARD.read_bytes())
    assert parsed.encoding == "cp1251" and parsed.delimiter == ";" and len(parsed.rows) == 33
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region="UA")
    assert len(result.valid) == 29
    assert {(e.line, e.code) for e in result.errors} == {
        (30, "no_contact"), (31, "bad_email"), (32, "duplicate"), (33, "negative_years")}
    assert result.valid[0].phone_norm == "+79507661619"  # +7 numbers keep their country in Ukraine


@pytest.mark.parametrize("data, chosen", [
    (JOBBOARD.read_bytes().decode("cp1251").encode("utf-8"), "cp1251"),  # UTF-8 read as Windows-1251: Р°Р±
    (JOBBOARD.read_bytes(), "cp1250"),
    (JOBBOARD.read_bytes(), "koi8-u"),
    (JOBBOARD.read_bytes(), "utf-8"),  # replacement characters
    (BALKAN.encode("cp1250"), "cp1251"),  # Kovaиeviж
    (BALKAN.encode("iso8859-2"), "cp1250"),  # ©ejla
])
def test_a_wrong_encoding_gets_a_warning(data, chosen):
    parsed = candidate_rows.parse(data, encoding=chosen)
    assert [n.code for n in parsed.notices] == ["suspicious_encoding"]
    assert encodings.ENCODINGS[chosen] in parsed.notices[0].message


def test_mojibake_inside_a_utf8_file_gets_a_warning():
    garbled = BALKAN.encode("utf-8").decode("latin-1").encode("utf-8")  # "Å tefan", "Ä\x90orÄ\x91e"
    assert [n.code for n in candidate_rows.parse(garbled).notices] == ["suspicious_encoding"]


def test_binary_is_refused():
    for data in (b"\x00\x01", b"\x00\x01\x02\x03binary\x00\xff" * 10):
        with pytest.raises(reports.FileError, match="not a text"):
            candidate_rows.parse(data)


# --- headers -----------------------------------------------------------------------

@pytest.mark.parametrize("header, field", [
    ("ПІБ", "full_name"), ("П.І.Б.", "full_name"), ("ФИО", "full_name"), ("Nume complet", "full_name"),
    ("Ime i prezime", "full_name"), ("Име и фамилия", "full_name"), ("სახელი და გვარი", "full_name"),
    ("Прізвище", "last_name"), ("Фамилия", "last_name"), ("Nume", "last_name"), ("Prezime", "last_name"),
    ("გვარი", "last_name"),
    ("Ім'я", "first_name"), ("Ім’я", "first_name"), ("Имя", "first_name"), ("Име", "first_name"),
    ("Prenume", "first_name"), ("Ime", "first_name"), ("სახელი", "first_name"),
    ("По батькові", "middle_name"), ("Отчество", "middle_name"),
    ("Ел. пошта", "email"), ("E-MAIL", "email"), ("Имейл", "email"), ("ელ. ფოსტა", "email"),
    ("Телефон", "phone"), ("Telefon", "phone"), ("ტელეფონი", "phone"), ("Телефон мобильный", "phone"),
    ("Місто", "city"), ("Град", "city"), ("Oraș", "city"), ("ORAS", "city"), ("Grad", "city"), ("ქალაქი", "city"),
    ("Досвід", "experience_years"), ("Опыт работы, лет", "experience_years"), ("Опит", "experience_years"),
    ("Experiență", "experience_years"), ("Iskustvo", "experience_years"), ("გამოცდილება", "experience_years"),
    ("Джерело", "source"), ("Источник", "source"), ("Sursa", "source"), ("Izvor", "source"), ("წყარო", "source"),
    ("Мова", "language"), ("Limba", "language"), ("Jezik", "language"), ("ენა", "language"),
])
def test_header_synonyms_in_seven_languages(header, field):
    mapping = candidate_rows.guess_mapping([header, "Prezime" if field == "first_name" else "Ime",
                                      "Email" if field != "email" else "Phone"])
    assert mapping[field] == 0


def test_every_field_has_synonyms_in_every_language_and_no_name_means_two_fields():
    for name in candidate_rows.FIELDS:
        assert set(candidate_rows._SYNONYMS[name]) == set(i18n.LANGUAGES), name
    seen: dict[str, str] = {}
    for name, keys in candidate_rows._KEYS.items():
        for key in keys:
            assert seen.setdefault(key, name) == name, (key, seen[key], name)


def test_a_lone_name_part_column_is_the_full_name():
    assert candidate_rows.guess_mapping(["Имя", "Телефон"])["full_name"] == 0
    assert candidate_rows.guess_mapping(["Nume", "Email"])["full_name"] == 0
    assert candidate_rows.guess_mapping(["Name", "Email"])["full_name"] == 0


@pytest.mark.parametrize("text, names", [
    ("Prenume,Nume,Email\nȘtefan,Dumitrescu,s@x.ro\n", ["Ștefan Dumitrescu"]),
    ("Ime,Prezime,Email\nĐorđe,Kovačević,d@x.ba\n", ["Đorđe Kovačević"]),
    ("სახელი,გვარი,Email\nნინო,ბერიძე,n@x.ge\n", ["ნინო ბერიძე"]),
    ("Име,Фамилия,Email\nИван,Петров,i@x.bg\n", ["Иван Петров"]),
    ("Ім'я,Прізвище,По батькові,Email\nІрина,Коваленко,Петрівна,i@x.ua\n", ["Коваленко Ірина Петрівна"]),
    ("Фамилия;Имя;Отчество;Email\nСмирнова;Наталья;Ивановна;n@x.ru\n", ["Смирнова Наталья Ивановна"]),
    ("ПІБ;Email\nКоваленко Ірина Петрівна;i@x.ua\n", ["Коваленко Ірина Петрівна"]),  # one cell stays as it is
    ("Prenume,Nume,Nume complet,Email\nA,B,Ana Maria Popescu,a@x.ro\n", ["Ana Maria Popescu"]),
])
def test_name_parts_are_joined(text, names):
    assert [r.full_name for r in _validate(text).valid] == names


def test_a_title_line_above_the_header_is_skipped():
    text = ("Выгрузка кандидатов за ноябрь 2026\r\n"
            "ФИО;Телефон;Email;Город\r\n"
            "Смирнова Наталья;+7 950 766-16-19;n@x.ru;Москва\r\n")
    parsed = candidate_rows.parse(text.encode("cp1251"))
    assert parsed.headers == ["ФИО", "Телефон", "Email", "Город"] and parsed.delimiter == ";"
    assert parsed.header_line == 2 and [line for line, _c in parsed.rows] == [3]
    assert [(n.code, n.params) for n in parsed.notices] == [("title_skipped", {"line": 2})]
    assert parsed.notices[0].message == "The column names were found on line 2; the lines above them were skipped."
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region="RU")
    assert [r.full_name for r in result.valid] == ["Смирнова Наталья"]


def test_a_file_without_known_headers_keeps_its_first_line_as_the_header():
    parsed = candidate_rows.parse(b"Alpha,Beta\nx,y\n")
    assert parsed.headers == ["Alpha", "Beta"] and parsed.notices == []


def test_a_row_with_more_cells_than_the_header_is_an_error_naming_its_line():
    text = ("Name;Email;City\n"
            "Ana Pop;ana@x.ro;Cluj\n"
            "Ion Pop;ion@x.ro;Cluj;Napoca\n"   # an unquoted ';' inside the city
            "Eva Pop;eva@x.ro;Iasi;;\n")       # trailing empty cells are Excel's, not data
    result = _validate(text)
    assert [r.full_name for r in result.valid] == ["Ana Pop", "Eva Pop"]
    assert [(e.line, e.code, e.params) for e in result.errors] == [(3, "extra_cells", {"cells": 4, "columns": 3})]
    assert "line has 4 cells but the header names 3 columns" in result.errors[0].reason


# --- values ------------------------------------------------------------------------

@pytest.mark.parametrize("written, years", [
    ("5 лет 3 месяца", 5.25), ("2 роки", 2), ("1 год", 1), ("Нет опыта", 0), ("Без досвіду", 0),
    ("fără experiență", 0), ("bez iskustva", 0), ("3 години", 3), ("peste 5 ani", 5), ("6 месяцев", 0.5),
    ("1,5", 1.5), ("more than 10 years", 10), ("більше 5 років", 5), ("3 godine", 3), ("2 წელი", 2),
    ("полгода", 0.5), ("10+ years", 10), ("1-3 года", 1), ("un an și 6 luni", 1.5), ("п'ять років", 5),
    ("-", None), ("", None),
])
def test_experience_in_words(written, years):
    assert values.parse_experience(written) == years


@pytest.mark.parametrize("written", ["много лет", "senior", "nan", "inf", "??? years"])
def test_unreadable_experience_is_a_warning_and_the_candidate_stays(written):
    result = _validate(f"Name,Email,Experience\nAna Pop,ana@x.ro,{written}\n")
    assert [r.experience_years for r in result.valid] == [None] and result.errors == []
    assert [(w.line, w.column, w.code) for w in result.warnings] == [(2, "Experience", "unread_years")]
    assert "left empty" in result.warnings[0].reason


def test_negative_and_implausible_experience_are_still_errors():
    result = _validate("Name,Email,Experience\nA,a@x.ro,-3\nB,b@x.ro,70 лет\n")
    assert [e.code for e in result.errors] == ["negative_years", "implausible_years"] and result.valid == []


@pytest.mark.parametrize("written, code", [
    ("uk", "uk"), ("Українська", "uk"), ("ukrainian", "uk"), ("рус", "ru"), ("RO", "ro"), ("ru_RU", "ru"),
    ("uk-UA", "uk"), ("Română", "ro"), ("Bosanski", "bs"), ("hrvatski", "bs"), ("ქართული", "ka"),
    ("Български", "bg"), ("English", "en"),
])
def test_language_column(written, code):
    result = _validate(f"Name,Email,Language\nAna Pop,ana@x.ro,{written}\n")
    assert result.valid[0].language == code and code in i18n.LANGUAGES


def test_an_unknown_language_is_a_warning():
    result = _validate("Name,Email,Мова\nAna Pop,ana@x.ro,klingon\n")
    assert result.valid[0].language is None and [w.code for w in result.warnings] == ["unknown_language"]


def test_one_person_in_two_phone_spellings_is_a_duplicate():
    result = _validate("Name,Phone\nOlena,067 123 45 67\nOlena again,+380 67 123 45 67\n")
    assert [r.phone_norm for r in result.valid] == ["+380671234567"]
    assert [(e.line, e.code, e.params) for e in result.errors] == [(3, "duplicate", {"line": 2})]


def test_impossible_phones_are_row_errors_with_the_reason():
    result = _validate("Name,Phone\nA,067 123\nB,06712345678901\nC,+380 11 123 45 67\nD,call me\n")
    assert [(e.line, e.code) for e in result.errors] == [
        (2, "phone_too_short"), (3, "phone_too_long"), (4, "phone_invalid"), (5, "bad_phone")]
    assert result.errors[2].reason == ("“+380 11 123 45 67” is not a valid phone number (numbers without a "
                                       "country code are read as UA)")


def test_a_second_number_goes_to_the_notes():
    result = _validate('Name,Phone,Notes\nOlena,"067 123 45 67, 050 765 43 21",Evenings\n'
                       'Petro,067 222 33 44 / 050 111 22 33,\n')
    olena, petro = result.valid
    assert olena.phone == "067 123 45 67" and olena.phone_norm == "+380671234567"
    assert olena.notes == "Evenings\n☎ 050 765 43 21"
    assert petro.phone_norm == "+380672223344" and petro.notes == "☎ 050 111 22 33"


def test_every_message_code_has_a_text_and_placeholders_fill():
    for code, text in reports.MESSAGES.items():
        assert text, code
    notice = reports.Notice("suspicious_encoding", {"encoding": "KOI8-U"})
    assert "KOI8-U" in notice.message and notice.as_dict()["code"] == "suspicious_encoding"


def test_a_file_without_any_name_column_is_refused_whole():
    parsed = candidate_rows.parse(b"Email,City\na@x.ro,Cluj\n")
    with pytest.raises(reports.FileError, match="full name, or columns to the first and last name"):
        candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers))


@pytest.mark.parametrize("module", ["recruit/phones.py", "recruit/vacancies/candidate_rows.py",
                                    "recruit/tabular/__init__.py", "recruit/tabular/encodings.py",
                                    "recruit/tabular/reader.py",
                                    "recruit/tabular/reports.py", "recruit/tabular/values.py"])
def test_the_reader_and_the_phones_stay_pure(module):
    """No Flask, no database: the tests, the API and the upload share them."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / module).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in ("flask", "flask_babel", "sqlalchemy")
                or name in ("recruit.extensions", "recruit.i18n")}


def test_a_short_romanian_file_reads_with_comma_below_letters():
    """Bytes that give Ș/ț in ISO-8859-16 give Ş/ţ in Windows-1250: with
    nothing else to tell them apart, the reading with Romanian's own letters wins."""
    parsed = candidate_rows.parse("Nume,Email\nȘtefan Țurcanu,s@x.ro\n".encode("iso8859-16"))
    assert parsed.encoding == "iso8859-16" and parsed.rows[0][1][0] == "Ștefan Țurcanu"
    polish = candidate_rows.parse("Name,Email\nŁukasz Żółć,l@x.pl\n".encode("iso8859-2"))
    assert polish.rows[0][1][0] == "Łukasz Żółć" and polish.notices == []  # the same text either way
