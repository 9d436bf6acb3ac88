# The two set-up commands of the README are `make serve` and `make test`;
# both create the virtual environment and install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DATA ?= data
SETTINGS ?= data/settings.py
OUTPUT ?= output

.PHONY: serve build test lint catalogs sample clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

build: $(VENV)/.installed
	./scripts/install-system-packages
	$(PY) -m generator build --data $(DATA) --output $(OUTPUT) --settings $(SETTINGS)

serve: build
	@echo "Serving $(OUTPUT)/ at http://localhost:$(PORT)/ (Ctrl-C stops)"
	$(PY) -m http.server --bind 127.0.0.1 --directory $(OUTPUT) $(PORT)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# One pytest worker per core; --dist loadfile keeps each module in one worker,
# so a build a module's tests share (a module fixture) is made once; the modules
# go out in the order of MODULE_ORDER in tests/conftest.py.
test: $(VENV)/.installed node_modules/.installed
	./scripts/install-system-packages --test
	$(PY) -m ruff check .
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=25

lint: $(VENV)/.installed
	$(PY) -m ruff check .

# Extract every user-facing string and merge it into each language's catalog.
catalogs: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k NP_:1,2 --no-location --sort-output \
		-o theme/translations/messages.pot .
	$(VENV)/bin/pybabel update -i theme/translations/messages.pot -d theme/translations \
		--no-fuzzy-matching --ignore-obsolete

# Regenerate the committed sample data (tests check that data/ matches).
sample: $(VENV)/.installed
	rm -rf data/*.csv data/texts
	$(PY) -m generator sample --out data --scale small --seed 1

clean:
	rm -rf $(OUTPUT) $(OUTPUT).cache .pytest_cache .hypothesis
