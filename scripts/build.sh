#!/usr/bin/env bash
# Builds CERES: the WASM front end (wasm-bindgen), the site assets (DSFR, CSS) under target/site, and the server.
#   scripts/build.sh            debug build (what the tests use)
#   scripts/build.sh --release  optimised build (size-optimised WASM, release server)
# Requires what scripts/setup.sh installs. Each step is skipped by cargo/rsync when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

release=false
[ "${1:-}" = "--release" ] && release=true
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

site=target/site
pkg=$site/pkg
mkdir -p "$pkg" "$site/dsfr/utility/icons" "$site/dsfr/fonts"

if $release; then
  step "WASM (release, optimised for size)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
else
  step "WASM (debug)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/debug/frontend.wasm
fi

# wasm-bindgen only when the WASM changed since the last bindings.
if [ ! -f "$pkg/app.wasm" ] || [ "$wasm" -nt "$pkg/app.wasm" ]; then
  step "wasm-bindgen → $pkg/app.js, app.wasm"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name app "$wasm"
  # Leptos asks for pkg/app.wasm when LEPTOS_OUTPUT_NAME was set at compile time (.cargo/config.toml).
  mv -f "$pkg/app_bg.wasm" "$pkg/app.wasm"
fi

step "site assets: DSFR, styles, favicon"
dsfr=node_modules/@gouvfr/dsfr/dist
if [ ! -f "$dsfr/dsfr.min.css" ]; then
  echo "node_modules/@gouvfr/dsfr is missing: run scripts/setup.sh first." >&2
  exit 1
fi
cp -u "$dsfr/dsfr.min.css" "$site/dsfr/dsfr.min.css"
cp -u "$dsfr/utility/icons/icons.min.css" "$site/dsfr/utility/icons/icons.min.css"
cp -ru "$dsfr/icons" "$site/dsfr/"
cp -u "$dsfr"/fonts/*.woff2 "$site/dsfr/fonts/"
cp -u "$dsfr/favicon/favicon.ico" "$site/favicon.ico"
cp -u style/main.css "$pkg/app.css"

if $release; then
  step "server (release)"
  cargo build -p server --release
else
  step "server (debug)"
  cargo build -p server
fi
step "build complete"
