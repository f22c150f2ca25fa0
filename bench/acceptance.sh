#!/usr/bin/env bash
# Trains TGN for one epoch on both shared datasets with each Node backend and seeds, printing the
# CLI's JSON lines (one per run). Compare with ../shared/reference/pyg-tgn.md. Slow on cpu (minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/datasets}
BACKENDS=${BACKENDS:-"wasm cpu"}
SEEDS=${SEEDS:-"1"}
for backend in $BACKENDS; do
  for seed in $SEEDS; do
    for f in collegemsg/CollegeMsg.txt bitcoin-otc/soc-sign-bitcoinotc.csv; do
      line=$(node bin/tgnn.mjs train --data "$DATA/$f" --model tgn --batch-size 200 --epochs 1 --seed "$seed" --backend "$backend" --json 2>/dev/null)
      echo "{\"data\":\"$f\",\"run\":$line}"
    done
  done
done
