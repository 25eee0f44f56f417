#!/usr/bin/env bash
# Compile cost of sizes that vary: the macro's pipeline (parse, check, expand)
# on torchvision's ResNet-50 (examples/resnet50.rs) at 224 × 224, and the same
# network with `[3, H = 224, W = 224] where H in 1..=1024, W in 1..=1024`,
# checked at every one of those sizes. Median of 9 runs each, in the profile
# given (default: dev, the one `cargo build` uses for the macro).
# Usage: bash bench/sizes_cost.sh [--release]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
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
for network in fixed varying; do
    NETSHAPE_TIME_FILE="$work/$network.network" cargo test -q ${1:-} --manifest-path "$repo/Cargo.toml" \
        -p netshape-macros time_the_pipeline -- --ignored --nocapture 2>/dev/null | grep ' ms$' | sed "s|$work/||"
done
