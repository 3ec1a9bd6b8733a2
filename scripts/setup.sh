#!/usr/bin/env bash
# Install what redflag needs to build and test (Debian 12, as root), then
# configure and build. Installs only packages that are missing, so a
# second run costs nothing. Usage: scripts/setup.sh [BUILD_DIR] [cmake args]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git clang-format clang-tidy
  libhyperscan-dev libutf8proc-dev libopencc-dev libopencc-data
  libexpat1-dev libarchive-dev libisal-dev zlib1g-dev libyaml-dev libsqlite3-dev sqlite3
  libjansson-dev libmicrohttpd-dev libpq-dev libcmocka-dev
  python3 python3-yaml zip unzip xz-utils zstd
  # robustness (docs/robustness.md): libFuzzer targets, valgrind memcheck,
  # strace to prove external entities are never opened
  clang-14 libclang-rt-14-dev valgrind strace
  # redflag serve: curl for the HTTP tests, a headless browser and Node for
  # the end-to-end tests (tests/e2e), PostgreSQL for the team store tests
  curl chromium nodejs npm postgresql
)
if [ -n "${RF_EXTRA_PACKAGES:-}" ]; then
  # shellcheck disable=SC2206
  PACKAGES+=(${RF_EXTRA_PACKAGES})
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # Node from NodeSource bundles npm; Debian's npm would conflict with it
  if [ "$p" = npm ] && command -v npm >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing packages: ${missing[*]} (run as root, or install them)" >&2
    exit 2
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${1:-build}
shift || true
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
echo "setup: built $build/redflag" >&2
