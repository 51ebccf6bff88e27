//! `cm export --redact --to ORG`: the cases a partner may receive, as JSON Lines.

use std::io::Write;

use super::{Env, Known, Status, check_include, finish, say, warn_left_out};
use cm_base::error::Result;
use cm_case::keys::personal_fields;
use cm_ops::check::{Rules, Schema};
use cm_ops::export::{Export, Key, SECRET_FILE, export};

/// Export, one case per line (JSON Lines), the valid cases whose client consents to share them
/// with ORG today (the decision about consent in force gives consent and names ORG in its
/// share_with; a withdrawal stops every export from its date), without personal data.
///
/// Only the fields known to hold no personal data go out: not client.* but client.sex, nor
/// consent.share_with, any note, text, strengths or needs, extra, or any key the schema does not
/// know. The id becomes a pseudonym, a keyed hash under the secret key in .cm/secret (made on
/// first use; never commit it, and back it up: the same case keeps its pseudonym in every
/// export only with the same key). A case file with errors is left out and named on standard
/// error, and the exit status is then 1.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm export --redact --to behzisti > behzisti-2026-10.jsonl")]
pub struct Args {
    /// Remove the personal fields (required: there is no unredacted export).
    #[arg(long, required = true)]
    redact: bool,
    /// The recipient organisation, as written in consent.share_with.
    #[arg(long, value_name = "ORG")]
    to: String,
    /// Keep a personal field (repeat for several), e.g. client.name.
    #[arg(long, value_name = "FIELD")]
    include: Vec<String>,
}

pub fn run(mut args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    debug_assert!(args.redact);
    let includable: Vec<&str> = std::iter::once("id").chain(personal_fields()).collect();
    check_include(&mut args.include, &includable)?;
    let ws = env.workspace()?;
    let files = ws.case_files(&[], &env.cwd)?;
    let schema = Schema::for_workspace(&ws)?;
    let (key, new) = Key::for_workspace(&ws)?;
    let rules = Rules {
        schema: &schema,
        settings: &ws.settings,
        calendar: env.calendar(&ws),
    };
    let Export {
        lines,
        left_out,
        organisations,
    } = export(
        &ws,
        &rules,
        &files,
        &args.to,
        env.today,
        &key,
        &args.include,
    );
    warn_left_out(&left_out, super::CASE_FILES);
    let nobody = "no case's consent.share_with";
    let known = Known::new("--to", "organisation", nobody, Some(&args.to), []);
    organisations.iter().for_each(|o| known.note(o));
    known.check()?;
    // The new key is kept before any pseudonym made with it goes out.
    if new {
        key.keep(&ws)?;
        say(format_args!(
            "cm: made a new secret key in {SECRET_FILE} (listed in .gitignore); back it up: \
             pseudonyms stay the same only with the same key"
        ));
    }
    // A case left out may be one the partner should have had: a monthly job must notice.
    let status = if left_out.is_empty() {
        Status::Ok
    } else {
        Status::Problems
    };
    let written = lines.iter().try_for_each(|line| writeln!(out, "{line}"));
    let status = finish(written, status)?;
    say(format_args!(
        "cm: exported {} case(s) for {}",
        lines.len(),
        args.to
    ));
    Ok(status)
}
