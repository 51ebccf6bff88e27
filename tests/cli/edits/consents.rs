//! `cm consent`: the first decision written as the case's `consent`, later ones appended to
//! `consent.updates` — of a consent written as `{…}` and of one written as a block, in a file
//! whose lines end in CRLF — and the
//! decisions refused. The decision in force is what `cm export` and `no-consent` read. The exact
//! changes are in tests/fixtures/edits/expected/consent*.diff.

use super::{edit, edit_prepared, refused, run, stderr, stdout, workspace};

#[test]
fn a_first_decision_is_the_consent_itself() {
    let out = edit_prepared(
        "consent-first",
        "EDT-2026-0004",
        |text| text.replace("consent: {given: true, date: 2026-04-01}\n", ""),
        &[
            "consent",
            "EDT-2026-0004",
            "--given",
            "--share-with",
            "behzisti",
            "--share-with",
            "emdad",
            "--date",
            "2026-04-02",
            "--note",
            "رضایت کتبی در پرونده کاغذی",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0004: consent given from 2026-04-02, shared with 2 organisations\n"
    );
}

#[test]
fn a_later_decision_is_appended_to_a_consent_written_as_a_block() {
    let (_, out) = edit(
        "consent-block",
        "EDT-2026-0002",
        &[
            "consent",
            "EDT-2026-0002",
            "--given",
            "--share-with",
            "behzisti",
            "--date",
            "2026-10-01",
            "--by",
            "m.karimi",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0002: consent given from 2026-10-01, shared with 1 organisation\n"
    );
}

#[test]
fn a_withdrawal_grows_a_consent_written_as_flow_and_stops_the_export_from_its_date() {
    let (ws, out) = edit(
        "consent-flow",
        "EDT-2026-0001",
        &[
            "consent",
            "EDT-2026-0001",
            "--withdrawn",
            "--date",
            "2026-10-15",
            "--note",
            "Asked us to stop sharing",
        ],
    );
    assert_eq!(out, "EDT-2026-0001: consent withdrawn from 2026-10-15\n");
    let exported = |today: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cm"))
            .arg("-C")
            .arg(ws.path())
            .args(["export", "--redact", "--to", "behzisti"])
            .env("CM_TODAY", today)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).lines().count()
    };
    // The day before the withdrawal the case went out; from its day on, it does not.
    assert_eq!(exported("2026-10-14"), 1);
    assert_eq!(exported("2026-10-15"), 0);
    let warned = run(ws.path(), &["validate"]);
    assert!(
        stdout(&warned).contains(
            "warning[no-consent]: the client withdrew consent (2026-10-15), and this case is open"
        ),
        "{}",
        stdout(&warned)
    );
}

#[test]
fn decisions_that_cannot_be_recorded_are_refused_and_change_nothing() {
    let ws = workspace();
    let ws = ws.path();
    refused(
        ws,
        &["consent", "EDT-2026-0099", "--given"],
        2,
        "EDT-2026-0099",
    );
    refused(
        ws,
        &["consent", "EDT-2026-0001"],
        2,
        "required arguments were not provided:\n  <--given|--refused|--withdrawn>",
    );
    refused(
        ws,
        &["consent", "EDT-2026-0001", "--given", "--refused"],
        2,
        "cannot be used with",
    );
    refused(
        ws,
        &[
            "consent",
            "EDT-2026-0001",
            "--refused",
            "--share-with",
            "emdad",
        ],
        2,
        "--share-with and --unshare go with --given",
    );
    refused(
        ws,
        &["consent", "EDT-2026-0001", "--given", "--unshare", "emdad"],
        2,
        "the consent of EDT-2026-0001 in force does not share with `emdad`",
    );
    refused(
        ws,
        &[
            "consent",
            "EDT-2026-0002",
            "--given",
            "--date",
            "2026-01-01",
        ],
        2,
        "the decision (2026-01-01) would come before the last decision about consent (2026-01-10)",
    );
    refused(
        ws,
        &["consent", "EDT-2026-0002", "--refused", "--by", "x.nobody"],
        1,
        "error[unknown-caseworker]: `x.nobody` is not in the roster of cm.toml",
    );
    let withdrawn = run(
        ws,
        &[
            "consent",
            "EDT-2026-0002",
            "--withdrawn",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(withdrawn.status.code(), Some(0), "{}", stderr(&withdrawn));
    refused(
        ws,
        &["consent", "EDT-2026-0002", "--withdrawn"],
        2,
        "EDT-2026-0002 has no consent in force to withdraw; --refused records a refusal",
    );
}
