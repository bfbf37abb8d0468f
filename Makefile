# One target per job; CI runs `make test`, exactly as a person would.
PYTHON := .venv/bin/python

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: install
install: ## Install Debian packages (as root) and the virtualenv, if missing
	@scripts/install.sh

.PHONY: install-dev
install-dev: ## Install as above, plus the test and lint tools
	@scripts/install.sh --dev

.PHONY: up
up: install ## Start the whole system and wait until it is healthy
	@$(PYTHON) -m stack up

.PHONY: down
down: ## Stop everything `make up` started
	@if [ -x $(PYTHON) ]; then $(PYTHON) -m stack down; fi

.PHONY: status
status: ## Show each component and its health
	@$(PYTHON) -m stack status

.PHONY: logs
logs: ## Follow every component's log
	@$(PYTHON) -m stack logs

.PHONY: lint
lint: install-dev ## Ruff, mypy, and the container files (hadolint, compose schema, promtool)
	@$(PYTHON) -m ruff format --check .
	@$(PYTHON) -m ruff check .
	@$(PYTHON) -m mypy
	@scripts/lint-containers.sh

.PHONY: format
format: install-dev ## Rewrite files with ruff's formatter and safe fixes
	@$(PYTHON) -m ruff check --fix .
	@$(PYTHON) -m ruff format .

.PHONY: test
test: lint ## Lint, then run every test against real Redis and MySQL
	@$(PYTHON) -m pytest

.PHONY: images
images: install-dev ## Build every image with podman and cast a vote through them
	@scripts/images.sh

.PHONY: load
load: install-dev ## Run a Locust scenario: make load SCENARIO=light (smoke, light, medium, heavy, stress)
	@load-tests/run-scenario.sh $(or $(SCENARIO),light)

.PHONY: bench
bench: install-dev up ## Vote through the running system for 30 s; print throughput, latencies, the zero-loss check
	@$(PYTHON) load-tests/end_to_end.py $(BENCH_ARGS)

.PHONY: chaos
chaos: install-dev ## Fault drills under load, each checking no vote is lost or doubled (CHAOS_ARGS=--short)
	@$(PYTHON) -m chaos $(CHAOS_ARGS)

.PHONY: vendor
vendor: ## Refresh the vendored Socket.IO browser client from npm
	@npm install --no-save --no-audit --no-fund
	@cp node_modules/socket.io-client/dist/socket.io.min.js result_web/static/vendor/
