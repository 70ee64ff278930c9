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

# $1: output folder, $2: cargo target dir; RUSTFLAGS decides simd128.
bindgen() {
  local out="$1" target_dir="$2"
  cargo build -p elex-wasm --target wasm32-unknown-unknown --release --target-dir "$target_dir"
  local wasm="$target_dir/wasm32-unknown-unknown/release/elex_wasm.wasm"
  rm -rf "$out/node" "$out/web"
  wasm-bindgen "$wasm" --target nodejs --out-dir "$out/node" --out-name elex_wasm
  wasm-bindgen "$wasm" --target web --out-dir "$out/web" --out-name elex_wasm
  rm -f "$out"/*/.gitignore
  # binaryen's optimiser from npm (Debian's wasm-opt 108 breaks wasm-bindgen output): ~12 %
  # smaller at the same speed. The features listed are the ones rustc already emits.
  local f
  for f in "$out/node/elex_wasm_bg.wasm" "$out/web/elex_wasm_bg.wasm"; do
    npx --no-install wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-sign-ext \
      --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types \
      --enable-multivalue "$f" -o "$f"
  done
}

build_wasm() {
  log "WebAssembly (simd128): wasm/node (Node fallback) and wasm/web (browsers)"
  bindgen wasm target
  local raw gz
  raw=$(stat -c %s wasm/web/elex_wasm_bg.wasm)
  gz=$(gzip -9 -c wasm/web/elex_wasm_bg.wasm | wc -c)
  log "browser .wasm: $raw bytes, $gz bytes gzipped (budget for the finished package: 250 KB gzipped)"
}

build_wasm_scalar() {
  log "WebAssembly without simd128 (benchmark comparison only): wasm-scalar/"
  RUSTFLAGS="-C target-feature=-simd128" bindgen wasm-scalar target/wasm-scalar
}

case "$what" in
  all) build_native; build_wasm ;;
  native) build_native ;;
  wasm) build_wasm ;;
  wasm-scalar) build_wasm_scalar ;;
  *) log "unknown build '$what' (all|native|wasm|wasm-scalar)"; exit 2 ;;
esac
