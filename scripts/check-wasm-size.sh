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
# What each split-out page adds: its module and the chunks the loader fetches with it (listed in __wasm_split.js).
python3 - "$pkg" "$PAGE_BUDGET_KB" <<'PY' || status=1
import re, subprocess, sys
from pathlib import Path
pkg, budget = Path(sys.argv[1]), int(sys.argv[2])
loader = (pkg / "__wasm_split.js").read_text()
def brotli(name):
    return len(subprocess.run(["brotli", "-q", "11", "-c", str(pkg / name)], capture_output=True, check=True).stdout)
needs = {}
for users, chunk in re.findall(r"/\* ([^*]*) \*/\s*const __(chunk_\d+) =", loader):
    for user in users.split(","):
        needs.setdefault(user.strip(), []).append(chunk + ".wasm")
failed = False
for module in sorted(m for m in pkg.glob("split_*.wasm") if m.name.count(".") == 1):  # not the hashed copies
    page = module.name[len("split_"):-len(".wasm")]
    chunks = needs.get(page, [])
    total = brotli(module.name) + sum(brotli(c) for c in chunks)
    name = page
    print(f"  {name}: +{total // 1024} KB brotli ({1 + len(chunks)} files)")
    if total // 1024 > budget:
        print(f"The page {name} grew past its budget of {budget} KB (brotli).", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
PY
exit $status
