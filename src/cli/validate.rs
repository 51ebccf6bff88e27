//! `cm validate`: every problem in every case file, at its line.

use std::io::Write;
use std::path::PathBuf;

use super::{DateArg, Env, Status, among, written};
use crate::progress::Progress;
use cm_base::error::Result;
use cm_case::Judge;
use cm_case::read_bounded;
use cm_ops::check::{self, Cache, Ctx, Rules, Schema, Severity};
use cm_ops::output::{self, Format};

/// Check the case files against the schema and the rules of the workflow.
///
/// Prints one diagnostic per problem, `path:line:col: severity[code]: message`, then a summary.
/// When cm.toml's [reports].dir is set, the reports recorded there are checked too (as `cm
/// report check` does), and a figure that changed since is an error.
/// Exit status 0 when there is no error (warnings allowed), 1 when there are errors, 2 when
/// the check could not run.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm validate cases/2026")]
pub struct Args {
    /// Case files or folders to check (default: every case under cases/).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = among(Format::LINES), default_value = "text")]
    format: Format,
    /// Count warnings as errors.
    #[arg(long)]
    strict: bool,
    /// Check dates against this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    as_of: Option<DateArg>,
    /// Check every file again, neither reading nor writing the cache of what was found
    /// (.cm/checked); the output is the same.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let schema = Schema::for_workspace(&ws)?;
    let files = ws.case_files(&args.paths, &env.cwd)?;
    let ctx = Ctx {
        settings: &ws.settings,
        today: env.date(&ws, args.as_of.as_ref())?,
        calendar: env.calendar(&ws),
    };
    // What was found in files checked before, keyed by their bytes (see check::cache).
    let cache = (!args.no_cache).then(|| {
        let rules = Rules {
            schema: &schema,
            settings: &ws.settings,
            calendar: ctx.calendar,
        };
        Cache::read(&ws, rules.digest())
    });
    let progress = Progress::new(files.len(), "checking cases");
    // Written when something was checked anew, or (over the whole workspace) a file is gone.
    let partial = !args.paths.is_empty();
    let save = |outcome: &check::Outcome<'_>| {
        if let Some(cache) = &cache
            && (outcome.reused < outcome.checked.len()
                || (!partial && outcome.reused < cache.len()))
        {
            cache.save(&ws, &outcome.checked, partial);
        }
    };
    let tick = || progress.tick();
    let mut outcome = check::validate(&ws, &files, &schema, &ctx, cache.as_ref(), &tick, &save);
    drop(progress);
    // The recorded reports of [reports].dir are held to what they said, as the cases are to
    // the rules (a whole workspace only: a report reads every case).
    let mut reports = None;
    if let Some(dir) = ws.settings.reports.dir.as_deref()
        && args.paths.is_empty()
    {
        let (checked, problems) = super::report::check_recorded(env, &ws, &ws.root.join(dir))?;
        outcome.diagnostics.extend(problems);
        reports = Some(checked);
    }
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    // On a terminal, each diagnostic quotes its line of the file (read bounded: the file may
    // be the 10 GB one the diagnostic is about).
    let source = |path: &str| {
        env.terminal.then(|| {
            let bytes = read_bounded(&ws.root.join(path)).unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    written(output::diagnostics(
        out,
        &outcome.diagnostics,
        args.format,
        &source,
        env.styled,
    ))?;
    if args.format != Format::Json {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let reports = reports
            .map(|n| format!(" and {}", plural(n, "recorded report")))
            .unwrap_or_default();
        written(writeln!(
            out,
            "checked {}{reports}: {}, {}",
            plural(outcome.cases, "case"),
            plural(errors, "error"),
            plural(warnings, "warning")
        ))?;
    }
    Ok(if errors > 0 || (args.strict && warnings > 0) {
        Status::Problems
    } else {
        Status::Ok
    })
}
