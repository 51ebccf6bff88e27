//! `cm.toml` as typed settings. Every key is known here; an unknown one is an error naming its
//! line, with the nearest known key suggested.

use std::collections::HashMap;
use std::path::Path;

use cm_base::calendar::Calendar;
use cm_base::language::Language;
use cm_base::text::{line_col, printable, suggest};
use cm_base::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_aux::serde_introspection::serde_introspect;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::{Phase, Risk};

/// Every setting, with the defaults of the contract. Written out (as JSON, say), it gives every
/// key with the value in effect, so that two versions compare by what they mean (`cm diff`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub workspace: WorkspaceSettings,
    pub workflow: WorkflowSettings,
    pub assessment: AssessmentSettings,
    pub deadlines: Deadlines,
    pub caseworkers: Vec<Caseworker>,
    /// The provider directory: the organisations services are referred to.
    pub providers: Vec<Provider>,
    pub reports: ReportsSettings,
    pub federation: FederationSettings,
    /// Where each id stands in `caseworkers` (the first entry with it), made by
    /// [`Settings::parse`]: the rules look up every `caseworker` and `by` of every case.
    #[serde(skip)]
    roster: HashMap<String, usize>,
    /// Where each id stands in `providers` (the first entry with it).
    #[serde(skip)]
    directory: HashMap<String, usize>,
    /// What identifies these settings: the hash of cm.toml's text (the cache's verdicts hold for
    /// it); zero for the defaults.
    #[serde(skip)]
    pub digest: [u8; 16],
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkspaceSettings {
    pub name: String,
    pub id_prefix: String,
    pub calendar: Calendar,
    pub currency: String,
    /// The language of the documents for people (HTML pages), unless `--lang` says otherwise.
    pub language: Language,
}

impl Default for WorkspaceSettings {
    fn default() -> Self {
        WorkspaceSettings {
            name: String::new(),
            id_prefix: "CM".to_string(),
            calendar: Calendar::Gregorian,
            currency: "IRR".to_string(),
            language: Language::En,
        }
    }
}

/// Recorded reports (`cm report … --record`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsSettings {
    /// The folder of recorded reports, relative to the workspace root: `cm report check`
    /// checks it by default, and `cm validate` checks it too when it is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
}

/// The offices a province or national office reports over (`cm report`, `cm list`, `cm overdue`
/// read their cases together, as with `-C` given once for each).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationSettings {
    /// The offices' workspaces (local clones), relative to this workspace's root; `"."` for this
    /// workspace's own cases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workspaces: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkflowSettings {
    /// Phases whose entry, or a move passing over them, needs a supervisor's approval.
    #[serde(deserialize_with = "phases")]
    pub approval: Vec<Phase>,
    /// Whether a transfer of a case to another caseworker needs a supervisor's approval.
    pub transfer_approval: bool,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentSettings {
    /// The agency's domain names; empty means any lowercase name is accepted.
    pub domains: Vec<String>,
}

/// Deadlines in days.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    pub assessment: u32,
    pub plan: u32,
    pub referral_followup: u32,
    /// From a service's acceptance until it must have started.
    pub service_start: u32,
    pub review: ReviewIntervals,
    /// Days between contacts with the client, by current risk; no contact deadline when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactIntervals>,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            assessment: 14,
            plan: 30,
            referral_followup: 14,
            service_start: 30,
            review: ReviewIntervals::default(),
            contact: None,
        }
    }
}

/// Days between monitoring reviews, by current risk.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewIntervals {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for ReviewIntervals {
    fn default() -> Self {
        ReviewIntervals {
            critical: 7,
            high: 14,
            medium: 30,
            low: 90,
        }
    }
}

impl ReviewIntervals {
    pub fn days(&self, risk: Risk) -> u32 {
        match risk {
            Risk::Critical => self.critical,
            Risk::High => self.high,
            Risk::Medium => self.medium,
            Risk::Low => self.low,
        }
    }
}

/// Days between contacts with the client, by current risk; a risk left out has no contact
/// deadline.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactIntervals {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
}

impl ContactIntervals {
    pub fn days(&self, risk: Risk) -> Option<u32> {
        match risk {
            Risk::Critical => self.critical,
            Risk::High => self.high,
            Risk::Medium => self.medium,
            Risk::Low => self.low,
        }
    }
}

/// The keys of a roster entry that hold personal data: a caseworker's `name` is a person's name.
/// Named, never shown (`cm diff` says `name changed`); the roster id is what the cases and every
/// output use.
pub const PERSONAL_ROSTER_KEYS: &[&str] = &["name"];

/// One member of the roster.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Caseworker {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub max_caseload: Option<u32>,
    #[serde(default)]
    pub supervisor: bool,
    /// Line of this entry in cm.toml, so that roster warnings can point at it.
    #[serde(skip)]
    pub line: usize,
}

/// One organisation of the provider directory. Its `contact` is the organisation's, never a
/// client's.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// The service types it offers (`type` of a service).
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub contact: String,
    /// How many days it usually takes to answer a referral.
    #[serde(default)]
    pub response_days: Option<u32>,
    /// Line of this entry in cm.toml.
    #[serde(skip)]
    pub line: usize,
}

/// The cm.toml that `cm init` writes: every setting at its default, explained.
pub const TEMPLATE: &str = include_str!("../../../schemas/cm.toml.template");

/// Whether `prefix` can begin a case id (`THR` in `THR-2026-0001`): a capital letter, then
/// capital letters and digits, as the schema's id pattern has it.
pub fn is_id_prefix(prefix: &str) -> bool {
    let mut chars = prefix.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// [`TEMPLATE`] with the `[workspace]` values of `workspace` in place of the defaults, each
/// written as a TOML string, the explanations kept.
pub fn template(workspace: &WorkspaceSettings) -> String {
    let values = [
        ("name", workspace.name.as_str()),
        ("id_prefix", workspace.id_prefix.as_str()),
        ("calendar", workspace.calendar.as_str()),
        ("currency", workspace.currency.as_str()),
        ("language", workspace.language.as_str()),
    ];
    let mut section = "";
    let mut out = String::with_capacity(TEMPLATE.len());
    for line in TEMPLATE.split_inclusive('\n') {
        if line.starts_with('[') {
            section = line.split(']').next().unwrap_or_default();
        }
        let value = values.iter().find(|(key, _)| {
            section == "[workspace" && line.split('=').next().map(str::trim) == Some(key)
        });
        let open = line.find('"');
        let close = open.and_then(|open| Some(open + 1 + line[open + 1..].find('"')?));
        match (value, open, close) {
            (Some((key, value)), Some(_), Some(close)) => {
                let quoted = toml::Value::String(value.to_string()).to_string();
                let written = format!("{key} = {quoted}");
                let rest = &line[close + 1..];
                let comment = rest.trim_start_matches(' ');
                // The comment keeps its column while the value fits before it.
                let column = line.chars().count() - comment.chars().count();
                let pad = if comment.trim().is_empty() {
                    0
                } else {
                    column.saturating_sub(written.chars().count()).max(1)
                };
                out.push_str(&format!("{written}{}{comment}", " ".repeat(pad)));
            }
            _ => out.push_str(line),
        }
    }
    out
}

impl Settings {
    /// The roster entry for `id`, when there is a roster.
    pub fn caseworker(&self, id: &str) -> Option<&Caseworker> {
        self.roster.get(id).map(|&i| &self.caseworkers[i])
    }

    /// The directory's entry for the provider `id`.
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.directory.get(id).map(|&i| &self.providers[i])
    }

    /// The directory's entry of the provider `service` is referred to, when it names one.
    pub fn provider_of(&self, service: &crate::Service) -> Option<&Provider> {
        self.provider(service.provider.as_deref()?)
    }

    /// Parses the text of a cm.toml; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Settings> {
        let at = |span: Option<std::ops::Range<usize>>, message: String, help: Option<String>| {
            let (line, col) = line_col(text, span.map_or(0, |s| s.start));
            // The message may quote the file (a key, a value): one line, escaped.
            Error::Settings {
                path: path.to_path_buf(),
                line,
                col,
                message: printable(&message).into_owned(),
                help: help.map(|h| printable(&h).into_owned()),
            }
        };
        let table =
            DeTable::parse(text).map_err(|e| at(e.span(), e.message().to_string(), None))?;
        check_keys(table.get_ref(), "", &|span, message, help| {
            at(Some(span), message, help)
        })?;
        // The one parse of the text gives both the spans above and the typed settings.
        let mut settings = Settings::deserialize(toml::de::Deserializer::from(table.clone()))
            .map_err(|e| at(e.span(), e.message().trim().to_string(), None))?;
        let lines = |key: &str| -> Vec<usize> {
            match table.get_ref().get(key).map(|v| v.get_ref()) {
                Some(DeValue::Array(entries)) => entries
                    .iter()
                    .map(|entry| line_col(text, entry.span().start).0)
                    .collect(),
                _ => Vec::new(),
            }
        };
        for (cw, line) in settings.caseworkers.iter_mut().zip(lines("caseworkers")) {
            cw.line = line;
        }
        for (provider, line) in settings.providers.iter_mut().zip(lines("providers")) {
            provider.line = line;
        }
        // A domain name becomes a key of the cases and a column of the reports: the shape the
        // schema gives domain keys, nothing a spreadsheet or a terminal would take for more.
        if let Some(DeValue::Table(assessment)) =
            table.get_ref().get("assessment").map(|v| v.get_ref())
            && let Some(DeValue::Array(domains)) = assessment.get("domains").map(|v| v.get_ref())
        {
            for (name, entry) in settings.assessment.domains.iter().zip(domains.iter()) {
                let ok = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ok {
                    return Err(at(
                        Some(entry.span()),
                        format!("domain `{name}` is not a domain name"),
                        Some("a domain name is lowercase letters, digits and `_`, such as `mental_health`".to_string()),
                    ));
                }
            }
        }
        // The prefix begins every new id: one the schema's id pattern refuses would make
        // `cm new` write cases that fail validation.
        if !is_id_prefix(&settings.workspace.id_prefix) {
            let span = match table.get_ref().get("workspace").map(|v| v.get_ref()) {
                Some(DeValue::Table(ws)) => ws.get("id_prefix").map(|v| v.span()),
                _ => None,
            };
            return Err(at(
                span,
                format!(
                    "id_prefix `{}` cannot begin a case id",
                    settings.workspace.id_prefix
                ),
                Some(
                    "a prefix is capital letters and digits, starting with a letter, such as `THR`"
                        .to_string(),
                ),
            ));
        }
        for (i, cw) in settings.caseworkers.iter().enumerate() {
            settings.roster.entry(cw.id.clone()).or_insert(i);
        }
        for (i, provider) in settings.providers.iter().enumerate() {
            settings.directory.entry(provider.id.clone()).or_insert(i);
        }
        settings.digest = cm_base::files::hash(text.as_bytes());
        Ok(settings)
    }
}

fn phases<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<Phase>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|s| s.parse().map_err(serde::de::Error::custom))
        .collect()
}

/// The tables of cm.toml (arrays of tables are named like tables; `""` is the top level), each
/// with its known keys: the fields of the settings types, read from the types themselves, so that
/// a key is declared once. The checks of cm.toml's keys read it, and a test holds the user's
/// reference (docs/settings.md) to it.
pub fn known_tables() -> [(&'static str, &'static [&'static str]); 10] {
    [
        ("", serde_introspect::<Settings>()),
        ("workspace", serde_introspect::<WorkspaceSettings>()),
        ("workflow", serde_introspect::<WorkflowSettings>()),
        ("assessment", serde_introspect::<AssessmentSettings>()),
        ("deadlines", serde_introspect::<Deadlines>()),
        ("deadlines.review", serde_introspect::<ReviewIntervals>()),
        ("deadlines.contact", serde_introspect::<ContactIntervals>()),
        ("caseworkers", serde_introspect::<Caseworker>()),
        ("providers", serde_introspect::<Provider>()),
        ("reports", serde_introspect::<ReportsSettings>()),
    ]
}

/// The known keys of `table` (see [`known_tables`]); `None` for a table cm.toml does not have.
fn known_keys(table: &str) -> Option<&'static [&'static str]> {
    known_tables()
        .into_iter()
        .find(|(name, _)| *name == table)
        .map(|(_, keys)| keys)
}

type KeyError<'a> = dyn Fn(std::ops::Range<usize>, String, Option<String>) -> Error + 'a;

fn check_keys(table: &DeTable<'_>, at: &str, error: &KeyError<'_>) -> Result<()> {
    let Some(known) = known_keys(at) else {
        return Ok(());
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !known.contains(&name) {
            let place = if at.is_empty() {
                "cm.toml".to_string()
            } else {
                format!("[{at}]")
            };
            return Err(error(
                key.span(),
                format!("unknown key `{name}` in {place}"),
                Some(match suggest(name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys: {}", known.join(", ")),
                }),
            ));
        }
        let path = if at.is_empty() {
            name.to_string()
        } else {
            format!("{at}.{name}")
        };
        check_value(value, &path, error)?;
    }
    Ok(())
}

fn check_value(value: &Spanned<DeValue<'_>>, path: &str, error: &KeyError<'_>) -> Result<()> {
    match value.get_ref() {
        DeValue::Table(t) => check_keys(t, path, error),
        DeValue::Array(items) => items
            .iter()
            .try_for_each(|item| check_value(item, path, error)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_takes_the_values_of_init() {
        let ws = WorkspaceSettings {
            name: "Tehran \"South\" office".into(),
            id_prefix: "THR".into(),
            calendar: Calendar::Persian,
            currency: "IRR".into(),
            language: Language::Fa,
        };
        let text = template(&ws);
        let settings = Settings::parse(&text, Path::new("cm.toml")).unwrap();
        assert_eq!(settings.workspace.name, ws.name);
        assert_eq!(settings.workspace.id_prefix, "THR");
        assert_eq!(settings.workspace.calendar, Calendar::Persian);
        assert_eq!(settings.workspace.language, Language::Fa);
        assert!(
            text.contains("calendar = \"persian\"      # \"gregorian\" or"),
            "{text}"
        );
        // Nothing but the values given differs from the template.
        let changed = text
            .lines()
            .zip(TEMPLATE.lines())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed, 4);
        assert_eq!(text.lines().count(), TEMPLATE.lines().count());
    }

    #[test]
    fn an_id_prefix_the_schema_refuses_is_an_error() {
        let e = Settings::parse("[workspace]\nid_prefix = \"thr\"\n", Path::new("cm.toml"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "cm.toml:2:13: id_prefix `thr` cannot begin a case id\n  help: a prefix is capital letters and digits, starting with a letter, such as `THR`"
        );
        assert!(
            is_id_prefix("THR2")
                && !is_id_prefix("2THR")
                && !is_id_prefix("")
                && !is_id_prefix("T-R")
        );
    }

    #[test]
    fn defaults_when_empty() {
        let s = Settings::parse("", Path::new("cm.toml")).unwrap();
        assert_eq!(s.workspace.id_prefix, "CM");
        assert_eq!(s.deadlines.review.low, 90);
        assert_eq!(s.workspace.calendar, Calendar::Gregorian);
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = "[workspace]\nname = \"x\"\ncalender = \"persian\"\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cm.toml:3:1: unknown key `calender` in [workspace]\n  help: did you mean `calendar`?"
        );
    }

    #[test]
    fn unknown_key_in_roster() {
        let text = "[[caseworkers]]\nid = \"a\"\nmax_caseloda = 3\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cm.toml:3:1: unknown key `max_caseloda`")
        );
        assert!(err.to_string().contains("`max_caseload`"));
    }

    #[test]
    fn wrong_type_names_line() {
        let text = "[deadlines]\nplan = \"thirty\"\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(err.to_string().starts_with("cm.toml:2:"), "{err}");
    }

    #[test]
    fn a_domain_name_is_a_name() {
        let text = "[assessment]\ndomains = [\"income\",\n  \"=HYPERLINK(1)\"]\n";
        let err = Settings::parse(text, Path::new("cm.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cm.toml:3:3: domain `=HYPERLINK(1)` is not a domain name"),
            "{err}"
        );
    }

    #[test]
    fn roster_lines_are_kept() {
        let text =
            "[[caseworkers]]\nid = \"a\"\n\n[[caseworkers]]\nid = \"b\"\nsupervisor = true\n";
        let s = Settings::parse(text, Path::new("cm.toml")).unwrap();
        assert_eq!(s.caseworkers[1].id, "b");
        assert!(s.caseworkers[1].supervisor);
        assert!(s.caseworkers[1].line >= 4);
    }
}
