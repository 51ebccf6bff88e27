#!/usr/bin/env bash
# Shows that an independent JSON Schema tool (check-jsonschema, the usual pre-commit validator)
# accepts cm's schema as it is and agrees with `cm validate` on the sample cases and on the
# schema reproducer. Needs python3 and access to PyPI; installs into a throwaway folder.
#
#   scripts/schema-agreement.sh
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet check-jsonschema
cjs="$venv/bin/check-jsonschema"
cargo build --quiet --release
cm=target/release/cm

echo "== the schema is a valid draft 2020-12 schema"
"$cjs" --check-metaschema schemas/case.schema.json

echo "== the sample cases: both must accept them"
"$cjs" --schemafile schemas/case.schema.json sample-cases/cases/*/*.yaml
"$cm" -C sample-cases validate

echo "== the schema reproducer: both must reject it"
bad=tests/fixtures/rules/schema
if "$cjs" --schemafile schemas/case.schema.json "$bad"/cases/*/*.yaml; then
  echo "check-jsonschema accepted a case that cm rejects" >&2
  exit 1
fi
if "$cm" -C "$bad" validate; then
  echo "cm accepted a case that check-jsonschema rejects" >&2
  exit 1
fi
echo "== agreement: both tools accept the samples and reject the reproducer"
