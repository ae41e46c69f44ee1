# gokernels: `make help` lists the targets.
PYTHON ?= python3
GO ?= go
FUZZTIME ?= 10s
export GOTOOLCHAIN = local

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## install the test tools: Python packages, Go modules, npm's lz-string reference
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	$(GO) mod download
	@if [ -f tools/lzref/package.json ]; then cd tools/lzref && npm install --no-audit --no-fund --silent; fi

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
	@for pkg in $$($(GO) list ./kernels/...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg >.fuzz.log 2>&1 || { cat .fuzz.log; exit 1; }; \
	  done; \
	done

.PHONY: pytest
pytest: ## pytest against the installed package, then the benchmarks once each as a smoke test
	$(PYTHON) -m pytest -q -p no:cacheprovider tests
	GOKERNELS_BENCH_SMOKE=1 $(PYTHON) -m pytest -q -p no:cacheprovider benchmarks --benchmark-disable

.PHONY: test
test: deps lint install gotest pytest typing ## everything CI runs

.PHONY: bench
bench: deps install ## the timed benchmarks (Go, pytest-benchmark with the peers), ratios, goals, docs/benchmarks.md
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
wheels: ## manylinux2014 wheels, CPython 3.10-3.14, x86_64 + aarch64, built with zig (no Docker); x86_64 ones tested with no Go
	WHEELS_DIR=$(WHEELS_DIR) bash tools/wheels/build.sh

.PHONY: wheels-aarch64-test
wheels-aarch64-test: ## the aarch64 wheels from `make wheels` in Debian arm64 roots under qemu (debootstrap, cached; slow)
	WHEELS_DIR=$(WHEELS_DIR) WHEELS_TOOLS_PY=$(WHEELS_DIR)/tools/bin/python bash tools/wheels/test-aarch64.sh

.PHONY: typing
typing: ## stubtest (.pyi stubs vs the installed module), mypy --strict on tests/typing/usage.py, then run it
	$(PYTHON) -m mypy.stubtest gokernels --mypy-config-file tests/typing/mypy.ini --allowlist stubtest-allowlist.txt
	$(PYTHON) -m mypy --strict --cache-dir=/dev/null --config-file tests/typing/mypy.ini tests/typing/usage.py
	$(PYTHON) tests/typing/usage.py
