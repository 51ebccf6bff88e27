#!/usr/bin/env bash
# How fast `cm import` brings in a spreadsheet of N rows: a CSV file from the generator
# (benches/generate.rs --spreadsheet: Persian names and headers, Solar Hijri dates in either
# digits, national ids without their zeros) imported into a copy of the sample office with its
# map, sample-cases/import/map.toml. Timed: the check alone (--dry-run), the import (each run
# into a fresh copy), and the same file again (every row skipped as known); median of 3, with
# the peak memory of the import. The baseline: the case files the import wrote, copied with
# `cp -r` (what making that many files costs on this machine, whoever makes them).
#
#   benches/import.sh                # N = 10,000 and 100,000
#   benches/import.sh 2000           # other sizes
#
# Needs bash, and GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
# shellcheck source=setup.sh
. "$root/benches/setup.sh"

# fresh: a new copy of the sample office at $tmp/ws, with the map.
fresh() {
  rm -rf "$tmp/ws"
  cp -r "$root/sample-cases" "$tmp/ws"
}

for n in "${sizes[@]}"; do
  cargo bench --quiet --bench generate -- "--spreadsheet=$tmp/rows.csv" "$n" 1 >/dev/null
  import=("$cm" -C "$tmp/ws" import "$tmp/rows.csv" --map import/map.toml)
  fresh
  dry=$(for _ in 1 2 3; do timed "${import[@]}" --dry-run; done | median)
  runs=$(for _ in 1 2 3; do fresh; timed "${import[@]}"; done)
  said=$(tail -1 "$tmp/err")
  again=$(for _ in 1 2 3; do timed "${import[@]}"; done | median)
  skipped=$(grep -c 'skipped' "$tmp/err" || true)
  copy=$(for _ in 1 2 3; do rm -rf "$tmp/copy"; timed cp -r "$tmp/ws/cases" "$tmp/copy"; done | median)
  echo "rows: $n"
  echo "  cm import --dry-run: ${dry% *} ms, peak ${dry#* } MB"
  echo "  cm import: $(echo "$runs" | median | awk '{print $1 " ms, peak " $2 " MB"}')  ($said)"
  echo "  cm import again: ${again% *} ms, peak ${again#* } MB ($skipped rows skipped as known)"
  echo "  baseline, the case files copied with cp -r: ${copy% *} ms"
done
