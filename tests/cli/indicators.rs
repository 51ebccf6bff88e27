//! `cm report indicators` (alias `kpi`) on a small workspace made for the purpose, whose figures
//! are worked out by hand below: each indicator, a reopened case whose two episodes close in the
//! period, and facts dated after the period (a plan, an answer, a withdrawal of consent, a
//! transfer, a review, a closure and a whole case) that must not count.

use std::path::Path;

use super::{cm, stdout};

/// Two caseworkers and a supervisor; a provider answering within 5 days and one without a
/// response time. The deadlines are the defaults: assessment 14 days, plan 30, reviews every 14
/// days at high risk and 30 at medium.
const SETTINGS: &str = r#"[workspace]
name = "Indicator Office"

[[caseworkers]]
id = "a.one"
name = "A One"

[[caseworkers]]
id = "b.two"
name = "B Two"

[[caseworkers]]
id = "s.sup"
name = "S Sup"
supervisor = true

[[providers]]
id = "p1"
name = "Quick provider"
response_days = 5

[[providers]]
id = "p2"
name = "Provider without a response time"
"#;

/// The cases of the workspace, by id. The period of the report is the third quarter of 2026,
/// 1 July to 30 September.
const CASES: &[(&str, &str)] = &[
    // Opened 1 June, assessed 10 July (39 days: late), plan 15 August (36 days after the
    // assessment: late); a review on 10 September, due 30 days (medium) after the plan, on 14
    // September: on time; closed on 28 September, 119 days after its opening. Goals at closure:
    // G1 achieved (+2), G2 dropped, G3 partly achieved (0). Domains income 2 → 3, housing 2 →
    // 4: a mean change of +1.5.
    (
        "CM-2026-0001",
        "id: CM-2026-0001
program: general
opened: 2026-06-01
caseworker: a.one
risk: medium
phase: closed
client: {name: Client One, sex: female}
consent: {given: true, date: 2026-06-01}
assessment:
  date: 2026-07-10
  domains: {income: 2, housing: 2}
plan:
  date: 2026-08-15
  goals:
    - id: G1
      domain: income
      text: A job
      status: achieved
      updates:
        - {date: 2026-09-28, status: achieved, by: a.one}
    - id: G2
      domain: housing
      text: A flat
      status: dropped
      updates:
        - {date: 2026-09-10, status: dropped, by: a.one}
    - id: G3
      domain: housing
      text: Repairs
      status: partly-achieved
      updates:
        - {date: 2026-09-28, status: partly-achieved, by: a.one}
reviews:
  - {date: 2026-09-10, by: a.one, domains: {income: 3}, goals: {G1: 2, G3: 0}}
closure: {date: 2026-09-28, reason: goals-achieved, domains: {housing: 4}}
history:
  - {date: 2026-06-01, phase: intake, by: a.one, risk: medium}
  - {date: 2026-07-10, phase: assessment, by: a.one}
  - {date: 2026-08-15, phase: planning, by: a.one}
  - {date: 2026-08-20, phase: implementation, by: a.one}
  - {date: 2026-09-28, phase: closed, by: a.one}
",
    ),
    // Reopened. First episode: opened 1 December 2025, assessed 5 December, plan 15 December,
    // closed 5 July 2026 (216 days) with G1 achieved (+1 at the review of 1 March) and family
    // 4. Second episode: reopened 15 July at high risk, in monitoring from 16 July; a review on
    // 30 July, due 14 days after the reopening (no review or plan of this episode), on 29 July:
    // late; G2 added on 20 July, not achieved on 4 August; closed on 4 August (20 days).
    // Domains income 1, family 3: at the first closure income 2, family 4 (+1.0); at the
    // second income 1, family 4 (+0.5).
    (
        "CM-2026-0002",
        "id: CM-2026-0002
program: general
opened: 2025-12-01
caseworker: b.two
risk: high
phase: closed
client: {name: Client Two, sex: male}
consent: {given: true, date: 2025-12-01}
assessment:
  date: 2025-12-05
  domains: {income: 1, family: 3}
plan:
  date: 2025-12-15
  goals:
    - id: G1
      domain: income
      text: An income
      status: achieved
      updates:
        - {date: 2026-06-20, status: achieved, by: b.two}
    - id: G2
      domain: family
      text: Family talks
      status: not-achieved
      added: 2026-07-20
      updates:
        - {date: 2026-08-04, status: not-achieved, by: b.two}
reviews:
  - {date: 2026-03-01, by: b.two, domains: {income: 2}, goals: {G1: 1}}
  - {date: 2026-07-30, by: b.two, domains: {income: 1}, goals: {G2: -1}}
episodes:
  - opened: 2025-12-01
    closure: {date: 2026-07-05, reason: goals-achieved, domains: {family: 4}}
closure: {date: 2026-08-04, reason: client-withdrew}
history:
  - {date: 2025-12-01, phase: intake, by: b.two, risk: medium}
  - {date: 2025-12-05, phase: assessment, by: b.two}
  - {date: 2025-12-15, phase: planning, by: b.two}
  - {date: 2026-01-05, phase: monitoring, by: b.two}
  - {date: 2026-07-05, phase: closed, by: b.two}
  - {date: 2026-07-15, phase: intake, by: b.two, risk: high, reason: Back again}
  - {date: 2026-07-16, phase: monitoring, by: b.two}
  - {date: 2026-08-04, phase: closed, by: b.two}
",
    ),
    // Open on 30 September, in assessment: opened 20 August, assessed 30 August (10 days).
    // Consent given; withdrawn on 10 October, after the period. Referrals: S1 to p1 answered
    // in 3 days (within 5); S2 to p2 answered in 20 days (no response time); S3 to p1 answered
    // on 2 October, after the period. Its plan of 5 October is after the period too.
    (
        "CM-2026-0003",
        "id: CM-2026-0003
program: general
opened: 2026-08-20
caseworker: a.one
risk: medium
phase: planning
client: {name: Client Three, sex: female}
consent:
  given: true
  date: 2026-08-20
  updates:
    - {date: 2026-10-10, decision: withdrawn, by: a.one}
assessment:
  date: 2026-08-30
  domains: {income: 2}
plan:
  date: 2026-10-05
  goals:
    - {id: G1, domain: income, text: Work, status: active}
services:
  - id: S1
    type: cash-assistance
    provider: p1
    referred: 2026-09-01
    status: accepted
    updates:
      - {date: 2026-09-04, status: accepted, by: a.one}
  - id: S2
    type: legal-aid
    provider: p2
    referred: 2026-09-10
    status: declined
    ended: 2026-09-30
    updates:
      - {date: 2026-09-30, status: declined, by: a.one, reason: no-capacity}
  - id: S3
    type: cash-assistance
    provider: p1
    referred: 2026-09-20
    status: accepted
    updates:
      - {date: 2026-10-02, status: accepted, by: a.one}
history:
  - {date: 2026-08-20, phase: intake, by: a.one, risk: medium}
  - {date: 2026-08-30, phase: assessment, by: a.one}
  - {date: 2026-10-05, phase: planning, by: a.one}
",
    ),
    // Open on 30 September, in planning, without consent: opened 1 September, assessed 5
    // September (4 days), plan 20 September (15 days).
    (
        "CM-2026-0004",
        "id: CM-2026-0004
program: disability
opened: 2026-09-01
caseworker: a.one
risk: high
phase: planning
client: {name: Client Four, sex: male}
assessment:
  date: 2026-09-05
  domains: {health: 2}
plan:
  date: 2026-09-20
  goals:
    - {id: G1, domain: health, text: Care, status: active}
history:
  - {date: 2026-09-01, phase: intake, by: a.one, risk: high}
  - {date: 2026-09-05, phase: assessment, by: a.one}
  - {date: 2026-09-20, phase: planning, by: a.one}
",
    ),
    // Opened after the period: not there at all.
    (
        "CM-2026-0005",
        "id: CM-2026-0005
program: general
opened: 2026-10-03
caseworker: b.two
risk: low
phase: intake
client: {name: Client Five, sex: female}
consent: {given: true, date: 2026-10-03}
history:
  - {date: 2026-10-03, phase: intake, by: b.two, risk: low}
",
    ),
    // Open on 30 September with b.two (passed to a.one and closed in October, after the
    // period), consent given. Reviews: 1 July, due 30 days after the plan of 10 May, on 9 June:
    // late, setting the next for 1 August; 30 July: on time; 10 October: after the period. S1
    // to p1, referred 20 June, answered on 2 July: 12 days, not within 5.
    (
        "CM-2026-0006",
        "id: CM-2026-0006
program: general
opened: 2026-05-01
caseworker: a.one
risk: medium
phase: closed
client: {name: Client Six, sex: female}
consent: {given: true, date: 2026-05-01}
assessment:
  date: 2026-05-05
  domains: {income: 2}
plan:
  date: 2026-05-10
  goals:
    - id: G1
      domain: income
      text: Savings
      status: achieved
      updates:
        - {date: 2026-10-15, status: achieved, by: a.one}
services:
  - id: S1
    type: cash-assistance
    provider: p1
    referred: 2026-06-20
    status: accepted
    updates:
      - {date: 2026-07-02, status: accepted, by: b.two}
reviews:
  - {date: 2026-07-01, by: b.two, goals: {G1: 0}, next_due: 2026-08-01}
  - {date: 2026-07-30, by: b.two, goals: {G1: 1}}
  - {date: 2026-10-10, by: a.one, goals: {G1: 2}}
closure: {date: 2026-10-15, reason: goals-achieved}
transfers:
  - {date: 2026-10-10, from: b.two, to: a.one, by: b.two, reason: Leave}
history:
  - {date: 2026-05-01, phase: intake, by: b.two, risk: medium}
  - {date: 2026-05-05, phase: assessment, by: b.two}
  - {date: 2026-05-10, phase: planning, by: b.two}
  - {date: 2026-05-12, phase: monitoring, by: b.two}
  - {date: 2026-10-15, phase: closed, by: a.one}
",
    ),
];

fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("cm.toml"), SETTINGS).unwrap();
    let cases = dir.join("cases/2026");
    std::fs::create_dir_all(&cases).unwrap();
    for (id, text) in CASES {
        std::fs::write(cases.join(format!("{id}.yaml")), text).unwrap();
    }
    tmp
}

/// What `cm -C dir ARGS --format csv` prints; it must succeed and leave no case out.
fn csv(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["-C", dir.to_str().unwrap()];
    all.extend(args);
    all.extend(["--format", "csv"]);
    let out = cm(&all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{args:?}: {stderr}");
    stdout(&out)
}

#[test]
fn the_workspace_is_valid() {
    let ws = workspace();
    let out = cm(&["-C", ws.path().to_str().unwrap(), "validate"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // CM-2026-0003 (withdrawn in October) and CM-2026-0004 (none) are open without consent:
    // warnings, not errors.
    assert!(
        text.ends_with("checked 6 cases: 0 errors, 2 warnings\n"),
        "{text}"
    );
}

/// The third quarter of 2026, each figure by hand.
const Q3: &str = "\
indicator,value,cases
days_to_closure.median,119.0,3
days_to_closure.0-30,1,3
days_to_closure.31-90,0,3
days_to_closure.91-180,1,3
days_to_closure.181+,1,3
caseworkers_by_open_cases.0-9,2,2
caseworkers_by_open_cases.10-19,0,2
caseworkers_by_open_cases.20-29,0,2
caseworkers_by_open_cases.30+,0,2
days_to_assessment.median,10.0,3
days_to_assessment.within_deadline,0.67,3
days_to_plan.median,25.5,2
days_to_plan.within_deadline,0.50,2
reviews_on_time,0.50,4
days_to_referral_answer.median,12.0,3
days_to_referral_answer.within_response_days,0.50,2
open_cases_with_consent,0.67,3
goals_achieved_at_closure,0.60,5
goals_dropped_at_closure,1,6
gas_tscore_at_closure.mean,57.5,3
domain_change_at_closure.mean,1.00,3
";

#[test]
fn each_indicator_of_a_quarter_is_the_hand_checked_figure() {
    let ws = workspace();
    let quarter = ["--from", "2026-07-01", "--to", "2026-09-30"];
    let got = csv(
        ws.path(),
        &[&["report", "indicators"][..], &quarter].concat(),
    );
    // Line by line, so that a failure names the indicator.
    for (got, want) in got.lines().zip(Q3.lines()) {
        assert_eq!(got, want);
    }
    assert_eq!(got, Q3);
    // 1. Episodes closed in the quarter: CM-2026-0001 after 119 days, CM-2026-0002's first
    //    after 216 and its second after 20 (CM-2026-0006 closed in October): median 119.
    // 2. Open on 30 September: CM-2026-0003 and CM-2026-0004 with a.one, CM-2026-0006 with
    //    b.two (its transfer is in October); the supervisor holds none and is not counted.
    // 3. Assessments in the quarter after 39, 10 and 4 days, two of three within 14; plans
    //    after 36 and 15 days (CM-2026-0003's is in October), one of two within 30.
    // 4. Reviews: CM-2026-0001 on time, CM-2026-0002 late, CM-2026-0006 late then on time.
    // 5. Answers after 3 (p1, within 5), 20 (p2, no response time) and 12 days (p1, late).
    // 6. CM-2026-0003 (its withdrawal is in October) and CM-2026-0006 consented; CM-2026-0004
    //    has no consent.
    // 7. Goals at the three closures: achieved, dropped, partly achieved; achieved; achieved
    //    and not achieved (G2, added in the second episode): 3 achieved of the 5 not dropped.
    // 8. T-scores 50 + 10·2/√(0.7·2 + 0.3·4) = 62.40, then 60.0 (G1 at +1), then 50.0 (G1
    //    +1, G2 −1): mean 57.47.
    // 9. Mean changes +1.5, +1.0 and +0.5: mean 1.00.
    let alias = csv(ws.path(), &[&["report", "kpi"][..], &quarter].concat());
    assert_eq!(alias, got);
    // The same quarter typed in the Solar Hijri calendar: 10 Tir to 8 Mehr 1405.
    let persian = [
        "report",
        "indicators",
        "--calendar",
        "persian",
        "--from",
        "1405-04-10",
        "--to",
        "1405-07-08",
    ];
    assert_eq!(csv(ws.path(), &persian), got);
}

#[test]
fn a_period_that_ends_before_it_starts_is_bad_usage() {
    let ws = workspace();
    let dir = ws.path().to_str().unwrap();
    let out = cm(&[
        "-C",
        dir,
        "report",
        "kpi",
        "--from",
        "2026-10-01",
        "--to",
        "2026-09-30",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: --from is after --to\n"
    );
    assert!(out.stdout.is_empty());
}

/// December 2025: only CM-2026-0002 was open; nothing closed, no review, no answer, so the
/// medians, shares and means are empty, and their counts 0.
#[test]
fn a_month_with_nothing_to_compute_over_leaves_the_values_empty() {
    let ws = workspace();
    assert_eq!(
        csv(
            ws.path(),
            &[
                "report",
                "indicators",
                "--from",
                "2025-12-01",
                "--to",
                "2025-12-31"
            ]
        ),
        "\
indicator,value,cases
days_to_closure.median,,0
days_to_closure.0-30,0,0
days_to_closure.31-90,0,0
days_to_closure.91-180,0,0
days_to_closure.181+,0,0
caseworkers_by_open_cases.0-9,2,2
caseworkers_by_open_cases.10-19,0,2
caseworkers_by_open_cases.20-29,0,2
caseworkers_by_open_cases.30+,0,2
days_to_assessment.median,4.0,1
days_to_assessment.within_deadline,1.00,1
days_to_plan.median,10.0,1
days_to_plan.within_deadline,1.00,1
reviews_on_time,,0
days_to_referral_answer.median,,0
days_to_referral_answer.within_response_days,,0
open_cases_with_consent,1.00,1
goals_achieved_at_closure,,0
goals_dropped_at_closure,0,0
gas_tscore_at_closure.mean,,0
domain_change_at_closure.mean,,0
"
    );
}

/// Work recorded after the quarter changes none of its figures: without CM-2026-0005 (opened
/// in October) and without CM-2026-0006's October review, transfer and closure, the report of
/// the quarter is the same.
#[test]
fn facts_after_the_period_never_count() {
    let ws = workspace();
    let quarter = [
        "report",
        "indicators",
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
    ];
    let before = csv(ws.path(), &quarter);
    // The same files without anything dated after the quarter.
    let cases = ws.path().join("cases/2026");
    std::fs::remove_file(cases.join("CM-2026-0005.yaml")).unwrap();
    let trim = |id: &str, drop: &[&str], replace: &[(&str, &str)]| {
        let path = cases.join(format!("{id}.yaml"));
        let mut text: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !drop.iter().any(|d| l.contains(d)))
            .map(|l| format!("{l}\n"))
            .collect();
        for (from, to) in replace {
            text = text.replace(from, to);
        }
        std::fs::write(path, text).unwrap();
    };
    trim(
        "CM-2026-0006",
        &["2026-10-10", "2026-10-15", "transfers:", "      updates:"],
        &[
            ("phase: closed", "phase: monitoring"),
            ("caseworker: a.one", "caseworker: b.two"),
            ("status: achieved", "status: active"),
        ],
    );
    assert_eq!(csv(ws.path(), &quarter), before);
    // A later day does see October: CM-2026-0006 closed, CM-2026-0005 opened.
    let october = csv(
        ws.path(),
        &[
            "report",
            "indicators",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
        ],
    );
    assert!(
        october.contains("\ndays_to_closure.median,,0\n"),
        "{october}"
    );
}
