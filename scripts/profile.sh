#!/usr/bin/env bash
# Where the time of one server-rendered search page goes: the release server under callgrind (instruction counts,
# repeatable whatever else the machine does), 100 GETs of /etablissements?q=formation on the national dataset after
# a warm-up, then the functions by inclusive and by own cost into target/bench/profile-search-page.txt.
#
#   scripts/profile.sh          (after scripts/bench.sh, or it builds and generates what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
command -v valgrind >/dev/null || { step "apt-get install valgrind"; apt-get update -q; DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind; }
[ -x target/release/server ] || scripts/build.sh --release

out=target/bench
mkdir -p "$out"
db=$out/http-x1.db
port=3230
base=http://127.0.0.1:$port
export CERES_DATABASE_URL="sqlite://$PWD/$db?mode=rwc" CERES_DEMO_DATA=true CERES_DEMO_SCALE=1 LEPTOS_SITE_ADDR=127.0.0.1:$port
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT
if [ ! -f "$db" ]; then
  step "national dataset (first time only)"
  ./target/release/server > "$out/server.log" 2>&1 & pid=$!
  until curl -s -o /dev/null "$base/connexion"; do sleep 0.2; done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
fi

step "release server under callgrind (start: about a minute)"
rm -f "$out"/callgrind.out.*
# Everything every thread does between the zeroing after the warm-up and the dump after the measured pages is
# counted. (Until 01/12/2026 only what ran inside `axum::serve::handle_connection` was, with --toggle-collect; but
# callgrind toggles collection for the whole process, so work on other threads — the search runs on one — was
# counted or not depending on the interleaving: ±20 % from run to run. Counting everything gives the same total to
# 0.05 %, and higher figures: 3.94 M instructions per page for the build that measured 3.04 M the old way.)
valgrind --tool=callgrind --collect-atstart=yes \
  --callgrind-out-file="$out/callgrind.out.%p" \
  ./target/release/server > "$out/server-callgrind.log" 2>&1 & pid=$!
until curl -s -o /dev/null "$base/connexion" 2>/dev/null; do sleep 1; done
cookies=$out/cookies-profile.txt
curl -s -o /dev/null -c "$cookies" -H "Origin: $base" --data 'identifiant=dreets-naq&mot_de_passe=ceres-demo&suite=' "$base/connexion"
page() { curl -s -o /dev/null -b "$cookies" "$base/etablissements?q=formation"; }
for _ in 1 2 3 4 5; do page; done
# Counters zeroed after the warm-up; dumped after the measured pages.
callgrind_control -z "$pid" > /dev/null
step "100 pages"
for _ in $(seq 100); do page; done
callgrind_control -d "$pid" > /dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
file=$(ls "$out"/callgrind.out.*.1)
{
  echo "# callgrind: 100 × GET /etablissements?q=formation, national dataset, $(date -u +%F)"
  echo "# instructions per page: $(( $(awk '/^totals:/ {print $2}' "$file") / 100 ))"
  echo "## inclusive"
  callgrind_annotate --inclusive=yes "$file" 2>/dev/null | sed -n '1,70p'
  echo "## own cost"
  scripts/callgrind-self.py "$file" 60
} > "$out/profile-search-page.txt"
step "written $out/profile-search-page.txt ($(sed -n 2p "$out/profile-search-page.txt" | cut -c3-))"
