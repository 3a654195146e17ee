# One command per job. Each first makes .venv (python3 -m venv) and installs the pinned set.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
PORT ?= 8501
# The default (onnx) backend's model, exported once from the bundled model; again when the installed set or the exporter changes.
ONNX := models/onnx/sentence-transformers__all-MiniLM-L6-v2/export.json

.PHONY: setup run test test-fast eval bench screenshots build check train lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

$(ONNX): $(STAMP) src/ros1qa/index/onnx_export.py
	$(VENV)/bin/ros1qa export-onnx

setup: $(STAMP) $(ONNX)

run: setup  ## start the app on the committed index
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: setup  ## the whole suite (browser tests skip without /usr/bin/chromium)
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not browser"

eval: setup  ## each of the corpus's labelled sets against its floors, pages without labelled questions (leave one page out), conversations
	for f in corpus/labelled/*.jsonl; do b=$$(basename $$f .jsonl); [ -f eval/floors/$$b.json ] || continue; echo "== $$f"; $(VENV)/bin/ros1qa eval $$f --floors eval/floors/$$b.json || exit 1; done
	$(VENV)/bin/ros1qa eval-pages --markdown docs/quality-figures.md
	echo "== conversations about the seed page (training, then held out) and held-out small talk"
	$(VENV)/bin/ros1qa eval training/conversations/immunotherapy-and-ros1-cancer.jsonl
	$(VENV)/bin/ros1qa eval $(sort $(wildcard eval/conversations/immunotherapy-and-ros1-cancer*.jsonl)) eval/messages/small_talk2_messages.jsonl --markdown docs/conversation-figures.md

bench: setup
	$(VENV)/bin/ros1qa bench --markdown docs/performance-figures.md

screenshots: setup
	$(PY) -m tests.browser.screenshots artifacts/screenshots

build: setup
	$(VENV)/bin/ros1qa build

check: setup
	$(VENV)/bin/ros1qa check

train: setup  ## relearn the learned models (answer, follow-up, small talk, emergencies) (after changing training/ or corpus/labelled/), then rebuild
	$(VENV)/bin/ros1qa train && $(VENV)/bin/ros1qa build

lock: setup  ## refresh requirements.lock from the environment
	$(PY) -m pip freeze --exclude-editable | sed 's/+cpu//' > requirements.lock.new
	{ head -2 requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp && rm requirements.lock.new && mv requirements.lock.tmp requirements.lock
