#!/usr/bin/env bash
# Measures kb-index build on a generated base: a full build, an unchanged rebuild, and a
# rebuild after one article changed. Usage: tools/incremental_bench.sh KB_INDEX [ARTICLES]
set -euo pipefail
kb_index="$1"
n="${2:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/content" "$n" <<'PY'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
words = ("router modem fibre contract invoice payment password account roaming signal tariff "
         "installation appointment engineer refund credit upgrade device sim card data voicemail "
         "broadband outage speed wifi channel television recording box remote").split()
for i in range(n):
    lang_dir = os.path.join(root, "articles", "en", f"{i // 1000:03d}")
    os.makedirs(lang_dir, exist_ok=True)
    body = " ".join(random.choice(words) for _ in range(120))
    with open(os.path.join(lang_dir, f"item-{i}.md"), "w") as f:
        f.write(f"---\nid: item-{i}\nlang: en\ntitle: Question {i} about {random.choice(words)}\n"
                f"summary: \"Answer {i}, {random.choice(words)} {random.choice(words)}.\"\ncategory: c{i % 20}\n---\n{body}\n")
PY
kb="$work/kb"
t() { local s e; s=$(date +%s.%N); "$@" >"$work/out" 2>&1; e=$(date +%s.%N); python3 -c "print(f'{$e-$s:.2f}')"; }
echo "articles: $n"
echo "full build (s): $(t "$kb_index" build --content "$work/content" --out "$kb")"; tail -1 "$work/out"
echo "unchanged rebuild (s): $(t "$kb_index" build --content "$work/content" --out "$kb")"; tail -1 "$work/out"
sed -i 's/^title: Question 42 /title: Changed question 42 /' "$work/content/articles/en/000/item-42.md"
echo "one article changed (s): $(t "$kb_index" build --content "$work/content" --out "$kb")"; tail -1 "$work/out"
echo "full rebuild for comparison (s): $(t "$kb_index" build --full --quiet --content "$work/content" --out "$kb")"
du -sh "$kb"/gen-* | tail -1
