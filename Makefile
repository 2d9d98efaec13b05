# School improvement portal. `make help` lists what you can run.
PY := .venv/bin/python

.PHONY: help setup demo test test-postgres test-faults lint format check bench bench-smoke bench-pages worker beat lock ci

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup:  ## Install Python and front-end packages, build the stylesheet
	python3 run.py setup

demo:  ## Set up, load the demo data and run the portal on http://127.0.0.1:8000
	python3 run.py demo

test:  ## Run the whole test suite (SQLite, tasks inline, unless DATABASE_URL / CELERY_BROKER_URL are set)
	python3 run.py test

test-postgres:  ## Run the suite on the local PostgreSQL and Redis, with a real Celery worker
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/schoolimprovement CELERY_BROKER_URL=redis://127.0.0.1:6379/15 python3 run.py test --create-db

test-faults:  ## The fault tests: their own PostgreSQL and Redis, stopped and restarted mid-use (about a minute)
	THOROUGH_TESTS=1 .venv/bin/pytest tests/faults -m faults

lint:  ## ruff check and format check, and the layer contract (import-linter)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:  ## ruff fix and format
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check:  ## Django system checks and the migrations check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench:  ## Every benchmark at national scale on the local PostgreSQL (results go in docs/benchmarks.md)
	$(PY) benchmarks/import_register.py
	$(PY) benchmarks/recategorise.py --workers 1 2
	$(PY) benchmarks/recategorise.py --schools 44000
	$(PY) benchmarks/job_memory.py
	$(PY) benchmarks/monthly_report.py
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/authorities.py

bench-smoke:  ## Every benchmark at a small size (what CI runs): they still work, nothing measured
	$(PY) benchmarks/import_register.py --rows 500 --repeat 1
	$(PY) benchmarks/import_national_files.py --gias-rows 500 --ofsted-rows 300 --unknown 5 --repeat 1
	$(PY) benchmarks/recategorise.py --schools 300 --repeat 1 --workers 1
	$(PY) benchmarks/job_memory.py --rows 500
	$(PY) benchmarks/monthly_report.py --schools 300 --repeat 1
	$(PY) benchmarks/pages.py --schools 300 --requests 10 --warmup 2 --load-seconds 5
	$(PY) benchmarks/authorities.py --schools 300 --requests 2 --warmup 1

bench-pages:  ## Page latency under gunicorn and a locust load run, 22,000 schools on the local PostgreSQL
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/authorities.py

worker:  ## A Celery worker (needs CELERY_BROKER_URL)
	.venv/bin/celery -A schoolimprovement worker --loglevel=INFO

beat:  ## Celery beat with schedules from the database (needs CELERY_BROKER_URL)
	.venv/bin/celery -A schoolimprovement beat --loglevel=INFO

lock:  ## Lock requirements.txt (runtime) and requirements-dev.txt (with the tools) from the .in files, with hashes
	.venv/bin/uv pip compile --quiet requirements.in --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" -o requirements.txt
	.venv/bin/uv pip compile --quiet requirements-dev.in -c requirements.txt --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command "make lock" -o requirements-dev.txt

ci:  ## What CI runs
	bash .ci/run
