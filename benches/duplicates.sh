#!/usr/bin/env bash
# How well and how fast `cm report duplicates` finds clients known twice: a generated workspace
# of N cases with PERCENT of them planted as an earlier case's client, the name spelt another way
# (see benches/generate.rs), then the report timed (median of 3 after a warm-up that makes the
# cache) and scored against the planted pairs by benches/score-duplicates.py.
#
#   benches/duplicates.sh             # N = 100,000, PERCENT = 2
#   benches/duplicates.sh 10000 5
#
# Needs bash and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
percent=${2:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --release
cargo bench --quiet --bench generate -- "$tmp/ws" "$n" 1 "--duplicates=$percent" >/dev/null
export CM_TODAY=2026-11-01 NO_COLOR=1
cm() { "$PWD/target/release/cm" -C "$tmp/ws" "$@"; }
cm report duplicates --format csv >"$tmp/report.csv" 2>/dev/null
runs=()
for _ in 1 2 3; do
  start=$(date +%s%N)
  cm report duplicates --format csv >"$tmp/report.csv" 2>/dev/null
  runs+=($((($(date +%s%N) - start) / 1000000)))
done
echo "cases: $n, $percent% planted twice; cm report duplicates: $(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p) ms (median of 3, warm)"
python3 benches/score-duplicates.py "$tmp/ws/planted.csv" "$tmp/report.csv"
