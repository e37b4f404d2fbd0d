# shellcheck shell=bash
# Shared set-up for scripts/demo.sh and scripts/test.sh. Source it, don't run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
#   pm_setup_wasm      # wasm32 target + wasm-bindgen-cli (exactly Cargo.lock's version)
#   pm_setup_browser   # Debian chromium + chromedriver (apt, only when missing), and a
#                      # Chinese font (pm_setup_fonts) so screenshots render 中文
#   pm_setup_fonts     # fonts-wqy-microhei (apt), skipped when fc-list :lang=zh finds a font
#   pm_setup_node      # npm ci (dev packages: playwright-core, ...), only when changed
#
# Every step is idempotent and skips what is already there. Nothing here asks
# for input (CI runs with no stdin and CI=true). Needs: Rust via rustup,
# node >= 20 with npm, and root (or sudo) for apt-get.

PM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PM_ROOT

# Browsers for the tests and the benchmark: Debian's, never a tool's own download.
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive

if [ -t 2 ]; then PM_BLUE=$'\033[1;34m' PM_RED=$'\033[1;31m' PM_OFF=$'\033[0m'; else PM_BLUE='' PM_RED='' PM_OFF=''; fi
pm_log() { printf '%s==>%s %s\n' "$PM_BLUE" "$PM_OFF" "$*" >&2; }
pm_die() { printf '%serror:%s %s\n' "$PM_RED" "$PM_OFF" "$*" >&2; exit 1; }

# Rust comes from rustup; a login shell may not have ~/.cargo/bin on PATH yet.
pm_ensure_cargo() {
    if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    command -v cargo >/dev/null 2>&1 || pm_die "cargo not found: install Rust with rustup first (https://rustup.rs)"
    case ":$PATH:" in
        *":$HOME/.cargo/bin:"*) ;;
        *) export PATH="$HOME/.cargo/bin:$PATH" ;;
    esac
}

# The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly).
pm_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$PM_ROOT/Cargo.lock"
}

pm_ensure_wasm_target() {
    if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
        pm_log "wasm32-unknown-unknown target: present"
    else
        pm_log "rustup target add wasm32-unknown-unknown"
        rustup target add wasm32-unknown-unknown
    fi
}

pm_ensure_wasm_bindgen_cli() {
    local want have_cli have_runner
    want="$(pm_wasm_bindgen_version)"
    [ -n "$want" ] || pm_die "no wasm-bindgen package in Cargo.lock"
    have_cli="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
    have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" || true
    if [ "$have_cli" = "$want" ] && [ "$have_runner" = "$want" ]; then
        pm_log "wasm-bindgen-cli $want: present"
    else
        pm_log "cargo install wasm-bindgen-cli --version $want (have: ${have_cli:-none}; takes 2-4 minutes)"
        # Without --locked: the CLI's own lock file does not build with this toolchain.
        # --force: reached only on a mismatch, and cargo would otherwise skip a
        # version it believes installed even when the binaries are gone.
        cargo install --force wasm-bindgen-cli --version "$want"
        have_cli="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
        [ "$have_cli" = "$want" ] || pm_die "wasm-bindgen --version says '${have_cli:-nothing}', expected $want"
    fi
}

pm_setup_wasm() {
    pm_ensure_cargo
    pm_ensure_wasm_target
    pm_ensure_wasm_bindgen_cli
}

# Build the library for the browser and generate its JS glue:
#   pm_wasm_bundle PROFILE OUT_DIR [cargo feature flags...]
# runs `cargo build --lib --target wasm32-unknown-unknown --profile PROFILE FLAGS`
# then `wasm-bindgen --target web --remove-name-section --out-dir OUT_DIR`.
pm_wasm_bundle() {
    local profile=$1 out=$2
    shift 2
    pm_setup_wasm
    pm_log "cargo build --lib --target wasm32-unknown-unknown --profile $profile $*"
    cargo build --lib --target wasm32-unknown-unknown --profile "$profile" "$@"
    pm_log "wasm-bindgen --target web --remove-name-section --out-dir $out"
    rm -rf "$out"
    wasm-bindgen --target web --remove-name-section \
        --out-dir "$out" --out-name policy_match \
        "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/policy_match.wasm"
}

pm_apt_get() {
    if [ "$(id -u)" -eq 0 ]; then
        apt-get "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get "$@"
    else
        pm_die "apt-get needs root (or sudo): apt-get $*"
    fi
}

# A Chinese font for the browser (the screenshots of the e2e tests show 中文).
# fonts-wqy-microhei: 1.6 MB download (fonts-noto-cjk is 57 MB, used when present).
pm_setup_fonts() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n1)" ]; then
        pm_log "Chinese font: present ($(fc-list :lang=zh family 2>/dev/null | head -n1 | cut -d, -f1))"
        return 0
    fi
    pm_log "apt-get install fonts-wqy-microhei (Chinese font, 1.6 MB)"
    pm_apt_get update
    pm_apt_get install -y --no-install-recommends fonts-wqy-microhei fontconfig
    fc-cache -f >/dev/null 2>&1 || true
    [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n1)" ] || pm_die "no Chinese font after apt-get install fonts-wqy-microhei"
}

pm_setup_browser() {
    pm_setup_fonts
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        pm_log "chromium + chromedriver: present ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
        return 0
    fi
    pm_log "apt-get install chromium chromium-driver (about 25 s)"
    pm_apt_get update
    pm_apt_get install -y chromium chromium-driver
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || pm_die "chromium / chromedriver still missing after apt-get"
}

pm_setup_node() {
    command -v node >/dev/null 2>&1 || pm_die "node not found (need node >= 20 with npm)"
    command -v npm >/dev/null 2>&1 || pm_die "npm not found (need node >= 20 with npm)"
    local stamp="$PM_ROOT/node_modules/.pm-setup-stamp" sum
    if [ -f "$PM_ROOT/package-lock.json" ]; then
        sum="$(cat "$PM_ROOT/package.json" "$PM_ROOT/package-lock.json" | sha256sum | cut -d' ' -f1)"
    else
        sum="$(sha256sum <"$PM_ROOT/package.json" | cut -d' ' -f1)"
    fi
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        pm_log "npm dev packages: up to date"
        return 0
    fi
    if [ -f "$PM_ROOT/package-lock.json" ]; then
        pm_log "npm ci"
        (cd "$PM_ROOT" && npm ci --no-audit --no-fund)
    else
        pm_log "npm install (no package-lock.json)"
        (cd "$PM_ROOT" && npm install --no-audit --no-fund)
    fi
    echo "$sum" >"$stamp"
}
