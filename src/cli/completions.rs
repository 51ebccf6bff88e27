//! `cm completions`: the shell's completion script, generated from the command line itself.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Env, Status, written};
use cm_base::error::Result;

/// Print the completion script of a shell: commands, options and their values complete on Tab.
///
/// Save it where the shell looks for completions (see the examples).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cm completions bash > ~/.local/share/bash-completion/completions/cm\n  cm completions zsh > ~/.zfunc/_cm    # with fpath+=~/.zfunc before compinit in ~/.zshrc\n  cm completions fish > ~/.config/fish/completions/cm.fish"
)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

pub fn run(args: Args, _: &Env, out: &mut dyn Write) -> Result<Status> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "cm", &mut script);
    written(out.write_all(&script))?;
    Ok(Status::Ok)
}
