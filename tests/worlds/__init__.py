"""Shared worlds: fixtures and helpers that several test modules stand on,
registered for the whole suite by tests/conftest.py (`pytest_plugins`)."""
