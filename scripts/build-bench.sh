#!/usr/bin/env bash
# Build the benchmark bundle into www/pkg-bench (gitignored): the library
# with the `bench` feature (src/embed/bench.rs), so that the embed bundle in
# www/pkg does not carry benchmark code.
#
#   PROFILE=release (default; opt-level 3, like the native benchmarks) or
#   PROFILE=wasm    (opt-level "z", like the shipped bundle)
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"

pm_setup_wasm
PROFILE="${PROFILE:-release}"

pm_log "cargo build --lib --target wasm32-unknown-unknown --profile $PROFILE --features bench"
cargo build --lib --target wasm32-unknown-unknown --profile "$PROFILE" --features bench

pm_log "wasm-bindgen --target web --out-dir www/pkg-bench"
rm -rf www/pkg-bench
wasm-bindgen --target web --remove-name-section \
    --out-dir www/pkg-bench --out-name policy_match \
    "target/wasm32-unknown-unknown/$PROFILE/policy_match.wasm"
echo "$PROFILE" > www/pkg-bench/PROFILE
pm_log "built: $(cd www/pkg-bench && ls -1 | tr '\n' ' ')"
