#!/usr/bin/env bash
# `npm run demo`: install what is missing, build, run the demo.
source "$(dirname "$0")/lib.sh"
bash scripts/setup.sh
bash scripts/build.sh all
node examples/demo.mjs
