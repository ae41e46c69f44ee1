# gokernels: `make help` lists the targets.
PYTHON ?= python3
GO ?= go
# Per fuzz target in make test (17 of them); a longer run: make gotest FUZZTIME=5m
FUZZTIME ?= 5s
export GOTOOLCHAIN = local

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## install the test tools: Python packages, Go modules, npm's lz-string reference
	@echo "deps: pip install -r requirements-dev.txt (a minute or two in a fresh environment; one line per package)"
	@$(PYTHON) -m pip install --progress-bar off -r requirements-dev.txt
	@echo "deps: go mod download"
	$(GO) mod download
	@if [ -f tools/lzref/package.json ]; then echo "deps: npm install (tools/lzref)"; cd tools/lzref && npm install --no-audit --no-fund --silent; fi

.PHONY: install
install: ## build and install the package into $(PYTHON)'s environment (needs Go)
	rm -rf build  # setuptools packs whatever an earlier build left in build/lib
	$(PYTHON) -m pip install -q --no-build-isolation --force-reinstall --no-deps .

.PHONY: lint
lint: ## gofmt, go vet (amd64 and arm64), ruff
	@test -z "$$(gofmt -l kernels pyext)" || { gofmt -l kernels pyext; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=arm64 $(GO) build ./kernels/...
	$(PYTHON) -m ruff check python tests benchmarks setup.py
	$(PYTHON) -m ruff format --check python tests benchmarks setup.py

.PHONY: gotest
gotest: ## Go unit tests (race detector on) and every fuzz target for FUZZTIME each
	$(GO) test -race -count=1 ./...
	GO=$(GO) FUZZTIME=$(FUZZTIME) tools/fuzz.sh

.PHONY: pytest
pytest: ## pytest against the installed package, then the benchmarks once each as a smoke test
	$(PYTHON) -m pytest -q -p no:cacheprovider --durations=15 tests
	GOKERNELS_BENCH_SMOKE=1 $(PYTHON) -m pytest -q -p no:cacheprovider benchmarks --benchmark-disable

.PHONY: test
test: deps lint install gotest pytest typing ## everything CI runs

.PHONY: rust-peers
rust-peers: ## build the articles' Rust kernels (benchmarks/rust, PyO3) into $(PYTHON)'s environment, when cargo is present
	@if command -v cargo >/dev/null 2>&1; then \
	  echo "rust-peers: maturin build --release benchmarks/rust (a few minutes the first time)"; \
	  rm -rf benchmarks/rust/target/wheels-make && \
	  $(PYTHON) -m maturin build --release --quiet -m benchmarks/rust/Cargo.toml -i $(PYTHON) -o benchmarks/rust/target/wheels-make && \
	  $(PYTHON) -m pip install -q --force-reinstall --no-deps benchmarks/rust/target/wheels-make/*.whl; \
	else echo "rust-peers: cargo not found: the Rust rows will be reported missing"; fi

.PHONY: bench
bench: deps install rust-peers ## the timed benchmarks (Go, pytest-benchmark with the peers), ratios, goals, docs/benchmarks.md
	@mkdir -p .benchmarks
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./kernels/... > .benchmarks/go-bench.txt \
	  || { cat .benchmarks/go-bench.txt; exit 1; }
	@cat .benchmarks/go-bench.txt
	$(PYTHON) -m pytest benchmarks -p no:cacheprovider --benchmark-columns=median,stddev,rounds \
	  --benchmark-json=.benchmarks/results.json
	$(PYTHON) tools/bench/report.py --json .benchmarks/results.json --go .benchmarks/go-bench.txt --out docs/benchmarks.md

.PHONY: bench-report
bench-report: ## rewrite docs/benchmarks.md and its plots from the last `make bench` run (.benchmarks/)
	$(PYTHON) tools/bench/report.py --json .benchmarks/results.json --go .benchmarks/go-bench.txt --out docs/benchmarks.md

.PHONY: clean
clean: ## remove build output
	rm -rf build dist python/*.egg-info .benchmarks
	find python -name '*.so' -delete

# Packaging: wheels, sdist, stubs (tools/wheels/; build from a copy, never in this tree).
WHEELS_DIR ?= $(or $(TMPDIR),/tmp)/gokernels-wheels

.PHONY: wheels
wheels: ## manylinux2014 wheels, CPython 3.10-3.14, x86_64 + aarch64, built with zig (no Docker); x86_64 ones tested with no Go, aarch64 ones under qemu
	WHEELS_DIR=$(WHEELS_DIR) bash tools/wheels/build.sh

.PHONY: wheels-aarch64-test
wheels-aarch64-test: ## again, the aarch64 wheels from `make wheels` under qemu (Debian arm64 roots, cached)
	WHEELS_DIR=$(WHEELS_DIR) WHEELS_TOOLS_PY=$(WHEELS_DIR)/tools/bin/python bash tools/wheels/test-aarch64.sh

.PHONY: typing
typing: ## stubtest (.pyi stubs vs the installed module), mypy --strict on tests/typing/usage.py, then run it
	$(PYTHON) -m mypy.stubtest gokernels --mypy-config-file tests/typing/mypy.ini --allowlist stubtest-allowlist.txt
	$(PYTHON) -m mypy --strict --cache-dir=/dev/null --config-file tests/typing/mypy.ini tests/typing/usage.py
	$(PYTHON) tests/typing/usage.py

.PHONY: gopy-compare
gopy-compare: ## gopy binding of kernels/doubles (built in a temp dir) timed and checked beside ours
	PYTHON=$(PYTHON) GO=$(GO) bash tools/gopy/compare.sh

# Other interpreters (tools/python/): CPython 3.14 from Debian unstable's packages, free-threaded
# CPython built from Debian's sources, each cached under ~/.cache/gokernels. Each suite runs in a
# venv of its own under .venv/ (which git ignores); the Go checks do not depend on the interpreter
# and are not run again.
PY314_VENV ?= .venv/py3.14
FT ?= 3.13
FT_VENV ?= .venv/py$(FT)t
FT_ROUNDS ?= 20
# Packages with no wheel for some free-threaded CPython (numba: none for 3.13t; datasketches: none
# at all; mypy 2's ast-serialize: none for 3.13t, and PyO3 cannot build it there; hmt-lzma-pyo3, duckdb,
# polars: sdists that want a nightly Rust or abi3 wheels a free-threaded build cannot use) are installed one
# by one from wheels only (pip takes the newest version whose dependencies have wheels too, for
# mypy a 1.x); one that cannot be installed is said here, and the peers' tests skip, saying so.
FT_OPTIONAL = numba datasketches mypy hmt-lzma-pyo3 duckdb polars

.PHONY: python-3.14 python-3.13t test-3.14 test-freethreaded deps-freethreaded bench-threads

python-3.14: ## CPython 3.14 from Debian unstable's packages, cached (about a minute)
	bash tools/python/get-python3.14.sh

python-3.13t: ## free-threaded CPython 3.13 built from Debian trixie's source, cached (5 min on 2 idle cores)
	bash tools/python/build-python3.13t.sh

test-3.14: ## pytest, benchmark smoke and typing on CPython 3.14 (venv .venv/py3.14)
	bash tools/python/make-venv.sh "$$(bash tools/python/get-python3.14.sh | tail -1)" $(PY314_VENV)
	$(MAKE) --no-print-directory deps install pytest typing PYTHON=$(PY314_VENV)/bin/python

test-freethreaded: ## pytest, benchmark smoke, typing with PYTHON_GIL=0 on free-threaded 3.13t, then a stress test
	bash tools/python/make-venv.sh "$$(bash tools/python/build-python$(FT)t.sh | tail -1)" $(FT_VENV)
	$(MAKE) --no-print-directory deps-freethreaded install PYTHON=$(FT_VENV)/bin/python
	PYTHON_GIL=0 $(MAKE) --no-print-directory pytest typing PYTHON=$(FT_VENV)/bin/python
	PYTHON_GIL=0 GOKERNELS_FT_ROUNDS=$(FT_ROUNDS) $(FT_VENV)/bin/python -m pytest -q -p no:cacheprovider \
	  tests/test_freethreading.py

deps-freethreaded: ## `make deps` for a free-threaded PYTHON: the peers in FT_OPTIONAL only where they have wheels
	@mkdir -p .venv
	grep -viE '^($(subst $(eval) ,|,$(FT_OPTIONAL)))([^a-z0-9_-]|$$)' requirements-dev.txt > .venv/requirements-ft.txt
	$(PYTHON) -m pip install -q --prefer-binary -r .venv/requirements-ft.txt
	@for p in $(FT_OPTIONAL); do \
	  req=$$(grep -iE "^$$p([^a-z0-9_-]|$$)" requirements-dev.txt); \
	  $(PYTHON) -m pip install -q --only-binary :all: "$$req" >/dev/null 2>&1 \
	    || echo "deps-freethreaded: $$p has no wheel for $$($(PYTHON) -c 'import sys; print(sys.version.split()[0])')t"; \
	done
	$(GO) mod download
	@if [ -f tools/lzref/package.json ]; then cd tools/lzref && npm install --no-audit --no-fund --silent; fi

bench-threads: ## timed: 2 threads vs 1 on compress_to_base64 and count_doubles (meant for a free-threaded PYTHON)
	PYTHON_GIL=0 $(PYTHON) -m pytest benchmarks/test_bench_threads.py -p no:cacheprovider \
	  --benchmark-columns=median,stddev,rounds
