#!/usr/bin/env bash
# `make demo`: builds the demo library the first time and serves it.
# usage: scripts/demo.sh BIN DIR LISTEN
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BIN DIR LISTEN" >&2
  exit 2
fi
bin="$1" dir="$2" listen="$3"
cd "$(dirname "$0")/.."
# The web app's hls.js (for files the browser cannot play directly).
if [ -f web/package-lock.json ] && [ ! -f web/node_modules/hls.js/dist/hls.min.js ] &&
  command -v npm >/dev/null 2>&1; then
  npm ci --prefix web --no-audit --no-fund --loglevel=error >/dev/null || true
fi
echo "demo: library in $dir; open the URL below in a browser (Ctrl-C stops the server)"
exec "$bin" demo --dir "$dir" --listen "$listen"
