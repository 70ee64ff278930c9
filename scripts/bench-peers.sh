#!/usr/bin/env bash
# Installs the libraries the benchmarks compare against (bench/peers, pinned by its lock
# file) and Debian's Fashion-MNIST (skipped with --no-datasets: bench/swarm.mjs needs none).
# Idempotent; tests do not need the peers.
source "$(dirname "$0")/lib.sh"
for peer in hnswlib-node usearch minisearch lunr; do
  if [ ! -d "bench/peers/node_modules/$peer" ]; then
    log "benchmark peers: hnswlib-node, usearch, minisearch, lunr (bench/peers)"
    npm ci --prefix bench/peers --no-audit --no-fund
    break
  fi
done
if [ "${1:-}" != "--no-datasets" ]; then
  bash scripts/datasets.sh
fi
