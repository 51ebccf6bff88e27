//! `cm man`: the manual pages, generated from the command line itself.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use super::{Cli, Env, Status, written};
use cm_base::error::{Error, Result};

/// Write the manual pages: cm.1, and cm-COMMAND.1 for every command, into DIR.
///
/// DIR is made if it is missing; pages already there are replaced. Prints each page's path.
/// Where `man` finds them: a folder named man1 under a folder of MANPATH, such as
/// ~/.local/share/man/man1.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  cm man ~/.local/share/man/man1 && man cm-validate")]
pub struct Args {
    /// The folder to write the pages into.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub fn run(args: Args, env: &Env, out: &mut dyn Write) -> Result<Status> {
    let dir = env.cwd.join(&args.dir);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotADirectory(dir));
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(command, &mut pages);
    // Every page is written before any is named: a reader of the list that goes away early
    // (`cm man DIR | head -1`) does not leave the pages half made.
    let mut paths = Vec::new();
    for page in pages {
        let path = dir.join(page.get_filename());
        let mut text = Vec::new();
        page.render(&mut text).map_err(|e| Error::io(&path, e))?;
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        paths.push(path);
    }
    for path in paths {
        written(writeln!(out, "{}", path.display()))?;
    }
    Ok(Status::Ok)
}

/// The page of `command`, then those of its commands, each after its parent.
fn collect(command: clap::Command, pages: &mut Vec<clap_mangen::Man>) {
    let subcommands: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    pages.push(clap_mangen::Man::new(command));
    for sub in subcommands {
        collect(sub, pages);
    }
}
