# Shared helpers for the project scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/.tools/bin:$PATH"

log() { printf '\033[1m[elex]\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen version the lock file resolved: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Where the standard library's sources live when the rust-src component is installed.
rust_src_dir() {
  echo "$(rustc --print sysroot)/lib/rustlib/src/rust/library"
}
