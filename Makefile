PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint demo bench clean constraints

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check cotechbot tests bench
	$(BIN)/ruff format --check cotechbot tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy cotechbot

demo: $(STAMP)
	$(BIN)/cotechbot demo

bench: $(STAMP)
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

constraints: $(STAMP)
	{ echo "# Versions the tests ran with: make and the Docker image install through these (pip install -c constraints.txt)."; \
	  echo "# Refresh: make constraints"; $(BIN)/pip freeze --exclude-editable | grep -v '^cotechbot'; } > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
