#!/usr/bin/env bash
# Debian's Fashion-MNIST: the real data set of the index tests and benchmark. Idempotent.
source "$(dirname "$0")/lib.sh"
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  log "installing Fashion-MNIST (Debian package dataset-fashion-mnist)"
  sudo_cmd=""; [[ "$(id -u)" != 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi
