#!/usr/bin/env bash
# Browser benchmark of the users CSV validation worker against Papa Parse in
# one headless Chromium run. Installs the pinned Papa Parse with npm, builds
# dist/ with `trunk build --release` unless a build with the worker is there
# (BENCH_REBUILD=1 forces a build), then runs bench.py, which prints the
# figures. Arguments go to bench.py, for example `--rows 20000 --runs 3`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

if [[ ! -f "$here/node_modules/papaparse/package.json" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

if [[ "${BENCH_REBUILD:-0}" == 1 || ! -f "$repo/dist/csv_worker_loader.js" ]]; then
  (cd "$repo" && trunk build --release)
fi

exec python3 "$here/bench.py" --dist "$repo/dist" "$@"
