//! `cm contact`: a contact appended to a case's contact log — a file with no contacts yet, a log
//! written as a block and one written as `{…}` items — and the contacts refused: on a closed
//! case, an unknown case, of an unknown type, or dated before the case was opened. The exact
//! changes are in tests/fixtures/edits/expected/contact*.diff.

use super::{edit, edit_prepared, refused, workspace};

/// `text` with `insert` written on the line before its `history:`.
fn before_history(text: &str, insert: &str) -> String {
    text.replacen("\nhistory:", &format!("\n{insert}history:"), 1)
}

#[test]
fn a_first_contact_makes_the_log_before_the_history() {
    let (_, out) = edit(
        "contact",
        "EDT-2026-0001",
        &[
            "contact",
            "EDT-2026-0001",
            "--type",
            "home-visit",
            "--date",
            "2026-10-28",
            "--with",
            "Maryam and her mother",
            "--note",
            "اجاره مهر پرداخت شد",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0001: home-visit contact of 2026-10-28 recorded\n"
    );
}

#[test]
fn a_contact_is_appended_to_a_log_written_as_a_block() {
    let out = edit_prepared(
        "contact-block",
        "EDT-2026-0004",
        |text| {
            before_history(
                text,
                "contacts:\n  - date: 2026-09-01   # after the training fair\n    type: office-visit\n    by: s.ahmadi\n\n",
            )
        },
        &[
            "contact",
            "EDT-2026-0004",
            "--type",
            "phone",
            "--date",
            "۲۰۲۶-۱۰-۰۲",
            "--by",
            "m.karimi",
        ],
    );
    assert_eq!(out, "EDT-2026-0004: phone contact of 2026-10-02 recorded\n");
}

#[test]
fn a_contact_is_appended_to_a_log_written_as_flow_items() {
    let out = edit_prepared(
        "contact-flow",
        "EDT-2026-0005",
        |text| {
            before_history(
                text,
                "contacts:\n  - {date: 2026-08-15, type: phone, by: s.ahmadi}\n",
            )
        },
        &[
            "contact",
            "EDT-2026-0005",
            "--type",
            "group",
            "--date",
            "2026-09-20",
            "--note",
            "Day-centre open day",
        ],
    );
    assert_eq!(out, "EDT-2026-0005: group contact of 2026-09-20 recorded\n");
}

#[test]
fn contacts_that_cannot_be_recorded_are_refused_and_change_nothing() {
    let ws = workspace();
    refused(
        ws.path(),
        &["contact", "EDT-2026-0099", "--type", "phone"],
        2,
        "EDT-2026-0099",
    );
    refused(
        ws.path(),
        &["contact", "EDT-2026-0001", "--type", "visit"],
        2,
        "home-visit, office-visit, phone, message, group, other",
    );
    refused(
        ws.path(),
        &[
            "contact",
            "EDT-2026-0001",
            "--type",
            "phone",
            "--date",
            "2026-02-01",
        ],
        1,
        "cm: error: cannot record the contact; nothing was changed:\n  \
         cases/2026/EDT-2026-0001.yaml",
    );
    refused(
        ws.path(),
        &[
            "contact",
            "EDT-2026-0001",
            "--type",
            "phone",
            "--date",
            "2026-02-01",
        ],
        1,
        "error[date-order]: contacts[0].date (2026-02-01) is before the case was opened (2026-03-02)",
    );
    refused(
        ws.path(),
        &[
            "contact",
            "EDT-2026-0001",
            "--type",
            "phone",
            "--by",
            "x.nobody",
        ],
        1,
        "error[unknown-caseworker]: `x.nobody` is not in the roster of cm.toml",
    );
}
