#!/usr/bin/env bash
# Installs the system packages devstack needs, and only those that are missing:
#   - PostgreSQL server binaries (postgresql-15, else the distribution's `postgresql`)
#   - Java >= 17 (openjdk-17-jre-headless) and Maven, for the Kafka broker
#   - Debian's Chromium, for the browser tests (Playwright drives it; no browser is downloaded)
#   - Pango, HarfBuzz's subsetter and DejaVu fonts, for WeasyPrint (the portal's PDF statements)
#   - kcat, only with WITH_KCAT=1 (optional debugging tool)
# Idempotent; silent and quick (no apt-get update) when everything is present.
# Debian/Ubuntu only (apt-get); needs root or sudo when something must be installed.
set -euo pipefail

have_pg_server() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null
}

java_major() {  # "17" from 'openjdk version "17.0.15"', "8" from '"1.8.0_402"'
  java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

have_java17() {
  command -v java >/dev/null && [ "$(java_major)" -ge 17 ] 2>/dev/null
}

missing=()
have_pg_server || missing+=(postgresql)
have_java17 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
[ -x /usr/bin/chromium ] || missing+=(chromium)
have_lib() { ldconfig -p | grep -q "$1"; }
have_lib libpangoft2-1.0.so.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${WITH_KCAT:-0}" = 1 ]; then command -v kcat >/dev/null || missing+=(kcat); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "install-system-deps: missing ${missing[*]} and apt-get is not available; install them by hand" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-system-deps: need root to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
packages=()
for package in "${missing[@]}"; do
  if [ "$package" = postgresql ]; then
    # Prefer the version the project targets; fall back to the distribution default.
    if apt-cache show postgresql-15 >/dev/null 2>&1; then package=postgresql-15; fi
  fi
  packages+=("$package")
done
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

have_pg_server || { echo "install-system-deps: PostgreSQL server still missing" >&2; exit 1; }
have_java17 || { echo "install-system-deps: java >= 17 still not the default java (update-alternatives --config java)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "install-system-deps: mvn still missing" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "install-system-deps: /usr/bin/chromium still missing" >&2; exit 1; }
echo "install-system-deps: done" >&2
