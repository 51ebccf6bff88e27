"""How well `cm report duplicates` finds the clients planted twice by the generator.

    python3 benches/score-duplicates.py WORKSPACE/planted.csv REPORT.csv

Every case planted as another case's client, and the cases planted as the same client in turn,
are one person: the truth is every pair within such a group. A reported pair is right when it is
in the truth. Prints the precision and the recall, and how many wrong pairs have names a person
could not tell apart either (the same first and last name, in any of the generator's spellings),
so that the matcher's own mistakes are seen apart from chance namesakes.
"""

import csv
import itertools
import re
import sys
from collections import Counter
from pathlib import Path


def groups(planted):
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in planted:
        parent[root(row["case"])] = root(row["other"])
    members = {}
    for case in list(parent):
        members.setdefault(root(case), []).append(case)
    return {
        pair
        for group in members.values()
        for pair in itertools.combinations(sorted(group), 2)
    }


def spellings():
    """Each spelling of a name word in the generator, to the word it spells."""
    source = (Path(__file__).parent / "generate.rs").read_text()
    word = {}
    for m in re.finditer(r'\("([^"]+)", &\[([^\]]*)\]\)', source):
        persian = m.group(1).replace("\\u{200c}", "\u200c")
        arabic = persian.replace("ی", "ي").replace("ک", "ك")
        for spelling in [persian, arabic, *re.findall(r'"([^"]+)"', m.group(2))]:
            word[spelling] = persian
    return word


def main():
    planted_file, report_file = sys.argv[1], sys.argv[2]
    workspace = Path(planted_file).parent
    truth = groups(list(csv.DictReader(open(planted_file, encoding="utf-8"))))
    reported = {
        tuple(sorted((r["case"], r["other"]))): r
        for r in csv.DictReader(open(report_file, encoding="utf-8"))
    }
    right = [p for p in reported if p in truth]
    wrong = [p for p in reported if p not in truth]
    word = spellings()

    def person(case):
        text = (workspace / "cases" / case.split("-")[1] / f"{case}.yaml").read_text()
        name = re.search(r"\n  name: (.*)", text).group(1)
        return tuple(word.get(w, "?" + w) for w in name.split(" ", 1))

    namesakes = sum(1 for a, b in wrong if person(a) == person(b))
    print(f"planted pairs: {len(truth)}; reported: {len(reported)}")
    print(f"right: {len(right)}; wrong: {len(wrong)} ({namesakes} of them namesakes born alike)")
    print(f"precision: {len(right) / max(1, len(reported)):.3f}")
    print(
        "precision, namesakes aside: "
        f"{len(right) / max(1, len(reported) - namesakes):.3f}"
    )
    print(f"recall: {len(right) / max(1, len(truth)):.3f}")
    print("right by", dict(Counter(reported[p]["matched_by"] for p in right)))
    print("wrong by", dict(Counter(reported[p]["matched_by"] for p in wrong)))


main()
