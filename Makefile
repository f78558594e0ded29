# The two commands a newcomer needs are `make demo` and `make test`; both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := .cache/demo
LAST_WEEK = $(shell $(PYTHON) -c "import datetime as d; print(d.date.today() - d.timedelta(days=7))")

.PHONY: demo test lint typecheck unit min-versions sdist bench mutate mutate-map clean corpus

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

MUTATE_STAMP := $(VENV)/.mutate-installed
$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	touch $(MUTATE_STAMP)

demo: $(STAMP)
	@rm -rf $(DEMO) && mkdir -p .cache && cp -R examples/demo $(DEMO) && rm -rf $(DEMO)/.cache
	@echo "== a week ago: fewer tests ran; covtasks sync recorded that =="
	cd $(DEMO) && ../../$(BIN)/python -m coverage run -m pytest -q -p no:cacheprovider \
		tests/test_jobs.py tests/test_pricing.py tests/test_settings_and_raster.py
	$(BIN)/covtasks -C $(DEMO) sync --date $(LAST_WEEK)
	@echo "== today: the example project's whole test suite under coverage =="
	cd $(DEMO) && ../../$(BIN)/python -m coverage run -m pytest -q -p no:cacheprovider tests
	@echo "== covtasks report =="
	$(BIN)/covtasks -C $(DEMO) report
	@echo "== covtasks report --format markdown --group =="
	$(BIN)/covtasks -C $(DEMO) report --format markdown --group
	@echo "== covtasks sync --diff ($(DEMO)/.ldres/tv-tasks.md) =="
	$(BIN)/covtasks -C $(DEMO) sync --diff
	@echo "== covtasks check =="
	$(BIN)/covtasks -C $(DEMO) check
	@echo "== covtasks badge =="
	$(BIN)/covtasks -C $(DEMO) badge
	@echo "== covtasks standup =="
	$(BIN)/covtasks -C $(DEMO) standup --since $(LAST_WEEK)

lint: $(STAMP)
	$(BIN)/ruff check covtasks tests benchmarks examples corpus mutation
	$(BIN)/ruff format --check covtasks tests benchmarks examples corpus mutation

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	@mkdir -p .cache/coverage
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest
	$(BIN)/python -m coverage report
	@# Dogfood: this repository's own task file is kept by covtasks from its own coverage.
	$(BIN)/covtasks sync --check

test: lint typecheck unit

# The declared lower bound of every dependency, installed fresh, must pass the CLI tests.
# Their own deprecation warnings about newer transitive packages are not ours to fail on.
MIN_VENV := .cache/min-versions
min-versions:
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(PYTHON) .ci/minimum_requirements.py > $(MIN_VENV)/minimum.txt
	$(MIN_VENV)/bin/python -m pip install --quiet -r $(MIN_VENV)/minimum.txt pytest hypothesis mdformat
	$(MIN_VENV)/bin/python -m pip install --quiet --no-deps .
	$(MIN_VENV)/bin/python -m pip list --format=freeze | grep -iE "^($$(cut -d= -f1 $(MIN_VENV)/minimum.txt | paste -sd'|'))=="
	$(MIN_VENV)/bin/python -m pytest -W ignore::DeprecationWarning tests/test_cli*.py

# The sdist as a packager gets it: built, unpacked, installed with its test extra in a fresh
# environment, every test module collected there and the CLI and packaging tests run.
SDIST := .cache/sdist
sdist: $(STAMP)
	rm -rf $(SDIST)
	$(BIN)/hatchling build -t sdist -d $(SDIST)
	tar -xzf $(SDIST)/covtasks-*.tar.gz -C $(SDIST)
	$(PYTHON) -m venv $(SDIST)/venv
	$(SDIST)/venv/bin/python -m pip install --quiet "$$(echo $(SDIST)/covtasks-*.tar.gz)[test]"
	cd $(SDIST)/covtasks-*/ && ../venv/bin/python -m pytest --collect-only -q > ../collected.txt \
		|| { tail -40 ../collected.txt; exit 1; }
	cd $(SDIST)/covtasks-*/ && ../venv/bin/python -m pytest -rs \
		tests/test_cli*.py tests/test_packaging.py tests/test_portability.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Not part of `make test`: downloads pinned sdists from PyPI and runs their suites (minutes).
corpus: $(STAMP)
	$(BIN)/python -m corpus

# Mutation testing (not part of `make test`): MODULE=numbers,document (default: every module
# in mutation/map.toml), SAMPLE=N mutants a module (0: all; default: the map's), JOBS=N,
# RECHECK=1 to run the recorded equivalents too, RESUME=1 to rerun only the last run's
# survivors against the current tests (the module itself unchanged), SHARD=N/M for the N-th
# of M equal parts of each module, CARRY=1 after the module changed: mutants killed before,
# named alike, are taken as killed and the rest run (quick, but not a full run).
mutate: $(MUTATE_STAMP)
	$(BIN)/python -m mutation run $(if $(MODULE),--module $(MODULE)) \
		$(if $(SAMPLE),--sample $(SAMPLE)) $(if $(JOBS),--jobs $(JOBS)) \
		$(if $(RECHECK),--recheck) $(if $(RESUME),--resume) $(if $(CARRY),--carry) \
		$(if $(SHARD),--shard $(SHARD))

# Regenerate mutation/map.toml from a coverage run with per-test contexts.
mutate-map: $(MUTATE_STAMP)
	$(BIN)/python -m mutation map

clean:
	rm -rf $(VENV) .cache .hypothesis dist build
