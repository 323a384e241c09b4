#!/usr/bin/env bash
# Second README command: installs what is missing, builds with warnings as errors and runs
# every test through CTest; then builds the suite again with clang under AddressSanitizer
# and UndefinedBehaviorSanitizer, runs it there too, with bounded runs of the libFuzzer
# targets (docs/reliability.md).
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

# The sanitizer build (build-sanitize): any ASan, UBSan or leak report fails the test that
# produced it; the fuzz smoke runs are CTest tests labelled "fuzz". -O1 with line tables
# builds fastest while keeping stacks readable; assertions stay on.
cmake -S . -B build-sanitize -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DKB_SANITIZE=ON -DKB_FUZZ=ON -DKB_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build-sanitize -j"$(nproc)"
ASAN_OPTIONS=check_initialization_order=1:strict_init_order=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" --timeout 900
