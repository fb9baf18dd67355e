#!/usr/bin/env bash
# Installs what CERES needs on a fresh machine of this kind. Idempotent: a second run checks and skips.
#   scripts/setup.sh            toolchain target, pinned cargo tools, npm packages (enough to build and serve)
#   scripts/setup.sh --tests    the same, plus the browsers and drivers the end-to-end tests use, the test runner,
#                               the dependency checker and pdftotext
#   scripts/setup.sh --bench    the same as the first, plus the browsers and drivers (what scripts/bench.sh needs:
#                               not the test tools, which take 2 to 3 minutes to compile on a new machine)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.129   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
WASM_SPLIT_VERSION=0.2.4      # wasm-split-cli, from the crate wasm_split_cli_support (what cargo-leptos uses)
GECKODRIVER_VERSION=0.37.1
CARGO_DENY_VERSION=0.20.2

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
with_browsers=false with_tests=false
case "${1:-}" in
  --tests) with_browsers=true; with_tests=true ;;
  --bench) with_browsers=true ;;
  "") ;;
  *) echo "scripts/setup.sh: unknown option « $1 »: --tests, --bench or nothing." >&2; exit 1 ;;
esac

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes on 2 cores, once per machine)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

# wasm-split-cli moves the pages CERES splits out of the main WASM into modules of their own (scripts/build.sh).
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  step "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli; about 2 minutes on 2 cores, once per machine)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
fi

if [ ! -d node_modules/@gouvfr/dsfr ] || [ ! -d node_modules/@etalab/decoupage-administratif ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci: State design system (DSFR) and INSEE geography, from package-lock.json"
  npm ci --no-audit --no-fund
fi

# fontTools (pinned, from PyPI, in a virtual environment of its own): the build splits the DSFR fonts in two
# (scripts/subset-fonts.py) so that a first visit downloads only the characters of French text.
fonttools=target/tools/fonttools
if ! "$fonttools/bin/python" -c 'import fontTools, brotli' 2>/dev/null \
   || [ scripts/requirements-fonts.txt -nt "$fonttools/installed" ]; then
  step "pip install fontTools into $fonttools, from scripts/requirements-fonts.txt"
  python3 -m venv "$fonttools"
  "$fonttools/bin/pip" install --quiet --disable-pip-version-check -r scripts/requirements-fonts.txt
  touch "$fonttools/installed"
fi

# brotli: the release build writes .br variants of the assets, and the tests check the WASM's compressed size.
if ! command -v brotli >/dev/null; then
  step "apt-get install brotli"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends brotli
fi

if $with_browsers; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if $with_tests; then
    command -v pdftotext >/dev/null || missing+=(poppler-utils)   # tests read the text of the generated PDFs
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if ! command -v geckodriver >/dev/null || [ "$(geckodriver --version | head -1 | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
    step "cargo install geckodriver $GECKODRIVER_VERSION (about 3 minutes, once per machine)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked
  fi
fi
if $with_tests; then
  if ! command -v cargo-nextest >/dev/null; then
    step "cargo install cargo-nextest 0.9.143"
    cargo install cargo-nextest --version 0.9.143 --locked
  fi
  if ! command -v cargo-deny >/dev/null || [ "$(cargo deny --version | awk '{print $2}')" != "$CARGO_DENY_VERSION" ]; then
    step "cargo install cargo-deny $CARGO_DENY_VERSION (about 3 minutes, once per machine)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
  fi
fi
step "setup complete"
