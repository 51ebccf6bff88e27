//! `cm report outcomes`: for each case, the change in the client's situation (domain scores from
//! the baseline assessment to the latest review or closure), goal attainment, and the services
//! coordinated (DESIGN §6). Pure functions of the cases and the period.

use chrono::NaiveDate;

use std::collections::BTreeSet;

use super::Office;
use crate::output::{Cell, Table};
use cm_case::view;
use cm_case::{Case, GoalStatus, Scores, ServiceStatus};

/// The columns of the report, in the order of the contract.
pub const COLUMNS: &[&str] = &[
    "id",
    "program",
    "caseworker",
    "sex",
    "age_at_opening",
    "risk",
    "phase",
    "opened",
    "closed",
    "days_open",
    "closure_reason",
    "domains_assessed",
    "baseline_mean",
    "latest_mean",
    "mean_change",
    "domains_improved",
    "domains_worsened",
    "goals_total",
    "goals_achieved",
    "gas_tscore",
    "services_total",
    "services_completed",
    "referrals_pending",
    "total_cost",
    "reviews",
    "last_review",
    "contacts",
    "last_contact",
];

/// The period of a report: `from` (inclusive; none means since ever) to `to` (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
}

impl Period {
    /// Whether `day` is inside the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && day <= self.to
    }

    /// Whether the case was open at any time in the period: one of its episodes was opened by
    /// its end, and not closed before its start.
    pub fn covers(&self, case: &Case) -> bool {
        view::episodes(case)
            .iter()
            .any(|e| e.open_between(self.from, self.to))
    }
}

/// The Goal Attainment Scaling T-score of `(weight, score)` pairs:
/// 50 + 10·Σwᵢxᵢ / √(0.7·Σwᵢ² + 0.3·(Σwᵢ)²). `None` without pairs (or without weight).
pub fn gas_tscore(scored: &[(f64, i64)]) -> Option<f64> {
    let sum_w: f64 = scored.iter().map(|(w, _)| w).sum();
    let sum_w2: f64 = scored.iter().map(|(w, _)| w * w).sum();
    let sum_wx: f64 = scored.iter().map(|(w, x)| w * *x as f64).sum();
    let denominator = (0.7 * sum_w2 + 0.3 * sum_w * sum_w).sqrt();
    (denominator > 0.0).then(|| 50.0 + 10.0 * sum_wx / denominator)
}

/// The goals scored at their latest review, as `(weight, latest score)`.
pub fn scored_goals(case: &Case) -> Vec<(f64, i64)> {
    case.goals()
        .iter()
        .filter_map(|goal| {
            let (latest, _) = view::attainment(case, goal.id.as_deref()?)?;
            Some((goal.weight.unwrap_or(1.0), latest))
        })
        .collect()
}

/// `x` rounded half away from zero to `places` decimals.
pub fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The mean of `values`, if there are any.
fn mean(values: impl Iterator<Item = i64>) -> Option<f64> {
    let (sum, n) = values.fold((0i64, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum as f64 / n as f64)
}

/// `(baseline, latest)` scores of each domain assessed at baseline; `None` without an
/// assessment (see [`view::assessed`]).
fn assessed(case: &Case) -> Option<Vec<(i64, i64)>> {
    Some(
        view::assessed(case)?
            .into_iter()
            .map(|(_, baseline, latest)| (baseline, latest))
            .collect(),
    )
}

/// The change of the mean score from baseline to latest, over the domains assessed at baseline.
pub fn mean_change(case: &Case) -> Option<f64> {
    change_of(assessed(case)?)
}

/// The change of the mean score from baseline to the scores at `closure` (one of
/// [`view::closures`]: an earlier episode's, or the case's own), over the domains assessed at
/// baseline.
pub fn mean_change_at(case: &Case, closure: &cm_case::Closure) -> Option<f64> {
    let pairs = view::assessed_at(case, closure)?
        .into_iter()
        .map(|(_, baseline, latest)| (baseline, latest))
        .collect();
    change_of(pairs)
}

fn change_of(pairs: Vec<(i64, i64)>) -> Option<f64> {
    Some(mean(pairs.iter().map(|p| p.1))? - mean(pairs.iter().map(|p| p.0))?)
}

/// Where `age_at_opening` is in a row.
const AGE: usize = 4;

/// One row of the report.
pub fn row(case: &Case, period: &Period) -> Vec<Cell> {
    let text = |s: Option<&str>| Cell::from(s);
    let closed = case.closure.as_ref().and_then(|c| c.date);
    let age = match (case.client.as_ref().and_then(|c| c.birth_date), case.opened) {
        (Some(birth), Some(opened)) => opened.years_since(birth).map(i64::from),
        _ => None,
    };
    // The days of every episode opened by the end of the period, an open one to that end.
    let episodes = view::episodes(case);
    let days_open = (!episodes.is_empty()).then(|| {
        episodes
            .iter()
            .filter(|e| e.start <= period.to)
            .map(|e| (e.end.unwrap_or(period.to) - e.start).num_days())
            .sum::<i64>()
    });
    let pairs = assessed(case);
    let assessed = pairs.clone().unwrap_or_default();
    let baseline_mean = mean(assessed.iter().map(|(b, _)| *b));
    let latest_mean = mean(assessed.iter().map(|(_, l)| *l));
    let change = baseline_mean.zip(latest_mean).map(|(b, l)| l - b);
    let count = |f: fn(&(i64, i64)) -> bool| {
        pairs
            .as_ref()
            .map(|p| p.iter().filter(|p| f(p)).count() as i64)
    };
    let goals = case.goals();
    let services = &case.services;
    let with_status = |status| services.iter().filter(|s| s.status == Some(status)).count() as i64;
    // Folded from +0: the sum of no floats is -0, which would print as `-0`.
    let cost = services
        .iter()
        .filter_map(|s| s.cost)
        .fold(0.0, |a, c| a + c);
    // The contacts held by the end of the period: a report of a past month does not count the
    // contacts made since.
    let held: Vec<NaiveDate> = case
        .contacts
        .iter()
        .filter_map(|c| c.date)
        .filter(|d| *d <= period.to)
        .collect();
    let decimal = |x: Option<f64>, places: usize| {
        x.map_or(Cell::Empty, |x| {
            Cell::Decimal(round(x, places as i32), places)
        })
    };
    vec![
        text(case.id.as_deref()),
        text(case.program.map(|p| p.as_str())),
        text(case.caseworker.as_deref()),
        text(case.client.as_ref().and_then(|c| c.sex).map(|s| s.as_str())),
        age.into(),
        text(case.risk.map(|r| r.as_str())),
        text(case.phase.map(|p| p.as_str())),
        case.opened.into(),
        closed.into(),
        days_open.into(),
        text(
            case.closure
                .as_ref()
                .and_then(|c| c.reason)
                .map(|r| r.as_str()),
        ),
        pairs.as_ref().map(|p| p.len() as i64).into(),
        decimal(baseline_mean, 2),
        decimal(latest_mean, 2),
        decimal(change.map(|c| round(c, 2)), 2),
        count(|(b, l)| l > b).into(),
        count(|(b, l)| l < b).into(),
        (goals.len() as i64).into(),
        (goals
            .iter()
            .filter(|g| g.status == Some(GoalStatus::Achieved))
            .count() as i64)
            .into(),
        decimal(gas_tscore(&scored_goals(case)), 1),
        (services.len() as i64).into(),
        with_status(ServiceStatus::Completed).into(),
        with_status(ServiceStatus::Referred).into(),
        Cell::Amount(cost),
        (case.reviews.len() as i64).into(),
        case.reviews.iter().rev().find_map(|r| r.date).into(),
        (held.len() as i64).into(),
        held.iter().max().copied().into(),
    ]
}

/// What the report keeps of one case, made as the case is read so that the cases themselves
/// need not be held: its row, and for `--wide` its baseline and latest scores.
pub struct Kept {
    id: Option<String>,
    office: Option<String>,
    cells: Vec<Cell>,
    scores: Option<(Scores, Scores)>,
    personal: Vec<Cell>,
}

/// What the report keeps of `case` (as it stood at the end of `period`, see [`view::as_of`], and
/// open at some time in it: see [`Period::covers`]),
/// with its scores when the report is `wide`, and the personal fields in `include`; of `office`,
/// named `with_office`. A case from an export carries no birth date unless the export includes
/// it: its age is then unknown.
pub fn keep(
    case: &Case,
    period: &Period,
    wide: bool,
    include: &[String],
    (office, with_office): (&Office, bool),
) -> Kept {
    let mut cells = row(case, period);
    if office.settings.is_none() && cells[AGE] == Cell::Empty {
        cells[AGE] = Cell::Unknown;
    }
    Kept {
        id: case.id.clone(),
        office: with_office.then(|| office.name.clone()),
        cells,
        scores: wide.then(|| (view::baseline(case), view::latest_domains(case))),
        personal: super::personal_cells(case, include),
    }
}

/// The columns a table on a screen shows, the most telling first, as many as fit its width:
/// who and where the case is, then the change in the client's situation, the goals, the cost.
pub const ON_SCREEN: &[&str] = &[
    "id",
    "office",
    "phase",
    "mean_change",
    "gas_tscore",
    "goals_achieved",
    "goals_total",
    "days_open",
    "program",
    "caseworker",
    "baseline_mean",
    "latest_mean",
    "total_cost",
    "risk",
    "opened",
    "closed",
    "closure_reason",
    "last_review",
    "last_contact",
];

/// The report of the cases `kept`, sorted by id (then office). With `wide`, each of `domains`
/// (when empty: every domain a case assessed) gets `<domain>_baseline` and `<domain>_latest`
/// columns; then comes a column for each personal field in `include`. With `with_office`, an
/// `office` column comes first.
pub fn table(
    mut kept: Vec<Kept>,
    wide: bool,
    domains: &[String],
    include: &[String],
    with_office: bool,
) -> Table {
    kept.sort_by(|a, b| (&a.id, &a.office).cmp(&(&b.id, &b.office)));
    let domains: Vec<String> = match (wide, domains.is_empty()) {
        (false, _) => Vec::new(),
        (true, false) => domains.to_vec(),
        (true, true) => kept
            .iter()
            .filter_map(|k| k.scores.as_ref())
            .flat_map(|(baseline, _)| baseline.keys().cloned())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect(),
    };
    let mut header = super::header(COLUMNS, with_office);
    for domain in &domains {
        header.push(format!("{domain}_baseline"));
        header.push(format!("{domain}_latest"));
    }
    header.extend(include.iter().cloned());
    let mut table = Table::with_header(header).dates(&[
        "opened",
        "closed",
        "last_review",
        "last_contact",
        super::PERSONAL_DATE_COLUMN,
    ]);
    for k in kept {
        let mut cells: Vec<Cell> = match with_office {
            true => vec![k.office.into()],
            false => Vec::new(),
        };
        cells.extend(k.cells);
        if let Some((baseline, latest)) = &k.scores {
            for domain in &domains {
                cells.push(baseline.get(domain).copied().into());
                cells.push(latest.get(domain).copied().into());
            }
        }
        cells.extend(k.personal);
        table.push(cells);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_age_is_where_its_column_is() {
        assert_eq!(COLUMNS[AGE], "age_at_opening");
    }

    #[test]
    fn gas_tscore_matches_hand_computed_values() {
        let t = |pairs: &[(f64, i64)]| gas_tscore(pairs).map(|x| round(x, 1));
        assert_eq!(t(&[(1.0, 1), (1.0, 1), (1.0, 0)]), Some(59.1));
        assert_eq!(t(&[(1.0, -1), (1.0, -1), (1.0, -1)]), Some(36.3));
        assert_eq!(t(&[(1.0, 0), (1.0, 0)]), Some(50.0));
        // One goal: 50 + 10·w·x / √(0.7w² + 0.3w²) = 50 + 10x, whatever its weight.
        assert_eq!(t(&[(3.0, 2)]), Some(70.0));
        // Weights (2, 1), scores (+1, −1): 50 + 10·1 / √(0.7·5 + 0.3·9) = 54.0.
        assert_eq!(t(&[(2.0, 1), (1.0, -1)]), Some(54.0));
        assert_eq!(t(&[]), None);
    }

    fn case() -> Case {
        Case::from_json(&json!({
            "id": "X-2026-0001", "program": "general", "caseworker": "a", "risk": "low",
            "phase": "closed", "opened": "2026-01-10",
            "client": {"name": "n", "sex": "female", "birth_date": "1990-01-11"},
            "assessment": {"date": "2026-01-15",
                           "domains": {"income": 1, "housing": 2, "health": 4}},
            "plan": {"date": "2026-01-20", "goals": [
                {"id": "G1", "domain": "income", "weight": 2, "status": "achieved"},
                {"id": "G2", "domain": "housing", "status": "partly-achieved"},
                {"id": "G3", "domain": "health", "status": "dropped"}]},
            "services": [
                {"id": "S1", "status": "completed", "cost": 1000},
                {"id": "S2", "status": "referred"},
                {"id": "S3", "status": "completed", "cost": 500.5}],
            "reviews": [
                {"date": "2026-02-01", "domains": {"income": 2}, "goals": {"G1": 0, "G2": -1}},
                {"date": "2026-03-01", "domains": {"housing": 3, "safety": 1},
                 "goals": {"G1": 1}}],
            "contacts": [
                {"date": "2026-02-10", "type": "phone"},
                {"date": "2026-03-20", "type": "home-visit"},
                {"date": "2026-04-05", "type": "office-visit"}],
            "closure": {"date": "2026-04-10", "reason": "goals-achieved",
                        "domains": {"health": 3}},
        }))
    }

    #[test]
    fn a_row_follows_the_formulas() {
        let period = Period {
            from: None,
            to: date("2026-12-31"),
        };
        let row = row(&case(), &period);
        let cell = |name: &str| row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(cell("age_at_opening"), Cell::Int(35));
        assert_eq!(cell("closed"), Cell::Date(date("2026-04-10"), None));
        assert_eq!(cell("days_open"), Cell::Int(90));
        assert_eq!(cell("domains_assessed"), Cell::Int(3));
        // Baseline (1, 2, 4) → latest (2, 3, 3); `safety` was not assessed at baseline.
        assert_eq!(cell("baseline_mean"), Cell::Decimal(2.33, 2));
        assert_eq!(cell("latest_mean"), Cell::Decimal(2.67, 2));
        assert_eq!(cell("mean_change"), Cell::Decimal(0.33, 2));
        assert_eq!(cell("domains_improved"), Cell::Int(2));
        assert_eq!(cell("domains_worsened"), Cell::Int(1));
        assert_eq!(cell("goals_total"), Cell::Int(3));
        assert_eq!(cell("goals_achieved"), Cell::Int(1));
        // G1 (weight 2) latest +1, G2 (weight 1) latest −1, G3 never scored: 54.0.
        assert_eq!(cell("gas_tscore"), Cell::Decimal(54.0, 1));
        assert_eq!(cell("services_completed"), Cell::Int(2));
        assert_eq!(cell("referrals_pending"), Cell::Int(1));
        assert_eq!(cell("total_cost"), Cell::Amount(1500.5));
        assert_eq!(cell("reviews"), Cell::Int(2));
        assert_eq!(cell("last_review"), Cell::Date(date("2026-03-01"), None));
        assert_eq!(cell("contacts"), Cell::Int(3));
        assert_eq!(cell("last_contact"), Cell::Date(date("2026-04-05"), None));
        // Only the contacts held by the end of the period.
        let march = Period {
            from: Some(date("2026-03-01")),
            to: date("2026-03-31"),
        };
        let row = super::row(&case(), &march);
        let cell = |name: &str| row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(cell("contacts"), Cell::Int(2));
        assert_eq!(cell("last_contact"), Cell::Date(date("2026-03-20"), None));
    }

    #[test]
    fn an_open_case_counts_days_to_the_end_of_the_period_and_leaves_blanks() {
        let open = Case::from_json(&json!({
            "id": "X-2026-0002", "phase": "intake", "opened": "2026-03-01",
            "client": {"name": "n", "sex": "male"}}));
        let period = Period {
            from: Some(date("2026-03-01")),
            to: date("2026-03-31"),
        };
        let row = row(&open, &period);
        let cell = |name: &str| row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(cell("days_open"), Cell::Int(30));
        for blank in [
            "age_at_opening",
            "closed",
            "domains_assessed",
            "baseline_mean",
            "mean_change",
            "domains_improved",
            "gas_tscore",
            "last_review",
            "last_contact",
        ] {
            assert_eq!(cell(blank), Cell::Empty, "{blank}");
        }
        assert_eq!(cell("contacts"), Cell::Int(0));
        assert_eq!(cell("total_cost"), Cell::Amount(0.0));
        assert_eq!(cell("goals_total"), Cell::Int(0));
    }

    #[test]
    fn the_period_takes_cases_open_at_any_time_in_it() {
        let march = Period {
            from: Some(date("2026-03-01")),
            to: date("2026-03-31"),
        };
        let c = case(); // open 2026-01-10 .. 2026-04-10
        assert!(march.covers(&c));
        let may = Period {
            from: Some(date("2026-05-01")),
            to: date("2026-05-31"),
        };
        assert!(!may.covers(&c));
        let before = Period {
            from: None,
            to: date("2026-01-09"),
        };
        assert!(!before.covers(&c));
    }
}
