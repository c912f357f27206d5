#!/usr/bin/env bash
# Everything a fresh machine needs before `make up` or `make test`, installed only when missing:
# system packages (PostgreSQL, Java 17, Maven, Chromium for the browser tests), uv, the Python
# workspace, the portal's GOV.UK Frontend assets, the development OpenID Connect provider (npm),
# the Kafka broker's jars from Maven Central, helm and kubeconform (built from the Go module
# proxy) for the chart's check, and the OpenTelemetry Collector (infra/otelcol, the same way).
set -euo pipefail
cd "$(dirname "$0")/../.."

bash infra/scripts/install-system-deps.sh

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
fi
# Bytecode compiled once here: this machine (and CI) sets PYTHONDONTWRITEBYTECODE=1, so without
# it every service process compiled its imports from source, doubling its start-up CPU
# (docs/benchmarks.md, "Restarts").
"$PYTHON" -m uv sync --frozen --quiet --compile-bytecode
.venv/bin/python -m compileall -q -j 0 services/*/src libs/*/src contracts/src infra/src >/dev/null

if [ ! -f services/portal/node_modules/govuk-frontend/package.json ] \
  || [ ! -f services/portal/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix services/portal --no-audit --no-fund --silent
fi
# The development OpenID Connect provider (npm oidc-provider), pinned by its package-lock.json.
if [ ! -f infra/oidc/node_modules/oidc-provider/package.json ]; then
  npm ci --prefix infra/oidc --no-audit --no-fund --silent
fi

"$PYTHON" -m uv run --frozen python -c "from devstack.kafka_setup import fetch_libs; from devstack.paths import repo_root; fetch_libs(repo_root())"

go_command() {  # <what it is for>
  local go; go=$(command -v go || echo /usr/local/go/bin/go)
  if [ ! -x "$go" ]; then
    echo "bootstrap: Go is needed to build $1" >&2
    exit 1
  fi
  echo "$go"
}

# Helm and kubeconform, for the offline check of the Kubernetes chart (deploy/tests): built
# from the Go module proxy into .local/bin, only when missing or of another version.
go_tool() {  # <binary> <package>@<version>
  local stamp=".local/bin/.$1.version"
  if [ -x ".local/bin/$1" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$2" ]; then return; fi
  local go; go=$(go_command "$1 for the chart's check (deploy/README.md)")
  echo "bootstrap: building $2 (the first time takes minutes)" >&2
  GOBIN="$PWD/.local/bin" GOFLAGS=-buildvcs=false "$go" install "$2"
  echo "$2" > "$stamp"
}
go_tool helm helm.sh/helm/v3/cmd/helm@v3.22.0
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0

# The OpenTelemetry Collector the tests and `make up` export spans to (infra/otelcol: its
# main.go, go.mod and go.sum), built into .local/bin/otelcol only when those files changed.
otelcol_sources=$(cat infra/otelcol/main.go infra/otelcol/go.mod infra/otelcol/go.sum | sha256sum)
if [ ! -x .local/bin/otelcol ] || [ "$(cat .local/bin/.otelcol.sha256 2>/dev/null)" != "$otelcol_sources" ]; then
  go=$(go_command "the OpenTelemetry Collector (infra/otelcol)")
  echo "bootstrap: building the OpenTelemetry Collector (the first time takes minutes)" >&2
  # the modules first, once more after a pause if the proxy fails a download (169 modules)
  (cd infra/otelcol && { "$go" mod download || { sleep 15 && "$go" mod download; }; } \
    && GOFLAGS=-buildvcs=false "$go" build -trimpath -ldflags="-s -w" -o ../../.local/bin/otelcol .)
  echo "$otelcol_sources" > .local/bin/.otelcol.sha256
fi
