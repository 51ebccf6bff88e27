//! `cm report … --record DIR` and `cm report check`: reports recorded with what they were
//! computed from, and held to it (see [`cm_ops::report::record`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Computed, Request, Source, compute};
use crate::cli::{Env, Status, Usage, among, say, written};
use cm_base::calendar::Calendar;
use cm_base::diagnostic::{Code, Diagnostic, Severity};
use cm_base::error::{Error, Result};
use cm_case::Workspace;
use cm_ops::diff::git::Repo;
use cm_ops::output::{self, Format};
use cm_ops::report::record::{self as recorded, Cause, Change, Manifest};

/// The folder of recorded reports when neither the command line nor cm.toml names one.
const DEFAULT_DIR: &str = "reports";

/// Compute each report recorded with --record again, and say which figure changed since.
///
/// Each manifest in DIR names a report and its parameters. The report is computed again from
/// the case files as they are, and compared with what was recorded, row by row: a figure that
/// changed is reported at its line of the recorded CSV, with its old and new value and, when the
/// workspace is in git, the case files and commits that changed it. Exit status 1 when one
/// changed. To accept an intended correction, record the report again.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  cm report check\n  cm report check funders/2026")]
pub struct CheckArgs {
    /// The folder of recorded reports (default: cm.toml's [reports].dir, else reports/).
    dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = among(Format::LINES), default_value = "text")]
    format: Format,
}

pub fn run(args: CheckArgs, env: &Env, ws: &Workspace, out: &mut dyn Write) -> Result<Status> {
    let dir = match &args.dir {
        Some(dir) => env.cwd.join(dir),
        None => ws
            .root
            .join(ws.settings.reports.dir.as_deref().unwrap_or(DEFAULT_DIR)),
    };
    let (reports, diagnostics) = check(env, ws, &dir)?;
    written(output::diagnostics(
        out,
        &diagnostics,
        args.format,
        &|_| None,
        env.styled,
    ))?;
    if args.format != Format::Json {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        written(writeln!(
            out,
            "checked {}: {}",
            plural(reports, "recorded report"),
            plural(diagnostics.len(), "problem")
        ))?;
    }
    Ok(if diagnostics.is_empty() {
        Status::Ok
    } else {
        Status::Problems
    })
}

/// Records `report`, computed for `request`, in `dir` (relative to the current folder). A
/// report is recorded from committed files only, so that its revision says what it was computed
/// from; and only whole (no case file left out for its errors).
pub fn record(
    request: &Request,
    report: &Computed,
    env: &Env,
    ws: &Workspace,
    dir: &Path,
) -> Result<()> {
    if report.left_out() > 0 {
        return Err(Error::request(Usage::RecordLeftOut(report.left_out())));
    }
    let revision = match Repo::open(&ws.root) {
        Err(_) => None,
        Ok(repo) => {
            let changed = repo.changes("HEAD", None).ok();
            match changed {
                // No commit yet.
                None => None,
                Some(changed) if !changed.is_empty() => {
                    let path = changed
                        .iter()
                        .find_map(|c| c.new.as_ref().or(c.old.as_ref()))
                        .map(|v| v.path.clone())
                        .unwrap_or_default();
                    return Err(Error::request(Usage::RecordUncommitted {
                        path,
                        more: changed.len() - 1,
                    }));
                }
                Some(_) => Some(repo.resolve("HEAD")?),
            }
        }
    };
    let calendar = env.calendar(ws);
    let csv = as_recorded(report, ws, calendar)?;
    let rows = recorded::rows(&String::from_utf8_lossy(&csv));
    let name = request.name(calendar);
    let manifest = Manifest {
        command: request.command(calendar),
        file: recorded::file_names(&name).0,
        calendar,
        recorded: env.today,
        revision,
        cm: env!("CARGO_PKG_VERSION").to_string(),
        rows: recorded::digests(&rows),
        parameters: request.clone(),
    };
    let (file, _) = recorded::record(&env.cwd.join(dir), &name, &manifest, &csv)?;
    say(format_args!("cm: recorded {}", shown_path(ws, env, &file)));
    Ok(())
}

/// How many reports are recorded in `dir`, and the problems of each: a figure that changed, a
/// manifest or report that cannot be read.
pub fn check(env: &Env, ws: &Workspace, dir: &Path) -> Result<(usize, Vec<Diagnostic>)> {
    let manifests = recorded::manifests(dir)?;
    let dir_shown = shown_path(ws, env, dir);
    let mut problems = Vec::new();
    for path in &manifests {
        let shown = shown_path(ws, env, path);
        let report = match recorded::read::<Request>(path, &shown, &dir_shown) {
            Ok(report) => report,
            Err(problem) => {
                problems.push(*problem);
                continue;
            }
        };
        let manifest = &report.manifest;
        // Computed as it was: in its calendar, never fitted to a screen.
        let then = Env {
            calendar: Some(manifest.calendar),
            terminal: false,
            width: None,
            ..env.clone()
        };
        let request = &manifest.parameters;
        let now = compute(request, &then, &Source::one(ws.clone(), None)?)?;
        let csv = as_recorded(&now, ws, manifest.calendar)?;
        let changes = recorded::compare(
            &report.rows,
            &recorded::rows(&String::from_utf8_lossy(&csv)),
            request.has_metric_rows(),
        );
        if changes.is_empty() {
            continue;
        }
        // Which files changed it, from git: the workspace may have left git since, or the
        // commit be gone from a shallow clone; the figure is reported all the same.
        let day = request.day(manifest.calendar)?;
        let causes = match &manifest.revision {
            Some(revision) => {
                recorded::causes(ws, revision, day).map_err(|e| Untold::Git(e.to_string()))
            }
            None => Err(Untold::NotInGit),
        };
        let again = format!("{} --record {dir_shown}", manifest.command);
        for change in changes {
            problems.push(problem(
                &report.shown,
                manifest,
                change,
                causes.as_deref(),
                &again,
            ));
        }
    }
    Ok((manifests.len(), problems))
}

/// The `report-changed` error of `change` to the report shown as `shown`, with the files that
/// caused it (or why they cannot be told) and the command that records it again.
fn problem(
    shown: &str,
    manifest: &Manifest<Request>,
    change: Change,
    causes: std::result::Result<&[Cause], &Untold>,
    again: &str,
) -> Diagnostic {
    // The day in the report's own calendar, as its dates are.
    let when = format!(
        "when recorded on {}",
        cm_base::calendar::display(manifest.recorded, manifest.calendar)
    );
    let cell = |v: &str| {
        if v.is_empty() {
            "empty".to_string()
        } else {
            v.to_string()
        }
    };
    let (line, col, message, key) = match change {
        Change::Columns { line } => (
            line,
            1,
            format!("the report's columns are not those it had {when}"),
            None,
        ),
        Change::Figure {
            line,
            col,
            key,
            column,
            was,
            now,
        } => {
            // A report of `metric,value` rows names the metric alone.
            let figure = if column == "value" {
                format!("`{key}`")
            } else {
                format!("`{column}` of `{key}`")
            };
            (
                line,
                col,
                format!(
                    "{figure} was {} {when}, and is {} now",
                    cell(&was),
                    cell(&now)
                ),
                Some(key),
            )
        }
        Change::Gone { line, key } => (
            line,
            1,
            format!("the row `{key}` was in the report {when}, and is not now"),
            Some(key),
        ),
        Change::New { line, key } => (
            line,
            1,
            format!("the row `{key}` is in the report now, and was not {when}"),
            Some(key),
        ),
    };
    let by = match causes {
        Err(Untold::NotInGit) => "the workspace was not in git when it was recorded, so which \
                                  case files changed it cannot be told"
            .to_string(),
        Err(Untold::Git(why)) => format!("which case files changed it cannot be told ({why})"),
        Ok([]) => format!(
            "no case file changed what it reads since commit {}: cm.toml or cm's version may \
             have",
            manifest
                .revision
                .as_deref()
                .map_or("", |r| &r[..r.len().min(10)])
        ),
        Ok(causes) => {
            // A row of one case names that case's file, when it is among them.
            let own: Vec<&Cause> = causes
                .iter()
                .filter(|c| c.id.is_some() && c.id == key)
                .collect();
            let named: Vec<&Cause> = if own.is_empty() {
                causes.iter().collect()
            } else {
                own
            };
            format!(
                "changed since by {}",
                named
                    .iter()
                    .map(|c| c.words())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    };
    Diagnostic::new(
        shown,
        line,
        col,
        Severity::Error,
        Code::ReportChanged,
        message,
    )
    .with_help(format!(
        "{by}; if the correction is meant, record the report again: {again}"
    ))
}

/// `report` as it is recorded: CSV with its dates in `calendar`, without a byte-order mark.
fn as_recorded(report: &Computed, ws: &Workspace, calendar: Calendar) -> Result<Vec<u8>> {
    let shown = cm_ops::output::Shown {
        calendar,
        currency: ws.settings.workspace.currency.clone(),
        title: None,
        styled: false,
        bom: false,
    };
    let mut csv = Vec::new();
    report
        .table
        .write(&mut csv, Format::Csv, &shown)
        .map_err(|e| Error::io("the report", e))?;
    Ok(csv)
}

/// Why the case files that changed a recorded report cannot be named.
enum Untold {
    /// It was recorded outside git.
    NotInGit,
    /// Git could not tell, and said this.
    Git(String),
}

/// `path` as shown: relative to the workspace root when it is inside it, else as given.
fn shown_path(ws: &Workspace, env: &Env, path: &Path) -> String {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        env.cwd.join(path)
    };
    ws.display_path(&path).trim_end_matches('/').to_string()
}
