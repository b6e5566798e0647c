"""JSON API v1: token-authenticated, the same services and rules as the pages.
Every error is a JSON body {"error": {"status", "message", "details"?}}, its
words in the token's user's language (else the request's Accept-Language);
field names and codes in it stay as the API spells them.

One module per resource (`vacancies`, `candidates`, `quizzes`, and `openapi`,
the document), all on the one blueprint of `common`, which also holds what
they share: `ApiError`, reading a JSON body, loading the object a URL names,
paging."""
