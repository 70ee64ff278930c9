#!/usr/bin/env bash
# Builds the native addon (napi-rs) and the WebAssembly outputs (Node fallback and browser).
#   scripts/build.sh [all|native|wasm|wasm-scalar]
# wasm-scalar is the same crate without simd128, used only by bench/ to show what SIMD buys.
source "$(dirname "$0")/lib.sh"
what="${1:-all}"

build_native() {
  log "native addon (release)"
  npx napi build --platform --release --no-js \
    --manifest-path crates/elex-node/Cargo.toml --package-json-path package.json \
    --output-dir . --dts target/elex-node.d.ts
}

# binaryen's optimiser from npm (Debian's wasm-opt 108 breaks wasm-bindgen output): ~12 %
# smaller at the same speed. The features listed are the ones rustc already emits.
optimise() {
  npx --no-install wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-sign-ext \
    --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types \
    --enable-multivalue "$@"
}

# $1: built .wasm, $2: wasm-bindgen target (nodejs|web), $3: output folder, then extra
# wasm-opt flags.
bind() {
  local wasm="$1" target="$2" out="$3"
  shift 3
  rm -rf "$out"
  wasm-bindgen "$wasm" --target "$target" --out-dir "$out" --out-name elex_wasm
  rm -f "$out/.gitignore"
  # The web glue is an ES module: say so, for Node tools that load it (bench/kernels.mjs).
  if [[ "$target" == web ]]; then echo '{ "type": "module" }' > "$out/package.json"; fi
  optimise "$@" "$out/elex_wasm_bg.wasm" -o "$out/elex_wasm_bg.wasm"
}

# $1: output folder, $2: cargo target dir; RUSTFLAGS decides simd128. Single-threaded.
bindgen() {
  local out="$1" target_dir="$2"
  cargo build -p elex-wasm --target wasm32-unknown-unknown --release --target-dir "$target_dir"
  local wasm="$target_dir/wasm32-unknown-unknown/release/elex_wasm.wasm"
  bind "$wasm" nodejs "$out/node"
  bind "$wasm" web "$out/web"
}

# Node's fallback with threads: shared memory and atomics, so the engine's parallel builds
# and scans run on worker threads (js/wasm-node.cjs starts them). The standard library has
# to be rebuilt with atomics: `-Z build-std`, which stable cargo accepts under
# RUSTC_BOOTSTRAP=1, from the rust-src component. Browsers keep the single-threaded build:
# shared memory there needs cross-origin isolation, which a library cannot require.
bindgen_threads() {
  local target_dir=target/wasm-threads
  local flags="-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals"
  local arg
  for arg in --shared-memory --import-memory --max-memory=4294967296 --export=__wasm_init_tls \
    --export=__tls_size --export=__tls_align --export=__tls_base; do
    flags+=" -C link-arg=$arg"
  done
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags" cargo build -p elex-wasm --features threads,coordination \
    --target wasm32-unknown-unknown --release --target-dir "$target_dir" \
    -Z build-std=panic_abort,std
  bind "$target_dir/wasm32-unknown-unknown/release/elex_wasm.wasm" nodejs wasm/node --enable-threads
}

# Browsers: the size-first profile `wasm-web` (Cargo.toml), since every page load downloads it.
# With rust-src the standard library is rebuilt with panic=immediate-abort: a panic in
# WebAssembly traps either way (no hook prints it), and the panic formatting goes (~11 KB
# gzipped). Stable cargo accepts -Z build-std under RUSTC_BOOTSTRAP=1, as for the threads build.
build_web() {
  if [[ -d "$(rust_src_dir)" ]]; then
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+simd128 -Zunstable-options -Cpanic=immediate-abort" \
      cargo build -p elex-wasm --target wasm32-unknown-unknown --profile wasm-web \
      --target-dir target/wasm-web -Z build-std=std,panic_abort
    bind target/wasm-web/wasm32-unknown-unknown/wasm-web/elex_wasm.wasm web wasm/web
  else
    cargo build -p elex-wasm --target wasm32-unknown-unknown --profile wasm-web
    bind target/wasm32-unknown-unknown/wasm-web/elex_wasm.wasm web wasm/web
  fi
}

# Browsers that join a cluster (browser-cluster.mjs): the same, with the cluster node.
build_web_cluster() {
  if [[ -d "$(rust_src_dir)" ]]; then
    RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+simd128 -Zunstable-options -Cpanic=immediate-abort" \
      cargo build -p elex-wasm --features coordination --target wasm32-unknown-unknown --profile wasm-web \
      --target-dir target/wasm-web-cluster -Z build-std=std,panic_abort
    bind target/wasm-web-cluster/wasm32-unknown-unknown/wasm-web/elex_wasm.wasm web wasm/web-cluster
  else
    cargo build -p elex-wasm --features coordination --target wasm32-unknown-unknown --profile wasm-web \
      --target-dir target/wasm-web-cluster
    bind target/wasm-web-cluster/wasm32-unknown-unknown/wasm-web/elex_wasm.wasm web wasm/web-cluster
  fi
}

build_wasm() {
  log "WebAssembly (simd128): wasm/web (browsers, size first); wasm/web-cluster (browsers in a cluster); wasm/node (Node fallback, speed first)"
  build_web
  build_web_cluster
  if [[ -d "$(rust_src_dir)" ]]; then
    bindgen_threads
  else
    log "rust-src missing (scripts/setup.sh adds it): wasm/node is single-threaded"
    cargo build -p elex-wasm --features coordination --target wasm32-unknown-unknown --release
    bind target/wasm32-unknown-unknown/release/elex_wasm.wasm nodejs wasm/node
  fi
  local raw gz
  raw=$(stat -c %s wasm/web/elex_wasm_bg.wasm)
  gz=$(gzip -9 -c wasm/web/elex_wasm_bg.wasm | wc -c)
  log "browser .wasm: $raw bytes, $gz bytes gzipped (budget for the finished package: 250 KB gzipped)"
  raw=$(stat -c %s wasm/web-cluster/elex_wasm_bg.wasm)
  gz=$(gzip -9 -c wasm/web-cluster/elex_wasm_bg.wasm | wc -c)
  log "browser .wasm with clusters: $raw bytes, $gz bytes gzipped"
}

build_wasm_scalar() {
  log "WebAssembly without simd128 (benchmark comparison only): wasm-scalar/"
  RUSTFLAGS="-C target-feature=-simd128" bindgen wasm-scalar target/wasm-scalar
}

# The ESM entries' export lists, from the API object (see the script).
gen_esm() {
  node scripts/gen-esm-exports.mjs
}

case "$what" in
  all) build_native; build_wasm; gen_esm ;;
  native) build_native ;;
  wasm) build_wasm; gen_esm ;;
  wasm-scalar) build_wasm_scalar ;;
  *) log "unknown build '$what' (all|native|wasm|wasm-scalar)"; exit 2 ;;
esac
