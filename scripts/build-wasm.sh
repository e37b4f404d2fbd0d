#!/usr/bin/env bash
# Build the browser bundle into www/pkg (gitignored):
#   cargo build --lib --target wasm32-unknown-unknown --profile wasm --no-default-features --features widget
#   wasm-bindgen --target web --remove-name-section --out-dir www/pkg --out-name policy_match ...
# Installs the wasm32 target and the matching wasm-bindgen-cli first if missing.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"

# --no-default-features --features widget: the embed carries none of the batch code (feature `batch`).
pm_wasm_bundle wasm www/pkg --no-default-features --features widget

pm_log "built: $(cd www/pkg && ls -1 | tr '\n' ' ')"

bash "$PM_ROOT/scripts/build-admin.sh"  # the admin page's own bundle: www/pkg-admin
