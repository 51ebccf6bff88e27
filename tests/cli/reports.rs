//! `cm report` on the sample workspace, and the privacy scan: no personal field in any output.

use std::path::Path;

use serde_json::Value as Json;

use super::{AS_OF, cm, stdout};

use super::generate;

fn sample(args: &[&str]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-cases");
    let mut all = vec!["-C", dir];
    all.extend(args);
    let out = cm(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    stdout(&out)
}

#[test]
fn outcomes_have_the_columns_of_the_contract_and_hand_checked_values() {
    let csv = sample(&[
        "report",
        "outcomes",
        "--to",
        "2026-10-31",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,program,caseworker,sex,age_at_opening,risk,phase,opened,closed,days_open,\
         closure_reason,domains_assessed,baseline_mean,latest_mean,mean_change,domains_improved,\
         domains_worsened,goals_total,goals_achieved,gas_tscore,services_total,\
         services_completed,referrals_pending,total_cost,reviews,last_review,contacts,last_contact"
    );
    // THR-2025-0001, by hand: baseline income 1, employment 1, housing 2, mental_health 2,
    // education 3, social_support 2 (mean 11/6 = 1.83); latest after four reviews and the exit
    // scores of its first episode 3, 4, 2, 3, 3, 3 (18/6 = 3.00), four improved. Goals G1
    // (weight 2) last scored +2, G2 +1, G3 0: T = 50 + 10·5/√(0.7·6 + 0.3·16) = 66.7. Costs
    // 18M + 6M + 45M. Reopened on 2026-10-12 and in assessment: not closed, open 344 days in its
    // first episode (2025-02-10 to 2026-01-20) and 19 in its second (to 2026-10-31).
    assert_eq!(
        lines.next().unwrap(),
        "THR-2025-0001,female-headed-household,s.ahmadi,female,38,medium,assessment,2025-02-10,\
         ,363,,6,1.83,3.00,1.17,4,0,3,2,66.7,4,4,0,69000000,4,2025-12-08,0,"
    );
    // Cases opened after the period are left out.
    let early = sample(&[
        "report",
        "outcomes",
        "--to",
        "2026-10-20",
        "--format",
        "csv",
    ]);
    assert!(early.contains("THR-2026-0016,"), "{early}");
    assert!(!early.contains("THR-2026-0017,"), "{early}");
    let narrow = sample(&[
        "report",
        "outcomes",
        "--from",
        "2026-10-01",
        "--to",
        "2026-10-31",
        "--program",
        "child-protection",
        "--format",
        "csv",
    ]);
    assert!(
        narrow
            .lines()
            .skip(1)
            .all(|l| l.contains(",child-protection,")),
        "{narrow}"
    );
    let json: Json = serde_json::from_str(&sample(&[
        "report", "outcomes", "--to", AS_OF, "--wide", "--format", "json",
    ]))
    .unwrap();
    let first = &json[0];
    assert_eq!(first["baseline_mean"], 1.83);
    assert_eq!(first["income_baseline"], 1);
    // 344 days in its first episode, 20 in its second (2026-10-12 to 2026-11-01).
    assert_eq!(first["days_open"], 364);
}

/// Every personal value of the cases under `root`: names, national ids, phones, addresses,
/// guardians, notes, goal texts, strengths and needs.
fn personal_values(root: &Path) -> Vec<String> {
    const PERSONAL: &[&str] = &[
        "name",
        "national_id",
        "phone",
        "address",
        "guardian",
        "note",
        "text",
        "strengths",
        "needs",
    ];
    fn walk(value: &Json, key: Option<&str>, out: &mut Vec<String>) {
        match value {
            Json::Object(map) => {
                for (k, v) in map {
                    walk(v, Some(k), out);
                }
            }
            Json::Array(items) => items.iter().for_each(|v| walk(v, key, out)),
            Json::String(s) if key.is_some_and(|k| PERSONAL.contains(&k)) && s.len() >= 5 => {
                out.push(s.clone())
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for year in std::fs::read_dir(root.join("cases")).unwrap() {
        for file in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let case = cm_case::load(&path, "case").unwrap();
            walk(&case.json, None, &mut out);
        }
    }
    out
}

#[test]
fn no_listing_or_report_shows_a_personal_field() {
    let personal = personal_values(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases"));
    assert!(
        personal.len() > 100,
        "the scan found too little to look for"
    );
    for format in ["csv", "json", "table"] {
        for command in [
            &["list", "--as-of", AS_OF][..],
            &["overdue", "--as-of", AS_OF, "--within", "30"][..],
            &["report", "outcomes", "--to", AS_OF, "--wide"][..],
            &["report", "caseload", "--as-of", AS_OF][..],
            &["report", "summary", "--month", "2026-10"][..],
            &["report", "referrals", "--to", AS_OF][..],
            &["report", "indicators", "--to", AS_OF][..],
        ] {
            if format == "table" && command[0] == "list" {
                continue; // the coordinator's own screen may show names (none today).
            }
            let mut args = command.to_vec();
            args.extend(["--format", format]);
            let text = sample(&args);
            for value in &personal {
                assert!(!text.contains(value.as_str()), "{args:?} shows {value:?}");
            }
        }
    }
}

#[test]
fn caseload_counts_each_caseworkers_open_cases_and_overdue_items() {
    assert_eq!(
        sample(&["report", "caseload", "--as-of", AS_OF, "--format", "csv"]),
        "caseworker,name,open_cases,low,medium,high,critical,overdue_items,max_caseload,over_max
a.karimi,Ali Karimi,4,1,2,1,0,5,25,no
m.karimi,Maryam Karimi,0,0,0,0,0,0,,
n.moradi,Narges Moradi,4,1,2,1,0,1,25,no
r.hosseini,Reza Hosseini,4,0,1,2,1,3,25,no
s.ahmadi,Sara Ahmadi,6,0,5,1,0,4,25,no
z.rahimi,Zahra Rahimi,0,0,0,0,0,0,,
total,,18,2,10,5,1,13,100,
"
    );
}

#[test]
fn the_october_summary_and_a_solar_hijri_month() {
    assert_eq!(
        sample(&["report", "summary", "--month", "2026-10", "--format", "csv"]),
        "metric,value\n\
cases_opened,6\n\
cases_reopened,1\n\
cases_closed,0\n\
cases_closed.goals-achieved,0\n\
cases_closed.transferred,0\n\
cases_closed.client-withdrew,0\n\
cases_closed.lost-contact,0\n\
cases_closed.moved,0\n\
cases_closed.deceased,0\n\
cases_closed.other,0\n\
open_at_month_end,18\n\
open_at_month_end.program.child-protection,3\n\
open_at_month_end.program.disability,4\n\
open_at_month_end.program.female-headed-household,5\n\
open_at_month_end.program.older-person,3\n\
open_at_month_end.program.general,3\n\
open_at_month_end.phase.intake,4\n\
open_at_month_end.phase.assessment,4\n\
open_at_month_end.phase.planning,2\n\
open_at_month_end.phase.implementation,3\n\
open_at_month_end.phase.monitoring,5\n\
open_at_month_end.risk.low,2\n\
open_at_month_end.risk.medium,10\n\
open_at_month_end.risk.high,5\n\
open_at_month_end.risk.critical,1\n\
households_served,18\n\
reviews_held,5\n\
contacts_held,0\n\
contacts_held.home-visit,0\n\
contacts_held.office-visit,0\n\
contacts_held.phone,0\n\
contacts_held.message,0\n\
contacts_held.group,0\n\
contacts_held.other,0\n\
referrals_made,2\n\
referrals_completed,0\n\
overdue_items_at_month_end,13\n\
overdue_items_at_month_end.assessment,2\n\
overdue_items_at_month_end.plan,1\n\
overdue_items_at_month_end.review,5\n\
overdue_items_at_month_end.contact,0\n\
overdue_items_at_month_end.referral,3\n\
overdue_items_at_month_end.service,2\n\
mean_domain_change_of_closed_cases,\n\
cases_left_out_invalid,0\n\
"
    );
    // Mehr 1405 is 23 September – 22 October 2026: four cases were opened in it (28 September,
    // 5, 6 and 12 October), one reopened (THR-2025-0001, 12 October), and THR-2026-0004 was
    // reviewed on 14 October.
    let mehr = sample(&[
        "report",
        "summary",
        "--month",
        "1405-07",
        "--calendar",
        "persian",
        "--format",
        "json",
    ]);
    let rows: Json = serde_json::from_str(&mehr).unwrap();
    let value = |metric: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["metric"] == metric)
            .map(|r| r["value"].clone())
            .unwrap()
    };
    assert_eq!(value("cases_opened"), 5);
    assert_eq!(value("cases_reopened"), 1);
    assert!(value("reviews_held").as_i64().unwrap() >= 1);
}

/// The generator writes what the rules accept: every case of a generated workspace is valid, its
/// services' updates included, so that the benchmarks measure valid cases and the privacy scan
/// below reads them all.
#[test]
fn a_generated_workspace_is_valid() {
    let ws = tempfile::tempdir().unwrap();
    generate::generate(ws.path(), 400, 3).unwrap();
    let out = super::validate(ws.path());
    assert_eq!(
        stdout(&out),
        "checked 400 cases: 0 errors, 0 warnings\n",
        "generated with seed 3"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn nothing_personal_leaves_a_generated_workspace_in_any_report_or_export() {
    let ws = tempfile::tempdir().unwrap();
    generate::generate(ws.path(), 120, 7).unwrap();
    let personal = personal_values(ws.path());
    assert!(
        personal.len() > 300,
        "the scan found too little to look for"
    );
    let dir = ws.path().to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["list", "--as-of", AS_OF],
        &["overdue", "--as-of", AS_OF, "--within", "30"],
        &["report", "outcomes", "--to", AS_OF, "--wide"],
        &["report", "caseload", "--as-of", AS_OF],
        &["report", "summary", "--month", "2026-10"],
        &["report", "referrals", "--to", AS_OF],
        &["report", "indicators", "--to", AS_OF],
    ];
    let mut outputs = Vec::new();
    for command in commands {
        for format in ["csv", "json"] {
            let mut args = vec!["-C", dir];
            args.extend(*command);
            args.extend(["--format", format]);
            outputs.push((args.join(" "), cm(&args)));
        }
    }
    let args = ["-C", dir, "export", "--redact", "--to", "behzisti"];
    outputs.push((args.join(" "), cm(&args)));
    for (command, out) in &outputs {
        assert_eq!(out.status.code(), Some(0), "{command}");
        let text = format!("{}{}", stdout(out), String::from_utf8_lossy(&out.stderr));
        for value in &personal {
            assert!(!text.contains(value.as_str()), "{command} shows {value:?}");
        }
    }
    let exported = stdout(&outputs[outputs.len() - 1].1);
    assert!(
        exported.lines().count() > 50,
        "few cases exported: {exported}"
    );
}

#[test]
fn export_pseudonyms_are_stable_and_the_key_is_private() {
    let ws = super::sample_copy();
    let dir = ws.path().to_str().unwrap();
    let export = |extra: &[&str]| {
        let mut args = vec!["-C", dir, "export", "--redact", "--to", "behzisti"];
        args.extend(extra);
        cm(&args)
    };
    let first = export(&[]);
    assert_eq!(first.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&first.stderr).contains("made a new secret key"));
    let second = export(&[]);
    assert_eq!(stdout(&first), stdout(&second));
    let lines: Vec<Json> = stdout(&first)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 19);
    for case in &lines {
        let id = case["id"].as_str().unwrap();
        assert!(id.len() == 32 && !id.starts_with("THR"), "{id}");
        assert!(case["consent"].get("share_with").is_none());
    }
    let gitignore = std::fs::read_to_string(ws.path().join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == ".cm/"), "{gitignore}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.path().join(".cm/secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A named field comes back, with a warning; anything else is refused.
    let named = export(&["--include", "client.name"]);
    assert!(String::from_utf8_lossy(&named.stderr).contains("personal data at your request"));
    assert!(stdout(&named).contains("\"name\":"));
    let bad = export(&["--include", "client.sex"]);
    assert_eq!(bad.status.code(), Some(2));
    // Another organisation gets only its own clients' cases.
    let emdad = cm(&["-C", dir, "export", "--redact", "--to", "emdad"]);
    assert!(stdout(&emdad).lines().count() < lines.len());
}

/// `cm export --redact --to behzisti` in `dir`, on a fixed day, away from the user's git
/// configuration (the key check runs git).
fn export_in(dir: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cm"))
        .arg("-C")
        .arg(dir)
        .args(["export", "--redact", "--to", "behzisti"])
        .env("NO_COLOR", "1")
        .env("CM_TODAY", AS_OF)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("cm runs")
}

/// git with `args` in `dir`, away from the user's configuration; it must succeed.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of the sample workspace with its secret key, made by a first export.
fn sample_with_key() -> tempfile::TempDir {
    let ws = super::sample_copy();
    let first = export_in(ws.path());
    assert_eq!(first.status.code(), Some(0));
    assert!(ws.path().join(".cm/secret").is_file());
    ws
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn export_refuses_a_key_other_users_can_read_or_change() {
    let ws = sample_with_key();
    let secret = ws.path().join(".cm/secret");
    set_mode(&secret, 0o644);
    let out = export_in(ws.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: `.cm/secret` can be read by other users (mode 0644); make it private with \
         `chmod 600 .cm/secret`, and if others may have copied it, delete it to start new \
         pseudonyms\n"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    set_mode(&secret, 0o620);
    let out = export_in(ws.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("`.cm/secret` can be changed by other users (mode 0620)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn export_refuses_a_key_committed_to_git() {
    let ws = sample_with_key();
    let dir = ws.path();
    git(dir, &["init", "-q"]);
    // Someone force-adds the key past `.gitignore`; it is private on this disk all the same.
    #[cfg(unix)]
    set_mode(&dir.join(".cm/secret"), 0o600);
    git(dir, &["add", "-f", ".cm/secret"]);
    git(dir, &["commit", "-q", "-m", "add the key"]);
    let out = export_in(dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: `.cm/secret` is tracked by git, so every clone of the repository holds the \
         key that turns the pseudonyms back into case ids; remove it from git with \
         `git rm --cached .cm/secret` and commit, then, as everyone with a clone knows the key, \
         delete `.cm/secret` to start new pseudonyms, and tell the partners that the \
         pseudonyms change\n"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    // Following the advice: the new key is made, ignored by git, and used.
    git(dir, &["rm", "-q", "--cached", ".cm/secret"]);
    git(dir, &["commit", "-q", "-m", "remove the key"]);
    std::fs::remove_file(dir.join(".cm/secret")).unwrap();
    let out = export_in(dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("made a new secret key"));
}

/// A repository git refuses to read (owned by someone else: "dubious ownership", common on CI
/// runners) cannot say whether the key is tracked: the key is refused, not trusted.
#[cfg(unix)]
#[test]
fn export_refuses_a_key_git_cannot_vouch_for() {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .unwrap()
        .stdout
        == b"0\n";
    if !root {
        eprintln!("skipped: only root can give the repository to another user");
        return;
    }
    let ws = sample_with_key();
    let dir = ws.path();
    set_mode(&dir.join(".cm/secret"), 0o600);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-f", ".cm/secret"]);
    git(dir, &["commit", "-q", "-m", "add the key"]);
    for path in [dir.to_path_buf(), dir.join(".git")] {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    }
    let out = export_in(dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("cm: error: cannot tell whether git tracks `.cm/secret` (git says: fatal: detected dubious ownership"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn export_takes_a_private_key_that_git_ignores() {
    let ws = sample_with_key();
    let dir = ws.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "the cases"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(".cm/secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = export_in(dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).lines().count(), 19);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: exported 19 case(s) for behzisti\n"
    );
    // Without the git command there is no repository to have committed the key.
    let no_git = std::process::Command::new(env!("CARGO_BIN_EXE_cm"))
        .arg("-C")
        .arg(dir)
        .args(["export", "--redact", "--to", "behzisti"])
        .env("PATH", "")
        .env("CM_TODAY", AS_OF)
        .output()
        .expect("cm runs");
    assert_eq!(
        no_git.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&no_git.stderr)
    );
    assert_eq!(stdout(&no_git), stdout(&out));
}

#[test]
fn include_shows_a_named_personal_field_and_says_so() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-cases");
    let out = cm(&[
        "-C",
        dir,
        "list",
        "--open",
        "--risk",
        "critical",
        "--include",
        "client.name",
        "--format",
        "csv",
    ]);
    assert_eq!(
        stdout(&out),
        "id,program,caseworker,risk,phase,opened,next_due,client.name\n\
         THR-2026-0009,child-protection,r.hosseini,critical,implementation,2026-06-07,2026-10-27,ابوالفضل رستمی\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("personal data at your request"));
    let outcomes = cm(&[
        "-C",
        dir,
        "report",
        "outcomes",
        "--to",
        AS_OF,
        "--include",
        "client.national_id",
        "--format",
        "json",
    ]);
    let rows: Json = serde_json::from_slice(&outcomes.stdout).unwrap();
    assert_eq!(rows[0]["client.national_id"], "0022527605");
    let refused = cm(&["-C", dir, "list", "--include", "client.phone"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
}

/// `cm report referrals` on the services workspace (see `services::workspace`), by hand.
///
/// October 2026, emdad-housing (answers within 10 days): referred in October CM-2026-0001's S2
/// (5 Oct) and S3 (20 Oct), CM-2026-0002's S1 (3 Oct) and CM-2026-0003's S3 (28 Oct): 4;
/// accepted in October 0001's S1 (2 Oct) and 0002's S1 (8 Oct): 2, 0003's S3 being accepted on
/// 1 November; declined 0001's S2 (no-capacity): 1; completed 0001's S1: 1; waiting on 31
/// October 0001's S3 and 0003's S3: 2. Its answers in October took 12 (0001 S1, 20 Sep → 2 Oct),
/// 7 (0001 S2) and 5 (0002 S1) days: median 7, and 2 of the 3 within 10 days, 0.67; the one
/// completion took 35 days (20 Sep → 25 Oct).
/// behzisti-vt (no response time): 0002's S3 referred 10 Oct and cancelled 15 Oct (5 days); its
/// S2 was referred and accepted before October, so tells nothing of it.
/// (free text): 0003's S2 referred 15 Oct and waiting; its S1, referred 28 Sep, declined 6 Oct
/// as not eligible (8 days).
/// total: 6 referrals; answers 12, 7, 5, 5, 8 days, median 7; 2 of the 3 answers that had a
/// response time to keep were within it, 0.67.
/// legal-clinic has no referral: no row. CM-2026-0004 (a referral to emdad-housing of 1
/// October) has an error and is left out.
#[test]
fn referrals_by_provider_hand_checked() {
    let ws = super::services::workspace();
    let dir = ws.path().to_str().unwrap();
    let october = ["--from", "2026-10-01", "--to", "2026-10-31"];
    let report = |extra: &[&str]| {
        let mut args = vec!["-C", dir, "report", "referrals"];
        args.extend(extra);
        cm(&args)
    };
    let out = report(&[&october[..], &["--format", "csv"]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "provider,referrals,accepted,declined,declined_client-refused,declined_no-capacity,\
         declined_not-eligible,declined_not-needed,declined_client-unreachable,\
         declined_provider-unreachable,declined_other,completed,cancelled,pending,\
         median_days_to_answer,median_days_to_complete,answered_within_response_days
emdad-housing,4,2,1,0,1,0,0,0,0,0,1,0,2,7.0,35.0,0.67
behzisti-vt,1,0,0,0,0,0,0,0,0,0,0,1,0,5.0,,
(free text),1,0,1,0,0,1,0,0,0,0,0,0,1,8.0,,
total,6,2,2,0,1,1,0,0,0,0,1,1,3,7.0,35.0,0.67
"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: warning: left out cases/2026/CM-2026-0004.yaml:20:11: error[unknown-goal]: there is \
         no goal `G9` in the plan\n\
         cm: warning: 1 case file(s) with errors left out; run `cm validate`\n"
    );
    assert_eq!(
        report(&[&october[..], &["--strict", "--format", "csv"]].concat())
            .status
            .code(),
        Some(1)
    );
    // Up to today, 1 November, from the first referral: emdad-housing's answer to 0003's S3 (28
    // Oct → 1 Nov, 4 days) comes in, so its answers took 4, 5, 7 and 12 days, median 6, 3 of 4
    // within 10 days; behzisti-vt's S2 (20 Aug → 1 Sep, 12 days) and S3 (5 days), median 8.5.
    let all = report(&["--format", "json"]);
    let rows: Json = serde_json::from_slice(&all.stdout).unwrap();
    let figures = |row: &Json| {
        [
            "referrals",
            "accepted",
            "pending",
            "median_days_to_answer",
            "answered_within_response_days",
        ]
        .map(|column| row[column].clone())
    };
    use serde_json::json;
    assert_eq!(rows[0]["provider"], "emdad-housing");
    assert_eq!(
        figures(&rows[0]),
        [json!(5), json!(3), json!(1), json!(6.0), json!(0.75)]
    );
    assert_eq!(rows[1]["provider"], "behzisti-vt");
    assert_eq!(
        figures(&rows[1]),
        [json!(2), json!(1), json!(0), json!(8.5), Json::Null]
    );
    assert_eq!(rows[3]["provider"], "total");
    assert_eq!(
        figures(&rows[3]),
        [json!(9), json!(4), json!(2), json!(7.0), json!(0.75)]
    );
    // The table has the office's name and the period in its title.
    let table = report(&[&october[..], &["--format", "table"]].concat());
    assert!(
        stdout(&table).starts_with("Test Office — referrals from 2026-10-01 to 2026-10-31\n\n"),
        "{}",
        stdout(&table)
    );
    let up_to = report(&["--format", "table"]);
    assert!(
        stdout(&up_to).starts_with("Test Office — referrals up to 2026-11-01\n\n"),
        "{}",
        stdout(&up_to)
    );
    // Nothing personal: not the clients' names, not the notes of the updates.
    let personal = personal_values(ws.path());
    assert!(personal.iter().any(|v| v == "Told the client by phone"));
    for format in ["table", "csv", "json"] {
        let text = stdout(&report(&["--format", format]));
        for value in &personal {
            assert!(!text.contains(value.as_str()), "{format} shows {value:?}");
        }
    }
    let backwards = report(&["--from", "2026-11-01", "--to", "2026-10-01"]);
    assert_eq!(backwards.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&backwards.stderr),
        "cm: error: --from is after --to\n"
    );
}
