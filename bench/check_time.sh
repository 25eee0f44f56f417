# Sourced by the compile-cost benchmarks: a throwaway crate that depends on
# netshape, and the median time of `cargo check` on it after touching its
# source. Expects $work (a scratch directory), $repo and $runs.

crate() { # name, lib.rs contents
    mkdir -p "$work/$1/src"
    cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
[dependencies]
netshape = { path = "$repo/netshape" }
[workspace]
TOML
    printf '%s\n' "$2" > "$work/$1/src/lib.rs"
}

median_check_seconds() { # crate directory
    local dir="$1" times=()
    cargo check -q --manifest-path "$dir/Cargo.toml" --target-dir "$work/target" 2>/dev/null
    for _ in $(seq "$runs"); do
        touch "$dir/src/lib.rs"
        local start end
        start=$(date +%s%N)
        cargo check -q --manifest-path "$dir/Cargo.toml" --target-dir "$work/target"
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

