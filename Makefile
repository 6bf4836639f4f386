# launchwatch: the commands a newcomer and CI need. `make test` on a fresh machine
# installs everything (Python packages, the Kafka broker from Maven Central, kcat)
# and runs the whole suite, the broker-backed tests included.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KAFKA := deploy/kafka/kafka.sh

.PHONY: install demo test check format kafka-up kafka-down kafka-status tools clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The whole pipeline in one process against the bundled sample news site: three alerts.
demo: install
	$(BIN)/launchwatch demo

# kcat reads our topics in the interoperability tests, as any non-Python consumer would.
tools:
	@command -v kcat >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq kcat >/dev/null; }
	@kcat -V | head -1

test: install tools
	$(KAFKA) fetch
	$(BIN)/pytest

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# A broker for local runs on 127.0.0.1:9092 (tests start their own on free ports).
kafka-up:
	$(KAFKA) start

kafka-down:
	$(KAFKA) stop

kafka-status:
	$(KAFKA) status

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
