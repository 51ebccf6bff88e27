#!/usr/bin/env bash
# The benchmark: cm on generated workspaces of N cases, and the tools a user would otherwise
# reach for on the same files. Writes benches/RESULTS.md.
#
#   benches/run.sh              # N = 10,000 and 100,000
#   benches/run.sh 2000 20000   # other sizes
#
# For each N: a workspace from the generator (benches/generate.rs, seed 1, every case valid as
# of 2026-11-01), then wall time (median of 3 runs after one warm-up, files in the page cache)
# and peak memory of `cm validate`, `overdue` (also its first run, which makes the cache of
# typed cases), `report outcomes`, `list`, the monthly summary as CSV and as a page, the
# indicators' page, one case's printed summary and one real `advance`;
# then the same files validated by check-jsonschema (PyPI), ajv-cli (npm, --spec=draft2020) and
# @sourcemeta/jsonschema (npm, -c), each installed into a throwaway folder when the registry
# answers, skipped with a note when not. BENCH_PEERS_MAX=N skips the peers above N cases
# (check-jsonschema takes about 12 minutes on 100,000 files).
#
# Needs bash, and GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
peers_max=${BENCH_PEERS_MAX:-1000000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
results=$root/benches/RESULTS.md
have_time=$([ -x /usr/bin/time ] && echo yes || echo no)

echo "building cm and the generator" >&2
cargo build --quiet --release
cargo bench --quiet --bench generate --no-run 2>/dev/null
cm=$root/target/release/cm
export NO_COLOR=1

# measure CMD...: runs it once, prints "milliseconds peak-KB exit-status".
measure() {
  local start end status=0
  start=$(date +%s%N)
  if [ "$have_time" = yes ]; then
    /usr/bin/time -f "%M" -o "$tmp/mem" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  else
    "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
    echo 0 >"$tmp/mem"
  fi
  end=$(date +%s%N)
  echo "$(((end - start) / 1000000)) $(tail -1 "$tmp/mem") $status"
}

# median3 CMD...: one warm-up, then three runs; prints "median-ms max-peak-KB last-status".
median3() {
  "$@" >/dev/null 2>&1 || true
  local runs=() mem=0 status=0 r
  for _ in 1 2 3; do
    read -r ms kb st < <(measure "$@")
    runs+=("$ms")
    [ "$kb" -gt "$mem" ] && mem=$kb
    status=$st
  done
  r=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  echo "$r $mem $status"
}

seconds() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
mb() { awk -v kb="$1" 'BEGIN { if (kb == 0) print "n/a"; else printf "%.0f", kb / 1024 }'; }

install_peers() {
  peer_note=""
  if python3 -m venv "$tmp/venv" >/dev/null 2>&1 &&
    "$tmp/venv/bin/pip" install --quiet check-jsonschema >/dev/null 2>&1; then
    cjs=$tmp/venv/bin/check-jsonschema
  else
    cjs=""
    peer_note+="- check-jsonschema: not installed (PyPI did not answer, or no python3 venv).\n"
  fi
  mkdir -p "$tmp/npm"
  if (cd "$tmp/npm" && npm install --silent --no-audit --no-fund ajv-cli@5 @sourcemeta/jsonschema >/dev/null 2>&1); then
    ajv=$tmp/npm/node_modules/.bin/ajv
    smj=$tmp/npm/node_modules/.bin/jsonschema
  else
    ajv=""
    smj=""
    peer_note+="- ajv-cli and @sourcemeta/jsonschema: not installed (npm did not answer).\n"
  fi
}

echo "installing the peers into a throwaway folder" >&2
install_peers
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`benches/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores ($cpu), cm $("$cm" --version | cut -d' ' -f2) at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Wall time is the median of 3 runs after a warm-up (files in the page cache); memory is the peak resident set."
  echo "The listings and reports read the cache of typed cases (\`.cm/cache\`) that the warm-up made; \`cm validate\` never uses it."
  echo "The workspaces come from \`benches/generate.rs\` (seed 1): cases of about 2.7 KB like the samples, in all six phases, valid as of 2026-11-01."
  echo
} >"$results"

for n in "${sizes[@]}"; do
  ws=$tmp/ws-$n
  echo "generating $n cases" >&2
  cargo bench --quiet --bench generate -- "$ws" "$n" 1 >/dev/null 2>&1
  bytes=$(find "$ws/cases" -name '*.yaml' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  {
    echo "## $n cases ($(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') MB of YAML)"
    echo
    echo "| command | wall (s) | peak memory (MB) |"
    echo "|---|---:|---:|"
  } >>"$results"
  row() {
    local label=$1
    shift
    echo "running: $label ($n)" >&2
    read -r ms kb st < <(median3 "$@")
    echo "| \`$label\` | $(seconds "$ms") | $(mb "$kb") |" >>"$results"
    last_ms=$ms
  }
  row "cm validate" "$cm" -C "$ws" validate --as-of 2026-11-01
  validate_ms=$last_ms
  # The listings keep a cache of typed cases in .cm/cache: the first run makes it.
  echo "running: cm overdue without its cache ($n)" >&2
  rm -rf "$ws/.cm"
  read -r ms kb st < <(measure "$cm" -C "$ws" overdue --as-of 2026-11-01 --format csv)
  echo "| \`cm overdue\`, first run (making the cache) | $(seconds "$ms") | $(mb "$kb") |" >>"$results"
  row "cm overdue" "$cm" -C "$ws" overdue --as-of 2026-11-01 --format csv
  row "cm report outcomes" "$cm" -C "$ws" report outcomes --to 2026-11-01 --format csv
  row "cm list" "$cm" -C "$ws" list --as-of 2026-11-01 --format csv
  # The monthly figures as CSV and as the page with charts (its size is noted under the table),
  # the indicators' page, and one case's printed summary.
  row "cm report summary" "$cm" -C "$ws" report summary --month 2026-10 --format csv
  row "cm report summary --format html" "$cm" -C "$ws" report summary --month 2026-10 --format html
  page_bytes=$(wc -c <"$tmp/out")
  row "cm report indicators --format html" "$cm" -C "$ws" report indicators --to 2026-10-31 --format html
  one=$("$cm" -C "$ws" list --phase monitoring --format csv | sed -n 2p | cut -d, -f1)
  row "cm print --form summary" "$cm" -C "$ws" print "$one" --form summary
  # The peers first, on the files exactly as generated; their rows follow cm's table.
  peers=$tmp/peers.md
  {
    echo
    echo "The same files validated by the tools a user would otherwise use (one run each, after cm's warm-up):"
    echo
    echo "| validator | wall (s) | peak memory (MB) | what it said | cm validate is faster by |"
    echo "|---|---:|---:|---|---:|"
    echo "| cm validate | $(seconds "$validate_ms") | | all valid, and file:line:col for every error | 1.0× |"
  } >"$peers"
  peer() {
    local label=$1
    shift
    echo "running: $label ($n)" >&2
    read -r ms kb st < <(measure "$@")
    local said
    said=$(cat "$tmp/out" "$tmp/err")
    case $label in
      check-jsonschema*) said=$(grep -q "validation done" <<<"$said" && ! grep -q "Schema validation errors" <<<"$said" && echo "all valid" || echo "errors") ;;
      ajv-cli*) said="$(grep -c ' valid$' <<<"$said" || true) valid, $(grep -c ' invalid$' <<<"$said" || true) invalid" ;;
      @sourcemeta*) said=$(grep -o '[0-9]* validated, [0-9]* passed, [0-9]* failed' <<<"$said" | head -1) ;;
    esac
    echo "| $label | $(seconds "$ms") | $(mb "$kb") | $said (exit $st) | $(awk -v p="$ms" -v c="$validate_ms" 'BEGIN { printf "%.1f×", p / (c > 0 ? c : 1) }') |" >>"$peers"
  }
  if [ "$n" -gt "$peers_max" ]; then
    echo "| (the others) | | | skipped: more than BENCH_PEERS_MAX=$peers_max cases | |" >>"$peers"
  else
    if [ -n "$cjs" ]; then
      peer "check-jsonschema" sh -c "find '$ws/cases' -name '*.yaml' -print0 | xargs -0 '$cjs' --schemafile '$root/schemas/case.schema.json'"
    fi
    if [ -n "$ajv" ]; then
      peer "ajv-cli --spec=draft2020" "$ajv" validate --spec=draft2020 --strict=false -s "$root/schemas/case.schema.json" -d "$ws/cases/**/*.yaml"
      peer "@sourcemeta/jsonschema -c" "$smj" validate "$root/schemas/case.schema.json" "$ws/cases" -c -e .yaml
    fi
  fi

  # One real advance per run, each on another case in intake.
  mapfile -t intake < <("$cm" -C "$ws" list --phase intake --format csv | tail -n +2 | cut -d, -f1 | head -4)
  echo "running: cm advance ($n)" >&2
  "$cm" -C "$ws" advance "${intake[0]}" --date 2026-11-01 >/dev/null
  times=()
  kb_max=0
  for i in 1 2 3; do
    read -r ms kb st < <(measure "$cm" -C "$ws" advance "${intake[$i]}" --date 2026-11-01)
    times+=("$ms")
    [ "$kb" -gt "$kb_max" ] && kb_max=$kb
  done
  echo "| \`cm advance\` (one case) | $(seconds "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)") | $(mb "$kb_max") |" >>"$results"
  echo >>"$results"
  echo "The monthly page (\`cm report summary --format html\`) is $page_bytes bytes." >>"$results"
  cat "$peers" >>"$results"
  echo >>"$results"
  rm -rf "$ws"
done

{
  [ -n "$peer_note" ] && printf "%b\n" "$peer_note"
  cat <<'EOF'
Notes:
- check-jsonschema is given the files in batches by `xargs` (the command line cannot hold 100,000
  names), as a pre-commit hook would; each batch starts Python again.
- ajv-cli reads YAML with js-yaml, which turns unquoted dates (`opened: 2026-03-13`) into
  timestamps, so it rejects every case ("must be string"); it stops at the first error of each
  file. Its time is still the time to read and check the same files.
- Only cm gives the line and column of each error.
EOF
} >>"$results"
echo "wrote $results" >&2
cat "$results"
