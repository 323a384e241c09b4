#!/usr/bin/env bash
# First README command: installs what is missing, builds (Release), indexes the bundled
# help center into var/kb and serves it on http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target kb-index kb-server

./build/indexer/kb-index build --content content --out var/kb

port="${KB_PORT:-8080}"
cat <<MSG

Knowledge base built in var/kb. Try:
  curl 'http://127.0.0.1:${port}/health'
  curl 'http://127.0.0.1:${port}/v1/search?q=I+forgot+my+password&lang=en'
  curl 'http://127.0.0.1:${port}/v1/search?q=Handy+gestohlen'
  curl 'http://127.0.0.1:${port}/v1/search?q=wifi+lent&lang=fr&per_page=3'
  curl -G 'http://127.0.0.1:${port}/v1/search' --data-urlencode 'q=パスワードを忘れた'
  curl 'http://127.0.0.1:${port}/v1/search?q=bill&lang=en&category=billing'
  curl 'http://127.0.0.1:${port}/v1/suggest?q=forgot+my+pa&lang=en'
  curl 'http://127.0.0.1:${port}/v1/answer?q=someone+stole+my+phone&lang=en&channel=sms'
  curl 'http://127.0.0.1:${port}/v1/answer?q=I+forgot+my+password&lang=en&channel=botframework'

MSG
exec ./build/server/kb-server --kb var/kb --port "$port" --config server/kb-server.yaml "$@"
