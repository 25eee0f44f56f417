#!/usr/bin/env bash
# Forward-pass speed: netshape's runtime (candle backend, release build) against
# PyTorch on the same cases, CPU, 2 threads each. Needs PyTorch and torchvision
# under /usr/bin/python3 for the second column. Usage: bash bench/forward.sh [runs]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-11}"
cd "$repo"
export RAYON_NUM_THREADS=2 THREADS=2 RUNS="$runs"
ours="$(cargo bench --bench forward 2>/dev/null)"
theirs="$(/usr/bin/python3 bench/forward_pytorch.py)"
echo "| case | batch | netshape (candle) ms | PyTorch ms | ratio |"
echo "| --- | ---: | ---: | ---: | ---: |"
paste -d' ' <(echo "$ours") <(echo "$theirs") | while read -r name batch ms _ _ torch_ms; do
  ratio="$(python3 -c "print(f'{$ms / $torch_ms:.2f}')")"
  echo "| $name | $batch | $ms | $torch_ms | $ratio |"
done
