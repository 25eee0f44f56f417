#!/usr/bin/env bash
# Compile cost of sizes that vary: torchvision's ResNet-50 (examples/resnet50.rs)
# at 224 × 224, against the same network with
# `[3, H = 224, W = 224] where H in 1..=1024, W in 1..=1024`, checked at every
# one of those sizes. Prints, for each, the median `cargo check` time of a crate
# that declares it (after touching the source, as bench/compile_cost.sh) and
# the median time of the macro's pipeline alone (parse, check, expand; 9 runs,
# in the dev profile `cargo build` uses for the macro).
# Usage: bash bench/sizes_cost.sh [runs]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$repo/examples/resnet50.rs" "$work" <<'PY'
import re, sys
source = open(sys.argv[1]).read()
body = source[source.index("network! {") + len("network! {"):]
depth, end = 1, 0
for index, char in enumerate(body):
    depth += {"{": 1, "}": -1}.get(char, 0)
    if depth == 0:
        end = index
        break
body = body[:end]
open(f"{sys.argv[2]}/fixed.network", "w").write(body)
varying = re.sub(r"input: \[3, 224, 224\]", "input: [3, H = 224, W = 224] where H in 1..=1024, W in 1..=1024", body, count=1)
assert varying != body
open(f"{sys.argv[2]}/varying.network", "w").write(varying)
PY
# crate and median_check_seconds.
source "$repo/bench/check_time.sh"

printf '%-8s %16s %16s\n' resnet50 "cargo check (ms)" "macro alone (ms)"
for network in fixed varying; do
    crate "$network" "netshape::network! { $(cat "$work/$network.network") }"
    checked=$(median_check_seconds "$work/$network")
    alone=$(NETSHAPE_TIME_FILE="$work/$network.network" cargo test -q --manifest-path "$repo/Cargo.toml" \
        -p netshape-macros time_the_pipeline -- --ignored --nocapture 2>/dev/null | grep -o '[0-9.]* ms$' | cut -d' ' -f1)
    printf '%-8s %16s %16s\n' "$network" "$checked" "$alone"
done
