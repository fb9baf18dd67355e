#!/usr/bin/env bash
# Fails when the release WASM's main module (target/site/pkg/app.wasm, built by `scripts/build.sh --wasm-release` or
# `--release`) compresses with brotli to more than its budget, or when a split-out page (its own module and the
# chunks it needs) adds more than its budget. A size check, not a timing: it is deterministic.
#
# The main module's budget is the target of the performance issue (300 KB brotli): it serves the sign-in, the
# search, the centre and site pages on its own. The split-out pages (app/src/lib.rs, `split_pages!`) are fetched when
# first shown; their budget is a ratchet at today's largest plus a little room, so that growth is noticed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_KB=300
PAGE_BUDGET_KB=130

pkg=target/site/pkg
wasm=$pkg/app.wasm
[ -f "$wasm" ] || { echo "$wasm is missing: run scripts/build.sh --wasm-release first." >&2; exit 1; }
if [ "$(cat target/.wasm-profile 2>/dev/null)" != "target/wasm32-unknown-unknown/wasm-release/frontend.wasm" ]; then
  echo "$wasm is a debug build: run scripts/build.sh --wasm-release first." >&2
  exit 1
fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
printf 'app.wasm (main module): %d KB raw, %d KB gzip, %d KB brotli (budget %d KB brotli)\n' \
  $((raw / 1024)) $((gz / 1024)) $((br / 1024)) "$BUDGET_KB"
status=0
if [ $((br / 1024)) -gt "$BUDGET_KB" ]; then
  echo "The main WASM module grew past its budget of $BUDGET_KB KB (brotli): find what added weight, or split out" \
       "a page that few people use (app/src/lib.rs), before raising it." >&2
  status=1
fi
# What each split-out page adds: its module and the chunks the loader fetches with it (split-manifest.json, written
# from the loader by scripts/build.sh).
python3 - "$pkg" "$PAGE_BUDGET_KB" <<'PY' || status=1
import json, subprocess, sys
from pathlib import Path
pkg, budget = Path(sys.argv[1]), int(sys.argv[2])
def brotli(name):
    return len(subprocess.run(["brotli", "-q", "11", "-c", str(pkg / name)], capture_output=True, check=True).stdout)
failed = False
for page, files in sorted(json.loads((pkg / "split-manifest.json").read_text()).items()):
    total = sum(brotli(f) for f in files)
    print(f"  {page}: +{total // 1024} KB brotli ({len(files)} files)")
    if total // 1024 > budget:
        print(f"The page {page} grew past its budget of {budget} KB (brotli).", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
PY
exit $status
