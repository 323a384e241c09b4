#!/usr/bin/env bash
# Second README command: installs what is missing, builds with warnings as errors and runs
# every test through CTest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash tools/setup.sh
if [[ ! -d tools/botframework-bot/node_modules ]]; then
  npm ci --prefix tools/botframework-bot --no-audit --no-fund >&2
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKB_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
