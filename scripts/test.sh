#!/usr/bin/env bash
# One command for every test. Installs what it needs first (idempotent: wasm32
# target, wasm-bindgen-cli matching Cargo.lock, Debian chromium +
# chromedriver, npm dev packages), then runs:
#
#   0. fmt         cargo fmt --check              (style, rustfmt.toml)
#   1. native      cargo test --all-targets       (lib, bins, tests/, benches in test mode)
#   2. doctests    cargo test --doc
#   3. wasm-build  scripts/build-wasm.sh          (release wasm → www/pkg)
#   4. browser     cargo test --target wasm32-unknown-unknown --test wasm…
#                  (wasm-bindgen-test in headless Chromium via chromedriver)
#   5. size        scripts/size-budget.sh         (gzip budget of the embed bundle in dist/)
#   6. e2e         node --test tests/e2e/          (Playwright in headless Chromium)
#
# Every step runs even when an earlier one failed (except those that need a
# failed step's output); exits non-zero on any failure and ends with a summary.
# Logs: test-output/logs/STEP.log. Runs with no stdin (CI=true is fine).
set -uo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PM_ROOT"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
LOGS="$PM_ROOT/test-output/logs"
mkdir -p "$LOGS"
START=$SECONDS

declare -a NAMES=() RESULTS=() DETAILS=() TIMES=()
declare -A STATUS=()

# run_step NAME DESCRIPTION COMMAND... : run, log to test-output/logs/NAME.log, record.
run_step() {
    local name="$1" desc="$2"
    shift 2
    local log="$LOGS/$name.log" t0=$SECONDS rc
    printf '\n========== %s: %s ==========\n' "$name" "$desc"
    printf '$ %s\n' "$*"
    "$@" < /dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 0 ]; then
        record "$name" PASS "$(details "$log") ${desc}" $((SECONDS - t0))
    else
        record "$name" FAIL "$(details "$log") ${desc} (exit $rc; log: test-output/logs/$name.log)" $((SECONDS - t0))
    fi
    [ "$rc" -eq 0 ]
}

record() { # NAME RESULT DETAIL SECONDS
    NAMES+=("$1"); RESULTS+=("$2"); DETAILS+=("$3"); TIMES+=("$4"); STATUS[$1]="$2"
}

skip_step() { # NAME WHY
    printf '\n========== %s: SKIPPED (%s) ==========\n' "$1" "$2"
    record "$1" SKIP "($2)" 0
}

# A short count of what a log says: cargo's "test result:" lines, node's "# pass".
details() {
    local log="$1"
    if grep -q '^test result:' "$log"; then
        awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?$/) p += $i; if ($(i+1) ~ /^failed;?$/) f += $i; if ($(i+1) ~ /^ignored;?$/) g += $i } }
             END { printf "[%d passed, %d failed, %d ignored]", p, f, g }' "$log"
    elif grep -q '^# pass ' "$log"; then
        awk '/^# (tests|pass|fail|todo|skipped) / { v[$2] = $3 } END { printf "[%d passed, %d failed, %d todo, %d skipped]", v["pass"], v["fail"], v["todo"], v["skipped"] }' "$log"
    elif grep -q '^size-budget: ' "$log"; then
        printf '[%s]' "$(grep '^size-budget: ' "$log" | sed 's/^size-budget: //' | paste -sd ';' - | sed 's/;/; /g')"
    fi
}

summary() {
    local pass=0 fail=0 skip=0 i
    printf '\n========== summary ==========\n'
    for i in "${!NAMES[@]}"; do
        printf '%-5s %-11s %4ss  %s\n' "${RESULTS[$i]}" "${NAMES[$i]}" "${TIMES[$i]}" "${DETAILS[$i]}"
        case "${RESULTS[$i]}" in
            PASS) pass=$((pass + 1)) ;;
            FAIL) fail=$((fail + 1)) ;;
            *) skip=$((skip + 1)) ;;
        esac
    done
    printf 'total %ss; logs in test-output/logs/\n' $((SECONDS - START))
    if [ "$fail" -eq 0 ] && [ "$skip" -eq 0 ]; then
        echo "ALL STEPS PASSED"
    else
        echo "SOME STEPS FAILED OR WERE SKIPPED"
    fi
    # The closing line: steps, not tests (the per-step counts are above).
    echo "steps: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ] && [ "$skip" -eq 0 ]
}

# ---- set-up (each part skips what is already there) ----
printf '========== setup ==========\n'
setup_t0=$SECONDS
if (pm_setup_wasm && pm_setup_browser && pm_setup_node) < /dev/null 2>&1 | tee "$LOGS/setup.log"; then
    record setup PASS "(wasm32 target, wasm-bindgen-cli $(pm_wasm_bindgen_version), chromium, npm packages)" $((SECONDS - setup_t0))
else
    record setup FAIL "(see test-output/logs/setup.log)" $((SECONDS - setup_t0))
    summary
    exit 1
fi
pm_ensure_cargo # PATH for this shell (the set-up above ran in a subshell)

# ---- tests ----
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt >/dev/null 2>&1 || true
if cargo fmt --version >/dev/null 2>&1; then
    run_step fmt "cargo fmt --check (rustfmt.toml)" cargo fmt --check
else
    skip_step fmt "rustfmt is not installed (rustup component add rustfmt)"
fi
run_step native "cargo test (native, all targets)" cargo test --all-targets
run_step doctests "cargo test --doc" cargo test --doc
run_step wasm-build "release wasm build into www/pkg" "$PM_ROOT/scripts/build-wasm.sh"

wasm_tests=()
for f in tests/wasm*.rs; do
    [ -f "$f" ] && wasm_tests+=(--test "$(basename "$f" .rs)")
done
if [ "${#wasm_tests[@]}" -eq 0 ]; then
    record browser FAIL "(no tests/wasm*.rs found)" 0
else
    run_step browser "wasm-bindgen-test in headless Chromium" \
        env CHROMEDRIVER="$CHROMEDRIVER" cargo test --target wasm32-unknown-unknown "${wasm_tests[@]}"
fi

if [ "${STATUS[wasm-build]}" = PASS ]; then
    run_step size "gzip size budget of the embed bundle (dist/)" "$PM_ROOT/scripts/size-budget.sh"
    run_step e2e "Playwright end-to-end (node --test tests/e2e/)" node --test tests/e2e/
else
    skip_step size "the wasm build failed"
    skip_step e2e "the wasm build failed"
fi

summary
