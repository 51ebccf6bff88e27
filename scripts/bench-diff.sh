#!/usr/bin/env bash
# Times `cm diff` over many changed cases: generates a workspace of N cases (default 20,000),
# commits it, reviews C of them with `cm review` (default 1,000; each review also changes the
# risk), commits again, and times `cm diff` between the two commits and against the working
# tree. Needs git; uses no network.
#
#   scripts/bench-diff.sh [N] [C]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
changed=${2:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo build --quiet --release
cargo bench --quiet --bench generate -- "$dir" "$n" 1 >/dev/null
cm="$PWD/target/release/cm"
cd "$dir"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
git init --quiet && git add --all && git commit --quiet --message "$n cases"
reviewed=0
for id in $("$cm" list --phase monitoring --format csv | tail -n +2 | cut -d, -f1 | head -n "$changed"); do
  if "$cm" review "$id" --date 2026-11-20 --risk critical >/dev/null 2>&1; then
    reviewed=$((reviewed + 1))
  fi
done
echo "reviewed $reviewed of $n cases"
echo "== cm diff against the working tree"
/usr/bin/time -f "%e s, %M KB peak" "$cm" diff >/dev/null
git add --all && git commit --quiet --message "reviews"
echo "== cm diff HEAD~1 HEAD"
for _ in 1 2 3; do
  /usr/bin/time -f "%e s, %M KB peak" "$cm" diff HEAD~1 HEAD | wc -l
done
