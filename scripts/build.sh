#!/usr/bin/env bash
# Builds CERES: the WASM front end (wasm-bindgen), the site assets (DSFR, CSS) under target/site, and the server.
#   scripts/build.sh                 debug build
#   scripts/build.sh --wasm-release  the WASM as users get it (size-optimised), debug server: what the tests use
#   scripts/build.sh --release       optimised build: release WASM and server, content-hashed asset names
#                                    (hash.txt next to the server) with brotli and gzip variants the server serves;
#                                    the server compiles alongside the WASM (its output: target/build-server.log)
#   scripts/build.sh --release ARGS  the same, ARGS added to the server's `cargo build` (`-p end2end --example
#                                    bench`, say): cargo compiles a crate once per set of features it is
#                                    asked for in one run, so what is built with the server shares its crates
# Requires what scripts/setup.sh installs. Each step is skipped by cargo/rsync when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

release=false
wasm_release=false
case "${1:-}" in
  --release) release=true; wasm_release=true; shift ;;
  --wasm-release) wasm_release=true; shift ;;
  "") ;;
  *) echo "scripts/build.sh: unknown option « $1 »: --release, --wasm-release or nothing (debug)." >&2; exit 1 ;;
esac
if [ $# -gt 0 ] && ! $release; then
  echo "scripts/build.sh: extra cargo arguments ($*) are taken with --release only." >&2
  exit 1
fi
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# .cargo/config.toml sets `--cfg erase_components` for the server and the WASM alike; RUSTFLAGS would replace it.
if [ -n "${RUSTFLAGS:-}" ]; then
  echo "RUSTFLAGS is set ($RUSTFLAGS): it would replace the flags of .cargo/config.toml. Unset it and run again." >&2
  exit 1
fi

site=target/site
pkg=$site/pkg
mkdir -p "$pkg" "$site/dsfr/fonts"
rm -rf "$site/dsfr/utility"  # the whole icon stylesheet, served before CERES kept only its own icons

# The release server and the release WASM are two cargo runs (two targets, two profiles): each ends on one core (the
# WASM's whole-program optimisation, the server's largest crates and its link), so they run side by side.
server_build=
if $release; then
  step "server (release), alongside the WASM; its output: target/build-server.log"
  cargo build --release -p server --bin server "$@" > target/build-server.log 2>&1 &
  server_build=$!
  trap '[ -n "$server_build" ] && kill "$server_build" 2>/dev/null; true' EXIT
fi

if $wasm_release; then
  step "WASM (release, optimised for size)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
  # The function names (5.9 MB of 9.3 MB) are for debuggers, not for the people who download the file.
  strip_names=(--remove-name-section --remove-producers-section)
else
  step "WASM (debug)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/debug/frontend.wasm
  strip_names=()
fi

# Split, then bound, only when the WASM changed since the last bindings (or they came from the other profile).
# wasm-split-cli moves the pages of `split_pages!` (app/src/lib.rs) into modules of their own (split_*.wasm), what
# several of them share into chunks (chunk_*.wasm), and writes their loader (__wasm_split.js); the rest is the main
# module, which wasm-bindgen binds as usual.
if [ ! -f "$pkg/app.wasm" ] || [ "$wasm" -nt "$pkg/app.wasm" ] || [ "$(cat target/.wasm-profile 2>/dev/null)" != "$wasm" ]; then
  if ! command -v wasm-split-cli >/dev/null; then
    echo "wasm-split-cli is missing: run scripts/setup.sh first." >&2
    exit 1
  fi
  split=target/wasm-split
  rm -rf "$split"
  mkdir -p "$split"
  step "wasm-split-cli → the split-out pages' modules"
  wasm-split-cli "$wasm" "$split" --out-name app
  step "wasm-bindgen → $pkg/app.js, app.wasm"
  wasm-bindgen --target web --no-typescript ${strip_names[@]+"${strip_names[@]}"} --out-dir "$pkg" --out-name app "$split/app.wasm"
  # Leptos asks for pkg/app.wasm when LEPTOS_OUTPUT_NAME was set at compile time (.cargo/config.toml).
  mv -f "$pkg/app_bg.wasm" "$pkg/app.wasm"
  python3 scripts/wasm-post.py export-function-table "$pkg/app.wasm"
  find "$pkg" -maxdepth 1 \( -name '__wasm_split.*' -o -name 'split_*.wasm*' -o -name 'chunk_*.wasm*' \) -delete
  cp "$split"/__wasm_split.js "$pkg"/
  find "$split" -maxdepth 1 \( -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) -exec cp {} "$pkg"/ \;
  if $wasm_release; then
    find "$pkg" -maxdepth 1 \( -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) -exec python3 scripts/wasm-post.py strip-names {} +
  fi
  echo "$wasm" > target/.wasm-profile
fi
# The files each split-out page needs, for the server's preload links and the size check (scripts/wasm-post.py).
if [ ! -f "$pkg/split-manifest.json" ] || [ "$pkg/__wasm_split.js" -nt "$pkg/split-manifest.json" ]; then
  python3 scripts/wasm-post.py manifest "$pkg/__wasm_split.js" "$pkg/split-manifest.json"
fi

step "site assets: DSFR, styles, favicon"
dsfr=node_modules/@gouvfr/dsfr/dist
if [ ! -f "$dsfr/dsfr.min.css" ]; then
  echo "node_modules/@gouvfr/dsfr is missing: run scripts/setup.sh first." >&2
  exit 1
fi
cp -u "$dsfr/dsfr.min.css" "$site/dsfr/dsfr.min.css"
cp -ru "$dsfr/icons" "$site/dsfr/"
# The fonts, each split into the characters of French text and the rest (scripts/subset-fonts.py, 30 s): only when
# they are missing or the DSFR or the script changed.
fonts_css=$site/dsfr/fonts-ext.css
if [ ! -f "$fonts_css" ] || [ ! -f "$site/dsfr/fonts/Marianne-Regular.woff2" ] \
   || [ "$dsfr/dsfr.min.css" -nt "$fonts_css" ] || [ scripts/subset-fonts.py -nt "$fonts_css" ]; then
  step "fonts: French characters, the rest on demand (scripts/subset-fonts.py)"
  if [ ! -x target/tools/fonttools/bin/python ]; then
    echo "target/tools/fonttools is missing: run scripts/setup.sh first." >&2
    exit 1
  fi
  rm -f "$site"/dsfr/fonts/*.woff2
  target/tools/fonttools/bin/python scripts/subset-fonts.py "$dsfr/dsfr.min.css" "$dsfr/fonts" "$site/dsfr/fonts" "$fonts_css.tmp"
  mv "$fonts_css.tmp" "$fonts_css"
fi
cp -u "$dsfr/favicon/favicon.ico" "$site/favicon.ico"
# The icons CERES uses, out of the DSFR's 1 900 (scripts/subset-icons.py; fails on an icon the DSFR lacks).
python3 scripts/subset-icons.py "$dsfr/utility/icons/icons.min.css" "$site/dsfr/icons-used.css" app/src style
# CERES' stylesheet, then the @font-face rules of the fonts' other characters, then the icons.
cat style/main.css "$fonts_css" "$site/dsfr/icons-used.css" > "$pkg/app.css.tmp"
if cmp -s "$pkg/app.css.tmp" "$pkg/app.css"; then rm "$pkg/app.css.tmp"; else mv "$pkg/app.css.tmp" "$pkg/app.css"; fi

# The assets' hashed names and compressed variants while the server still compiles (they do not depend on it): the
# end of its build keeps one core busy, the other is free for brotli.
if $release; then
  step "content-hashed names with brotli and gzip variants; target/release/hash.txt"
  hash() { cat "$@" | sha256sum | cut -c1-20; }
  find "$pkg" -regextype posix-extended -regex '.*\.[0-9a-f]{20}\.(js|wasm|css)(\.br|\.gz)?' -delete
  # The WASM, its glue and its split-out modules name one another: one hash of them all, in every name.
  wasm_set=("$pkg/app.js" "$pkg/app.wasm" "$pkg/__wasm_split.js")
  while IFS= read -r f; do wasm_set+=("$f"); done < <(find "$pkg" -maxdepth 1 \( -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) | sort)
  h=$(hash "${wasm_set[@]}")
  # Only the module addresses change (`from "…"`); the WASM's import names (`"./__wasm_split.js": import1`) stay.
  sed "s#from \"\./__wasm_split\.js\"#from \"./__wasm_split.$h.js\"#g" "$pkg/app.js" > "$pkg/app.$h.js"
  cp "$pkg/app.wasm" "$pkg/app.$h.wasm"
  sed -E -e "s#from \"\./app\.js\"#from \"./app.$h.js\"#g" -e "s#\"\./((split|chunk)_[A-Za-z0-9_]+)\.wasm\"#\"./\\1.$h.wasm\"#g" \
    "$pkg/__wasm_split.js" > "$pkg/__wasm_split.$h.js"
  hashed=("$pkg/app.$h.js" "$pkg/app.$h.wasm" "$pkg/__wasm_split.$h.js")
  for f in "${wasm_set[@]:3}"; do
    cp "$f" "${f%.wasm}.$h.wasm"
    hashed+=("${f%.wasm}.$h.wasm")
  done
  c=$(hash "$pkg/app.css")
  cp "$pkg/app.css" "$pkg/app.$c.css"
  hashed+=("$pkg/app.$c.css")
  mkdir -p target/release
  printf 'js: %s\nwasm: %s\ncss: %s\n' "$h" "$h" "$c" > target/release/hash.txt
  for f in "${hashed[@]}"; do
    brotli -q 11 -k -f "$f"
    gzip -9 -k -f "$f"
  done
  for f in "$site/dsfr/dsfr.min.css"; do
    brotli -q 11 -k -f "$f"
    gzip -9 -k -f "$f"
  done
  step "server (release): waiting for its build"
  status=0
  wait "$server_build" || status=$?
  server_build=
  if [ "$status" -ne 0 ]; then
    cat target/build-server.log >&2
    echo "The server's release build failed (above, and in target/build-server.log)." >&2
    exit 1
  fi
  tail -n 1 target/build-server.log
else
  step "server (debug)"
  cargo build -p server
fi
step "build complete"
