# Chợ OCOP. Quick start: `make run` (serve the demo market) and `make test` (the whole suite).
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
FLASK  := OCOP_ENV=$${OCOP_ENV:-development} $(BIN)/flask --app wsgi
DOMAINS := storefront vendors catalog orders

.PHONY: run test install translations browser bench-pages bench-checkout bench-export bench-search extract-messages clean

run: install translations
	$(FLASK) db upgrade
	$(FLASK) ocop demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install translations browser
	bash scripts/test.sh

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compile every domain's .po catalogues to the .mo files Flask-Babel reads.
translations: install
	@for d in $(DOMAINS:%=%/translations) $(DOMAINS:%=%/*/translations); do \
	  if ls $$d/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel compile --statistics -d $$d -D messages || exit 1; fi; done

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
browser:
	@bash scripts/ensure-chromium.sh

# Collect translatable strings into messages.pot (then update each domain's .po by hand or with pybabel update).
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot .

bench-pages: install translations
	$(BIN)/python bench/pages.py

# 200 buyers rushing the last 20 units of a product on gunicorn + a scratch PostgreSQL database.
bench-checkout: install translations
	$(BIN)/python bench/checkout.py

# Reindex time and search/suggest latency at 20,000 and 100,000 products per backend, against SQL LIKE.
bench-search: install translations
	$(BIN)/python bench/search.py

# 10,000 products through every marketplace exporter and format, time and peak memory against csv.writer.
bench-export: install translations
	$(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) instance .pytest_cache
