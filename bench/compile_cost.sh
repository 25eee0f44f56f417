#!/usr/bin/env bash
# Compile cost of `network!`: times `cargo check` of a crate that declares a
# network with the macro against the same crate with the macro's output
# written out by hand, for torchvision's resnet152 (514 rows) and generated
# chains of 500, 2,000 and 8,000 layers (half `Linear`, half `ReLU`), which show
# how the cost grows. Usage: bash bench/compile_cost.sh [runs]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The networks: resnet152's network! body from its example, and a chain.
python3 - "$repo/examples/resnet152.rs" "$work" <<'PY'
import re, sys
source = open(sys.argv[1]).read()
body = source[source.index("network! {") + len("network! {"):]
depth, end = 1, 0
for index, char in enumerate(body):
    depth += {"{": 1, "}": -1}.get(char, 0)
    if depth == 0:
        end = index
        break
open(f"{sys.argv[2]}/resnet152.network", "w").write(body[:end])
for size in (500, 2000, 8000):
    layers = ["    input: [64],"]
    for index in range(size // 2):
        layers.append(f"    fc{index}: Linear(64, 64),")
        layers.append("    ReLU(),")
    open(f"{sys.argv[2]}/chain{size}.network", "w").write("pub struct Chain {\n" + "\n".join(layers) + "\n}\n")
PY

# The macro's output for each, by the macro's own pipeline.
NETSHAPE_EXPAND_DIR="$work" cargo test -q --manifest-path "$repo/Cargo.toml" -p netshape-macros \
    expand_files_for_the_benchmark -- --ignored >/dev/null

# crate and median_check_seconds, over $work, $repo and $runs.
source "$repo/bench/check_time.sh"

printf '%-10s %12s %12s %7s\n' network "macro (ms)" "by hand (ms)" ratio
for net in resnet152 chain500 chain2000 chain8000; do
    crate "${net}_macro" "netshape::network! { $(cat "$work/$net.network") }"
    crate "${net}_expanded" "$(cat "$work/$net.expanded.rs")"
    with_macro=$(median_check_seconds "$work/${net}_macro")
    by_hand=$(median_check_seconds "$work/${net}_expanded")
    ratio=$(python3 -c "print(f'{$with_macro / $by_hand:.2f}')")
    printf '%-10s %12s %12s %7s\n' "$net" "$with_macro" "$by_hand" "$ratio"
done
