#!/usr/bin/env bash
# Inference speed side by side: netshape's runtime (candle backend, release
# build; benches/forward.rs) and PyTorch (bench/forward_pytorch.py, eval mode,
# inference_mode) on the same models with random weights, CPU, measured in
# the same run: each case (model, batch, thread count) in a fresh process of
# each side, one after the other. Prints two Markdown tables: latency and
# GFLOP/s per case, then checkpoint load time and peak memory per model.
#
# Usage: bash bench/forward.sh [min_runs] (20 by default; more runs where they
# fit in 2 s). THREADS_LIST="1 2" by default; CASES="lenet digits" runs only
# those models. Needs PyTorch and torchvision
# under /usr/bin/python3. Progress goes to stderr.
#
# Threads: netshape's count is RAYON_NUM_THREADS, read by candle's thread pool
# (which runs netshape's CPU kernels too) when it starts, so it is set before
# the process starts. PyTorch gets torch.set_num_threads(T) and
# OMP_NUM_THREADS=T; its BLAS here is OpenBLAS (pthreads), which ignores
# both and by default starts a thread per core that competes with OpenMP's
# spinning threads. So with T > 1 PyTorch runs twice, with OpenBLAS on one
# thread and with OpenBLAS on T threads and OMP_WAIT_POLICY=PASSIVE, and the
# table keeps the faster (marked `†` when that was the second).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
export RUNS="${1:-20}"
threads_list="${THREADS_LIST:-1 2}"
python=/usr/bin/python3
started=$SECONDS

echo "building benches/forward.rs…" >&2
bin="$(cargo bench --bench forward --no-run --message-format=json 2>/dev/null | $python -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "forward" and message.get("executable"):
        print(message["executable"])
')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" cases | awk -v only="${CASES:-}" 'only == "" || index(" " only " ", " " $1 " ")' >"$work/cases"
while read -r name _ <&3; do
  echo "writing $name's checkpoints…" >&2
  "$bin" save "$name" "$work"
  $python bench/forward_pytorch.py save "$name" "$work"
done 3<"$work/cases"
$python bench/forward_pytorch.py baseline >"$work/baseline"

for threads in $threads_list; do
  while read -r name batches _ <&3; do
    for batch in ${batches//,/ }; do
      echo "$name, batch $batch, $threads thread(s)…" >&2
      RAYON_NUM_THREADS="$threads" "$bin" run "$name" "$batch" "$work" >>"$work/ours"
      THREADS="$threads" OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS=1 \
        $python bench/forward_pytorch.py run "$name" "$batch" "$work" | sed 's/$/ blas1/' >>"$work/theirs"
      if [ "$threads" -gt 1 ]; then
        THREADS="$threads" OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE \
          $python bench/forward_pytorch.py run "$name" "$batch" "$work" | sed 's/$/ blasN/' >>"$work/theirs"
      fi
    done
  done 3<"$work/cases"
done

for file in "$work"/*.safetensors; do
  name="$(basename "$file" .safetensors)"
  echo "$name $(stat -c %s "$file") $(stat -c %s "$work/$name.pt")" >>"$work/sizes"
done

$python - "$work" "$((SECONDS - started))" <<'EOF'
import statistics
import sys

import torch

work, seconds = sys.argv[1], int(sys.argv[2])
cases = [line.split() for line in open(f"{work}/cases")]
sizes = {name: (int(ours), int(theirs)) for name, ours, theirs in (line.split() for line in open(f"{work}/sizes"))}
ours, theirs = {}, {}
for line in open(f"{work}/ours"):
    name, batch, threads, ms, runs, load, peak, mult_adds, bias_adds = line.split()
    ours[name, int(batch), int(threads)] = (float(ms), int(runs), float(load), int(peak))
for line in open(f"{work}/theirs"):
    name, batch, threads, ms, runs, load, peak, blas = line.split()
    theirs.setdefault((name, int(batch), int(threads)), []).append((float(ms), int(runs), float(load), int(peak), blas))
best = {key: min(values) for key, values in theirs.items()}
flop = {name: 2 * int(mult_adds) + int(bias_adds) for name, _, mult_adds, bias_adds, _ in cases}
params = {name: int(count) for name, _, _, _, count in cases}


def ms(value):
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


print("| model | batch | threads | netshape ms | PyTorch ms | netshape / PyTorch | netshape GFLOP/s | PyTorch GFLOP/s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
order = {name: index for index, (name, *_) in enumerate(cases)}
for key in sorted(ours, key=lambda key: (order[key[0]], key[1], key[2])):
    name, batch, threads = key
    (our_ms, *_), (their_ms, *_, blas) = ours[key], best[key]
    mark = " †" if blas == "blasN" else ""
    rate = lambda t: f"{flop[name] * batch / (t / 1e3) / 1e9:.1f}"
    print(f"| {name} | {batch} | {threads} | {ms(our_ms)} | {ms(their_ms)}{mark} | {our_ms / their_ms:.2f} | {rate(our_ms)} | {rate(their_ms)} |")

print()
print("| model | params | GFLOP / sample | checkpoint MB | netshape load ms | PyTorch load ms | netshape peak MB | PyTorch peak MB |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
top = max(key[2] for key in ours)
for name, batches, *_ in cases:
    batches = [int(batch) for batch in batches.split(",")]
    our_loads = [value[2] for key, value in ours.items() if key[0] == name]
    their_loads = [value[2] for key, values in theirs.items() if key[0] == name for value in values]
    peaks = lambda table: " / ".join(f"{table[name, batch, top][3] / 1024:.0f}" for batch in batches)
    print(
        f"| {name} | {params[name]:,} | {flop[name] / 1e9:.3g} | {sizes[name][0] / 1e6:.1f} / {sizes[name][1] / 1e6:.1f} "
        f"| {ms(statistics.median(our_loads))} | {ms(statistics.median(their_loads))} "
        f"| {peaks(ours)} | {peaks(best)} |"
    )
print()
baseline = int(open(f"{work}/baseline").read()) / 1024
print(
    f"Peak memory at batch 1 / 8 (digits: 450) with {top} threads, the load included; "
    f"PyTorch's includes the interpreter and the libraries, {baseline:.0f} MB before any model. "
    f"Checkpoints: netshape's safetensors / PyTorch's `.pt`. Whole run: {seconds // 60} min {seconds % 60} s, "
    f"PyTorch {torch.__version__}."
)
EOF
