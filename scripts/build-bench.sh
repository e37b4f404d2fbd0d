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

PROFILE="${PROFILE:-release}"
pm_wasm_bundle "$PROFILE" www/pkg-bench --features bench
echo "$PROFILE" > www/pkg-bench/PROFILE
pm_log "built: $(cd www/pkg-bench && ls -1 | tr '\n' ' ')"
