#!/usr/bin/env bash
# Installs what is missing, builds CERES and serves it on http://127.0.0.1:3000 with the embedded SQLite database
# (target/ceres.db) and the national demo data, loaded on the first start only. Extra arguments go to build.sh
# (e.g. --release). Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh "$@"
if [ "${1:-}" = "--release" ]; then
  exec ./target/release/server
else
  exec ./target/debug/server
fi
