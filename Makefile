# The two front doors: `make run` and `make test`. Everything they need is installed here.
# `make test-fast` leaves out the tests marked slow (real servers, browsers): for while you work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SETTINGS_DEV := config.settings.dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast bench lint format system-packages system-packages-fast node-packages messages fonts clean

run: $(STAMP) messages fonts
	DJANGO_SETTINGS_MODULE=$(SETTINGS_DEV) $(BIN)/python manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=$(SETTINGS_DEV) $(BIN)/python manage.py load_demo_data
	@echo "Vaardig runs at http://127.0.0.1:8000 (stop with Ctrl+C)"
	DJANGO_SETTINGS_MODULE=$(SETTINGS_DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The tests run in parallel worker processes (pytest-xdist), one per core and at most four:
# each worker has its own in-memory database, demo copy, live server and browser, and each
# test file runs on one worker, so a module's fixtures (a server, the demo) start once.
# (--dist loadgroup would be finer, but xdist 3.8 cannot rename pytest 9.2's node ids, so
# its groups are silently ignored.)
PYTEST_PARALLEL := -n auto --maxprocesses=4 --dist loadfile

test: $(STAMP) system-packages node-packages messages lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest $(PYTEST_PARALLEL)

# Everything but the tests marked slow; no Chromium or PostgreSQL needed. Under three minutes.
test-fast: $(STAMP) system-packages-fast messages lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow"

# Speed budgets, measured as ratios within one run; figures go to bench/RESULTS.md.
# The coverage bench builds organisations of 1,000 and 100,000 employees on SQLite and on a
# throwaway PostgreSQL cluster: about ten minutes. The roster bench imports 100,000 people
# twice on both databases: a few minutes more. The page bench loads learner pages and Django's
# hello-world with wrk, side by side: about three minutes.
bench: $(STAMP) system-packages messages
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/coverage.py
	$(BIN)/python bench/roster.py
	$(BIN)/python bench/pages.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian packages the tests use. Every run: gettext (catalogues), poppler and zbar (PDF text,
# QR codes), DejaVu fonts (embedded in certificates). The slow tests as well: Chromium (browser
# journeys), the PostgreSQL server (tests against a real PostgreSQL), and for the single
# sign-on journeys Node.js with npm (the OpenID Connect provider, node-packages) and
# SimpleSAMLphp with PHP's command line (the SAML identity provider).
# Installs what is missing only; a machine that has everything is left alone.
APT_INSTALL_MISSING = if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

system-packages-fast:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	$(APT_INSTALL_MISSING)

system-packages: system-packages-fast
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -x /usr/lib/postgresql/15/bin/initdb ] || missing="$$missing postgresql"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v php >/dev/null || missing="$$missing php-cli"; \
	[ -d /usr/share/simplesamlphp ] || missing="$$missing simplesamlphp"; \
	php -m 2>/dev/null | grep -qx dom || missing="$$missing php-xml"; \
	php -m 2>/dev/null | grep -qx mbstring || missing="$$missing php-mbstring"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	$(APT_INSTALL_MISSING)

# npm packages of the tests (package.json, pinned by package-lock.json) into node_modules/ of
# the checkout; again only when the lock file changed.
node-packages: node_modules/.installed

node_modules/.installed: package-lock.json | system-packages
	npm ci --no-audit --no-fund
	touch $@

messages: $(STAMP)
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends gettext; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0

# Certificates need their font even when only the site is run.
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends fonts-dejavu-core; }

clean:
	rm -rf $(VENV) staticfiles node_modules .test-databases
