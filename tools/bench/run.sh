#!/usr/bin/env bash
# Benchmarks kb-server against SQLite FTS5 and Groonga on the same corpus and queries, and
# prints one table with each figure and the ratios (docs/performance.md).
#   tools/bench/run.sh [RECORDS]          default 100000
# Environment: KB_BENCH_DURATION (s per wrk run, default 20), KB_BENCH_WARMUP (s of unmeasured
# load before each run, default 5), KB_BENCH_CONNECTIONS (16),
# KB_BENCH_DIR (work folder, default var/bench), KB_BENCH_REUSE=1 (keep the indexes already in
# that folder and run the queries only), KB_BENCH_PREWARM=1 (read the indexes into the page
# cache before the runs), KB_BENCH_FLOOR=1 (also run kb-bench-index-floor: Xapian's own share
# of a build, on at most 100k records, which it holds in memory: about 3 GB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
records="${1:-100000}"
duration="${KB_BENCH_DURATION:-20}"
conns="${KB_BENCH_CONNECTIONS:-16}"
work="${KB_BENCH_DIR:-var/bench}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

bash tools/setup.sh
need=()
for p in groonga-bin wrk time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >&2 || { $SUDO apt-get update >&2; $SUDO apt-get install -y --no-install-recommends "${need[@]}" >&2; }
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target kb-index kb-server kb-bench-corpus kb-bench-peer-queries kb-bench-fts5 kb-bench-search kb-bench-index-floor >/dev/null

bin=build
corpus="$work/corpus-$records"
queries="$work/queries-$records"
if [[ ! -d "$corpus" ]]; then
  "$bin/tools/kb-bench-corpus" --records "$records" --queries 100000 --out "$corpus" --query-out "$queries"
fi

pids=()
cleanup() { for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

timed() {  # timed LABEL CMD... -> prints "seconds peak_mb"
  local out; out="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$out" "${@:2}" >/dev/null 2>"$work/$1.log"
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$out"; rm -f "$out"
}

# The peers' indexes hold each record's category (for the filtered queries) since format 2;
# older ones are built again.
peers_format=2
if [[ "${KB_BENCH_REUSE:-0}" == 1 && -d "$work/kb" && -f "$work/fts5.db" && -d "$work/groonga" &&
      "$(cat "$work/peers-format" 2>/dev/null)" == "$peers_format" ]]; then
  # Query runs only, on the indexes of an earlier run in the same folder.
  echo "== reusing the indexes in $work" >&2
  kb_s=-; kb_mb=-; fts_s=-; fts_mb=-; gr_s=-; gr_mb=-
  kb_disk=$(du -sm "$work/kb" | cut -f1); fts_disk=$(du -sm "$work/fts5.db" | cut -f1)
  gr_disk=$(du -sm "$work/groonga" | cut -f1)
  if [[ -f "$work/index-figures.txt" ]]; then
    read -r kb_s kb_mb fts_s fts_mb gr_s gr_mb < "$work/index-figures.txt"
  fi
else
  echo "== indexing $records records" >&2
  rm -rf "$work/kb" "$work/fts5.db" "$work/groonga" "$work/peers-format"
  read -r kb_s kb_mb < <(timed kb-index "$bin/indexer/kb-index" build --content "$corpus" --out "$work/kb" --quiet)
  kb_disk=$(du -sm "$work/kb" | cut -f1)
  read -r fts_s fts_mb < <(timed fts5-load "$bin/tools/kb-bench-fts5" --corpus "$corpus" --db "$work/fts5.db")
  fts_disk=$(du -sm "$work/fts5.db" | cut -f1)
  "$bin/tools/kb-bench-fts5" --corpus "$corpus" --groonga-json "$work/groonga.json"
  mkdir -p "$work/groonga"
  cat > "$work/groonga-schema.grn" <<'GRN'
table_create Articles TABLE_HASH_KEY ShortText
column_create Articles lang COLUMN_SCALAR ShortText
column_create Articles category COLUMN_SCALAR ShortText
column_create Articles title COLUMN_SCALAR Text
column_create Articles body COLUMN_SCALAR Text
table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
column_create Terms idx COLUMN_INDEX|WITH_POSITION|WITH_SECTION Articles title,body
table_create Langs TABLE_HASH_KEY ShortText
column_create Langs idx COLUMN_INDEX Articles lang
GRN
  groonga -n "$work/groonga/db" < "$work/groonga-schema.grn" >/dev/null
  { echo "load --table Articles"; cat "$work/groonga.json"; } > "$work/groonga-load.grn"
  read -r gr_s gr_mb < <(timed groonga-load sh -c "groonga '$work/groonga/db' < '$work/groonga-load.grn'")
  gr_disk=$(du -sm "$work/groonga" | cut -f1)
  # Kept for later runs with KB_BENCH_REUSE=1, which print them again.
  echo "$kb_s $kb_mb $fts_s $fts_mb $gr_s $gr_mb" > "$work/index-figures.txt"
  echo "$peers_format" > "$work/peers-format"
fi
if [[ "${KB_BENCH_PREWARM:-0}" == 1 ]]; then
  # Read every index once so the runs start from the page cache, not the disk.
  echo "== reading the indexes into the page cache" >&2
  find "$work/kb" "$work/groonga" "$work/fts5.db" -type f -exec cat {} + > /dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }

cfg_nocache="$work/kb-nocache.yaml"
printf 'cache_entries: 0\naccess_log: false\nmax_queued_connections: 100000\n' > "$cfg_nocache"
cfg_cache="$work/kb-cache.yaml"
printf 'access_log: false\nmax_queued_connections: 100000\n' > "$cfg_cache"

kb_port=$(free_port)
"$bin/server/kb-server" --kb "$work/kb" --port "$kb_port" --config "$cfg_nocache" > "$work/kb-server.out" 2>&1 &
pids+=($!); kb_pid=$!
fts_out="$work/fts5.out"
"$bin/tools/kb-bench-fts5" --db "$work/fts5.db" --serve > "$fts_out" 2>&1 &
pids+=($!); fts_pid=$!
gr_port=$(free_port)
groonga -s --protocol http --bind-address 127.0.0.1 -p "$gr_port" "$work/groonga/db" > "$work/groonga.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$kb_port/health"
for _ in $(seq 1 100); do grep -q listening "$fts_out" && break; sleep 0.1; done
fts_port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$fts_out" | grep -o '[0-9]*$')
wait_http "http://127.0.0.1:$gr_port/d/status"
rss_before=$(ps -o rss= -p "$kb_pid")

run_wrk() {  # run_wrk NAME PORT TEMPLATE QUERYFILE [SKIP_KINDS] -> "rps p50 p99 errors non2xx"
  local out="$work/wrk-$1.txt"
  # Warm-up, not measured: every server gets its caches, threads and page cache going first
  # (kb-server opens one set of Xapian handles per worker thread on its first request).
  KB_BENCH_QUERY_FILE="$4" KB_BENCH_TEMPLATE="$3" KB_BENCH_SKIP_KINDS="${5:-}" KB_BENCH_OFFSET=0.5 \
    wrk -t 4 -c "$conns" -d "${KB_BENCH_WARMUP:-5}s" -s tools/bench/queries.lua "http://127.0.0.1:$2" > /dev/null 2>&1
  KB_BENCH_QUERY_FILE="$4" KB_BENCH_TEMPLATE="$3" KB_BENCH_SKIP_KINDS="${5:-}" \
    wrk -t 4 -c "$conns" -d "${duration}s" --latency -s tools/bench/queries.lua "http://127.0.0.1:$2" > "$out" 2>&1
  local rps p50 p99 err non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '/^ +50%/ {print $2}' "$out")
  p99=$(awk '/^ +99%/ {print $2}' "$out")
  err=$(awk '/Socket errors/ {s=0; for(i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) s+=$i; print s}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  echo "${rps:-0} ${p50:-?} ${p99:-?} ${err:-0} ${non2xx:-0}"
}

unique="$queries/unique.tsv"
zipf="$queries/zipf.tsv"
# The peers get the same lines without the stopwords kb-server leaves out of them (written
# again each run, from the stopword lists kb-index used).
"$bin/tools/kb-bench-peer-queries" --content "$corpus" --queries "$queries" >&2
unique_peers="$queries/unique-peers.tsv"
echo "== HTTP: $conns connections, ${duration}s per run" >&2
read -r h_rps h_p50 h_p99 h_err h_n < <(run_wrk kb-health "$kb_port" "/health" "$unique")
read -r k_rps k_p50 k_p99 k_err k_n < <(run_wrk kb-unique "$kb_port" "/v1/search?q={q}&lang={lang}&category={cat}&prefix={prefix}&facets=false" "$unique")
# What a bot asks on every turn: one answer, rendered for Bot Framework (no cache either).
# Bots send whole questions: the as-you-type queries, whose last word is unfinished, are left out.
read -r a_rps a_p50 a_p99 a_err a_n < <(run_wrk kb-answer "$kb_port" "/v1/answer?q={q}&lang={lang}&channel=botframework" "$unique" prefix)
# The peers do what kb-server does with the same lines: filter on the category when the line
# has one, take the last word of an as-you-type query as a prefix, and leave out the
# query's stopwords (unique-peers.tsv).
read -r f_rps f_p50 f_p99 f_err f_n < <(run_wrk fts5-and "$fts_port" "/search?q={q}&lang={lang}&cat={cat}&prefix={prefix}&mode=and" "$unique_peers")
read -r fo_rps fo_p50 fo_p99 fo_err fo_n < <(run_wrk fts5-or "$fts_port" "/search?q={q}&lang={lang}&cat={cat}&prefix={prefix}&mode=or" "$unique_peers")
# FTS5's slowest queries run on for a second or more after wrk stops: stop it so that it
# takes no CPU from Groonga's run.
kill "$fts_pid"; wait "$fts_pid" 2>/dev/null || true
# Groonga doing what kb-server and FTS5 do: the ten best by score, each with a snippet.
# The plain select (no sort_keys, no snippet) returns the first ten matches in record order,
# unranked; it is measured too, as the lower bound of Groonga's work.
read -r g_rps g_p50 g_p99 g_err g_n < <(run_wrk groonga "$gr_port" "/d/select?table=Articles&match_columns=title*3%7C%7Cbody&query={qprefix}&filter=lang%3D%3D%22{lang}%22{catfilter}&output_columns=_key,title,_score,snippet_html(body)&sort_keys=-_score&limit=10" "$unique_peers")
read -r gp_rps gp_p50 gp_p99 gp_err gp_n < <(run_wrk groonga-plain "$gr_port" "/d/select?table=Articles&match_columns=title*3%7C%7Cbody&query={qprefix}&filter=lang%3D%3D%22{lang}%22{catfilter}&output_columns=_key,title&limit=10" "$unique_peers")
rss_after=$(ps -o rss= -p "$kb_pid" 2>/dev/null || true)  # empty: the server exited
kill "$kb_pid"; wait "$kb_pid" 2>/dev/null || true
"$bin/server/kb-server" --kb "$work/kb" --port "$kb_port" --config "$cfg_cache" > "$work/kb-server-cache.out" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$kb_port/health"
read -r z_rps z_p50 z_p99 z_err z_n < <(run_wrk kb-zipf "$kb_port" "/v1/search?q={q}&lang={lang}&category={cat}&prefix={prefix}&facets=false" "$zipf")

per_s() { awk -v r="$records" -v s="$1" 'BEGIN { if (s + 0 > 0) printf "%.0f", r / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.2f", a / b; else print "-" }'; }
floor_line=""
if [[ "${KB_BENCH_FLOOR:-0}" == 1 ]]; then
  echo "== Xapian's floor for a build (kb-bench-index-floor)" >&2
  floor_out=$("$bin/tools/kb-bench-index-floor" --content "$corpus" --work "$work/floor" --limit 100000)
  echo "$floor_out" >&2
  floor_line="Xapian's floor: $(grep '^records' <<<"$floor_out" | sed 's/^records *//'): $(grep '^xapian floor' <<<"$floor_out" | sed 's/^xapian floor *//')"
fi

faster_peer=$(awk -v a="$f_rps" -v b="$g_rps" -v c="$fo_rps" 'BEGIN { m=a; if (b>m) m=b; if (c>m) m=c; print m }')

cat <<TABLE

records: $records   connections: $conns   duration: ${duration}s per run   cores: $(nproc)
(kb-server: unique queries with its result cache off; zipf mix with the cache on)

| system | index s | records/s | peak MB | disk MB |
|---|---|---|---|---|
| kb-index | $kb_s | $(per_s "$kb_s") | $kb_mb | $kb_disk |
| SQLite FTS5 | $fts_s | $(per_s "$fts_s") | $fts_mb | $fts_disk |
| Groonga | $gr_s | $(per_s "$gr_s") | $gr_mb | $gr_disk |
${floor_line:+
$floor_line
}
| HTTP run | requests/s | p50 | p99 | socket errors | non-2xx |
|---|---|---|---|---|---|
| kb-server /health (ceiling) | $h_rps | $h_p50 | $h_p99 | $h_err | $h_n |
| kb-server unique queries | $k_rps | $k_p50 | $k_p99 | $k_err | $k_n |
| kb-server /v1/answer, unique (bot) | $a_rps | $a_p50 | $a_p99 | $a_err | $a_n |
| kb-server Zipf mix (cache) | $z_rps | $z_p50 | $z_p99 | $z_err | $z_n |
| SQLite FTS5 AND | $f_rps | $f_p50 | $f_p99 | $f_err | $f_n |
| SQLite FTS5 OR | $fo_rps | $fo_p50 | $fo_p99 | $fo_err | $fo_n |
| Groonga (ranked, snippets) | $g_rps | $g_p50 | $g_p99 | $g_err | $g_n |
| Groonga (unranked, no snippets) | $gp_rps | $gp_p50 | $gp_p99 | $gp_err | $gp_n |

ratios: kb unique / faster peer = $(ratio "$k_rps" "$faster_peer") (ranked with snippets, as kb-server), $(ratio "$k_rps" "$gp_rps") against Groonga unranked;  kb unique / health ceiling = $(ratio "$k_rps" "$h_rps");
        kb index speed / Groonga load = $(ratio "$gr_s" "$kb_s");  kb-server RSS: $((rss_before / 1024)) MB at start, $([[ -n "$rss_after" ]] && echo "$((rss_after / 1024)) MB" || echo "- (it had exited)") after its unique and answer runs
TABLE
