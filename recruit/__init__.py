"""recruit: recruiting and onboarding for sales teams.

The application is made by `recruit.app.create_app`; this package file
imports nothing, so a pure module (`recruit.phones`, `recruit.tabular`...)
is read without the whole app."""
