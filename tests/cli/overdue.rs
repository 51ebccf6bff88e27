//! `cm overdue` on the sample workspace, as of a fixed day, in both calendars.

use super::{AS_OF, cm, stdout};

fn overdue(args: &[&str]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-cases");
    let mut all = vec!["-C", dir, "overdue"];
    all.extend(args);
    let out = cm(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    stdout(&out)
}

/// The sample office on 2026-11-01 (1405-08-10): every kind of item, most overdue first.
const AS_OF_NOV_1: &str = "\
id,kind,due,days_overdue,caseworker,risk,phase,service
THR-2025-0006,referral,2026-06-24,130,s.ahmadi,medium,monitoring,S4
THR-2025-0004,service,2026-07-11,113,a.karimi,low,monitoring,S5
THR-2026-0007,service,2026-08-10,83,a.karimi,high,implementation,S4
THR-2026-0008,referral,2026-09-01,61,s.ahmadi,medium,implementation,S3
THR-2026-0007,referral,2026-10-04,28,a.karimi,high,implementation,S5
THR-2026-0012,plan,2026-10-10,22,s.ahmadi,medium,assessment,
THR-2025-0006,review,2026-10-15,17,s.ahmadi,medium,monitoring,
THR-2026-0002,review,2026-10-19,13,r.hosseini,high,monitoring,
THR-2026-0010,review,2026-10-19,13,n.moradi,high,planning,
THR-2026-0015,assessment,2026-10-20,12,r.hosseini,high,intake,
THR-2026-0007,review,2026-10-22,10,a.karimi,high,implementation,
THR-2026-0016,assessment,2026-10-26,6,a.karimi,medium,intake,
THR-2026-0009,review,2026-10-27,5,r.hosseini,critical,implementation,
";

#[test]
fn lists_every_kind_most_overdue_first() {
    assert_eq!(overdue(&["--as-of", AS_OF, "--format", "csv"]), AS_OF_NOV_1);
}

#[test]
fn a_solar_hijri_day_gives_the_same_rows() {
    let persian =
        |as_of: &str| overdue(&["--as-of", as_of, "--calendar", "persian", "--format", "csv"]);
    let jalali = persian("۱۴۰۵-۰۸-۱۰");
    assert_eq!(jalali, persian("1405-08-10"));
    assert_eq!(jalali, persian(AS_OF));
    // The same rows, with the Solar Hijri due date beside the ISO one.
    let without_jalali: String = jalali
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells.remove(3);
            cells.join(",") + "\n"
        })
        .collect();
    assert_eq!(without_jalali, AS_OF_NOV_1);
    assert!(
        jalali.starts_with("id,kind,due,due_jalali,days_overdue,"),
        "{jalali}"
    );
    assert!(
        jalali.contains("THR-2026-0012,plan,2026-10-10,1405-07-18,22,"),
        "{jalali}"
    );
}

#[test]
fn within_adds_upcoming_items_and_filters_narrow_the_list() {
    let text = overdue(&[
        "--as-of",
        AS_OF,
        "--within",
        "7",
        "--caseworker",
        "s.ahmadi",
        "--program",
        "female-headed-household",
        "--format",
        "csv",
    ]);
    assert_eq!(
        text,
        "id,kind,due,days_overdue,caseworker,risk,phase,service
THR-2025-0006,referral,2026-06-24,130,s.ahmadi,medium,monitoring,S4
THR-2025-0006,review,2026-10-15,17,s.ahmadi,medium,monitoring,
THR-2026-0004,referral,2026-11-03,-2,s.ahmadi,medium,monitoring,S5
THR-2026-0014,plan,2026-11-04,-3,s.ahmadi,high,assessment,
"
    );
    let reviews = overdue(&["--as-of", AS_OF, "--kind", "review", "--format", "csv"]);
    assert_eq!(reviews.lines().count(), 1 + 5);
    assert!(
        reviews.lines().skip(1).all(|l| l.contains(",review,")),
        "{reviews}"
    );
    let two = overdue(&[
        "--as-of",
        AS_OF,
        "--kind",
        "plan",
        "--kind",
        "assessment",
        "--format",
        "csv",
    ]);
    assert_eq!(two.lines().count(), 1 + 3, "{two}");
}

#[test]
fn table_and_json_show_the_same_items() {
    let table = overdue(&[
        "--as-of",
        AS_OF,
        "--within",
        "2",
        "--calendar",
        "persian",
        "--format",
        "table",
    ]);
    let lines: Vec<&str> = table.lines().skip(2).collect();
    assert!(lines[0].starts_with(" id "), "{table}");
    assert!(
        lines[2].contains("1405-04-03") && lines[2].contains("130"),
        "{table}"
    );
    assert!(table.contains("1405-08-12 (upcoming)"), "{table}");
    assert_eq!(lines.len(), 2 + 14, "{table}");

    let json: serde_json::Value =
        serde_json::from_str(&overdue(&["--as-of", AS_OF, "--format", "json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 13);
    assert_eq!(rows[0]["days_overdue"], 130);
    assert_eq!(rows[0]["service"], "S4");
    assert_eq!(rows[5]["kind"], "plan");
    assert_eq!(rows[5]["service"], serde_json::Value::Null);
    assert!(rows[0].get("due_jalali").is_none());
}

/// Follow-ups that know the provider, and services accepted but not started, on the services
/// workspace (see `services::workspace`) as of 2026-11-01: CM-2026-0001's S3 went to
/// emdad-housing (10 days to answer) on 20 October, so is due 30 October; CM-2026-0003's S2 has
/// no provider, so the office's 14 days, 29 October; CM-2026-0002's S2 was accepted on 1
/// September and should have started within 30 days, by 1 October, and its S1, accepted on 8
/// October, by 7 November. CM-2026-0003's S3, accepted on 1 November, is due on 1 December.
/// The case with an error is left out, and said so.
#[test]
fn referrals_follow_their_provider_and_accepted_services_fall_due_to_start() {
    let ws = super::services::workspace();
    let dir = ws.path();
    let run = |args: &[&str]| super::services::run(dir, args, 0);
    assert_eq!(
        run(&[
            "overdue", "--as-of", AS_OF, "--within", "7", "--format", "csv"
        ]),
        "id,kind,due,days_overdue,caseworker,risk,phase,service
CM-2026-0002,service,2026-10-01,31,s.ahmadi,medium,implementation,S2
CM-2026-0003,referral,2026-10-29,3,s.ahmadi,medium,implementation,S2
CM-2026-0001,referral,2026-10-30,2,s.ahmadi,medium,implementation,S3
CM-2026-0002,service,2026-11-07,-6,s.ahmadi,medium,implementation,S1
"
    );
    assert_eq!(
        run(&[
            "overdue", "--as-of", AS_OF, "--kind", "service", "--format", "csv"
        ]),
        "id,kind,due,days_overdue,caseworker,risk,phase,service
CM-2026-0002,service,2026-10-01,31,s.ahmadi,medium,implementation,S2
"
    );
    // Every reader of what falls due takes them: the listing's next item, the caseload's and
    // the summary's overdue items, and the card of a case.
    assert_eq!(
        run(&["list", "--as-of", AS_OF, "--format", "csv"]),
        "id,program,caseworker,risk,phase,opened,next_due
CM-2026-0001,general,s.ahmadi,medium,implementation,2026-08-01,2026-10-30
CM-2026-0002,general,s.ahmadi,medium,implementation,2026-08-01,2026-10-01
CM-2026-0003,general,s.ahmadi,medium,implementation,2026-08-01,2026-10-29
"
    );
    let caseload = run(&["report", "caseload", "--as-of", AS_OF, "--format", "csv"]);
    assert!(
        caseload.contains("\ns.ahmadi,Sara Ahmadi,3,0,3,0,0,3,,\n"),
        "{caseload}"
    );
    let summary = run(&["report", "summary", "--month", "2026-10", "--format", "csv"]);
    assert!(
        summary.contains("\noverdue_items_at_month_end,3\n"),
        "{summary}"
    );
    let card = run(&["show", "CM-2026-0002", "--as-of", AS_OF]);
    assert!(
        card.ends_with("next due    service S2 on 2026-10-01 (overdue by 31 days)\n"),
        "{card}"
    );
    // `--kind` knows the new kind, and lists it among the others.
    let help = run(&["overdue", "--help"]);
    assert!(
        help.contains("[possible values: assessment, plan, review, contact, referral, service]"),
        "{help}"
    );
}

/// With `[deadlines.contact]`, a case in planning, implementation or monitoring falls due for a
/// contact the interval for its risk after its last contact, else after its opening; without
/// the table, never. The services workspace: three cases of medium risk, opened on 1 August.
#[test]
fn contacts_fall_due_after_the_last_contact_with_their_deadlines() {
    let ws = super::services::workspace();
    let dir = ws.path();
    let run = |args: &[&str]| super::services::run(dir, args, 0);
    let contacts = [
        "overdue", "--as-of", AS_OF, "--kind", "contact", "--within", "30",
    ];
    let header = "id,kind,due,days_overdue,caseworker,risk,phase,service\n";
    assert_eq!(run(&[&contacts[..], &["--format", "csv"]].concat()), header);
    let toml = dir.join("cm.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        settings + "\n[deadlines.contact]\nmedium = 30\nhigh = 7\n",
    )
    .unwrap();
    assert_eq!(
        run(&[
            "contact",
            "CM-2026-0001",
            "--type",
            "home-visit",
            "--date",
            "2026-10-20"
        ]),
        "CM-2026-0001: home-visit contact of 2026-10-20 recorded\n"
    );
    assert_eq!(
        run(&[&contacts[..], &["--format", "csv"]].concat()),
        "id,kind,due,days_overdue,caseworker,risk,phase,service
CM-2026-0002,contact,2026-08-31,62,s.ahmadi,medium,implementation,
CM-2026-0003,contact,2026-08-31,62,s.ahmadi,medium,implementation,
CM-2026-0001,contact,2026-11-19,-18,s.ahmadi,medium,implementation,
"
    );
}
