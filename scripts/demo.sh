#!/usr/bin/env bash
# One command for the demo: installs what it needs (wasm32 target, the
# wasm-bindgen-cli matching Cargo.lock), builds the wasm into www/pkg (and the
# admin page's into www/pkg-admin), writes dist/ (embed bundle + offline file) and serves
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
# dist/: the embed bundle and the offline single file (no rebuild).
bash "$PM_ROOT/scripts/dist.sh" --no-build >/dev/null

pm_log "offline single file (double-click, no network): $PM_ROOT/dist/policy-match-offline.html"
pm_log "demo: http://localhost:${PORT}/  ·  admin (批量匹配): http://localhost:${PORT}/admin.html  (Ctrl-C to stop)"
exec node "$PM_ROOT/scripts/serve.mjs" --port "$PORT" --host "$HOST" --root "$PM_ROOT/www"
