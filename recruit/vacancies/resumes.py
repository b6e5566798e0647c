"""Résumé files are checked by their content, not their name: a PDF starts
with %PDF-, a DOCX or ODT is a ZIP with the parts those formats require.
A ZIP is read without trusting it: its directory is checked for absurd
sizes and ratios before anything is read, and no member is read past a few
KB, so a small upload cannot inflate to gigabytes in memory."""

from __future__ import annotations

import io
import zipfile

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


MAX_MEMBERS = 5000
MAX_UNPACKED = 200 * 1024 * 1024  # a long DOCX with photos unpacks to a few tens of MB
MAX_RATIO = 200  # text compresses about 10:1; hundreds to one is a bomb
RATIO_FROM = 1024 * 1024  # tiny members can have any ratio
READ_AT_MOST = 4096


class UnsafeArchiveError(ValueError):
    """The file is a ZIP whose directory promises more than a document holds."""


def _check_directory(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UnsafeArchiveError(f"{len(members)} members")
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise UnsafeArchiveError("declared size")
    for member in members:
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnsafeArchiveError(f"compression ratio of {member.filename!r}")


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(READ_AT_MOST)


def detect_type(data: bytes) -> str | None:
    """pdf, docx, odt or None; UnsafeArchiveError for a ZIP that is a bomb."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_directory(archive)
            names = set(archive.namelist())
            if "mimetype" in names and _head(archive, "mimetype").strip() == MIME["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names and \
                    b"<" in _head(archive, "[Content_Types].xml"):
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError, EOFError,
            NotImplementedError, ValueError) as exc:
        if isinstance(exc, UnsafeArchiveError):
            raise
        return None
    return None
