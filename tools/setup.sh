#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with; skips what is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libxapian-dev libcpp-httplib-dev libyaml-cpp-dev libicu-dev
  doctest-dev nlohmann-json3-dev libcmark-dev libsqlite3-dev libcld2-dev libbenchmark-dev
  libxml2-dev
  # kb-index's malloc (cmake/KbDependencies.cmake).
  libjemalloc-dev
  # The Debian FAQ in several languages: real DocBook HTML for the help-center importer's
  # integration test (tests/integration/import_test.cpp).
  debian-faq debian-faq-de debian-faq-fr debian-faq-it debian-faq-zh-cn
  curl
  # tools/test.sh's second build: clang with the ASan, UBSan and libFuzzer runtimes.
  clang libclang-rt-14-dev
)
# Optional tools ask for more: tools/soak.sh runs `tools/setup.sh wrk`.
packages+=("$@")
# The Bot Framework bot (tools/botframework-bot) and its test need Node.js and npm; a Node.js
# installed otherwise (nvm, NodeSource) is used as it is.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when an install fails on stale ones.
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  $SUDO apt-get update >&2
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
