"""Checks the pages that scripts/pages-in-a-browser.sh rendered in a browser.

For each page NAME.html there are NAME.png (a screenshot), NAME.pdf (printed) and NAME.dom (the
document as the browser built it). Each page must be drawn (not blank), have its charts (SVG bars
in the DOM, and colour in the picture; a referral letter has none), and be right to left when
Persian; a case document prints on one or two A4 pages. A report's page carries no personal value of the workspace: no client's name, national
id, phone, address, goal text or note. A case document (doc-*) shows its client's data, but
never a note, and a referral letter no goal text either.

    python3 scripts/check-pages.py PAGES_DIR WORKSPACE
"""

import pathlib
import re
import sys

from PIL import Image

# The keys of a case file whose values are personal (see docs/case-file.md).
PERSONAL = ("name", "national_id", "phone", "address", "note", "notes", "birth_date", "text")


def personal_values(workspace, keys=PERSONAL):
    """Every value of `keys` written in the workspace's case files, of 4 characters or more."""
    found = set()
    pattern = re.compile(r"^\s*(?:- )?(%s):\s*(.+?)\s*$" % "|".join(keys))
    for path in pathlib.Path(workspace, "cases").rglob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = pattern.match(line)
            if match:
                value = match.group(2).strip("\"'")
                if len(value) >= 4 and not value.startswith(("{", "[", "|", ">")):
                    found.add(value)
    return found


def check(pages, workspace):
    secrets = personal_values(workspace)
    assert len(secrets) > 20, "the sample's personal values were not found"
    notes = personal_values(workspace, ("note", "notes"))
    texts = personal_values(workspace, ("text",))
    assert notes and texts, "the sample's notes and goal texts were not found"
    problems = []
    names = sorted(p.stem for p in pathlib.Path(pages).glob("*.html"))
    assert names, "no page was rendered"
    for name in names:
        base = pathlib.Path(pages, name)
        html = base.with_suffix(".html").read_text(encoding="utf-8")
        dom = base.with_suffix(".dom").read_text(encoding="utf-8")
        image = Image.open(base.with_suffix(".png")).convert("RGB")
        width, height = image.size
        raw = image.tobytes()
        pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
        inked = sum(1 for p in pixels if p != (255, 255, 255))
        blue = sum(1 for r, g, b in pixels if b > 120 and r < 100)
        if inked < width * height // 50:
            problems.append(f"{name}: the picture is blank ({inked} pixels drawn)")
        if blue < 200 and not letter:
            problems.append(f"{name}: no bar of a chart in the picture ({blue} bar pixels)")
        pdf = base.with_suffix(".pdf").read_bytes()
        if not pdf.startswith(b"%PDF") or len(pdf) < 2000:
            problems.append(f"{name}: the PDF was not printed")
        sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if name.startswith("doc-") and not 1 <= sheets <= 2:
            problems.append(f"{name}: a document prints on 1 or 2 A4 pages, not {sheets}")
        document = name.startswith("doc-")
        letter = name.startswith("doc-referral")
        if not letter and (dom.count("<rect") < 2 or "<svg" not in dom):
            problems.append(f"{name}: the charts are not in the document")
        persian = name.endswith("-fa")
        if persian and not re.search(r'<html[^>]*lang="fa"[^>]*dir="rtl"', dom):
            problems.append(f"{name}: the Persian page is not right to left")
        if not persian and 'dir="ltr"' not in dom:
            problems.append(f"{name}: the English page is not left to right")
        forbidden = (notes | texts if letter else notes) if document else secrets
        for secret in forbidden:
            if secret in html or secret in dom:
                problems.append(f"{name}: a personal value the page must not hold is on it")
                break
        if document and not any(secret in dom for secret in secrets):
            problems.append(f"{name}: the document shows none of its client's data")
        print(f"{name}: {width}x{height}, {inked} pixels drawn, {dom.count('<rect')} bars, "
              f"PDF {len(pdf)} bytes on {sheets} page(s)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    check(sys.argv[1], sys.argv[2])
