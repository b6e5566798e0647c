"""Question text as the trainer wrote it in GIFT ([html], [markdown], plain)
made safe for a page: everything is escaped first, then only simple
formatting comes back (no attributes, so no script or link can slip in)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SAFE_TAGS = re.compile(r"&lt;(/?)(b|strong|i|em|u|br|p|sub|sup|ul|ol|li)\s*/?&gt;", re.IGNORECASE)
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
CODE = re.compile(r"`([^`]+)`")


def render(text: str, text_format: str = "moodle") -> Markup:
    safe = str(escape(text))
    if text_format == "html":
        safe = SAFE_TAGS.sub(lambda m: f"<{m.group(1)}{m.group(2).lower()}>", safe)
    elif text_format == "markdown":
        safe = CODE.sub(r"<code>\1</code>", safe)
        safe = BOLD.sub(r"<strong>\1</strong>", safe)
        safe = ITALIC.sub(r"<em>\1</em>", safe)
        safe = safe.replace("\n", "<br>")
    return Markup(safe)  # nosec B704: built from escaped text above
