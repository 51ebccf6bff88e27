//! `cm init`: a new workspace, never overwriting a file.

use std::io::Write;
use std::path::PathBuf;

use super::{Env, Status, Usage, written};
use cm_base::error::{Error, Result};
use cm_base::files::confine;
use cm_case::keys::BUILTIN_SCHEMA as BUILTIN;
use cm_case::settings::{WorkspaceSettings, is_id_prefix, template};
use cm_case::workspace::{CASES_DIR, SCHEMA_FILE, SETTINGS_FILE};

/// The `.gitignore` of a new workspace: `cm`'s own files, and the temporary file an edit
/// killed mid-way may leave beside a case (never read as a case, but not to be committed).
const GITIGNORE: &str = ".cm/\n.cm-*.tmp\n";

/// Create a workspace: cm.toml with every setting explained, the schema, cases/, and a
/// .gitignore.
///
/// cm.toml takes the office's name, id prefix, calendar (the global --calendar) and currency
/// given here; every other setting is written at its default. Existing files are left as they
/// are.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm init agency\n  cm init tehran --name \"Tehran South office\" --prefix THR --calendar persian"
)]
pub struct Args {
    /// The folder to create the workspace in (default: the current folder).
    dir: Option<PathBuf>,
    /// The office's name, shown at the head of tables and reports.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// The prefix of new case ids, one per office: THR gives THR-2026-0001 (capital letters
    /// and digits, starting with a letter; default CM).
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
    /// The currency of costs, shown with amounts in tables (default IRR).
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let root = args
        .dir
        .map_or_else(|| env.cwd.clone(), |dir| env.cwd.join(dir));
    let defaults = WorkspaceSettings::default();
    let workspace = WorkspaceSettings {
        name: args.name.unwrap_or(defaults.name),
        id_prefix: args.prefix.unwrap_or(defaults.id_prefix),
        calendar: env.calendar.unwrap_or(defaults.calendar),
        currency: args.currency.unwrap_or(defaults.currency),
        ..defaults
    };
    if !is_id_prefix(&workspace.id_prefix) {
        return Err(Error::request(Usage::Prefix(workspace.id_prefix)));
    }
    let settings = template(&workspace);
    let files: [(&str, &str); 4] = [
        (SETTINGS_FILE, &settings),
        (SCHEMA_FILE, BUILTIN),
        (".gitignore", GITIGNORE),
        ("cases/.gitkeep", ""),
    ];
    for (name, _) in files {
        confine(&root, &root.join(name))?;
    }
    std::fs::create_dir_all(root.join(CASES_DIR)).map_err(|e| Error::io(&root, e))?;
    for (name, text) in files {
        let path = root.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        match created {
            Ok(()) => written(writeln!(out, "created {name}"))?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                written(writeln!(out, "kept existing {name}"))?
            }
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    written(writeln!(out, "workspace ready in {}", root.display()))?;
    Ok(Status::Ok)
}
