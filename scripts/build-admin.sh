#!/usr/bin/env bash
# Build the admin page's wasm (batch 政策找人) into www/pkg-admin (gitignored):
#   cargo build --lib --target wasm32-unknown-unknown --profile wasm --no-default-features --features admin
#   wasm-bindgen --target web --remove-name-section --out-dir www/pkg-admin --out-name policy_match ...
# Its own bundle, without feature `widget` (none of the self-check widget's
# exports); the self-check embed (www/pkg, scripts/build-wasm.sh) is built
# without `batch` and carries none of the batch code. Both builds
# write the same cargo artifact, so wasm-bindgen runs right after each build.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"

pm_wasm_bundle wasm www/pkg-admin --no-default-features --features admin

pm_log "built: $(cd www/pkg-admin && ls -1 | tr '\n' ' ')($(gzip -9c www/pkg-admin/policy_match_bg.wasm | wc -c) bytes of gzipped wasm)"
