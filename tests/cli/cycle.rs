//! A whole case played from the shell: opened with `cm new`, then consent, the assessment,
//! goals, a referral and the provider's answers, contacts, a change of risk, reviews, a
//! transfer, a change of consent, the closure and a reopening — with cm commands only. The file
//! is valid after every step, and at the end it is the case file in
//! tests/fixtures/cycle/THR-2026-0019.yaml (`CM_BLESS=1` rewrites it; read it): a file a person
//! could have written, every fact in it dated.

use std::path::Path;

use super::{cm, sample_copy, stdout};

/// Runs one step on the workspace: it must succeed, and every case must stay valid.
fn step(ws: &Path, args: &[&str]) {
    let mut all = vec!["-C", ws.to_str().unwrap()];
    all.extend(args);
    let out = cm(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checked = cm(&["-C", ws.to_str().unwrap(), "validate"]);
    let text = stdout(&checked);
    assert!(
        text.ends_with(": 0 errors, 0 warnings\n"),
        "after {args:?}:\n{text}"
    );
}

#[test]
fn a_whole_case_from_the_shell() {
    let tmp = sample_copy();
    let ws = tmp.path();
    let id = "THR-2026-0019";
    // Opened; consent recorded the same day (until then the case warns `no-consent`).
    let out = cm(&[
        "-C",
        ws.to_str().unwrap(),
        "new",
        "--program",
        "female-headed-household",
        "--name",
        "زهرا کریمی",
        "--sex",
        "female",
        "--caseworker",
        "s.ahmadi",
        "--risk",
        "high",
        "--date",
        "2026-03-01",
        "--note",
        "Referred by the neighbourhood health centre",
    ]);
    assert_eq!(stdout(&out), format!("cases/2026/{id}.yaml\n"));
    step(
        ws,
        &[
            "consent",
            id,
            "--given",
            "--share-with",
            "behzisti",
            "--date",
            "2026-03-01",
        ],
    );
    step(ws, &["advance", id, "--date", "2026-03-04"]);
    step(
        ws,
        &[
            "assess",
            id,
            "--score",
            "income=1",
            "--score",
            "housing=2",
            "--score",
            "social_support=2",
            "--strength",
            "Skilled seamstress",
            "--need",
            "بدهی اجاره سه ماه",
            "--date",
            "2026-03-06",
        ],
    );
    step(
        ws,
        &[
            "advance",
            id,
            "--date",
            "2026-03-10",
            "--approved-by",
            "z.rahimi",
        ],
    );
    step(
        ws,
        &[
            "goal",
            id,
            "add",
            "--domain",
            "income",
            "--text",
            "A regular income from sewing",
            "--target",
            "2026-09-01",
            "--weight",
            "2",
            "--date",
            "2026-03-12",
        ],
    );
    step(
        ws,
        &[
            "goal",
            id,
            "add",
            "--domain",
            "housing",
            "--text",
            "اجاره پرداخت شده",
            "--date",
            "2026-03-12",
        ],
    );
    step(ws, &["advance", id, "--date", "2026-03-14"]);
    step(
        ws,
        &[
            "refer",
            id,
            "--type",
            "microcredit",
            "--provider",
            "Emdad micro-loan office",
            "--goal",
            "G1",
            "--date",
            "2026-03-15",
        ],
    );
    step(
        ws,
        &[
            "service",
            id,
            "S1",
            "--status",
            "accepted",
            "--date",
            "2026-03-25",
        ],
    );
    step(
        ws,
        &[
            "contact",
            id,
            "--type",
            "home-visit",
            "--with",
            "the client and her son",
            "--note",
            "Sewing machine delivered",
            "--date",
            "2026-04-02",
        ],
    );
    step(
        ws,
        &[
            "risk",
            id,
            "medium",
            "--note",
            "Landlord agreed to wait for the rent",
            "--date",
            "2026-04-05",
        ],
    );
    step(ws, &["advance", id, "--date", "2026-04-10"]);
    step(
        ws,
        &[
            "review",
            id,
            "--score",
            "income=3",
            "--goal",
            "G1=1",
            "--goal",
            "G2=0",
            "--risk",
            "low",
            "--date",
            "2026-05-10",
        ],
    );
    step(
        ws,
        &[
            "transfer",
            id,
            "--to",
            "n.moradi",
            "--reason",
            "Sara Ahmadi on leave",
            "--date",
            "2026-05-20",
        ],
    );
    step(
        ws,
        &[
            "service",
            id,
            "S1",
            "--status",
            "completed",
            "--date",
            "2026-07-01",
        ],
    );
    step(
        ws,
        &[
            "goal",
            id,
            "G1",
            "--status",
            "achieved",
            "--date",
            "2026-07-05",
        ],
    );
    step(
        ws,
        &[
            "goal",
            id,
            "G2",
            "--status",
            "partly-achieved",
            "--reason",
            "Two of three months paid",
            "--date",
            "2026-07-05",
        ],
    );
    step(
        ws,
        &["contact", id, "--type", "phone", "--date", "2026-07-20"],
    );
    step(
        ws,
        &[
            "consent",
            id,
            "--given",
            "--unshare",
            "behzisti",
            "--share-with",
            "emdad",
            "--date",
            "2026-07-25",
        ],
    );
    step(
        ws,
        &[
            "advance",
            id,
            "--to",
            "closed",
            "--reason",
            "goals-achieved",
            "--approved-by",
            "z.rahimi",
            "--date",
            "2026-08-01",
        ],
    );
    // The client comes back: a new episode, in intake, the first closure kept.
    step(
        ws,
        &[
            "reopen",
            id,
            "--reason",
            "صاحبخانه اجاره را دو برابر کرد",
            "--risk",
            "medium",
            "--date",
            "2026-10-20",
        ],
    );
    let file = ws.join(format!("cases/2026/{id}.yaml"));
    let text = std::fs::read_to_string(file).unwrap();
    let expected = super::fixtures().join(format!("cycle/{id}.yaml"));
    if std::env::var_os("CM_BLESS").is_some() {
        std::fs::write(&expected, &text).unwrap();
    }
    assert_eq!(text, std::fs::read_to_string(&expected).unwrap());
}
