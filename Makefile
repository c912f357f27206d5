# Care Benefit — the two commands: `make up` (platform + demo data) and `make test` (everything).
PYTHON ?= python3.11
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen

.PHONY: up down test bootstrap lint bench bench-payments contracts status chart-model

up: bootstrap  ## start Kafka, PostgreSQL, the four services and the portal, with demo data
	$(RUN) python -m devstack up

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

contracts:  ## regenerate the JSON Schema snapshots (events and read APIs) and the AsyncAPI document
	$(RUN) python -m contracts.snapshots
	$(RUN) python -m contracts.asyncapi

chart-model:  ## regenerate the Helm chart's Kafka model (topics, ACLs, replica caps) from the code
	$(RUN) python deploy/generate_kafka.py

bench: bootstrap  ## decision-to-notification throughput and latency on the real pipeline
	$(RUN) python -m devstack.bench --assessments $(or $(N),200)

bench-payments: bootstrap  ## a payment run over N seeded people on a durable PostgreSQL: throughput, memory
	$(RUN) python -m devstack.payments_bench --people $(or $(N),100000)
