# Two commands do all set-up on a fresh machine:
#   make run    create .venv, install what is missing, serve the site (streamlit run app.py)
#   make test   the same plus test tools and Debian's chromium, then lint + every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
VPY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve test lint unit browser warm screenshot clean

$(VENV)/.deps: requirements.txt
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.deps
	$(VPY) -m pip install --quiet -r requirements-dev.txt
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium

run: $(VENV)/.deps
	$(VPY) -m streamlit run app.py --server.port $(PORT)

# Several Streamlit processes behind nginx, sticky sessions, one run store (see deploy/serve_many.py).
PROCESSES ?= 2
/usr/sbin/nginx:
	$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx-light

serve: $(VENV)/.deps /usr/sbin/nginx
	$(VPY) deploy/serve_many.py --processes $(PROCESSES)

test: $(VENV)/.dev-deps /usr/bin/chromium
	$(VPY) -m ruff check .
	$(VPY) -m pytest

warm: $(VENV)/.deps
	$(VPY) -m explainer warm

# Regenerate the README's screenshot of the home page (runs the browser test for it).
screenshot: $(VENV)/.dev-deps /usr/bin/chromium
	$(VPY) -m pytest tests/browser -k home --screenshots docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/.artifacts
