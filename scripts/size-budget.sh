#!/usr/bin/env bash
# Size budget of the embed bundle (what a host page downloads, catalogue
# excluded), as scripts/dist.sh ships it: gzip -9 of
#   dist/policy_match_bg.wasm   the wasm
#   dist/policy-match.js        the <policy-match> module: element + wasm-bindgen glue + widget.css
# must stay within BUDGET_KB. Also prints raw and brotli sizes. Runs
# `scripts/dist.sh --no-build` on www/pkg, so build first with
# scripts/build-wasm.sh. Exit 1 when over budget (or when a file is missing).
#
# The budget is a regression guard a little above the size reached (341.9 KiB
# in the seventh session: 325 before the shared-test memo and never-true
# analyses of the fifth, +4.2 for the check advice of the sixth, +1.4 for
# reporting every schema mistake of an element and +1.6 for compiling the
# rules of a catalogue that has structural mistakes; 343.5 on main at fd32556,
# then +1.7 for labelled options on string_list fields: checkboxes with 没有
# in the self-check, option checks in the compiler, labels and aliases read
# in profiles; 347.9 at the eighth session's end: +0.45 for the embed QA's
# webmaster-mistake reports in policy-match.js, +0.5 for the policy staffer's
# QA of check, +1.4 for keeping remembered answers to another page's fields,
# +0.1 for the self-check QA; 350.0 (358,373 B) in the ninth session: +1.4 for the never-true
# warning on choice tests and the unused-derived warning, +0.1 for the repeated
# score part id error, +0.4 for the percent-scale warning on band tables of
# fractions, +0.1 of JS naming browse mode's catalogue files and data-catalogue=,
# +0.1 for reporting every bad link; guard 351, not 350, to leave more than
# 27 B); 352.3 (360,749 B) in the tenth session: +0.8 for check's syntax hints
# (a comma missing at a line's end, 100万/10%, single quotes, comments,
# True/None/NaN), +0.7 for labelling computed dates in explanations and the
# count / constant-on-the-left never-true warnings, +0.8 for the self-check
# QA's fixes (focus, retyped figures, % only for percent fields, English
# colons, the 元-in-a-万元-box hint, the unit pressed after typing); guard 353;
# 354.5 (363,025 B) in the eleventh session: +1.65 for fields read as a city (`"format":
# "city"`: 浙江省杭州市滨江区 is 杭州市; a Hangzhou enterprise whose list gave its
# address silently failed 杭州"新雏鹰"; city_of 1.1 KB of code, the format key
# and its check 0.6 KB raw), +0.24 near misses to two decimals, +0.2 the catalogue
# builder in stages, +0.15 JS-boundary errors, +0.06 the visual QA's CSS, +0.1 asOf
# checked and Latin fonts for English, -0.15 one date check for the JS API; guard 355;
# 354.9 (363,466 B) in the twelfth session: +0.35 for the accessibility QA
# (font size, forced colours, units and policies in accessible names, focus
# after the report), +0.09 a county read as an address's place; guard 355;
# 356.2 (364,712 B) in the thirteenth session: +0.89 for the widget QA (a city
# rule's places in the reader's script, browse cards named, Escape closing
# 清除全部答案？, radio buttons and checkboxes growing with the text), +0.1 for
# the empty-object message and English address words (subdistrict, town…),
# +0.19 for English counties and provinces (`Tonglu County, Zhejiang` is
# Tonglu, not Zhejiang); guard 357;
# 356.8 (365,409 B) in the fourteenth session: +0.30 for the phone QA (万元 from
# 10万元 on, printed results as compact lines in two columns, 44 px touch
# targets, hover looks only where there is hover, the report's heading
# scrolled into view), +0.12 for 复制链接 on plain-http portals, +0.09 for
# cities compared without letter case, +0.16 for the never-true warning on a
# city rule's value that no address can give; guard 357;
# 358.8 (367,445 B) in the fifteenth session: +0.47 for an address that names
# no city (滨江区: refused and asked for, not compared whole; its own message in
# the widget), +0.25 for a refused value from a share link or remembered answers
# shown in its question instead of dropped, +0.27 for 复制链接 saying 链接已复制。,
# +0.3 for a bounded value shown as its range (60–90分) in explanations, +0.2 for
# "did you mean" on ids written short and a number's message saying what to
# write (约300: 300); guard 359;
# 359.5 (368,168 B) in the sixteenth session: +0.2 for expired policies out of
# the estimated total with their end date, and a day that does not exist in a
# date box reported; +0.3 for ¥/RMB/yuan read as 元, option names of either
# bracket width, Chinese date messages with the range, checkCatalogue's today;
# +0.05 each for a host's profile set again, the results' 评估日期 line and
# ask_next leaving out expired policies; guard 360;
# 359.5 (368,174 B) in the seventeenth session: +6 B for the estimated total
# moved into the engine (matching::estimated_total, shared with the batch);
# the goal of issue 5 is 200 KiB (TARGET_KB) and is NOT met
# yet: the line "size-budget: target" says by how much. See README "Size".
set -euo pipefail

BUDGET_KB=${BUDGET_KB:-360}
TARGET_KB=${TARGET_KB:-200}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f www/pkg/policy_match_bg.wasm ] || { echo "size-budget: www/pkg is missing (run scripts/build-wasm.sh first)" >&2; exit 1; }
bash scripts/dist.sh --no-build >/dev/null
files=(dist/policy_match_bg.wasm dist/policy-match.js)

brotli_size() { # brotli -q 11 through node's zlib (no brotli CLI needed)
    node -e 'const z=require("zlib");const b=require("fs").readFileSync(process.argv[1]);process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$1" 2>/dev/null || echo 0
}

total_raw=0
total_gz=0
total_br=0
printf '%-32s %12s %12s %12s\n' "file" "raw bytes" "gzip -9" "brotli 11"
for f in "${files[@]}"; do
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    br=$(brotli_size "$f")
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    total_br=$((total_br + br))
    printf '%-32s %12d %12d %12d\n' "$f" "$raw" "$gz" "$br"
done
printf '%-32s %12d %12d %12d\n' "total" "$total_raw" "$total_gz" "$total_br"

budget=$((BUDGET_KB * 1024))
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
target=$((TARGET_KB * 1024))
if [ "$total_gz" -gt "$target" ]; then
    echo "size-budget: target: NOT MET: $(kib "$total_gz") gzip > goal ${TARGET_KB} KiB (over by $(kib $((total_gz - target))))"
else
    echo "size-budget: target: met: $(kib "$total_gz") gzip <= goal ${TARGET_KB} KiB"
fi
if [ "$total_gz" -gt "$budget" ]; then
    echo "size-budget: FAIL: embed bundle $(kib "$total_gz") gzip > budget ${BUDGET_KB} KiB (over by $(kib $((total_gz - budget))); brotli $(kib "$total_br"))"
    exit 1
fi
echo "size-budget: ok: embed bundle $(kib "$total_gz") gzip <= budget ${BUDGET_KB} KiB ($(kib $((budget - total_gz))) left; raw $(kib "$total_raw"), brotli $(kib "$total_br"))"
