#!/usr/bin/env bash
# Every CERES benchmark in one run, written into BENCHMARKS.md (section « Latest run ») with the machine, the date,
# the dataset sizes and this command. On a 2-core machine: about 7 minutes once built, 17 to 19 from nothing (compiling,
# then generating the datasets). Figures are measured, never asserted: tests do not time anything.
#
#   scripts/bench.sh               search (×1, ×100, SQL baselines on SQLite and PostgreSQL), HTTP, browsers
#                                  (keystrokes, first visit), weight, cold start, memory
#   scripts/bench.sh --quick       the same with 5 s HTTP runs and without ×100 (a smoke run, not for the record)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
quick=false
[ "${1:-}" = "--quick" ] && quick=true
duration=30s; scales=1,100
$quick && { duration=5s; scales=1; }

scripts/setup.sh --tests
command -v wrk >/dev/null || { step "apt-get install wrk"; apt-get update -q; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
# The benchmarks' programs in the same cargo run as the release server: built apart, each set of features asked for
# (the browser tests' dependencies, say) compiled the shared crates again, twice over.
scripts/build.sh --release -p end2end --example bench --example bench_baseline
# `bench first-visit`'s in-process server serves the hashed, precompressed files, as in production, when it finds
# hash.txt next to itself (the server's own place for it).
cp target/release/hash.txt target/release/examples/hash.txt

out=target/bench
mkdir -p "$out"
report=$out/report.md
: > "$report"

step "search: index vs SQL baselines (bench search --scales $scales)"
./target/release/examples/bench search --scales "$scales" --baseline-scale 1 > "$out/search.md"

# --- A release server on the national dataset -------------------------------------------------------------------
db=$out/http-x1.db
port=3210
base=http://127.0.0.1:$port
export CERES_DATABASE_URL="sqlite://$PWD/$db?mode=rwc" CERES_DEMO_DATA=true CERES_DEMO_SCALE=1 LEPTOS_SITE_ADDR=127.0.0.1:$port
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=
}
trap 'stop_server; [ -n "${baseline_pid:-}" ] && kill "$baseline_pid" 2>/dev/null; true' EXIT
cookies=$out/cookies.txt

sign_in() {
  rm -f "$cookies"
  curl -s -o /dev/null -c "$cookies" -H "Origin: $base" --data 'identifiant=dreets-naq&mot_de_passe=ceres-demo&suite=' "$base/connexion"
}
# The search server function, as the page calls it.
search_once() {
  curl -s -o /dev/null -w '%{http_code}' -b "$cookies" -H "Origin: $base" -H 'Accept: application/json' \
    --data 'qs=q%3Dformation' "$base/api/etablissements"
}

if [ ! -f "$db" ]; then
  step "national dataset for the HTTP runs (first time only)"
  ./target/release/server > "$out/server.log" 2>&1 & server_pid=$!
  until curl -s -o /dev/null "$base/connexion"; do sleep 0.2; done
  stop_server
fi

step "cold start: process start → first search answered (national dataset, migrations done)"
./target/release/server > "$out/server.log" 2>&1 & server_pid=$!
t0=$(date +%s%N)
until curl -s -o /dev/null "$base/connexion" 2>/dev/null; do sleep 0.02; done
sign_in
until [ "$(search_once)" = 200 ]; do sleep 0.02; done
cold_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")

# curl writes HttpOnly cookies as « #HttpOnly_host … » lines.
cookie_header="Cookie: $(awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 {printf "%s=%s; ", $6, $7}' "$cookies" | sed 's/; $//')"
cat > "$out/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "qs=q%3Dformation"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$base"
LUA
cat > "$out/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
end
LUA
# wrk takes one script: the POST one gets the report function appended.
cat "$out/report.lua" >> "$out/post.lua"
run_wrk() { # label, url, extra args…
  local label=$1 url=$2; shift 2
  step "wrk: $label (64 connections, $duration)"
  wrk -t2 -c64 -d"$duration" --latency "$@" "$url" | tee "$out/wrk-$label.txt" | awk -v l="$label" '/^RESULT/ {print l, $2, $3, $4, $5, $6}'
}
page_bytes=$(curl -s -b "$cookies" "$base/etablissements?q=formation" | wc -c)
http_rows=$(
  run_wrk "search-page" "$base/etablissements?q=formation" -H "$cookie_header" -s "$out/report.lua"
  run_wrk "search-function" "$base/api/etablissements" -H "$cookie_header" -s "$out/post.lua"
)
rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
hwm_x1=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")

# Weight, as a browser gets it (brotli), of a first visit to /etablissements and of a repeat visit.
step "weight of a first and a repeat visit to /etablissements"
fetch_size() { # path, encoding → bytes on the wire
  curl -s -b "$cookies" -H "Accept-Encoding: $2" -o /dev/null -w '%{size_download}' "$base$1"
}
html_br=$(fetch_size "/etablissements?q=formation" br)
wasm_name=app.$(awk '/^wasm:/ {print $2}' target/release/hash.txt).wasm
js_name=app.$(awk '/^js:/ {print $2}' target/release/hash.txt).js
css_name=app.$(awk '/^css:/ {print $2}' target/release/hash.txt).css
wasm_raw=$(stat -c %s "target/site/pkg/$wasm_name")
wasm_gz=$(stat -c %s "target/site/pkg/$wasm_name.gz")
wasm_br=$(fetch_size "/pkg/$wasm_name" br)
js_br=$(fetch_size "/pkg/$js_name" br)
# The split-out pages' loader, which app.js imports; the pages' modules are fetched only when shown (listed below).
split_js_br=$(fetch_size "/pkg/__wasm_split.$(awk '/^js:/ {print $2}' target/release/hash.txt).js" br)
split_pages=$( (scripts/check-wasm-size.sh || true) | sed -n 's/^  \(.*\): +\([0-9]*\) KB brotli (\([0-9]*\) files)$/\1 +\2 KB (\3 files)/p' | paste -sd, | sed 's/,/, /g')
css_br=$(fetch_size "/pkg/$css_name" br)
dsfr_br=$(fetch_size /dsfr/dsfr.min.css br)
# The Marianne fonts the page uses (woff2, already compressed; their French-character halves, scripts/subset-fonts.py).
fonts=$(ls target/site/dsfr/fonts/Marianne-{Regular,Bold,Medium}.woff2 2>/dev/null | xargs -r stat -c %s | paste -sd+ | bc)
first=$(( html_br + wasm_br + js_br + split_js_br + css_br + dsfr_br + ${fonts:-0} ))
stop_server

# Memory at ×100: the server started on the benchmark's ×100 database, after its first search.
mem100="not measured (--quick)"
if ! $quick; then
  step "memory at ×100"
  export CERES_DATABASE_URL="sqlite://$PWD/$out/ceres-x100.db?mode=rwc" CERES_DEMO_SCALE=100
  ./target/release/server > "$out/server-x100.log" 2>&1 & server_pid=$!
  until curl -s -o /dev/null "$base/connexion" 2>/dev/null; do sleep 0.5; done
  sign_in
  until [ "$(search_once)" = 200 ]; do sleep 0.5; done
  mem100="$(( $(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status") / 1024 )) MB peak, $(( $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 )) MB after the first search"
  stop_server
fi

step "HTTP baseline: a bare axum handler with a body of the search page's size ($page_bytes bytes)"
./target/release/examples/bench_baseline 127.0.0.1:3299 "$page_bytes" 2> /dev/null & baseline_pid=$!
until curl -s -o /dev/null http://127.0.0.1:3299/; do sleep 0.1; done
base_row=$(run_wrk "baseline" "http://127.0.0.1:3299/" -s "$out/report.lua")
kill "$baseline_pid" 2>/dev/null || true; wait "$baseline_pid" 2>/dev/null || true; baseline_pid=

step "browsers: keystroke → results in the DOM (Chromium, Firefox ESR)"
./target/release/examples/bench keystrokes --keys "$($quick && echo 20 || echo 100)" 2> /dev/null > "$out/keystrokes.md"

step "browser: first visit to a page, empty cache, office network (Chromium's emulation)"
./target/release/examples/bench first-visit --visits "$($quick && echo 3 || echo 10)" 2> /dev/null > "$out/first-visit.md"

kb() { awk -v b="$1" 'BEGIN {printf "%.0f KB", b / 1024}'; }
base_rps=$(echo "$base_row" | awk '{print $2}')
{
  echo "### $(date -u '+%d/%m/%Y %H:%M UTC') — $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo
  echo "Command: \`scripts/bench.sh$($quick && echo ' --quick')\` (release build; datasets: ×1 = 3 803 centres + 7 800 sites, ×100 = 380 300 + 780 000)."
  echo
  echo "#### Search, server side (index vs SQL baselines)"
  echo
  cat "$out/search.md"
  echo
  echo "#### HTTP on loopback (wrk, 2 threads, 64 connections, $duration each; signed-in agent, query « formation »)"
  echo
  echo "| Target | Requests/s | Share of baseline | p50 | p99 | Errors | Requests |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n%s\n' "$http_rows" "$base_row" | while read -r label rps p50 p99 errs n; do
    [ -z "$label" ] && continue
    share=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN {printf "%.0f %%", 100 * a / b}')
    echo "| $label | $rps | $share | $p50 ms | $p99 ms | $errs | $n |"
  done
  echo
  echo "#### In the browser: keystroke in the search box → updated results in the DOM (national dataset)"
  echo
  cat "$out/keystrokes.md"
  echo
  echo "#### In the browser: first visit, navigation → page hydrated (Chromium, empty cache, emulated office network)"
  echo
  cat "$out/first-visit.md"
  echo
  echo "#### Weight (what a browser downloads, brotli)"
  echo
  echo "| Asset | Size |"
  echo "|---|---|"
  echo "| app.wasm (main module) | $(kb "$wasm_raw") raw, $(kb "$wasm_gz") gzip, $(kb "$wasm_br") brotli |"
  echo "| app.js (wasm-bindgen glue) | $(kb "$js_br") |"
  echo "| __wasm_split.js (loader of the split-out pages) | $(kb "$split_js_br") |"
  echo "| app.css | $(kb "$css_br") |"
  echo "| DSFR CSS (dsfr.min.css; its icons used by CERES are in app.css) | $(kb "$dsfr_br") |"
  echo "| Marianne fonts (woff2: regular, medium, bold; French characters) | $(kb "${fonts:-0}") |"
  echo "| HTML of /etablissements?q=formation | $(kb "$html_br") |"
  echo "| **First visit** | **$(kb "$first")** |"
  echo "| **Repeat visit** (hashed assets cached as immutable; DSFR for a day) | **$(kb "$html_br")** |"
  echo
  echo "Split-out pages, fetched when first shown (their module and the chunks it needs, brotli): $split_pages."
  echo
  echo "#### Start and memory"
  echo
  echo "| Measure | Value |"
  echo "|---|---|"
  echo "| Cold start, national: process start → first search answered (index built) | ${cold_ms} ms |"
  echo "| Memory, national: after start / after the HTTP runs / peak | $((rss_start / 1024)) MB / $((rss_after / 1024)) MB / $((hwm_x1 / 1024)) MB |"
  echo "| Memory, ×100 | $mem100 |"
} > "$report"

python3 - "$report" <<'PY'
import sys, re
report = open(sys.argv[1]).read()
text = open("BENCHMARKS.md").read()
start = "<!-- bench.sh: latest run -->"
end = "<!-- bench.sh: end -->"
block = f"{start}\n## Latest run of scripts/bench.sh\n\n{report}\n{end}"
if start in text:
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n" + block + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
step "written to BENCHMARKS.md"
cat "$report"
