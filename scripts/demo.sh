#!/usr/bin/env bash
# One command for the demo: installs what it needs (wasm32 target, the
# wasm-bindgen-cli matching Cargo.lock), builds the wasm into www/pkg and serves
# www/ on http://localhost:8080 (PORT=... to change it, HOST=0.0.0.0 to listen
# on every interface). Stop it with Ctrl-C.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"

PORT="${PORT:-8080}"
HOST="${HOST:-127.0.0.1}"

command -v node >/dev/null 2>&1 || pm_die "node not found (need node >= 20)"
"$PM_ROOT/scripts/build-wasm.sh"

pm_log "demo: http://localhost:${PORT}/  (Ctrl-C to stop)"
exec node "$PM_ROOT/scripts/serve.mjs" --port "$PORT" --host "$HOST" --root "$PM_ROOT/www"
