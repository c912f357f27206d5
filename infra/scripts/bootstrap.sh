#!/usr/bin/env bash
# Everything a fresh machine needs before `make up` or `make test`, installed only when missing:
# system packages (PostgreSQL, Java 17, Maven, Chromium for the browser tests), uv, the Python
# workspace, the portal's GOV.UK Frontend assets, the development OpenID Connect provider (npm),
# and the Kafka broker's jars from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash infra/scripts/install-system-deps.sh

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
fi
"$PYTHON" -m uv sync --frozen --quiet

if [ ! -f services/portal/node_modules/govuk-frontend/package.json ] \
  || [ ! -f services/portal/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix services/portal --no-audit --no-fund --silent
fi
# The development OpenID Connect provider (npm oidc-provider), pinned by its package-lock.json.
if [ ! -f infra/oidc/node_modules/oidc-provider/package.json ]; then
  npm ci --prefix infra/oidc --no-audit --no-fund --silent
fi

"$PYTHON" -m uv run --frozen python -c "from devstack.kafka_setup import fetch_libs; from devstack.paths import repo_root; fetch_libs(repo_root())"
