#!/usr/bin/env bash
# Fails when the release WASM (target/site/pkg/app.wasm, built by `scripts/build.sh --wasm-release` or `--release`)
# compresses with brotli to more than its budget. A size check, not a timing: it is deterministic.
#
# The budget is a ratchet at today's size plus a little room, so that growth is noticed; the target of the
# performance issue is 300 KB (BENCHMARKS.md says where it stands and what is left to reach it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_KB=520

wasm=target/site/pkg/app.wasm
[ -f "$wasm" ] || { echo "$wasm is missing: run scripts/build.sh --wasm-release first." >&2; exit 1; }
if [ "$(cat target/.wasm-profile 2>/dev/null)" != "target/wasm32-unknown-unknown/wasm-release/frontend.wasm" ]; then
  echo "$wasm is a debug build: run scripts/build.sh --wasm-release first." >&2
  exit 1
fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
printf 'app.wasm: %d KB raw, %d KB gzip, %d KB brotli (budget %d KB brotli)\n' \
  $((raw / 1024)) $((gz / 1024)) $((br / 1024)) "$BUDGET_KB"
if [ $((br / 1024)) -gt "$BUDGET_KB" ]; then
  echo "The WASM grew past its budget of $BUDGET_KB KB (brotli): find what added weight before raising it." >&2
  exit 1
fi
