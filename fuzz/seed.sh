#!/usr/bin/env bash
# Makes the seed corpus in fuzz/seeds/ from the sample workspace: every sample case as it is (for
# `load`), the same with a review or an advance chosen for it (for `edit`), and the sample cm.toml
# with a few typed dates (for `text`). The seeds are committed; run this again after the samples
# change.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf seeds && mkdir -p seeds/load seeds/edit seeds/text
i=0
for case in ../sample-cases/cases/*/*.yaml; do
  name=$(basename "$case" .yaml)
  cp "$case" "seeds/load/$name"
  # The choices of an edit input (see `edit` in src/lib.rs): the date 4..11 days after the
  # case's last event, who acts (the caseworker), then a review of a case with a plan — one
  # domain and one goal re-scored, the risk lowered — or a move to the next phase, approved by a
  # supervisor, with a reason when it closes the case; a note of its own.
  date=$(printf '\\%o' $((8 + i % 8)))
  case $(sed -n 's/^phase: *//p' "$case") in
    planning | implementation | monitoring) choices='\000\000\001\001\003\001\000\004\001\000\000\000\000\000\000' ;;
    *) choices='\000\001\000\003\000\000\000\000\000\000\000\000\000\000\000' ;;
  esac
  note="بازبینی $i: \"quoted\" # not a comment"
  {
    printf "$date$choices"
    printf "\\$(printf %o "$(printf %s "$note" | wc -c)")%s" "$note"
    cat "$case"
  } > "seeds/edit/$name"
  i=$((i + 1))
done
# Line endings and a byte-order mark as Windows editors write them: the edits must keep them.
for name in THR-2026-0004 THR-2026-0008; do
  sed 's/$/\r/' "seeds/load/$name" > "seeds/load/$name-crlf"
  printf '\357\273\277' | cat - "seeds/load/$name" > "seeds/load/$name-bom"
  head -c 17 "seeds/edit/$name" > "seeds/edit/$name-crlf"
  note_len=$(head -c 17 "seeds/edit/$name" | tail -c 1 | od -An -tu1 | tr -d ' ')
  tail -c +18 "seeds/edit/$name" | head -c "$note_len" >> "seeds/edit/$name-crlf"
  cp "seeds/edit/$name-crlf" "seeds/edit/$name-bom"
  cat "seeds/load/$name-crlf" >> "seeds/edit/$name-crlf"
  cat "seeds/load/$name-bom" >> "seeds/edit/$name-bom"
done
# Top-level lists with their items not indented under the key, as PyYAML writes them.
for name in THR-2026-0002 THR-2026-0004 THR-2026-0007; do
  awk '/^(services|reviews|history):$/ { list = 1; print; next }
       /^[^ #]/ { list = 0 }
       list { sub(/^  /, "") }
       { print }' "seeds/load/$name" > "seeds/load/$name-indentless"
  head -c 17 "seeds/edit/$name" > "seeds/edit/$name-indentless"
  note_len=$(head -c 17 "seeds/edit/$name" | tail -c 1 | od -An -tu1 | tr -d ' ')
  tail -c +18 "seeds/edit/$name" | head -c "$note_len" >> "seeds/edit/$name-indentless"
  cat "seeds/load/$name-indentless" >> "seeds/edit/$name-indentless"
done
cp ../sample-cases/cm.toml seeds/text/cm.toml
printf '1405-08-10' > seeds/text/jalali
printf '۱۴۰۴-۰۷-۲۶' > seeds/text/persian-digits
printf '2026-02-28' > seeds/text/iso
printf '1404-12' > seeds/text/month
