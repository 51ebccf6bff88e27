//! Service coordination on a small workspace made for the purpose: a provider directory, and
//! services with dated updates. `cm overdue`, `cm report referrals` (in `overdue` and `reports`)
//! and `cm show` (here) read it, so that their figures can be checked by hand.

use std::path::Path;

use super::{AS_OF, cm, stdout};

/// The settings: two caseworkers, a supervisor, and three providers, one answering within 10
/// days, one without a response time, one with no referral at all.
const SETTINGS: &str = r#"[workspace]
name = "Test Office"

[[caseworkers]]
id = "s.ahmadi"
name = "Sara Ahmadi"

[[caseworkers]]
id = "z.rahimi"
name = "Zahra Rahimi"
supervisor = true

[[providers]]
id = "emdad-housing"
name = "Emdad housing loan office"
services = ["rent-deposit-loan"]
response_days = 10

[[providers]]
id = "behzisti-vt"
name = "Behzisti vocational centre"
services = ["vocational-training"]

[[providers]]
id = "legal-clinic"
name = "Legal aid clinic"
services = ["legal-aid"]
response_days = 7
"#;

/// A case in implementation, opened on `opened`, with the `services` given (YAML list items,
/// indented by two spaces); its next review falls due on 2026-12-15.
fn case(id: &str, opened: &str, services: &str) -> String {
    format!(
        "id: {id}
program: general
opened: {opened}
caseworker: s.ahmadi
risk: medium
phase: implementation
client:
  name: Client of {id}
  sex: female
consent: {{given: true, date: {opened}}}
assessment:
  date: 2026-08-05
  domains: {{income: 2, housing: 1}}
plan:
  date: 2026-08-20
  goals:
    - {{id: G1, domain: housing, text: \"A home of their own\", status: active}}
services:
{services}reviews:
  - {{date: 2026-10-20, by: s.ahmadi, domains: {{housing: 2}}, goals: {{G1: 0}}, next_due: 2026-12-15}}
history:
  - {{date: {opened}, phase: intake, by: s.ahmadi, risk: medium}}
  - {{date: 2026-08-05, phase: assessment, by: s.ahmadi}}
  - {{date: 2026-08-20, phase: planning, by: s.ahmadi, approved_by: z.rahimi}}
  - {{date: 2026-08-25, phase: implementation, by: s.ahmadi}}
"
    )
}

/// The workspace, as of 2026-11-01. Its October 2026, by provider (the figures of
/// `cm report referrals --from 2026-10-01 --to 2026-10-31`, checked by hand in
/// `reports::referrals_by_provider_hand_checked`):
///
/// - CM-2026-0001: S1 to emdad-housing referred 20 Sep, accepted 2 Oct (12 days), started 10 Oct,
///   completed 25 Oct (35 days from the referral); S2 to emdad-housing referred 5 Oct, declined
///   12 Oct for no capacity (7 days); S3 to emdad-housing referred 20 Oct, not answered.
/// - CM-2026-0002: S1 to emdad-housing referred 3 Oct, accepted 8 Oct (5 days), not started;
///   S2 to behzisti-vt referred 20 Aug, accepted 1 Sep, not started; S3 to behzisti-vt referred
///   10 Oct, cancelled 15 Oct (5 days).
/// - CM-2026-0003: S1 with no provider referred 28 Sep, declined 6 Oct as not eligible (8 days);
///   S2 with no provider referred 15 Oct, not answered; S3 to emdad-housing referred 28 Oct,
///   accepted 1 Nov (after October).
/// - CM-2026-0004 has an error (its referral of 1 Oct to emdad-housing serves a goal that is not
///   in the plan) and is left out.
pub fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("cm.toml"), SETTINGS).unwrap();
    let cases = dir.join("cases/2026");
    std::fs::create_dir_all(&cases).unwrap();
    let up = |date: &str, status: &str| {
        format!("      - {{date: {date}, status: {status}, by: s.ahmadi}}\n")
    };
    let declined = |date: &str, reason: &str| {
        format!(
            "      - {{date: {date}, status: declined, by: s.ahmadi, reason: {reason}, \
             note: \"Told the client by phone\"}}\n"
        )
    };
    let service = |id: &str, kind: &str, provider: Option<&str>, referred: &str, tail: &str| {
        let provider = provider
            .map(|p| format!("    provider: {p}\n"))
            .unwrap_or_default();
        format!(
            "  - id: {id}\n    goal: G1\n    type: {kind}\n{provider}    referred: {referred}\n{tail}"
        )
    };
    let files = [
        (
            "CM-2026-0001",
            case(
                "CM-2026-0001",
                "2026-08-01",
                &[
                    service(
                        "S1",
                        "rent-deposit-loan",
                        Some("emdad-housing"),
                        "2026-09-20",
                        &format!(
                            "    status: completed\n    ended: 2026-10-25\n    updates:\n{}{}{}",
                            up("2026-10-02", "accepted"),
                            up("2026-10-10", "in-progress"),
                            up("2026-10-25", "completed")
                        ),
                    ),
                    service(
                        "S2",
                        "rent-deposit-loan",
                        Some("emdad-housing"),
                        "2026-10-05",
                        &format!(
                            "    status: declined\n    ended: 2026-10-12\n    updates:\n{}",
                            declined("2026-10-12", "no-capacity")
                        ),
                    ),
                    service(
                        "S3",
                        "rent-deposit-loan",
                        Some("emdad-housing"),
                        "2026-10-20",
                        "    status: referred\n",
                    ),
                ]
                .concat(),
            ),
        ),
        (
            "CM-2026-0002",
            case(
                "CM-2026-0002",
                "2026-08-01",
                &[
                    service(
                        "S1",
                        "rent-deposit-loan",
                        Some("emdad-housing"),
                        "2026-10-03",
                        &format!(
                            "    status: accepted\n    updates:\n{}",
                            up("2026-10-08", "accepted")
                        ),
                    ),
                    service(
                        "S2",
                        "vocational-training",
                        Some("behzisti-vt"),
                        "2026-08-20",
                        &format!(
                            "    status: accepted\n    updates:\n{}",
                            up("2026-09-01", "accepted")
                        ),
                    ),
                    service(
                        "S3",
                        "vocational-training",
                        Some("behzisti-vt"),
                        "2026-10-10",
                        &format!(
                            "    status: cancelled\n    ended: 2026-10-15\n    updates:\n{}",
                            up("2026-10-15", "cancelled")
                        ),
                    ),
                ]
                .concat(),
            ),
        ),
        (
            "CM-2026-0003",
            case(
                "CM-2026-0003",
                "2026-08-01",
                &[
                    service(
                        "S1",
                        "cash-assistance",
                        None,
                        "2026-09-28",
                        &format!(
                            "    status: declined\n    ended: 2026-10-06\n    updates:\n{}",
                            declined("2026-10-06", "not-eligible")
                        ),
                    ),
                    service(
                        "S2",
                        "cash-assistance",
                        None,
                        "2026-10-15",
                        "    status: referred\n",
                    ),
                    service(
                        "S3",
                        "rent-deposit-loan",
                        Some("emdad-housing"),
                        "2026-10-28",
                        &format!(
                            "    status: accepted\n    updates:\n{}",
                            up("2026-11-01", "accepted")
                        ),
                    ),
                ]
                .concat(),
            ),
        ),
        (
            "CM-2026-0004",
            case(
                "CM-2026-0004",
                "2026-08-01",
                &service(
                    "S1",
                    "rent-deposit-loan",
                    Some("emdad-housing"),
                    "2026-10-01",
                    "    status: referred\n",
                ),
            )
            .replace("    goal: G1\n", "    goal: G9\n"),
        ),
    ];
    for (id, text) in files {
        std::fs::write(cases.join(format!("{id}.yaml")), text).unwrap();
    }
    tmp
}

/// `cm -C DIR ARGS` on the workspace at `dir`: its standard output, after checking its exit
/// status.
pub fn run(dir: &Path, args: &[&str], status: i32) -> String {
    let mut all = vec!["-C", dir.to_str().unwrap()];
    all.extend(args);
    let out = cm(&all);
    assert_eq!(
        out.status.code(),
        Some(status),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

#[test]
fn the_workspace_has_one_case_with_an_error() {
    let ws = workspace();
    let text = run(ws.path(), &["validate", "--as-of", AS_OF], 1);
    assert_eq!(
        text,
        "cases/2026/CM-2026-0004.yaml:20:11: error[unknown-goal]: there is no goal `G9` in the \
         plan\n  help: the plan's goals are G1\n\
         checked 4 cases: 1 error, 0 warnings\n"
    );
}

/// `cm show` gives each service's status with the day of its last update, the directory's name
/// for its provider beside the id (the text written when the directory has none), and the end.
#[test]
fn show_names_the_provider_and_dates_the_status() {
    let ws = workspace();
    let card = run(ws.path(), &["show", "CM-2026-0001", "--as-of", AS_OF], 0);
    let services: Vec<&str> = card
        .lines()
        .skip_while(|l| *l != "services")
        .take_while(|l| !l.starts_with("reviews"))
        .collect();
    assert_eq!(
        services,
        [
            "services",
            "  S1   rent-deposit-loan        completed 2026-10-25  referred 2026-09-20, ended \
             2026-10-25, by Emdad housing loan office (emdad-housing)",
            "  S2   rent-deposit-loan        declined 2026-10-12   referred 2026-10-05, ended \
             2026-10-12, by Emdad housing loan office (emdad-housing)",
            "  S3   rent-deposit-loan        referred              referred 2026-10-20, by Emdad \
             housing loan office (emdad-housing)",
        ],
        "{card}"
    );
    // Without a provider, none is named; in the Solar Hijri calendar, the days are its own.
    let card = run(
        ws.path(),
        &[
            "show",
            "CM-2026-0003",
            "--as-of",
            AS_OF,
            "--calendar",
            "persian",
        ],
        0,
    );
    assert!(
        card.contains(
            "\n  S1   cash-assistance          declined 1405-07-14  referred 1405-07-06, ended \
             1405-07-14\n  S2   cash-assistance          referred             referred 1405-07-23\n  \
             S3   rent-deposit-loan        accepted 1405-08-10  referred 1405-08-06, by Emdad \
             housing loan office (emdad-housing)\n"
        ),
        "{card}"
    );
}
