#!/usr/bin/env bash
# How fast the reports read many offices: three generated offices of N cases each (benches/
# generate.rs --office), the monthly summary over all three (`-C` three times) and over their
# exports (`--from-export`), each beside the same summary over one office. Timed cold (no
# cache in .cm/: the first read of each workspace, which makes it) and warm (the cache made);
# the exports have no cache. Median of 3, with the peak memory.
#
#   benches/offices.sh                # N = 100,000
#   benches/offices.sh 10000          # other sizes
#
# Needs bash, and GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000)
# shellcheck source=setup.sh
. "$root/benches/setup.sh"
offices=(THR ISF MSH)
uncached() { for office in "${offices[@]}"; do rm -rf "$tmp/$office/.cm/cache"*; done; }
shown() { echo "${1% *} ms, peak ${1#* } MB"; }

for n in "${sizes[@]}"; do
  seed=1
  for office in "${offices[@]}"; do
    rm -rf "${tmp:?}/$office"
    cargo bench --quiet --bench generate -- "$tmp/$office" "$n" "$seed" --office="$office" >/dev/null
    seed=$((seed + 1))
  done
  summary=(report summary --month 2026-06 --format csv)
  all=()
  for office in "${offices[@]}"; do all+=(-C "$tmp/$office"); done
  one_cold=$(for _ in 1 2 3; do uncached; timed "$cm" -C "$tmp/THR" "${summary[@]}"; done | median)
  one_warm=$(for _ in 1 2 3; do timed "$cm" -C "$tmp/THR" "${summary[@]}"; done | median)
  all_cold=$(for _ in 1 2 3; do uncached; timed "$cm" "${all[@]}" "${summary[@]}"; done | median)
  all_warm=$(for _ in 1 2 3; do timed "$cm" "${all[@]}" "${summary[@]}"; done | median)
  files=()
  for office in "${offices[@]}"; do
    "$cm" -C "$tmp/$office" export --redact --to behzisti >"$tmp/$office.jsonl" 2>/dev/null
    files+=("$tmp/$office.jsonl")
  done
  lines=$(cat "${files[@]}" | wc -l)
  bytes=$(cat "${files[@]}" | wc -c)
  one_export=$(for _ in 1 2 3; do timed "$cm" "${summary[@]}" --from-export "${files[0]}"; done | median)
  exports=$(for _ in 1 2 3; do timed "$cm" "${summary[@]}" --from-export "${files[@]}"; done | median)
  echo "cases: 3 offices x $n"
  echo "  one office, cold: $(shown "$one_cold"); warm: $(shown "$one_warm")"
  echo "  three offices (-C x3), cold: $(shown "$all_cold"); warm: $(shown "$all_warm")"
  echo "  one office's export: $(shown "$one_export")"
  echo "  three offices' exports ($lines lines, $((bytes / 1048576)) MB): $(shown "$exports")"
done
