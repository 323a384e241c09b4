#!/usr/bin/env bash
# CTest entry: indexes content/ into a temporary knowledge base and checks the golden set
# against the baseline. Usage: run.sh KB_INDEX KB_RELEVANCE SOURCE_DIR
set -euo pipefail
kb_index="$1"; kb_relevance="$2"; src="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$kb_index" build --content "$src/content" --out "$work/kb" --quiet
"$kb_relevance" --kb "$work/kb" --golden "$src/tests/relevance/golden.tsv" \
  --baseline "$src/tests/relevance/baseline.tsv" --verbose
