#!/usr/bin/env bash
# Opens the sample office's pages (the five `cm report … --format html`) and case documents
# (`cm print`), in English and Persian, in a real browser, headless Chromium, and prints each to
# PNG and PDF; then checks that no page is blank, that the charts are drawn, that the Persian
# pages are right to left, that no personal value of the workspace is on a report's page, and
# that no document holds more than its purpose needs. Needs the Debian packages chromium and
# fonts-noto-core (a font with Persian glyphs), which .ci/run installs, and python3 with access
# to PyPI (for Pillow, installed into a throwaway folder).
#
#   scripts/pages-in-a-browser.sh               # check
#   scripts/pages-in-a-browser.sh --update-docs # and put the monthly pages' PNGs in docs/images
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "needs chromium (Debian: apt-get install chromium fonts-noto-core)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pillow
cargo build --quiet --release
cm="${CARGO_TARGET_DIR:-target}/release/cm"
export CM_TODAY=2026-11-01
pages="$work/pages"
mkdir -p "$pages"
page() { # NAME LANG ARGS...: the page of `cm report ARGS...` in LANG, as NAME-LANG.html
  local name=$1 lang=$2
  shift 2
  "$cm" -C sample-cases report "$@" --format html --lang "$lang" > "$pages/$name-$lang.html"
}
for lang in en fa; do
  page summary "$lang" summary --month 2026-10
  page indicators "$lang" indicators --from 2026-01-01 --to 2026-10-31
  page outcomes "$lang" outcomes --to 2026-10-31
  page caseload "$lang" caseload --as-of 2026-10-31
  page referrals "$lang" referrals --from 2026-01-01 --to 2026-10-31
done
# The case documents (`cm print`), of a copy of the sample in which THR-2026-0004, whose client
# consents to sharing with behzisti, is referred there.
office="$work/office"
cp -r sample-cases "$office"
"$cm" -C "$office" refer THR-2026-0004 --type counselling --provider behzisti \
  --date 2026-10-30 > /dev/null
document() { # NAME LANG ARGS...: `cm print ARGS...` in LANG, as doc-NAME-LANG.html
  local name=$1 lang=$2
  shift 2
  "$cm" -C "$office" print "$@" --lang "$lang" > "$pages/doc-$name-$lang.html" 2> /dev/null
}
for lang in en fa; do
  document summary "$lang" THR-2026-0004 --form summary
  document referral "$lang" THR-2026-0004 --form referral --service S6
  document closure "$lang" THR-2026-0006 --form closure
done
chrome() {
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" "$@" 2>/dev/null
}
for page in "$pages"/*.html; do
  name=${page%.html}
  chrome --window-size=900,1400 --screenshot="$name.png" "file://$page"
  chrome --no-pdf-header-footer --print-to-pdf="$name.pdf" "file://$page"
  chrome --dump-dom "file://$page" > "$name.dom"
done
"$work/venv/bin/python" scripts/check-pages.py "$pages" sample-cases
if [ "${1:-}" = --update-docs ]; then
  for lang in en fa; do
    cp "$pages/summary-$lang.png" "docs/images/monthly-summary-$lang.png"
  done
  echo "updated docs/images/monthly-summary-{en,fa}.png"
fi
