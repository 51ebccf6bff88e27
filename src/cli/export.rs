//! `cm export --redact --to ORG`: the cases a partner may receive, as JSON Lines.

use std::io::Write;

use rayon::prelude::*;

use super::{Env, Status, check_include, written};
use crate::case::load;
use crate::error::Result;
use crate::export::{Key, SECRET_FILE, redact, shared_with};
use crate::privacy::PERSONAL_FIELDS;

/// Export, one case per line (JSON Lines), the cases whose client consented to share them with
/// ORG (`consent.given: true` and ORG in `consent.share_with`), without personal data.
///
/// Removed: client.* but client.sex, consent.share_with, every note, text, strengths and needs,
/// and extra. The id becomes a pseudonym, a keyed hash under the secret key in .cm/secret
/// (made on first use; never commit it, and back it up: the same case keeps its pseudonym in
/// every export only with the same key).
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

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    debug_assert!(args.redact);
    let includable: Vec<&str> = std::iter::once("id")
        .chain(PERSONAL_FIELDS.iter().copied())
        .collect();
    check_include(&args.include, &includable)?;
    let ws = env.workspace()?;
    let files = ws.case_files(&[], &env.cwd)?;
    let (key, made) = Key::for_workspace(&ws)?;
    if made {
        eprintln!(
            "cm: made a new secret key in {SECRET_FILE} (listed in .gitignore); back it up: \
             pseudonyms stay the same only with the same key"
        );
    }
    let loaded: Vec<Option<(String, serde_json::Value)>> = files
        .par_iter()
        .map(|path| {
            let case = load(path, &ws.display_path(path)).ok()?;
            let id = case.case.id.clone()?;
            shared_with(&case.json, &args.to).then(|| (id, redact(&case.json, &key, &args.include)))
        })
        .collect();
    let mut cases: Vec<(String, serde_json::Value)> = loaded.into_iter().flatten().collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, case) in &cases {
        written(writeln!(out, "{case}"))?;
    }
    eprintln!("cm: exported {} case(s) for {}", cases.len(), args.to);
    Ok(Status::Ok)
}
