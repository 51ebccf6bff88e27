//! Where the listings and reports read the cases: the workspace, as its files are or as they
//! were at a git revision (`--at`), the workspaces of several offices together (`-C` given more
//! than once, or `[federation] workspaces` in cm.toml), or the offices' exports
//! (`--from-export`), each case with its office.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::revision::Revision;
use super::{Env, Read, Usage, read_cases, warn_left_out};
use chrono::NaiveDate;
use cm_base::error::{Error, Result};
use cm_case::workspace::Workspace;
use cm_case::{Case, ClosureReason, ListedCase, view};
use cm_ops::check::Schema;
use cm_ops::exported::ExportFile;
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

/// Where the cases of an office are read.
enum Member {
    /// Its workspace, with the schema its cases are checked by, as its files are or as they were
    /// at a commit.
    Files {
        ws: Box<Workspace>,
        schema: Schema,
        at: Option<Revision>,
    },
    /// Its export, each line held to the export schema.
    Export {
        file: ExportFile,
        schema: Arc<Schema>,
    },
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

    /// The exports `files` (relative to the folder the command works from), shown by the
    /// workspace there, if there is one.
    pub fn exports(env: &Env, files: &[PathBuf]) -> Result<Source> {
        let ws = env.workspace_or_none()?;
        let schema = Arc::new(Schema::export()?);
        let members = files
            .iter()
            .map(|file| {
                let shown = file.display().to_string();
                Ok(Member::Export {
                    file: ExportFile::open(&env.cwd.join(file), &shown)?,
                    schema: Arc::clone(&schema),
                })
            })
            .collect::<Result<Vec<Member>>>()?;
        Source::with(ws, members)
    }

    fn of(ws: Workspace, members: Vec<Workspace>, at: Option<&str>) -> Result<Source> {
        let members = members
            .into_iter()
            .map(|ws| match at {
                None => Ok(Member::Files {
                    schema: Schema::for_workspace(&ws)?,
                    ws: Box::new(ws),
                    at: None,
                }),
                Some(rev) => {
                    let (ws, schema, at) = Revision::open(&ws.root, rev)?;
                    Ok(Member::Files {
                        ws: Box::new(ws),
                        schema,
                        at: Some(at),
                    })
                }
            })
            .collect::<Result<Vec<Member>>>()?;
        // One workspace read at a commit shows the result as it was then.
        let ws = match (members.as_slice(), at) {
            ([Member::Files { ws, .. }], Some(_)) => Workspace::clone(ws),
            _ => ws,
        };
        Source::with(ws, members)
    }

    /// The source of `members`, shown by `ws`; no two offices may have one name.
    fn with(ws: Workspace, members: Vec<Member>) -> Result<Source> {
        let mut offices: Vec<Office> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let office = member.office();
            if let Some(other) = offices.iter().position(|o| o.name == office.name) {
                return Err(Error::request(Usage::SameOffice {
                    prefix: office.name,
                    first: members[other].shown(),
                    second: members[i].shown(),
                }));
            }
            offices.push(office);
        }
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

    /// The case as it stood at the end of `day` (see [`view::into_as_of`]), unless another
    /// office read holds it then: a case closed here as transferred to an office that is read
    /// too is that office's from the day of its transfer, in its own file (which has the whole
    /// case, and is not there before that day). So a case that moved is counted once, by the
    /// office that held it.
    pub fn as_of(&self, case: Case, day: NaiveDate) -> Option<Case> {
        let then = view::into_as_of(case, day)?;
        let moved = then.closure.as_ref().is_some_and(|closure| {
            closure.reason == Some(ClosureReason::Transferred)
                && closure
                    .to_office
                    .as_ref()
                    .is_some_and(|office| self.offices.iter().any(|o| &o.name == office))
        });
        (!moved).then_some(then)
    }

    /// How many workspaces are read.
    pub fn members(&self) -> usize {
        self.members.len()
    }

    /// The commit the cases are read at, as git abbreviates it, when `--at` named one.
    pub fn at(&self) -> Option<&str> {
        match self.members.first() {
            Some(Member::Files { at: Some(at), .. }) => Some(&at.short),
            _ => None,
        }
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
            let some = match member {
                Member::Files { ws, schema, at } => {
                    read_cases(ws, schema, at.as_ref(), env, |c| keep(i, c))?
                }
                Member::Export { file, schema } => {
                    let reading = file.each_case(schema, |case| {
                        let display = file.shown.clone();
                        keep(i, ListedCase { display, case })
                    })?;
                    warn_left_out(&reading.left_out, "line(s) of exports with errors left out");
                    Read {
                        left_out: reading.left_out.len(),
                        kept: reading.kept,
                    }
                }
            };
            read.kept.extend(some.kept);
            read.left_out += some.left_out;
        }
        Ok(read)
    }
}

impl Member {
    /// The office it reads the cases of.
    fn office(&self) -> Office {
        match self {
            Member::Files { ws, .. } => Office {
                name: ws.settings.workspace.id_prefix.clone(),
                settings: Some(ws.settings.clone()),
            },
            // An export does not carry its office's settings.
            Member::Export { file, .. } => Office {
                name: file.office.clone(),
                settings: None,
            },
        }
    }

    /// Where it reads, as messages name it.
    fn shown(&self) -> String {
        match self {
            Member::Files { ws, .. } => ws.root.display().to_string(),
            Member::Export { file, .. } => file.shown.clone(),
        }
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
