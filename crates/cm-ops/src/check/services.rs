//! Service rules: the walk of a service's updates (`service-move`), its `status` and `ended` as
//! they say (`service-status`, `service-unrecorded`, `service-ended`), the reasons of declines
//! (`decline-reason`), and, with a provider directory in cm.toml, its providers
//! (`unknown-provider`, and the `provider-service` warning).
//!
//! A service starts `referred`; each update moves it on, as [`ServiceStatus::moves`] allows, and
//! the last one says its `status`; the update that completes, declines or cancels it gives its
//! `ended`. What the schema already refuses (an update that is not a mapping, a status or a date
//! that cannot be read) is its error alone: these rules pass over it rather than add errors that
//! follow from it.

use serde_json::{Map, Value as Json};

use cm_base::at;
use cm_base::calendar::is_plausible;
use cm_base::names::Names;
use cm_base::path::Step;
use cm_base::text::suggest;
use cm_base::yaml::{Place, Style};
use cm_case::{DeclineReason, LoadedCase, Service, ServiceStatus};

use super::{Code, Ctx, Finding};

/// `service-move`, `service-status`, `service-unrecorded`, `service-ended` and
/// `decline-reason`, for each service of the case.
pub fn statuses(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let written = case.json.get("services").and_then(Json::as_array);
    for (i, service) in case.case.services.iter().enumerate() {
        let Some(raw) = written.and_then(|s| s.get(i)).and_then(Json::as_object) else {
            continue;
        };
        // `updates` that is not a list is the schema's error; the rest would follow from it.
        let updates = match raw.get("updates") {
            None => &[][..],
            Some(Json::Array(items)) => items.as_slice(),
            Some(_) => continue,
        };
        moves(i, service, out);
        reasons(i, service, updates, out);
        status_and_end(i, service, raw, ctx, out);
    }
}

/// `service-move`: each update moves the service on from the status before it, the first from
/// `referred`.
fn moves(i: usize, service: &Service, out: &mut Vec<Finding>) {
    let mut from = Some(ServiceStatus::Referred);
    for (j, update) in service.updates.iter().enumerate() {
        // A status the schema refuses (`referred` is no update's) leaves the next move unknown.
        let Some(to) = update.status.filter(|s| *s != ServiceStatus::Referred) else {
            from = None;
            continue;
        };
        if let Some(from) = from.filter(|f| !f.moves().contains(&to)) {
            let allowed = from.moves();
            let help = if allowed.is_empty() {
                format!(
                    "`{from}` is final: the service moves no further (a new referral is a new \
                     service)"
                )
            } else {
                format!(
                    "from `{from}`, a service moves to {}",
                    either(&allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>())
                )
            };
            out.push(
                Finding::error(
                    Code::ServiceMove,
                    Place::At(at!["services", i, "updates", j, "status"]),
                    format!(
                        "services[{i}].updates[{j}] moves the service from `{from}` to `{to}`, \
                         which is not a move a service makes"
                    ),
                )
                .help(help),
            );
        }
        from = Some(to);
    }
}

/// `decline-reason`: an update to `declined` gives its `reason`, and no other update gives one.
fn reasons(i: usize, service: &Service, written: &[Json], out: &mut Vec<Finding>) {
    for (j, update) in service.updates.iter().enumerate() {
        let Some(status) = update.status else {
            continue;
        };
        let has_reason = written
            .get(j)
            .and_then(Json::as_object)
            .is_some_and(|u| u.contains_key("reason"));
        if status == ServiceStatus::Declined && !has_reason {
            out.push(
                Finding::error(
                    Code::DeclineReason,
                    Place::At(at!["services", i, "updates", j, "status"]),
                    format!("services[{i}].updates[{j}] declines the service without a `reason`"),
                )
                .help(format!(
                    "add `reason:`, one of {}",
                    DeclineReason::spellings().join(", ")
                )),
            );
        } else if status != ServiceStatus::Declined && has_reason {
            out.push(
                Finding::error(
                    Code::DeclineReason,
                    Place::KeyOf(at!["services", i, "updates", j, "reason"]),
                    format!(
                        "services[{i}].updates[{j}] gives a `reason`, but it moves the service to \
                         `{status}`"
                    ),
                )
                .help("a reason goes only with `declined`: remove it"),
            );
        }
    }
}

/// `service-unrecorded`, `service-status` and `service-ended`: the service's `status` is the
/// status of its last update (`referred` when it has none), and its `ended` the date of the
/// update that made it final.
fn status_and_end(
    i: usize,
    service: &Service,
    raw: &Map<String, Json>,
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
) {
    let Some(status) = service.status else {
        return;
    };
    let last = service.updates.last();
    match last {
        None if status != ServiceStatus::Referred => {
            out.push(
                Finding::error(
                    Code::ServiceUnrecorded,
                    Place::At(at!["services", i, "status"]),
                    format!(
                        "services[{i}] is `{status}` but no update records its change from \
                         `referred`"
                    ),
                )
                .help("run `cm migrate` to record the missing updates"),
            );
        }
        Some(last) => match last.status.filter(|s| *s != ServiceStatus::Referred) {
            // The schema's error; what the status should be is not known.
            None => return,
            Some(moved) if moved != status => {
                out.push(
                    Finding::error(
                        Code::ServiceStatus,
                        Place::At(at!["services", i, "status"]),
                        format!(
                            "services[{i}].status is `{status}` but the last update moves it to \
                             `{moved}`"
                        ),
                    )
                    .help(
                        "a service's status is the status of its last update: change the two \
                         together",
                    ),
                );
                // Whether it should have ended is not known either.
                return;
            }
            Some(_) => {}
        },
        None => {}
    }
    // `ended` written but not a readable, plausible date is the error of the date rules.
    let ended_written = raw.contains_key("ended");
    let ended = service.ended.filter(|d| is_plausible(*d));
    if !status.is_final() {
        if ended_written {
            out.push(
                Finding::error(
                    Code::ServiceEnded,
                    Place::KeyOf(at!["services", i, "ended"]),
                    format!("services[{i}] has `ended` but is still `{status}`"),
                )
                .help(
                    "`ended` is the date of the update that completes, declines or cancels the \
                     service: remove it until then",
                ),
            );
        }
        return;
    }
    // A final service without updates is `service-unrecorded`: its end has no update to match.
    let Some(day) = last.and_then(|u| u.date).filter(|d| is_plausible(*d)) else {
        return;
    };
    if !ended_written {
        out.push(
            Finding::error(
                Code::ServiceEnded,
                Place::At(at!["services", i, "status"]),
                format!("services[{i}] is `{status}` but has no `ended`"),
            )
            .help(format!(
                "write `ended: {day}`, the date of the update that made it `{status}`"
            )),
        );
    } else if let Some(ended) = ended.filter(|e| *e != day) {
        out.push(
            Finding::error(
                Code::ServiceEnded,
                Place::At(at!["services", i, "ended"]),
                format!(
                    "services[{i}].ended ({}) is not the date of the update that made it \
                     `{status}` ({})",
                    ctx.date(ended),
                    ctx.date(day)
                ),
            )
            .help(format!("write `ended: {day}`")),
        );
    }
}

/// `unknown-provider` and `provider-service` (warning): with a provider directory in cm.toml,
/// a service's `provider` is one of its ids, and its `type` one the provider offers (when the
/// directory lists what it offers). A service referred before the case came from another
/// office was referred by that office's directory.
pub fn providers(case: &LoadedCase, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let directory = &ctx.settings.providers;
    if directory.is_empty() {
        return;
    }
    for (i, service) in case.case.services.iter().enumerate() {
        let Some(name) = service.provider.as_deref() else {
            continue;
        };
        if case.case.recorded_elsewhere(service.referred) {
            continue;
        }
        let at_provider = at!["services", i, "provider"];
        // A value carried by an alias is the `alias` error, and never quoted: it was written
        // where it may be personal.
        if !written_here(case, &at_provider) {
            continue;
        }
        let Some(provider) = ctx.settings.provider(name) else {
            let f = Finding::error(
                Code::UnknownProvider,
                Place::At(at_provider),
                format!("`{name}` is not in the provider directory of cm.toml"),
            );
            out.push(
                match suggest(name, directory.iter().map(|p| p.id.as_str())) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(
                        "name the id of a [[providers]] entry of cm.toml, or add the provider \
                         there",
                    ),
                },
            );
            continue;
        };
        let offered = &provider.services;
        let at_type = at!["services", i, "type"];
        let Some(kind) = service.kind.as_deref() else {
            continue;
        };
        if offered.is_empty() || offered.iter().any(|s| s == kind) || !written_here(case, &at_type)
        {
            continue;
        }
        let f = Finding::warning(
            Code::ProviderService,
            Place::At(at_type),
            format!("`{name}` does not offer `{kind}` in the provider directory of cm.toml"),
        );
        out.push(match suggest(kind, offered.iter().map(String::as_str)) {
            Some(s) => f.help(format!("did you mean `{s}`?")),
            None => f.help(format!(
                "it offers {}; correct the type or the provider, or add the type to its \
                 `services` in cm.toml",
                offered.join(", ")
            )),
        });
    }
}

/// Whether the value at `path` is written there, not carried by an alias on the way to it.
fn written_here(case: &LoadedCase, path: &[Step]) -> bool {
    let Some(mut node) = case.full_tree() else {
        return true;
    };
    for step in path {
        if node.style == Style::Alias {
            return false;
        }
        let (next, _, taken) = node.find(std::slice::from_ref(step));
        if taken == 0 {
            return true;
        }
        node = next;
    }
    node.style != Style::Alias
}

/// Names as a sentence offers them: `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn either(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ROSTER, findings};

    const DIRECTORY: &str = "[[providers]]\nid = \"emdad-housing\"\nservices = [\"rent-deposit-loan\"]\n\n[[providers]]\nid = \"charity-clinic\"\n";

    /// A valid case in implementation, its services (block list items) appended.
    fn case(services: &str) -> String {
        format!(
            "id: CM-2026-0001
program: general
opened: 2026-03-02
caseworker: s.ahmadi
risk: medium
phase: implementation
client:
  name: &name maryam
  sex: female
consent: {{given: true, date: 2026-03-02}}
assessment:
  date: 2026-03-09
  domains: {{income: 2}}
plan:
  date: 2026-03-16
  goals:
    - {{id: G1, domain: income, text: Find work, status: active}}
history:
  - {{date: 2026-03-02, phase: intake, by: s.ahmadi, risk: medium}}
  - {{date: 2026-03-09, phase: assessment, by: s.ahmadi}}
  - {{date: 2026-03-16, phase: planning, by: s.ahmadi, approved_by: m.karimi}}
  - {{date: 2026-03-20, phase: implementation, by: s.ahmadi}}
services:
{services}"
        )
    }

    /// Every finding about `text` under these settings, as `line:col code: message`, on
    /// 2026-11-01.
    fn check(settings: &str, text: &str) -> Vec<String> {
        findings(settings, text)
    }

    #[test]
    fn every_walk_the_moves_allow_is_valid() {
        let services = "  - {id: S1, type: a, referred: 2026-03-21, status: referred}
  - {id: S2, type: a, referred: 2026-03-21, status: accepted, updates: [{date: 2026-03-21, status: accepted, by: s.ahmadi}]}
  - id: S3
    type: a
    referred: 2026-03-21
    status: completed
    ended: 2026-05-02
    updates:
      - {date: 2026-03-25, status: accepted, by: s.ahmadi, note: spoke with maryam}
      - {date: 2026-04-01, status: in-progress, by: s.ahmadi}
      - {date: 2026-05-02, status: completed, by: s.ahmadi}
  - {id: S4, type: a, referred: 2026-03-21, status: declined, ended: 2026-03-30, updates: [{date: 2026-03-30, status: declined, by: s.ahmadi, reason: no-capacity}]}
  - {id: S5, type: a, referred: 2026-03-21, status: cancelled, ended: 2026-04-09, updates: [{date: 2026-03-30, status: accepted, by: s.ahmadi}, {date: 2026-04-09, status: cancelled, by: s.ahmadi}]}
  - {id: S6, type: a, referred: 2026-03-21, status: completed, ended: 2026-04-09, updates: [{date: 2026-03-30, status: accepted, by: s.ahmadi}, {date: 2026-04-09, status: completed, by: s.ahmadi}]}
  - {id: S7, type: a, referred: 2026-03-21, status: declined, ended: 2026-04-09, updates: [{date: 2026-03-30, status: accepted, by: s.ahmadi}, {date: 2026-04-09, status: declined, by: s.ahmadi, reason: other}]}
";
        assert_eq!(check(ROSTER, &case(services)), Vec::<String>::new());
    }

    #[test]
    fn an_update_is_an_event_and_its_by_is_in_the_roster() {
        let services = "  - id: S1
    type: a
    referred: 2026-03-21
    status: in-progress
    updates:
      - {date: 2026-02-20, status: accepted, by: s.ahmady}
      - {date: 2026-12-01, status: in-progress, by: s.ahmadi}
";
        assert_eq!(
            check(ROSTER, &case(services)),
            [
                "29:16 date-order: services[0].updates[0].date (2026-02-20) is before the case \
                 was opened (2026-03-02)",
                "29:16 date-order: services[0].updates[0].date (2026-02-20) is before the \
                 service was referred (2026-03-21)",
                "29:50 unknown-caseworker: `s.ahmady` is not in the roster of cm.toml",
                "30:16 date-future: services[0].updates[1].date (2026-12-01) is after today \
                 (2026-11-01)",
            ]
        );
    }

    #[test]
    fn an_update_after_the_closure_is_out_of_order() {
        let text = case(
            "  - {id: S1, type: a, referred: 2026-03-21, status: accepted, updates: [{date: 2026-06-02, status: accepted, by: s.ahmadi}]}\n",
        )
        .replace("phase: implementation", "phase: closed")
        .replace(
            "services:",
            "closure: {date: 2026-06-01, reason: moved}\nservices:",
        )
        .replace(
            "phase: implementation, by: s.ahmadi}",
            "phase: implementation, by: s.ahmadi}\n  - {date: 2026-06-01, phase: closed, by: s.ahmadi}",
        );
        assert_eq!(
            check("", &text),
            [
                "25:80 date-order: services[0].updates[0].date (2026-06-02) is after the case was \
              closed (2026-06-01)"
            ]
        );
    }

    /// What the schema or the date rules refuse is their error alone.
    #[test]
    fn a_value_the_schema_refuses_adds_no_error_of_these_rules() {
        let services = "  - {id: S1, type: a, referred: 2026-03-21, status: completed, ended: 3026-04-20, updates: [{date: 2026-03-25, status: accepted, by: s.ahmadi}, {date: 2026-04-20, status: completed, by: s.ahmadi}]}
  - {id: S2, type: a, referred: 2026-03-21, status: accepted, updates: nothing}
  - {id: S3, type: a, referred: 2026-03-21, status: completed, ended: 2026-04-09, updates: [{date: 2026-03-30, status: acepted, by: s.ahmadi}, {date: 2026-04-09, status: completed, by: s.ahmadi}]}
  - {id: S4, type: a, referred: 2026-03-21, status: cancelled, ended: 2026-02-30, updates: [{date: 2026-03-30, status: cancelled, by: s.ahmadi}]}
  - {id: S5, type: a, referred: 2026-03-21, status: completed, ended: 2026-04-09, updates: [{date: 2026-03-30, status: referred, by: s.ahmadi}, {date: 2026-04-09, status: completed, by: s.ahmadi}]}
  - {id: S6, type: a, referred: 2026-03-21, status: declined, ended: 2026-03-30, updates: [{date: 2026-03-30, status: declined, by: s.ahmadi, reason: busy}]}
  - {id: S7, type: a, referred: 2026-03-21, status: cancelled, ended: 2026-03-30, updates: [{date: 2026-03-30, status: cancelled, by: s.ahmadi}, [odd]]}
";
        let found = check("", &case(services));
        assert!(
            found
                .iter()
                .all(|f| f.contains(" schema: ") || f.contains(" date-")),
            "{found:#?}"
        );
        assert_eq!(found.len(), 7, "{found:#?}");
    }

    #[test]
    fn with_a_directory_a_provider_is_one_of_its_ids() {
        let services = "  - {id: S1, type: microcredit, provider: emdad-housing, referred: 2026-03-21, status: referred}
  - {id: S2, type: medical-care, provider: charity-clinic, referred: 2026-03-21, status: referred}
  - {id: S3, type: a, provider: Emdad, referred: 2026-03-21, status: referred}
  - {id: S4, type: a, provider: *name, referred: 2026-03-21, status: referred}
";
        let found = check(DIRECTORY, &case(services));
        assert_eq!(
            found,
            [
                "24:20 provider-service: `emdad-housing` does not offer `microcredit` in the \
                 provider directory of cm.toml",
                "26:33 unknown-provider: `Emdad` is not in the provider directory of cm.toml",
                "27:33 alias: services[3].provider is an alias (`*name`) of a value written \
                 elsewhere",
            ]
        );
        // Without a directory, a provider is free text.
        assert_eq!(
            check("", &case(services)),
            [
                "27:33 alias: services[3].provider is an alias (`*name`) of a value written \
              elsewhere"
            ]
        );
    }
}
