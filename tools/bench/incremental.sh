#!/usr/bin/env bash
# How long a one-article change takes to be live: edits one article's title in a generated
# corpus (tools/bench's, five languages), runs `kb-index build` (incremental) and polls a
# running kb-server until a search finds the new word. Prints an unchanged rebuild, each
# round and the medians (docs/editors.md, "Measured: one article changed").
#   tools/bench/incremental.sh [RECORDS]      default 100000
# Environment: KB_BENCH_DIR (work folder, default var/bench-incremental), KB_BENCH_ROUNDS (5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
records="${1:-100000}"
rounds="${KB_BENCH_ROUNDS:-5}"
work="${KB_BENCH_DIR:-var/bench-incremental}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"

bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target kb-index kb-server kb-bench-corpus >/dev/null
bin=build
corpus="$work/corpus-$records"
kb="$work/kb-$records"
if [[ ! -d "$corpus" ]]; then
  "$bin/tools/kb-bench-corpus" --records "$records" --queries 10 --out "$corpus" --query-out "$work/queries-$records"
fi
if [[ ! -f "$kb/live.stub" ]]; then
  echo "== first build of $records records (complete)" >&2
  "$bin/indexer/kb-index" build --content "$corpus" --out "$kb" --quiet
fi
# The article edited: the first English one.
article="$(find "$corpus/en" -name '*.md' -print -quit)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cfg="$work/kb-server.yaml"
printf 'access_log: false\nreload_interval_ms: 250\n' > "$cfg"
"$bin/server/kb-server" --kb "$kb" --port "$port" --config "$cfg" > "$work/kb-server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done

ms() { date +%s%3N; }
start=$(ms)
"$bin/indexer/kb-index" build --content "$corpus" --out "$kb" --quiet
unchanged=$(($(ms) - start))
echo "unchanged rebuild: $unchanged ms" >&2
builds=(); lives=()
for round in $(seq 1 "$rounds"); do
  word="zqx$(date +%s%N | tail -c 9)r$round"
  sed -i -E "0,/^title: /s/^title: (zqx[0-9]+r[0-9]+ )?/title: $word /" "$article"
  start=$(ms)
  "$bin/indexer/kb-index" build --content "$corpus" --out "$kb" --quiet
  built=$(ms)
  until curl -sf "http://127.0.0.1:$port/v1/search?q=$word&lang=en&prefix=false" | grep -q '"total":[1-9]'; do
    sleep 0.01
    if (( $(ms) - start > 60000 )); then echo "round $round: '$word' not found after 60 s" >&2; exit 1; fi
  done
  live=$(ms)
  builds+=($((built - start))); lives+=($((live - start)))
  echo "round $round: build ${builds[-1]} ms, live after ${lives[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "records: $records   rounds: $rounds   cores: $(nproc)"
echo "unchanged rebuild: $unchanged ms"
echo "one-article change: build median $(median "${builds[@]}") ms, live (found by search) median $(median "${lives[@]}") ms"
