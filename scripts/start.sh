#!/usr/bin/env bash
# `npm start`: install and build what is missing, then serve the console. Arguments go to
# `elex serve` (e.g. npm start -- --port 9000). setup.sh checks before each step and prints
# nothing when everything is there; the build runs only when an output is missing or older
# than the engine's sources, so a second start is immediate.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh

outputs=(elex.*.node wasm/web/elex_wasm_bg.wasm wasm/node/elex_wasm_bg.wasm)
stale=0
for out in "${outputs[@]}"; do
  if [[ ! -f "$out" ]] || [[ -n "$(find crates Cargo.toml Cargo.lock -newer "$out" -type f -print -quit)" ]]; then
    stale=1
  fi
done
if (( stale )); then
  log "building the engine (native addon and WebAssembly)"
  bash scripts/build.sh all
fi
exec node bin/elex.mjs serve "$@"
