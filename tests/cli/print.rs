//! Case documents (`cm print`): each shows the personal data its purpose needs and no more, says
//! so on standard error, and a referral letter goes only where the client's consent allows.

use std::path::Path;
use std::process::Output;

use super::{cm, sample_copy, stdout};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `cm -C DIR ARGS`.
fn print(dir: &Path, args: &[&str]) -> Output {
    cm(&[&["-C", dir.to_str().unwrap()][..], args].concat())
}

/// `cm -C DIR ARGS`, which must succeed: the document (its text, the markup's escapes read)
/// and the notice.
fn document(dir: &Path, args: &[&str]) -> (String, String) {
    let out = print(dir, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    let page = stdout(&out)
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    (page, stderr(&out))
}

/// `cm -C DIR ARGS`, which must be refused: nothing on standard output, the reason on standard
/// error.
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = print(dir, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{args:?}");
    stderr(&out)
}

/// The values of `key:` (quoted or not) in the case file `id` of the sample.
fn values(dir: &Path, id: &str, key: &str) -> Vec<String> {
    let year = &id[4..8];
    let text = std::fs::read_to_string(dir.join(format!("cases/{year}/{id}.yaml"))).unwrap();
    let mut found = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(at) = rest.find(&format!("{key}: ")) {
            rest = &rest[at + key.len() + 2..];
            let value = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next().unwrap(),
                None => rest.split([',', '}']).next().unwrap().trim(),
            };
            if value.len() > 3 && !value.starts_with('[') {
                found.push(value.to_string());
            }
        }
    }
    found
}

#[test]
fn a_case_summary_shows_what_a_case_conference_needs_and_says_it_holds_personal_data() {
    let ws = sample_copy();
    let dir = ws.path();
    for lang in ["en", "fa"] {
        let (page, notice) = document(
            dir,
            &[
                "print",
                "THR-2026-0004",
                "--form",
                "summary",
                "--lang",
                lang,
            ],
        );
        let dir_attr = if lang == "fa" { "rtl" } else { "ltr" };
        assert!(page.contains(&format!("<html lang=\"{lang}\" dir=\"{dir_attr}\">")));
        assert!(page.contains("معصومه موسوی"), "the client's name");
        // The goals' texts and the assessment's strengths are for the conference.
        for text in values(dir, "THR-2026-0004", "text") {
            assert!(page.contains(&text), "{text}");
        }
        assert!(page.contains("Hard-working; did hairdressing informally for neighbours"));
        // No note, and no contact detail: the conference does not need them.
        let notes = values(dir, "THR-2026-0004", "note");
        assert!(notes.len() > 3);
        for secret in notes
            .iter()
            .chain(&values(dir, "THR-2026-0004", "phone"))
            .chain(&values(dir, "THR-2026-0004", "address"))
            .chain(&values(dir, "THR-2026-0004", "national_id"))
        {
            assert!(!page.contains(secret.as_str()), "{secret} on the summary");
        }
        assert!(page.contains("<svg"), "the domains' chart");
        assert!(
            notice.contains("holds personal data (client.name, client.birth_date"),
            "{notice}"
        );
        assert!(notice.contains("plan.goals.text"), "{notice}");
    }
}

#[test]
fn a_referral_letter_is_refused_without_the_clients_consent_to_that_provider() {
    let ws = sample_copy();
    let dir = ws.path();
    // THR-2026-0004 shares with behzisti and emdad; S1 went to a legal aid clinic.
    let letter = |service| {
        [
            "print",
            "THR-2026-0004",
            "--form",
            "referral",
            "--service",
            service,
        ]
    };
    let why = refused(dir, &letter("S1"));
    assert_eq!(
        why,
        "cm: error: no referral letter to Tehran Bar Association legal aid clinic: the consent \
         given on 2026-02-22 does not allow sharing with it; the letter would give the client's \
         name and details to the provider\n  help: if the client agrees, record it: cm consent \
         THR-2026-0004 --given --share-with 'Tehran Bar Association legal aid clinic'\n"
    );
    // Which service, when none is named or one the case has not.
    let why = refused(dir, &["print", "THR-2026-0004", "--form", "referral"]);
    assert!(why.contains("its services are S1, S2, S3, S4, S5"), "{why}");
    let why = refused(dir, &letter("S9"));
    assert!(why.contains("THR-2026-0004 has no service S9"), "{why}");

    // Referred to behzisti, which the consent names: the letter is written.
    let refer = print(
        dir,
        &[
            "refer",
            "THR-2026-0004",
            "--type",
            "counselling",
            "--provider",
            "behzisti",
            "--date",
            "2026-10-30",
        ],
    );
    assert_eq!(refer.status.code(), Some(0), "{}", stderr(&refer));
    let letter = [
        "print",
        "THR-2026-0004",
        "--form",
        "referral",
        "--service",
        "S6",
    ];
    for lang in ["en", "fa"] {
        let (page, notice) = document(dir, &[&letter[..], &["--lang", lang]].concat());
        assert!(page.contains("معصومه موسوی"));
        for detail in ["phone", "address", "national_id"] {
            for value in values(dir, "THR-2026-0004", detail) {
                let shown = if lang == "fa" && detail != "address" {
                    value
                        .chars()
                        .map(|c| match c.to_digit(10) {
                            Some(d) => char::from_u32(0x06F0 + d).unwrap(),
                            None => c,
                        })
                        .collect()
                } else {
                    value
                };
                assert!(page.contains(&shown), "{detail} {lang}");
            }
        }
        assert!(page.contains("counselling") && page.contains("behzisti"));
        // Nothing of the assessment, the goals or the notes goes to the provider.
        for key in ["text", "note"] {
            for secret in values(dir, "THR-2026-0004", key) {
                assert!(!page.contains(&secret), "{key} in the letter");
            }
        }
        assert!(!page.contains("Hard-working"), "strengths in the letter");
        assert_eq!(
            notice,
            "cm: this referral letter of THR-2026-0004 holds personal data (client.name, \
             client.birth_date, client.national_id, client.phone, client.address): keep it \
             safe, and give it only to whom its purpose needs\n"
        );
    }

    // Withdrawn the next day: no letter from then on, and the reason says so.
    let withdraw = print(
        dir,
        &[
            "consent",
            "THR-2026-0004",
            "--withdrawn",
            "--date",
            "2026-10-31",
        ],
    );
    assert_eq!(withdraw.status.code(), Some(0), "{}", stderr(&withdraw));
    let why = refused(dir, &letter);
    assert!(
        why.contains("no referral letter to behzisti: the client withdrew consent on 2026-10-31"),
        "{why}"
    );
}

#[test]
fn a_closure_report_has_the_figures_of_the_outcomes_report_and_is_only_of_a_closed_case() {
    let ws = sample_copy();
    let dir = ws.path();
    let (page, notice) = document(dir, &["print", "THR-2026-0006", "--form", "closure"]);
    // The case's row of the outcomes report: its mean change and T-score are on the report.
    let outcomes = stdout(&print(
        dir,
        &[
            "report",
            "outcomes",
            "--columns",
            "id,mean_change,gas_tscore,closure_reason",
            "--format",
            "csv",
        ],
    ));
    let row = outcomes
        .lines()
        .find(|l| l.starts_with("THR-2026-0006,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[3], "goals-achieved");
    assert!(page.contains(&format!(">+{}</bdi>", cells[1])), "{row}");
    assert!(page.contains(&format!(">{}</bdi>", cells[2])), "{row}");
    assert!(page.contains("Goals achieved") && page.contains("At closure"));
    assert!(
        notice.contains("closure report of THR-2026-0006"),
        "{notice}"
    );
    for secret in values(dir, "THR-2026-0006", "note") {
        assert!(!page.contains(&secret), "a note on the closure report");
    }

    let why = refused(dir, &["print", "THR-2026-0004", "--form", "closure"]);
    assert!(
        why.contains(
            "a closure report is of a closed case, and THR-2026-0004 is in phase monitoring"
        ),
        "{why}"
    );
    let why = refused(
        dir,
        &[
            "print",
            "THR-2026-0006",
            "--form",
            "closure",
            "--service",
            "S1",
        ],
    );
    assert!(why.contains("a closure has none"), "{why}");
}
