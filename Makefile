# Two commands: `make run` (install, demo content, serve the site as a visitor sees it) and
# `make test` (install, run every test). `make dev` serves with DEBUG and auto-reload instead,
# `make screenshots` photographs every page type and the admin.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run dev screenshots test install install-dev chromium migrate demo static lint format \
	check-deploy clean

# What a visitor sees: DEBUG off (the French error pages), static files collected and compressed,
# served by gunicorn as in production (cress_site.settings.local: no configuration needed).
run: export DJANGO_SETTINGS_MODULE = cress_site.settings.local
run: install migrate demo static ## Set everything up and serve the site with demo content
	@$(BIN)/python manage.py create_demo_admin
	@echo "Site : http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn cress_site.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# Development: DEBUG on (Django's error pages), code reloaded at each change, static files read
# from the sources.
dev: install migrate demo ## Serve the site for development, with DEBUG and auto-reload
	@$(BIN)/python manage.py create_demo_admin
	@echo "Site (développement) : http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Every public page type at 1280 and 375 px, the main admin screens and the guide's pictures,
# with a contact sheet, into SCREENSHOTS_DIR (default: screenshots/ next to the checkout); see
# tools/screenshots/. On the site `make run` serves (started on a free port), or SITE_URL.
# SCREENSHOTS_ARGS=--update-guide also rewrites the guide's pictures in the checkout.
screenshots: export DJANGO_SETTINGS_MODULE = cress_site.settings.local
screenshots: install-dev chromium migrate demo static ## Screenshots of the whole site
	@$(BIN)/python manage.py create_demo_admin >/dev/null
	$(BIN)/python -m tools.screenshots $(SCREENSHOTS_ARGS)

test: install-dev chromium ## Install what the tests need and run the whole suite
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installation de Chromium (paquet Debian)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium est absent et ne peut pas être installé sans droits root :"; \
		echo "les tests navigateur seront ignorés (apt-get install chromium pour les lancer)."; \
	fi

migrate: install
	$(BIN)/python manage.py migrate --noinput -v 0

demo: install
	$(BIN)/python manage.py load_demo_content

# Collected again only when a static file or the installed packages changed.
static: staticfiles/staticfiles.json
staticfiles/staticfiles.json: $(VENV)/.installed $(shell find static */static -type f 2>/dev/null)
	DJANGO_SETTINGS_MODULE=cress_site.settings.local $(BIN)/python manage.py collectstatic --noinput -v 0

lint: install-dev ## ruff, the layers of the apps (import-linter), no model change without its migration
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=cress_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install ## Production settings must pass Django's deployment checks
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=cress-normandie.example \
	DATABASE_URL=sqlite://:memory: \
	WAGTAILADMIN_BASE_URL=https://cress-normandie.example \
	EMAIL_HOST=smtp.cress-normandie.example \
	DEFAULT_FROM_EMAIL=site@cress-normandie.example \
	DJANGO_SETTINGS_MODULE=cress_site.settings.production \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info
