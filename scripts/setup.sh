#!/usr/bin/env bash
# Installs what the build and tests need, idempotently: each step checks first and does
# nothing when its tool is already there. `--browser` adds Chromium for the browser test.
source "$(dirname "$0")/lib.sh"

want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

if ! command -v cargo >/dev/null; then
  log "cargo not found: install Rust with rustup first (https://rustup.rs)"; exit 1
fi

# wasm32-unknown-unknown: the package's WebAssembly build; wasm32-wasip1: the engine's tests
# run as WebAssembly too (simd128 kernels against the scalar reference).
for target in wasm32-unknown-unknown wasm32-wasip1; do
  if ! rustup target list --installed | grep -qx "$target"; then
    log "adding the $target target"
    rustup target add "$target"
  fi
done

# rust-src: Node's WebAssembly fallback is built with threads, which needs the standard
# library rebuilt with atomics (scripts/build.sh). Without it that build is single-threaded.
if [[ ! -d "$(rust_src_dir)" ]]; then
  log "adding the rust-src component (threaded WebAssembly build for Node)"
  rustup component add rust-src || log "rust-src unavailable: Node's WebAssembly fallback will be single-threaded"
fi

[[ -f Cargo.lock ]] || cargo generate-lockfile
wbg="$(wasm_bindgen_version)"
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]]; then
  log "installing wasm-bindgen-cli $wbg into .tools (once; about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wbg" --root "$ROOT/.tools" --bin wasm-bindgen
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund
fi

# The index tests use a slice of Fashion-MNIST (Debian package).
bash scripts/datasets.sh

# The cluster's NATS test runs a local nats-server with JetStream (Debian package).
if ! command -v nats-server >/dev/null && [[ ! -x /usr/sbin/nats-server ]]; then
  log "installing nats-server (Debian package) for the cluster's NATS test"
  sudo_cmd=""; [[ "$(id -u)" != 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nats-server >/dev/null
  # Debian starts it as a system service; the tests start their own on a free port.
  $sudo_cmd systemctl disable --now nats-server >/dev/null 2>&1 || true
fi

if (( want_browser )) && ! command -v chromium >/dev/null; then
  log "installing Chromium (Debian package) for the browser test"
  sudo_cmd=""; [[ "$(id -u)" != 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
exit 0
