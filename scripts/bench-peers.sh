#!/usr/bin/env bash
# Installs the libraries the benchmarks compare against (bench/peers, pinned by its lock
# file) and Debian's Fashion-MNIST. Idempotent; tests do not need the peers.
source "$(dirname "$0")/lib.sh"
if [ ! -d bench/peers/node_modules/hnswlib-node ] || [ ! -d bench/peers/node_modules/usearch ]; then
  log "benchmark peers: hnswlib-node, usearch (bench/peers)"
  npm ci --prefix bench/peers --no-audit --no-fund
fi
bash scripts/datasets.sh
