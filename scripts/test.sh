#!/usr/bin/env bash
# Runs every CERES test: formatting and lints, unit tests, API tests on SQLite and on PostgreSQL, browser tests in
# Chromium and Firefox ESR. Installs what is missing first (scripts/setup.sh --tests). `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

scripts/setup.sh --tests

# Machines of this kind run PostgreSQL on 127.0.0.1:5432 (trust auth); start it if it is down.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# The tests run the WASM users get: the size-optimised release build.
scripts/build.sh --wasm-release

step "the WASM stays within its size budget"
scripts/check-wasm-size.sh

step "the WASM carries no server-side crate (database, sqlx, tokio's network stack)"
if cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none \
     | grep -E '^(sea-orm|sqlx|sqlx-core|libsqlite3-sys|tokio-postgres|mio|argon2|axum) ' ; then
  echo "these crates must stay behind app's ssr feature" >&2
  exit 1
fi

step "cargo deny: licences, banned and duplicate crates, sources (deny.toml; offline)"
# cargo deny reads the metadata of every platform's dependencies: download the ones the builds did not need.
cargo fetch --locked --quiet
cargo deny --offline check licenses bans sources
# The RustSec advisory database cannot be downloaded on these machines: the check runs on a local copy when one
# has been put in ~/.cargo/advisory-db, and says so plainly when there is none (SECURITY.md).
if [ -d "$HOME/.cargo/advisory-db/crates" ]; then
  step "cargo deny: RustSec advisories (local copy of the database)"
  cargo deny --offline check advisories
else
  echo "cargo deny advisories: NOT CHECKED — no RustSec database in ~/.cargo/advisory-db (it cannot be downloaded here; see SECURITY.md)."
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (server side, then the WASM crate for its own target)"
cargo clippy --all-targets -- -D warnings
cargo clippy -p frontend --lib --target wasm32-unknown-unknown -- -D warnings

step "tests: unit, API on SQLite and PostgreSQL, browsers (Chromium, Firefox ESR)"
cargo nextest run --no-fail-fast

step "all tests passed in $(( $(date +%s) - started )) s"
