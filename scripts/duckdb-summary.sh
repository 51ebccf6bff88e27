#!/usr/bin/env bash
# Holds the exports of many offices to a real query engine: DuckDB (PyPI `duckdb`, installed into
# a throwaway environment) loads them with read_json_auto('exports/*.jsonl'), and the monthly
# summary written as SQL (scripts/summary.sql) gives the figures `cm report summary
# --from-export` gives, for three months. The offices: the sample office (THR, with a reopened
# case and households) and three generated ones, a case of which moved from one to another.
# When PyPI does not answer, says so and exits 0: the check is skipped, not failed.
#
#   scripts/duckdb-summary.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
if ! "$work/venv/bin/pip" install --quiet duckdb 2>"$work/pip.log"; then
  echo "duckdb-summary: skipped: duckdb could not be installed from PyPI ($(tail -1 "$work/pip.log"))"
  exit 0
fi
cargo build --quiet --release
cm=$(realpath "${CARGO_TARGET_DIR:-target}/release/cm")
sql=$(realpath scripts/summary.sql)
export CM_TODAY=2026-11-01
mkdir -p "$work/exports"
cp -r sample-cases "$work/THR"
rm -rf "$work/THR/.cm"
seed=1
for office in ISF MSH SHZ; do
  cargo bench --quiet --bench generate -- "$work/$office" 300 "$seed" --office="$office" >/dev/null
  seed=$((seed + 1))
done
# A client of Isfahan moves to Mashhad.
moved=$("$cm" -C "$work/ISF" list --open --format csv | sed -n 2p | cut -d, -f1)
"$cm" -C "$work/ISF" transfer "$moved" --office "$work/MSH" --to msh.cw001 --date 2026-10-15 \
  --approved-by isf.sup01 >/dev/null
for office in THR ISF MSH SHZ; do
  "$cm" -C "$work/$office" export --redact --to behzisti >"$work/exports/$office.jsonl" 2>/dev/null
done
cd "$work"
"$work/venv/bin/python" - "$sql" "$cm" <<'EOF'
import calendar, csv, io, subprocess, sys

import duckdb

sql_file, cm = sys.argv[1], sys.argv[2]
con = duckdb.connect()
lines, offices = con.execute(
    "SELECT count(*), count(DISTINCT office) FROM read_json_auto('exports/*.jsonl')"
).fetchall()[0]
print(f"duckdb {duckdb.__version__}: read_json_auto('exports/*.jsonl') loads {lines} cases of {offices} offices")
files = sorted(f"exports/{o}.jsonl" for o in ["THR", "ISF", "MSH", "SHZ"])
failed = 0
for month in ["2025-11", "2026-06", "2026-10"]:
    year, number = map(int, month.split("-"))
    last = calendar.monthrange(year, number)[1]
    con.execute("SET VARIABLE files = 'exports/*.jsonl'")
    con.execute(f"SET VARIABLE first = DATE '{month}-01'")
    con.execute(f"SET VARIABLE last = DATE '{month}-{last:02d}'")
    sql = dict(con.execute(open(sql_file).read()).fetchall())
    out = subprocess.run(
        [cm, "report", "summary", "--month", month, "--format", "csv", "--from-export", *files],
        capture_output=True, text=True, check=True,
    ).stdout
    figures = {row["metric"]: row["value"] for row in csv.DictReader(io.StringIO(out))}
    differ = [(k, v, figures.get(k)) for k, v in sql.items() if str(v) != figures.get(k)]
    for metric, ours, theirs in differ:
        print(f"  {month} {metric}: SQL {ours}, cm {theirs}")
    failed += len(differ)
    print(f"{month}: {len(sql) - len(differ)} of {len(sql)} figures of the SQL summary equal cm's "
          f"(open at month end {sql['open_at_month_end']}, opened {sql['cases_opened']}, "
          f"reviews {sql['reviews_held']})")
sys.exit(1 if failed else 0)
EOF
