# Sourced by the benchmark scripts, from the repository's root ($root): a temporary folder $tmp
# (removed at exit), the release binary $cm and the generator built, the day fixed; `timed
# CMD...` runs a command once and prints "milliseconds peak-MB" (its output to nowhere, its
# standard error kept in $tmp/err), and `median` picks the middle of three such lines. Needs GNU
# time (/usr/bin/time) for the memory.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --release
cargo bench --quiet --bench generate --no-run 2>/dev/null
export CM_TODAY=2026-11-01 NO_COLOR=1
cm=$root/target/release/cm

timed() {
  local start ms kb=0
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$tmp/mem" "$@" >/dev/null 2>"$tmp/err" || true
    kb=$(tail -1 "$tmp/mem")
  else
    "$@" >/dev/null 2>"$tmp/err" || true
  fi
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "$ms $((kb / 1024))"
}

median() { sort -n | sed -n 2p; }
