#!/usr/bin/env bash
# The whole test run (`npm test`): install what is missing, build both backends, then
# cargo tests (engine, natively and as WebAssembly), vitest (native, WASM in Node, parity, headless Chromium) and a
# TypeScript consumer of index.d.ts.
source "$(dirname "$0")/lib.sh"
start=$SECONDS

bash scripts/setup.sh --browser
bash scripts/build.sh all

log "cargo fmt --check and clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings

log "cargo test (engine, native: AVX2+FMA, SSE4.1 and, where the CPU has it, AVX-512 VNNI against the scalar reference)"
cargo test -p elex-engine -p elex-bind --tests --quiet

log "cargo test (engine as wasm32-wasip1 in Node: simd128 against the scalar reference)"
CARGO_TARGET_WASM32_WASIP1_RUNNER="node --no-warnings $ROOT/scripts/wasi-run.mjs" \
  cargo test -p elex-engine --no-default-features --features coordination --target wasm32-wasip1 --lib --quiet

log "vitest: native, wasm, cross (parity + browser)"
npx vitest run

log "tsc: a TypeScript consumer of index.d.ts"
npx tsc -p __test__/types/tsconfig.json

log "all tests passed in $((SECONDS - start)) s"
