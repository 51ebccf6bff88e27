//! Where the listings and reports read the cases: the workspace, as its files are or as they
//! were at a git revision (`--at`), or the workspaces of several offices together (`-C` given
//! more than once, or `[federation] workspaces` in cm.toml), each case with its office.

use std::path::Path;

use super::revision::Revision;
use super::{Env, Read, Usage, read_cases};
use cm_base::error::{Error, Result};
use cm_case::ListedCase;
use cm_case::workspace::Workspace;
use cm_ops::check::Schema;
use cm_ops::report::{Office, shows_office};

/// The cases a listing or report reads, and the offices they are of.
pub struct Source {
    /// The workspace that shows the result: its calendar, name, language and currency. The
    /// office's own, the first `-C`'s, or the one whose `[federation]` lists the offices.
    pub ws: Workspace,
    /// The offices, in the order given; `members[i]` reads the cases of `offices[i]`.
    pub offices: Vec<Office>,
    members: Vec<Member>,
}

/// An office's workspace, with the schema its cases are checked by, as its files are or as they
/// were at a commit.
struct Member {
    ws: Workspace,
    schema: Schema,
    at: Option<Revision>,
}

impl Source {
    /// The workspaces the command line names (see [`Env::workspaces`]), as their files are, or
    /// as they were at the commit `at` names in each.
    pub fn open(env: &Env, at: Option<&str>) -> Result<Source> {
        let (ws, members) = env.workspaces()?;
        Source::of(ws, members, at)
    }

    /// The workspace `ws` alone.
    pub fn one(ws: Workspace, at: Option<&str>) -> Result<Source> {
        Source::of(ws.clone(), vec![ws], at)
    }

    fn of(ws: Workspace, members: Vec<Workspace>, at: Option<&str>) -> Result<Source> {
        let members = members
            .into_iter()
            .map(|ws| match at {
                None => Ok(Member {
                    schema: Schema::for_workspace(&ws)?,
                    ws,
                    at: None,
                }),
                Some(rev) => {
                    let (ws, schema, at) = Revision::open(&ws.root, rev)?;
                    Ok(Member {
                        ws,
                        schema,
                        at: Some(at),
                    })
                }
            })
            .collect::<Result<Vec<Member>>>()?;
        let mut offices: Vec<Office> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let name = &member.ws.settings.workspace.id_prefix;
            if let Some(other) = offices.iter().position(|o| &o.name == name) {
                return Err(Error::request(Usage::SameOffice {
                    prefix: name.clone(),
                    first: members[other].ws.root.display().to_string(),
                    second: members[i].ws.root.display().to_string(),
                }));
            }
            offices.push(Office {
                name: name.clone(),
                settings: Some(member.ws.settings.clone()),
            });
        }
        // One workspace read at a commit shows the result as it was then.
        let ws = match (members.as_slice(), at) {
            ([one], Some(_)) => one.ws.clone(),
            _ => ws,
        };
        Ok(Source {
            ws,
            offices,
            members,
        })
    }

    /// Whether the rows per case or per caseworker say their office.
    pub fn shows_office(&self) -> bool {
        shows_office(&self.offices)
    }

    /// The name of the office `i` of [`Source::offices`], when the rows show offices.
    pub fn office_name(&self, i: usize) -> Option<&str> {
        self.shows_office().then(|| self.offices[i].name.as_str())
    }

    /// How many workspaces are read.
    pub fn members(&self) -> usize {
        self.members.len()
    }

    /// The commit the cases are read at, as git abbreviates it, when `--at` named one.
    pub fn at(&self) -> Option<&str> {
        self.members
            .first()
            .and_then(|m| m.at.as_ref())
            .map(|at| at.short.as_str())
    }

    /// What `keep` makes of each valid case of each office (see [`read_cases`]), given
    /// with the office's place in [`Source::offices`]; the offices one after the other.
    pub fn each_case<T: Send>(
        &self,
        env: &Env,
        keep: impl Fn(usize, ListedCase) -> Option<T> + Sync,
    ) -> Result<Read<T>> {
        let mut read = Read {
            kept: Vec::new(),
            left_out: 0,
        };
        for (i, member) in self.members.iter().enumerate() {
            let some = read_cases(&member.ws, &member.schema, member.at.as_ref(), env, |c| {
                keep(i, c)
            })?;
            read.kept.extend(some.kept);
            read.left_out += some.left_out;
        }
        Ok(read)
    }
}

/// The workspaces of the offices `ws`'s `[federation]` lists, relative to its root.
pub fn federation(ws: &Workspace) -> Result<Vec<Workspace>> {
    ws.settings
        .federation
        .workspaces
        .iter()
        .map(|dir| Workspace::discover(&ws.root.join(Path::new(dir)), true))
        .collect()
}
