//! `cm print`: a case document to print — a case summary, a referral letter, a closure report.

use std::io::Write;

use super::{Env, Status, Usage, one_of, say, written};
use cm_base::error::{Error, Result};
use cm_base::language::Language;
use cm_case::view;
use cm_ops::check::{Rules, Schema};
use cm_ops::page::print::{self, Form, Subject};
use cm_ops::show;

/// Write a case document to print, as one HTML page: a case summary for a case conference, a
/// referral letter to a provider, or a closure report.
///
/// The document shows the client's personal data its purpose needs, and says so on standard
/// error. A referral letter is refused unless the consent in force allows sharing with the
/// provider. A case with errors is not printed (exit status 1).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm print THR-2026-0004 --form summary > THR-2026-0004-summary.html\n  cm print THR-2026-0004 --form referral --service S5 --lang fa > letter.html\n  cm print THR-2026-0006 --form closure > closure.html"
)]
pub struct Args {
    /// The case id, e.g. THR-2026-0004.
    id: String,
    /// The document: summary (for a case conference), referral (a letter to the provider of
    /// --service), closure (the closure report of a closed case).
    #[arg(long, value_parser = one_of::<Form>())]
    form: Form,
    /// The service the referral letter is about, e.g. S5.
    #[arg(long, value_name = "S")]
    service: Option<String>,
    /// The language of the document: en or fa (default: cm.toml's [workspace].language).
    #[arg(long, value_parser = one_of::<Language>())]
    lang: Option<Language>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let ws = env.workspace()?;
    let schema = Schema::for_workspace(&ws)?;
    let calendar = env.calendar(&ws);
    let rules = Rules {
        schema: &schema,
        settings: &ws.settings,
        calendar,
    };
    let (_, loaded) = show::find(&ws, &rules, &args.id)?;
    let day = env.today;
    let Some(case) = view::as_of(&loaded.case, day) else {
        return Err(Error::request(Usage::NotYetOpened {
            id: args.id,
            opened: loaded
                .case
                .opened
                .map(|d| env.day(&ws, d))
                .unwrap_or_default(),
            day: env.day(&ws, day),
        }));
    };
    let subject = Subject {
        case: &case,
        file: &loaded.json,
        settings: &ws.settings,
        day,
        calendar,
        language: args.lang.unwrap_or(ws.settings.workspace.language),
    };
    let printed =
        print::print(args.form, &subject, args.service.as_deref()).map_err(Error::request)?;
    written(out.write_all(printed.html.as_bytes()))?;
    if !printed.personal.is_empty() {
        say(format_args!(
            "cm: this {} of {} holds personal data ({}): keep it safe, and give it only to whom \
             its purpose needs",
            match args.form {
                Form::Summary => "case summary",
                Form::Referral => "referral letter",
                Form::Closure => "closure report",
            },
            args.id,
            printed.personal.join(", ")
        ));
    }
    Ok(Status::Ok)
}
