#!/usr/bin/env bash
# Bounded soak test of kb-server (docs/reliability.md): wrk on loopback, 64 connections for
# 60 s over a mix of searches, suggestions, answers and articles (tools/soak/mixed.lua), with
# a complete reindex of the bundled content in the middle. Reports socket errors, non-2xx
# responses, latency percentiles and the server's RSS before and after; fails when there are
# socket errors or non-2xx responses, the new generation did not go live, or the server did
# not stop cleanly. Not part of the test command.
#
#   tools/soak.sh [seconds] [connections]       (KB_BUILD_DIR=build by default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
duration="${1:-60}"
connections="${2:-64}"
build="${KB_BUILD_DIR:-build}"

bash tools/setup.sh wrk
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target kb-index kb-server >/dev/null

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r content "$work/content"
"$build/indexer/kb-index" build --content "$work/content" --out "$work/kb" --quiet
# One client address (loopback): the soak measures the server, not the rate limiter.
printf 'access_log: false\nrate_limit_per_s: 0\n' > "$work/kb-server.yaml"
"$build/server/kb-server" --kb "$work/kb" --port 0 --config "$work/kb-server.yaml" \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.out" | grep -o '[0-9]*$' || true)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/server.err"; echo "soak: kb-server did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }
generation() { curl -s "$url/health" | grep -o '"index_version":"[^"]*"' | cut -d'"' -f4; }

# Warm-up at the same concurrency: every worker thread opens its searcher, caches fill.
wrk -t2 -c"$connections" -d5s -s tools/soak/mixed.lua "$url" > /dev/null
rss_before="$(rss_kb)"
gen_before="$(generation)"

# The reindex, half-way through: a new article and a complete (not incremental) build.
(
  sleep $((duration / 2))
  printf -- '---\nid: soak-reindex\nlang: en\ntitle: Soak reindex marker\nsummary: Added during the soak.\ncategory: test\n---\nZebracorn.\n' \
    > "$work/content/articles/en/soak-reindex.md"
  start="$(date +%s%N)"
  "$build/indexer/kb-index" build --full --content "$work/content" --out "$work/kb" --quiet
  echo "soak: reindex (kb-index build --full) took $(( ($(date +%s%N) - start) / 1000000 )) ms, at ${duration}/2 s"
) > "$work/reindex.log" 2>&1 &
reindex_pid=$!

echo "soak: wrk -t2 -c$connections -d${duration}s --timeout 5s -s tools/soak/mixed.lua $url"
wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s -s tools/soak/mixed.lua "$url" | tee "$work/wrk.txt"
wait "$reindex_pid"
cat "$work/reindex.log"
rss_after="$(rss_kb)"
rss_peak="$(peak_kb)"
gen_after="$(generation)"
marker="$(curl -s "$url/v1/search?q=zebracorn&lang=en" | grep -c soak-reindex || true)"
echo "soak: generation $gen_before -> $gen_after (new article found: $([[ $marker -gt 0 ]] && echo yes || echo no))"
echo "soak: RSS after warm-up $((rss_before / 1024)) MiB, after the soak $((rss_after / 1024)) MiB, peak $((rss_peak / 1024)) MiB"

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
echo "soak: kb-server exit status after SIGTERM: $server_status"

errors="$(awk '/^soak: socket errors/ {print $5 + $7 + $9 + $11}' "$work/wrk.txt")"
non2xx="$(awk '/^soak: non-2xx/ {print $3}' "$work/wrk.txt")"
if [[ "$errors" != 0 || "$non2xx" != 0 || "$gen_before" == "$gen_after" || "$marker" == 0 || "$server_status" != 0 ]]; then
  echo "soak: FAILED" >&2
  exit 1
fi
echo "soak: passed"
