# Two commands for a newcomer: `make run` and `make test`. Both build .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000

.PHONY: run test e2e lint audit translations setup db demo clean bench messages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d translations >/dev/null

db: setup
	mkdir -p instance
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

run: demo
	@PORT=$(PORT) $(FLASK) demo logins
	$(FLASK) run --host 127.0.0.1 --port $(PORT) --no-reload

test: setup
	$(BIN)/python -m pytest -q -m "not e2e and not stack"
	TEST_DB=postgres $(BIN)/python -m pytest -q -m pg
	$(BIN)/python -m pytest -q -m "e2e or stack"

e2e: setup
	$(BIN)/python -m pytest -q -m e2e

lint: setup
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r recruit config.py wsgi.py

audit: setup
	$(BIN)/python deploy/audit.py
	$(BIN)/bandit -q -r recruit config.py wsgi.py

clean:
	rm -rf $(VENV) instance .pytest_cache

messages: setup
	$(BIN)/python deploy/messages.py

bench: setup
	$(BIN)/python bench/overbooking.py
	$(BIN)/python bench/pipeline_scale.py
	$(BIN)/python bench/import_rows.py
	$(BIN)/python bench/quiz_load.py
	$(BIN)/python bench/http_load.py
