# launchwatch: the commands a newcomer and CI need. `make test` on a fresh machine
# installs everything (Python packages from the lock, the Kafka broker from Maven
# Central, kcat) and runs the whole suite, the broker-backed tests included.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KAFKA := deploy/kafka/kafka.sh

# The locks (docs/dependencies.md): every package pinned with its hashes, for every
# platform the image and developers use, resolved for the oldest supported Python.
LOCKS := requirements/app.txt requirements/build.txt requirements/dev.txt
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11
# Older 3.11 releases carry the ipaddress and expat CVEs (CVE-2024-4032,
# CVE-2024-45490..45492) that the fetcher's address guard and feed parsing rest on.
SUPPORTED_PYTHON := 3.11.10

.PHONY: install demo test test-fast check interpreter audit lock lock-upgrade format \
	kafka-up kafka-down kafka-status tools clean

install: $(VENV)/.installed

# Exactly the locked versions, hashes checked, then launchwatch itself without
# resolving anything (its build backend is in the lock too).
$(VENV)/.installed: requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The whole pipeline in one process against the bundled sample news site: three alerts.
demo: install
	$(BIN)/launchwatch demo

# kcat reads our topics in the interoperability tests, as any non-Python consumer would;
# Debian's headless Chromium is the browser the web view's tests drive (Playwright's
# own browser download is not used).
tools:
	@command -v kcat >/dev/null && command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    kcat chromium >/dev/null; }
	@kcat -V | head -1
	@chromium --version

test: install tools
	$(KAFKA) fetch
	$(BIN)/pytest

# The edit-run loop: unit and behaviour tests on the in-memory transport only, no
# broker, no kcat, spread over the cores (pytest-xdist). `make test` stays what CI runs.
test-fast: install
	$(BIN)/pytest tests/unit tests/behaviour -m "not kafka" -q -n auto

check: install interpreter audit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

interpreter:
	@$(PYTHON) -c 'import platform, sys; \
	  need = tuple(int(p) for p in "$(SUPPORTED_PYTHON)".split(".")); \
	  sys.version_info[:3] < need and print( \
	    f"WARNING: Python {platform.python_version()} is older than $(SUPPORTED_PYTHON), " \
	    "the oldest supported release: it carries CVE-2024-4032 (ipaddress) and " \
	    "CVE-2024-45490..45492 (expat). See docs/dependencies.md.", file=sys.stderr)'

# The locked versions against the published advisories (warns when this machine
# cannot reach the advisory source; requirements/audit.py --strict fails then).
audit: install
	$(BIN)/python requirements/audit.py requirements/dev.txt

# Re-resolve the locks after a change to pyproject.toml, keeping every pin that fits.
lock: install
	$(LOCK) pyproject.toml -o requirements/app.txt
	$(LOCK) requirements/build.in -c requirements/app.txt -o requirements/build.txt
	$(LOCK) pyproject.toml --extra dev requirements/build.in -c requirements/app.txt \
	  -o requirements/dev.txt

# Every package to its newest release, then lint, types and the fast suite on the new
# pins: the pins that moved are printed first, so a failure names its cause.
lock-upgrade: install
	$(LOCK) --upgrade pyproject.toml -o requirements/app.txt
	$(LOCK) --upgrade requirements/build.in -c requirements/app.txt -o requirements/build.txt
	$(LOCK) --upgrade pyproject.toml --extra dev requirements/build.in \
	  -c requirements/app.txt -o requirements/dev.txt
	$(BIN)/python requirements/changes.py $(LOCKS)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	@$(MAKE) --no-print-directory check test-fast || { \
	  echo "The refreshed lock breaks the checks or tests above; the pins that moved are" \
	  "listed before them. Keep the old lock with: git checkout -- requirements/" >&2; \
	  exit 1; }

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
