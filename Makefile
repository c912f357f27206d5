# Care Benefit — the two commands: `make up` (platform + demo data) and `make test` (everything).
PYTHON ?= python3.11
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen

.PHONY: up down test bootstrap lint audit bench bench-payments bench-national soak contracts status chart-model messages

up: bootstrap  ## start Kafka, PostgreSQL, the four services and the portal, with demo data (BROKERS=3: a three-node Kafka cluster)
	$(RUN) python -m devstack up --brokers $(or $(BROKERS),1)

down:  ## stop everything `make up` started
	$(RUN) python -m devstack down

status:
	$(RUN) python -m devstack infra-status

test: bootstrap  ## the whole test suite, real Kafka and PostgreSQL included
	$(RUN) lint-imports
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) pytest

bootstrap:
	@bash infra/scripts/bootstrap.sh

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

soak: bootstrap  ## MINUTES (30) of traffic at half the rate it measures the platform sustains, a fault every 2 minutes: throughput, latency, memory, invariants
	$(RUN) python -m devstack.soak --minutes $(or $(MINUTES),30)

# Not in `make test`: pip-audit needs an advisory source, PyPI's per-release JSON API or OSV,
# and from the development machines neither answers (README, "Security model").
audit:  ## pip-audit of every locked dependency (fails if any could not be audited)
	@mkdir -p .local
	$(UV) export --frozen --no-emit-workspace --format requirements-txt -q -o .local/audit-requirements.txt
	@timeout 300 $(UV) tool run --from pip-audit==2.10.1 pip-audit --strict --no-deps --disable-pip \
		--progress-spinner off -r .local/audit-requirements.txt \
		|| { echo "audit: the lock could not be audited (see above: vulnerable, or no advisory source reachable)"; exit 1; }

contracts:  ## regenerate the JSON Schema snapshots (events and read APIs) and the AsyncAPI document
	$(RUN) python -m contracts.snapshots
	$(RUN) python -m contracts.asyncapi

messages:  ## extract the portal's text into messages.pot and update every language's catalogue
	cd services/portal && $(RUN) pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		--omit-header -o src/portal/locale/messages.pot src/portal
	cd services/portal && for po in src/portal/locale/*/LC_MESSAGES/messages.po; do \
		$(RUN) pybabel update -i src/portal/locale/messages.pot -o "$$po" \
			-l "$$(basename "$$(dirname "$$(dirname "$$po")")")" --omit-header \
			--no-fuzzy-matching --ignore-obsolete; done

chart-model:  ## regenerate the Helm chart's Kafka model (topics, ACLs, replica caps) from the code
	$(RUN) python deploy/generate_kafka.py

bench: bootstrap  ## decision-to-notification throughput and latency on the real pipeline
	$(RUN) python -m devstack.bench --assessments $(or $(N),200)

bench-payments: bootstrap  ## a payment run over N seeded people on a durable PostgreSQL: throughput, memory
	$(RUN) python -m devstack.payments_bench --people $(or $(N),100000)

bench-national: bootstrap  ## N people decided, uprated and paid end to end through every service as processes: rates, CPU, memory, every effect checked (FROM=uprate|pay: that state seeded)
	$(RUN) python -m devstack.national_bench --people $(or $(N),100000) $(if $(FROM),--from $(FROM))
