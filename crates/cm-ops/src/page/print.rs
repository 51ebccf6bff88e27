//! Printable case documents (`cm print`): a case summary for a case conference, a referral
//! letter to a provider, a closure report. Each is one self-contained HTML page, like the
//! reports' pages, in English or Persian.
//!
//! Unlike a report, a document is about one client and shows their personal fields — only those
//! its purpose needs, each named in [`Printed::personal`] so that the caller can say so:
//!
//! - the **summary**: the client's name, sex, age, household size and guardian; the strengths and
//!   needs of the assessment; the goals' texts;
//! - the **referral letter**: only what identifies and reaches the client — name, sex, birth
//!   date, national id, phone, address, guardian — and only when the consent in force allows
//!   sharing with the provider (else [`Refusal::Consent`]); nothing of the assessment;
//! - the **closure report**: the client's name, sex and age, and the goals' texts.
//!
//! No note of any kind is ever printed.

use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;
use serde_json::Value as Json;

use cm_base::calendar::{self, Calendar};
use cm_base::language::Language;
use cm_case::settings::Settings;
use cm_case::view;
use cm_case::{Case, ConsentDecision, Phase, ServiceStatus};

use super::lang::Catalogue;
use super::{Chart, Figure, Row};
use crate::monitor;
use crate::report::outcomes;

cm_base::names!(
    /// A document `cm print` writes.
    pub Form {
        Summary = "summary",
        Referral = "referral",
        Closure = "closure",
    }
);

/// The case a document is about, and how to write it.
pub struct Subject<'a> {
    /// The case as of `day`.
    pub case: &'a Case,
    /// The case file as written: the personal fields are read from it.
    pub file: &'a Json,
    pub settings: &'a Settings,
    /// The day of the document.
    pub day: NaiveDate,
    /// The workspace's calendar; a Persian document is in the Solar Hijri one.
    pub calendar: Calendar,
    pub language: Language,
}

/// A document, and the personal fields it shows (`client.name`, …), for the notice.
pub struct Printed {
    pub html: String,
    pub personal: Vec<String>,
}

/// Why a document is not written.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "a closure report is of a closed case, and {id} is in phase {phase}\n  help: close it \
         with `cm advance {id} --to closed`"
    )]
    NotClosed { id: String, phase: String },
    #[error(
        "a referral letter is about one service: name it with --service{}",
        services(.known)
    )]
    NoService { known: Vec<String> },
    #[error("{id} has no service {service}{}", services(.known))]
    UnknownService {
        id: String,
        service: String,
        known: Vec<String>,
    },
    #[error("--service names the service of a referral letter; a {form} has none")]
    ServiceNotAsked { form: Form },
    #[error("service {service} names no provider to write to")]
    NoProvider { service: String },
    #[error(
        "no referral letter to {provider}: {reason}; the letter would give the client's name \
         and details to the provider\n  help: {help}"
    )]
    Consent {
        provider: String,
        reason: String,
        help: String,
    },
}

/// The help that names the ids there are.
fn services(known: &[String]) -> String {
    if known.is_empty() {
        " (the case has no service)".to_string()
    } else {
        format!("\n  help: its services are {}", known.join(", "))
    }
}

/// One line of a document: a label and a value as shown, left to right when it has no letter (a
/// date, a phone number, an id: digits in a line of either direction).
#[derive(Serialize)]
struct Line {
    label: String,
    value: String,
    ltr: bool,
}

/// A goal as a document shows it.
#[derive(Serialize)]
struct Goal {
    id: String,
    domain: String,
    text: String,
    status: String,
    attainment: String,
    target: String,
}

/// A service as a document shows it.
#[derive(Serialize)]
struct Service {
    id: String,
    kind: String,
    provider: String,
    status: String,
    referred: String,
    ended: String,
}

/// The document `form` of `subject`, about the service `service` for a referral letter.
pub fn print(form: Form, subject: &Subject<'_>, service: Option<&str>) -> Result<Printed, Refusal> {
    let c = subject.case;
    let id = c.id.clone().unwrap_or_default();
    if form != Form::Referral && service.is_some() {
        return Err(Refusal::ServiceNotAsked { form });
    }
    let mut doc = Document::new(subject);
    let values = match form {
        Form::Summary => doc.summary(),
        Form::Closure => {
            if c.phase != Some(Phase::Closed) {
                let phase = c.phase.map(|p| p.to_string()).unwrap_or_default();
                return Err(Refusal::NotClosed { id, phase });
            }
            doc.closure()
        }
        Form::Referral => {
            let known: Vec<String> = c.services.iter().filter_map(|s| s.id.clone()).collect();
            let Some(service) = service else {
                return Err(Refusal::NoService { known });
            };
            let Some(s) = c.services.iter().find(|s| s.id.as_deref() == Some(service)) else {
                return Err(Refusal::UnknownService {
                    id,
                    service: service.to_string(),
                    known,
                });
            };
            doc.referral(s)?
        }
    };
    let words = Catalogue::of(subject.language);
    let title = words.print(&format!("form.{form}")).to_string();
    let signatures: &[&str] = match form {
        Form::Referral => &["sign.caseworker", "sign.date"],
        Form::Summary | Form::Closure => &["sign.caseworker", "sign.supervisor", "sign.date"],
    };
    let html = super::render(
        &format!("{form}.html"),
        subject.language,
        context! {
            office => subject.settings.workspace.name.as_str(),
            title,
            case_id => id,
            printed => doc.both(subject.day),
            footer => words.print("footer"),
            signatures => Value::from(Serde(signatures)),
            p => Value::from(Serde(words.print_words())),
            ..values
        },
    );
    Ok(Printed {
        html,
        personal: doc.personal,
    })
}

/// What a document is being made of: the subject, and the personal fields shown so far.
struct Document<'a> {
    subject: &'a Subject<'a>,
    words: &'static Catalogue,
    personal: Vec<String>,
}

impl<'a> Document<'a> {
    fn new(subject: &'a Subject<'a>) -> Document<'a> {
        Document {
            subject,
            words: Catalogue::of(subject.language),
            personal: Vec::new(),
        }
    }

    /// A day as the document writes it: Solar Hijri in Persian, else the workspace's calendar.
    fn day(&self, d: NaiveDate) -> String {
        let calendar = match self.subject.language {
            Language::Fa => Calendar::Persian,
            Language::En => self.subject.calendar,
        };
        self.subject
            .language
            .digits(&calendar::display(d, calendar))
    }

    /// A day in both calendars, the document's first.
    fn both(&self, d: NaiveDate) -> String {
        let first = self.day(d);
        let other = match (self.subject.language, self.subject.calendar) {
            (Language::Fa, _) | (Language::En, Calendar::Persian) => Calendar::Gregorian,
            (Language::En, Calendar::Gregorian) => Calendar::Persian,
        };
        let second = self.subject.language.digits(&calendar::display(d, other));
        format!("{first} ({second})")
    }

    fn maybe_day(&self, d: Option<NaiveDate>) -> String {
        d.map(|d| self.day(d)).unwrap_or_default()
    }

    /// A value of a closed list (a phase, a status), in the document's language.
    fn value(&self, v: impl ToString) -> String {
        self.words.value(&v.to_string()).to_string()
    }

    /// The personal field at `path` (dotted, under the file's root; a number steps into a
    /// list) as written, if it is there; it is counted as shown, by its name (`plan.goals.text`).
    fn field(&mut self, path: &str) -> Option<&'a Json> {
        let mut node = self.subject.file;
        for step in path.split('.') {
            node = match step.parse::<usize>() {
                Ok(i) => node.get(i)?,
                Err(_) => node.get(step)?,
            };
        }
        let empty = match node {
            Json::String(s) => s.trim().is_empty(),
            Json::Array(items) => items.is_empty(),
            Json::Number(_) => false,
            _ => true,
        };
        if empty {
            return None;
        }
        let name: Vec<&str> = path
            .split('.')
            .filter(|s| s.parse::<usize>().is_err())
            .collect();
        let name = name.join(".");
        if !self.personal.contains(&name) {
            self.personal.push(name);
        }
        Some(node)
    }

    /// A personal field that is a text (or a number), as written.
    fn personal(&mut self, path: &str) -> Option<String> {
        match self.field(path)? {
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A personal field that is a list of texts.
    fn personal_list(&mut self, path: &str) -> Vec<String> {
        match self.field(path) {
            Some(Json::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The lines of the `(label, value)` pairs that have a value.
    fn lines<'l>(&self, pairs: impl IntoIterator<Item = (&'l str, Option<String>)>) -> Vec<Line> {
        pairs
            .into_iter()
            .filter_map(|(label, value)| self.line(label, value))
            .collect()
    }

    /// A line of `label` (a key of the catalogue's `[print]`) and `value`, when there is one.
    fn line(&self, label: &str, value: Option<String>) -> Option<Line> {
        value.filter(|v| !v.is_empty()).map(|value| Line {
            label: self.words.print(label).to_string(),
            ltr: !value.chars().any(char::is_alphabetic),
            value,
        })
    }

    /// The client's lines: each of `fields` (`sex`, `age`, or a field of `client`).
    fn client(&mut self, fields: &[&str]) -> Vec<Line> {
        let client = self.subject.case.client.clone().unwrap_or_default();
        let language = self.subject.language;
        // A birth date read as Gregorian from a Solar Hijri one is no one's.
        let born = client.birth_date.filter(|b| calendar::is_plausible(*b));
        let mut lines = Vec::new();
        for field in fields {
            let value = match *field {
                "sex" => client.sex.map(|s| self.value(s)),
                "age" => born.and_then(|b| {
                    self.personal("client.birth_date")?;
                    let years = self.subject.day.years_since(b)?;
                    Some(language.digits(&years.to_string()))
                }),
                "birth_date" => born.and_then(|b| {
                    self.personal("client.birth_date")?;
                    Some(self.day(b))
                }),
                "national_id" | "phone" | "household_size" => self
                    .personal(&format!("client.{field}"))
                    .map(|v| language.digits(&v)),
                other => self.personal(&format!("client.{other}")),
            };
            lines.extend(self.line(&format!("client.{field}"), value));
        }
        lines
    }

    /// The case's own lines: program, phase, risk, caseworker, opened.
    fn case(&self) -> Vec<Line> {
        let c = self.subject.case;
        let caseworker = c.caseworker.as_deref().map(|id| self.caseworker(id));
        self.lines([
            ("case.program", c.program.map(|p| self.value(p))),
            ("case.phase", c.phase.map(|p| self.value(p))),
            ("case.risk", c.risk.map(|r| self.value(r))),
            ("case.caseworker", caseworker),
            ("case.opened", c.opened.map(|d| self.day(d))),
        ])
    }

    /// A caseworker by their roster name, with their id.
    fn caseworker(&self, id: &str) -> String {
        match self.subject.settings.caseworker(id) {
            Some(cw) if !cw.name.is_empty() => format!("{} ({id})", cw.name),
            _ => id.to_string(),
        }
    }

    /// A provider by the directory's name, else as written.
    fn provider(&self, id: &str) -> String {
        match self.subject.settings.provider(id) {
            Some(p) if !p.name.is_empty() => p.name.clone(),
            _ => id.to_string(),
        }
    }

    /// The chart of each domain's baseline and latest score (`latest` names it: at closure, for
    /// a closed case).
    fn domains(&self, latest: &str) -> Option<Chart> {
        let language = self.subject.language;
        let rows = view::assessed(self.subject.case)?
            .into_iter()
            .map(|(domain, baseline, now)| {
                let cell = |which: &str, score: i64| {
                    Figure::new(
                        format!("domains.{domain}.{which}"),
                        self.words.value(which).to_string(),
                        score.to_string(),
                        language,
                    )
                };
                Row {
                    label: self.words.value(domain).to_string(),
                    cells: vec![cell("baseline", baseline), cell(latest, now)],
                }
            })
            .collect();
        Some(Chart::new(
            "case_domains",
            &["baseline", latest],
            rows,
            Some(5.0),
            language,
        ))
    }

    /// The goals, each with its text (personal), status and latest attainment.
    fn goals(&mut self) -> Vec<Goal> {
        let c = self.subject.case;
        let language = self.subject.language;
        let texts: Vec<(String, usize)> = self
            .subject
            .file
            .pointer("/plan/goals")
            .and_then(Json::as_array)
            .map(|goals| {
                goals
                    .iter()
                    .enumerate()
                    .filter_map(|(i, g)| Some((g.get("id")?.as_str()?.to_string(), i)))
                    .collect()
            })
            .unwrap_or_default();
        c.goals()
            .iter()
            .map(|g| {
                let id = g.id.clone().unwrap_or_default();
                let text = texts
                    .iter()
                    .find(|(goal, _)| *goal == id)
                    .and_then(|(_, i)| self.personal(&format!("plan.goals.{i}.text")))
                    .unwrap_or_default();
                let attainment = view::attainment(c, &id)
                    .map(|(score, _)| match score {
                        1.. => language.digits(&format!("+{score}")),
                        _ => language.digits(&score.to_string()),
                    })
                    .unwrap_or_default();
                Goal {
                    domain: g
                        .domain
                        .as_deref()
                        .map(|d| self.value(d))
                        .unwrap_or_default(),
                    text,
                    status: g.status.map(|s| self.value(s)).unwrap_or_default(),
                    attainment,
                    target: self.maybe_day(g.target_date),
                    id,
                }
            })
            .collect()
    }

    /// The services, each with its provider and status.
    fn services(&self) -> Vec<Service> {
        self.subject
            .case
            .services
            .iter()
            .map(|s| Service {
                id: s.id.clone().unwrap_or_default(),
                kind: s.kind.clone().unwrap_or_default(),
                provider: s
                    .provider
                    .as_deref()
                    .map(|p| self.provider(p))
                    .unwrap_or_default(),
                status: s.status.map(|x| self.value(x)).unwrap_or_default(),
                referred: self.maybe_day(s.referred),
                ended: self.maybe_day(s.ended),
            })
            .collect()
    }

    /// The case summary, for a case conference.
    fn summary(&mut self) -> Value {
        let c = self.subject.case;
        let client = self.client(&["name", "sex", "age", "household_size", "guardian"]);
        let consent = match view::consent_on(c, self.subject.day) {
            None => self.words.print("consent.none").to_string(),
            Some(on) => {
                let mut text = format!("{} {}", self.value(on.decision), self.maybe_day(on.date));
                if on.is_given() && !on.share_with.is_empty() {
                    let orgs: Vec<String> =
                        on.share_with.iter().map(|o| self.provider(o)).collect();
                    self.personal.push("consent.share_with".to_string());
                    text = format!("{text}: {}", orgs.join(self.words.print("separator")));
                }
                text
            }
        };
        let strengths = self.personal_list("assessment.strengths");
        let needs = self.personal_list("assessment.needs");
        let goals = self.goals();
        let next = monitor::next_due(c, self.subject.settings).map(|item| {
            let service = item.service.map(|s| format!(" {s}")).unwrap_or_default();
            format!("{}{service}: {}", self.value(item.kind), self.day(item.due))
        });
        let reviews = c.reviews.len().to_string();
        let last_review = c.reviews.iter().rev().find_map(|r| r.date);
        let follow_up = self.lines([
            ("reviews", Some(self.subject.language.digits(&reviews))),
            ("last_review", last_review.map(|d| self.day(d))),
            ("next_due", next),
        ]);
        context! {
            client => Value::from(Serde(client)),
            case => Value::from(Serde(self.case())),
            consent,
            chart => self.domains("latest").map(|c| Value::from(Serde(c))),
            strengths,
            needs,
            goals => Value::from(Serde(goals)),
            services => Value::from(Serde(self.services())),
            follow_up => Value::from(Serde(follow_up)),
        }
    }

    /// The closure report: how the case ended, the change in each domain, the goals attained.
    fn closure(&mut self) -> Value {
        let c = self.subject.case;
        let language = self.subject.language;
        let client = self.client(&["name", "sex", "age"]);
        let closure = c.closure.clone().unwrap_or_default();
        let approved = c
            .history
            .iter()
            .rev()
            .find(|h| h.phase == Some(Phase::Closed))
            .and_then(|h| h.approved_by.as_deref())
            .map(|a| self.caseworker(a));
        let started = view::episodes(c).last().map(|e| e.start);
        let days = match (started, closure.date) {
            (Some(from), Some(to)) => Some(language.digits(&(to - from).num_days().to_string())),
            _ => None,
        };
        let goals = self.goals();
        let scored = outcomes::scored_goals(c);
        let tscore = outcomes::gas_tscore(&scored)
            .map(|t| language.digits(&format!("{:.1}", outcomes::round(t, 1))));
        let change = outcomes::mean_change(c)
            .map(|x| language.digits(&format!("{:+.2}", outcomes::round(x, 2))));
        let achieved = c
            .goals()
            .iter()
            .filter(|g| g.status == Some(cm_case::GoalStatus::Achieved))
            .count();
        let completed = c
            .services
            .iter()
            .filter(|s| s.status == Some(ServiceStatus::Completed))
            .count();
        let of = |n: usize, total: usize| language.digits(&format!("{n} / {total}"));
        let ending = self.lines([
            ("closure.date", closure.date.map(|d| self.day(d))),
            ("closure.reason", closure.reason.map(|r| self.value(r))),
            ("closure.episode", started.map(|d| self.day(d))),
            ("closure.days", days),
            ("closure.approved_by", approved),
            ("closure.mean_change", change),
            ("closure.tscore", tscore),
            (
                "closure.goals_achieved",
                Some(of(achieved, c.goals().len())),
            ),
            (
                "closure.services_completed",
                Some(of(completed, c.services.len())),
            ),
        ]);
        context! {
            client => Value::from(Serde(client)),
            case => Value::from(Serde(self.case())),
            ending => Value::from(Serde(ending)),
            chart => self.domains("at_closure").map(|c| Value::from(Serde(c))),
            goals => Value::from(Serde(goals)),
            services => Value::from(Serde(self.services())),
        }
    }

    /// The referral letter about `service`, or the refusal: the consent in force on the day
    /// must be given and name the provider.
    fn referral(&mut self, service: &cm_case::Service) -> Result<Value, Refusal> {
        let c = self.subject.case;
        let id = c.id.clone().unwrap_or_default();
        let sid = service.id.clone().unwrap_or_default();
        let Some(provider) = service.provider.clone().filter(|p| !p.trim().is_empty()) else {
            return Err(Refusal::NoProvider { service: sid });
        };
        let day = |d: Option<NaiveDate>| {
            d.map(|d| calendar::display(d, self.subject.calendar))
                .unwrap_or_default()
        };
        let record = format!(
            "cm consent {id} --given --share-with {}",
            cm_base::text::shell_word(&provider)
        );
        let refuse = |reason: String, help: String| Refusal::Consent {
            provider: provider.clone(),
            reason,
            help,
        };
        match view::consent_on(c, self.subject.day) {
            None => {
                return Err(refuse(
                    "the client's consent is not recorded".to_string(),
                    format!("if the client agrees, record it: {record}"),
                ));
            }
            Some(on) if on.decision == ConsentDecision::Refused => {
                return Err(refuse(
                    format!("the client refused consent on {}", day(on.date)),
                    format!("if the client has changed their mind, record it: {record}"),
                ));
            }
            Some(on) if on.decision == ConsentDecision::Withdrawn => {
                return Err(refuse(
                    format!("the client withdrew consent on {}", day(on.date)),
                    format!("if the client gives it again, record it: {record}"),
                ));
            }
            Some(on) if !on.share_with.contains(&provider) => {
                return Err(refuse(
                    format!(
                        "the consent given on {} does not allow sharing with it",
                        day(on.date)
                    ),
                    format!("if the client agrees, record it: {record}"),
                ));
            }
            Some(_) => {}
        }
        let client = self.client(&[
            "name",
            "sex",
            "birth_date",
            "national_id",
            "phone",
            "address",
            "guardian",
        ]);
        let entry = self.subject.settings.provider(&provider);
        let to = self.lines([
            ("to.name", Some(self.provider(&provider))),
            (
                "to.contact",
                entry.map(|p| p.contact.clone()).filter(|c| !c.is_empty()),
            ),
        ]);
        let goal = service.goal.as_deref().and_then(|g| {
            c.goals()
                .iter()
                .find(|x| x.id.as_deref() == Some(g))
                .and_then(|x| x.domain.as_deref())
        });
        let asked = self.lines([
            ("service.kind", service.kind.clone()),
            ("service.id", Some(sid)),
            ("service.referred", service.referred.map(|d| self.day(d))),
            ("service.domain", goal.map(|d| self.value(d))),
            (
                "service.answer_by",
                monitor::answer_due(service, self.subject.settings).map(|d| self.day(d)),
            ),
        ]);
        let by = service
            .by
            .as_deref()
            .or(c.caseworker.as_deref())
            .map(|id| self.caseworker(id))
            .unwrap_or_default();
        Ok(context! {
            to => Value::from(Serde(to)),
            asked => Value::from(Serde(asked)),
            client => Value::from(Serde(client)),
            by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A closed case with everything a document shows, and a note in each place one may be.
    fn file() -> Json {
        json!({
            "id": "CM-2026-0001", "program": "general", "opened": "2026-01-10",
            "caseworker": "s.ahmadi", "risk": "low", "phase": "closed",
            "client": {"name": "Maryam Rezaei", "sex": "female", "birth_date": "1990-05-01",
                       "phone": "+98 912 000 0000", "address": "Somewhere 12", "household_size": 3},
            "consent": {"given": true, "date": "2026-01-10", "share_with": ["behzisti"],
                        "note": "NOTE-CONSENT"},
            "assessment": {"date": "2026-01-20", "domains": {"income": 1, "housing": 2},
                           "strengths": ["STRENGTH"], "needs": ["NEED"]},
            "plan": {"date": "2026-02-01", "goals": [
                {"id": "G1", "domain": "income", "text": "GOAL-TEXT", "status": "achieved"}]},
            "services": [{"id": "S1", "type": "counselling", "provider": "behzisti",
                          "referred": "2026-02-05", "status": "completed", "ended": "2026-03-01",
                          "note": "NOTE-SERVICE"}],
            "reviews": [{"date": "2026-03-05", "domains": {"income": 3}, "goals": {"G1": 1},
                         "note": "NOTE-REVIEW"}],
            "closure": {"date": "2026-04-01", "reason": "goals-achieved", "note": "NOTE-CLOSURE"},
            "history": [{"date": "2026-01-10", "phase": "intake", "by": "s.ahmadi"},
                        {"date": "2026-04-01", "phase": "closed", "by": "s.ahmadi"}]
        })
    }

    fn printed(form: Form, language: Language, service: Option<&str>) -> Result<Printed, Refusal> {
        let file = file();
        let case = Case::from_json(&file);
        let settings = Settings::default();
        let subject = Subject {
            case: &case,
            file: &file,
            settings: &settings,
            day: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
            calendar: Calendar::Gregorian,
            language,
        };
        print(form, &subject, service)
    }

    #[test]
    fn every_document_is_labelled_from_the_catalogue_and_prints_no_note() {
        for language in [Language::En, Language::Fa] {
            for (form, service) in [
                (Form::Summary, None),
                (Form::Referral, Some("S1")),
                (Form::Closure, None),
            ] {
                let doc = printed(form, language, service).unwrap();
                // A label the catalogue lacks would be its key, a word with a dot.
                for cell in doc.html.split("<th>").skip(1) {
                    let label = cell.split('<').next().unwrap();
                    assert!(
                        !label.contains('.') || label.contains(' '),
                        "{form} {language}: {label}"
                    );
                }
                assert!(!doc.html.contains("NOTE-"), "{form} {language}");
                assert!(doc.html.contains("Maryam Rezaei"), "{form} {language}");
                assert!(doc.personal.contains(&"client.name".to_string()));
            }
        }
    }

    #[test]
    fn each_document_holds_the_personal_fields_its_purpose_needs() {
        let fields = |form, service| printed(form, Language::En, service).unwrap().personal;
        assert_eq!(
            fields(Form::Summary, None),
            [
                "client.name",
                "client.birth_date",
                "client.household_size",
                "consent.share_with",
                "assessment.strengths",
                "assessment.needs",
                "plan.goals.text"
            ]
        );
        let letter = printed(Form::Referral, Language::En, Some("S1")).unwrap();
        assert_eq!(
            letter.personal,
            [
                "client.name",
                "client.birth_date",
                "client.phone",
                "client.address"
            ]
        );
        for absent in ["STRENGTH", "NEED", "GOAL-TEXT"] {
            assert!(!letter.html.contains(absent), "{absent} in the letter");
        }
        assert_eq!(
            fields(Form::Closure, None),
            ["client.name", "client.birth_date", "plan.goals.text"]
        );
    }

    #[test]
    fn a_persian_document_writes_phone_numbers_and_dates_left_to_right() {
        let letter = printed(Form::Referral, Language::Fa, Some("S1")).unwrap();
        assert!(letter.html.contains(r#"<html lang="fa" dir="rtl">"#));
        assert!(
            letter
                .html
                .contains(r#"<bdi dir="ltr">+۹۸ ۹۱۲ ۰۰۰ ۰۰۰۰</bdi>"#),
            "{}",
            letter.html
        );
        assert!(letter.html.contains("مددجو"));
    }

    #[test]
    fn a_document_is_refused_with_its_reason() {
        let refusal = |form, service| printed(form, Language::En, service).err().unwrap();
        assert!(matches!(
            refusal(Form::Summary, Some("S1")),
            Refusal::ServiceNotAsked { .. }
        ));
        assert!(matches!(
            refusal(Form::Referral, Some("S2")),
            Refusal::UnknownService { .. }
        ));
        assert!(matches!(
            refusal(Form::Referral, None),
            Refusal::NoService { .. }
        ));
    }
}
