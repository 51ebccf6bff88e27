//! `cm init`: a new workspace, never overwriting a file.

use std::io::Write;
use std::path::PathBuf;

use super::{Env, Status, written};
use cm_base::error::{Error, Result};
use cm_base::files::confine;
use cm_case::keys::BUILTIN_SCHEMA as BUILTIN;
use cm_case::workspace::{CASES_DIR, SCHEMA_FILE, SETTINGS_FILE};

/// The cm.toml that `cm init` writes: every setting at its default, explained.
pub const SETTINGS_TEMPLATE: &str = include_str!("../../schemas/cm.toml.template");

/// The `.gitignore` of a new workspace: `cm`'s own files, and the temporary file an edit
/// killed mid-way may leave beside a case (never read as a case, but not to be committed).
const GITIGNORE: &str = ".cm/\n.cm-*.tmp\n";

/// Create a workspace: cm.toml with the defaults, the schema, cases/, and a .gitignore.
///
/// Existing files are left as they are.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm init agency")]
pub struct Args {
    /// The folder to create the workspace in (default: the current folder).
    dir: Option<PathBuf>,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let root = env.cwd.join(args.dir.unwrap_or_default());
    let files: [(&str, &str); 4] = [
        (SETTINGS_FILE, SETTINGS_TEMPLATE),
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
