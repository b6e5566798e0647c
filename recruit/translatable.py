"""`N_`: marks a message for the catalogues without translating it, for
texts kept in module-level tables (labels, field names, report messages)
that are translated when shown, in the reader's language. No Flask, so the
pure modules can mark their words too."""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message
