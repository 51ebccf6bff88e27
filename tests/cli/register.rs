//! The register of cases in `.cm/register`: `cm new`, `cm link` and `cm import` ask it for the
//! next number, the clients to compare and the households, instead of reading every case. What
//! it answers is what reading every file answers: after `cm`'s own writes (noted in its log),
//! after files added or removed by another program (their folder changes), and once the log is
//! taken in.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use super::{cm, sample_copy, stdout};

const REGISTER: &str = ".cm/register";
const LOG: &str = ".cm/register.log";

/// `cm new` of a client named `name`, born in 1990, with `more` options.
fn new(ws: &Path, name: &str, more: &[&str]) -> Output {
    let base = [
        "-C",
        ws.to_str().unwrap(),
        "new",
        "--program",
        "disability",
        "--sex",
        "female",
        "--caseworker",
        "a.karimi",
        "--birth-year",
        "1990",
        "--date",
        "2026-11-01",
        "--name",
        name,
    ];
    cm(&[&base[..], more].concat())
}

/// What `cm new --dry-run` answers, with the register and without it (moved away: every file
/// read): the file it would write, or why it refuses.
fn answers(ws: &Path, name: &str, more: &[&str]) -> (String, String) {
    let dry: Vec<&str> = [more, &["--dry-run"]].concat();
    let out = new(ws, name, &dry);
    let with = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    let kept = ws.join(".cm/kept");
    std::fs::rename(ws.join(REGISTER), &kept).unwrap();
    let out = new(ws, name, &dry);
    let without = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    std::fs::rename(&kept, ws.join(REGISTER)).unwrap();
    (with, without)
}

/// The path of the file that `answer` (of `cm new --dry-run`) would write.
fn written(answer: &str) -> &str {
    answer
        .lines()
        .find_map(|l| l.strip_prefix("+++ b/"))
        .unwrap_or(answer)
}

/// The register's file as it is: its inode and size (rewritten, it is a new file).
fn register_file(ws: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(ws.join(REGISTER)).unwrap();
    (meta.ino(), meta.len())
}

/// Makes the folders of `cases/` look last changed long ago, as in a workspace nobody has
/// touched for a while: the register trusts a folder's stamp only once it is a few seconds old.
fn settle(ws: &Path) {
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    for dir in ["cases", "cases/2025", "cases/2026"] {
        let folder = std::fs::File::open(ws.join(dir)).unwrap();
        folder.set_modified(long_ago).unwrap();
    }
}

/// Writes `text` into the file at `path` itself, as some editors save: its folder keeps its
/// stamp.
fn write_in_place(path: &Path, text: &str) {
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .unwrap();
}

/// A copy of THR-2026-0001 under the id `id`, as `git pull` or `cp` would bring it.
fn copied_in(ws: &Path, id: &str) {
    let cases = ws.join("cases/2026");
    let text = std::fs::read_to_string(cases.join("THR-2026-0001.yaml")).unwrap();
    std::fs::write(
        cases.join(format!("{id}.yaml")),
        text.replace("THR-2026-0001", id),
    )
    .unwrap();
    settle(ws);
}

/// A copy of the sample workspace with its register made, its folders settled.
fn registered() -> tempfile::TempDir {
    let ws = sample_copy();
    settle(ws.path());
    let out = new(ws.path(), "Sara Rahimi", &["--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ws.path().join(REGISTER).is_file());
    ws
}

#[cfg(unix)]
#[test]
fn a_case_cm_writes_is_noted_in_the_log_and_compared_with_the_next() {
    let ws = registered();
    let register = register_file(ws.path());
    let out = new(ws.path(), "Sara Rahimi", &[]);
    assert_eq!(stdout(&out), "cases/2026/THR-2026-0019.yaml\n");
    // Noted, not rewritten.
    assert!(ws.path().join(LOG).is_file());
    assert_eq!(register_file(ws.path()), register);
    // The next number, and the client of the case just written is known.
    assert_eq!(
        stdout(&new(ws.path(), "Zahra Karimi", &[])),
        "cases/2026/THR-2026-0020.yaml\n"
    );
    let again = new(ws.path(), "Sara Rahimy", &[]);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("cases/2026/THR-2026-0019.yaml"), "{err}");
    assert_eq!(register_file(ws.path()), register);
    let (with, without) = answers(ws.path(), "Sara Rahimi", &[]);
    assert_eq!(with, without);
}

#[cfg(unix)]
#[test]
fn a_case_another_program_adds_or_removes_is_seen() {
    let ws = registered();
    let register = register_file(ws.path());
    copied_in(ws.path(), "THR-2026-0041");
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0042.yaml");
    assert_eq!(with, without);
    assert_ne!(register_file(ws.path()), register, "looked at again");
    std::fs::remove_file(ws.path().join("cases/2026/THR-2026-0041.yaml")).unwrap();
    settle(ws.path());
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0019.yaml");
    assert_eq!(with, without);
}

#[cfg(unix)]
#[test]
fn a_change_by_another_program_between_two_writes_of_cm_is_seen() {
    let ws = registered();
    assert_eq!(
        stdout(&new(ws.path(), "Zahra Karimi", &[])),
        "cases/2026/THR-2026-0019.yaml\n"
    );
    // Another program adds a case to the folder `cm` just wrote in (its stamp then differs
    // from the one the log noted), then `cm` writes there again.
    copied_in(ws.path(), "THR-2026-0077");
    assert_eq!(
        stdout(&new(ws.path(), "Maryam Ahmadi", &[])),
        "cases/2026/THR-2026-0078.yaml\n"
    );
    let (with, without) = answers(ws.path(), "Mina Sadeghi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0079.yaml");
    assert_eq!(with, without);
}

#[cfg(unix)]
#[test]
fn many_writes_are_taken_into_the_register() {
    let ws = registered();
    let register = register_file(ws.path());
    let sheet = ws.path().join("clients.csv");
    let mut rows = String::from("name,sex,birth_year\n");
    for i in 0..70 {
        rows.push_str(&format!("Client {i},female,{}\n", 1950 + i));
    }
    std::fs::write(&sheet, rows).unwrap();
    let map = ws.path().join("map.toml");
    std::fs::write(
        &map,
        "[fields.\"client.name\"]\ncolumn = \"name\"\n\
         [fields.\"client.sex\"]\ncolumn = \"sex\"\n\
         [fields.\"client.birth_year\"]\ncolumn = \"birth_year\"\n\
         [fields.program]\ndefault = \"older-person\"\n\
         [fields.caseworker]\ndefault = \"a.karimi\"\n\
         [fields.opened]\ndefault = \"2026-10-01\"\n",
    )
    .unwrap();
    let root = ws.path().to_str().unwrap();
    let import = cm(&["-C", root, "import", "clients.csv", "--map", "map.toml"]);
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    assert!(ws.path().join(LOG).is_file());
    // The next `cm new` reads the 70 new files and takes them in: the log is gone.
    let out = new(ws.path(), "Client 40", &[]);
    assert_eq!(out.status.code(), Some(1), "an imported client");
    assert!(!ws.path().join(LOG).exists());
    assert_ne!(register_file(ws.path()), register);
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0089.yaml");
    assert_eq!(with, without);
}

#[cfg(unix)]
#[test]
fn a_new_household_is_named_after_those_of_every_case() {
    let ws = registered();
    let root = ws.path().to_str().unwrap();
    let link = |a: &str, b: &str| {
        cm(&[
            "-C",
            root,
            "link",
            a,
            b,
            "--relation",
            "sibling",
            "--same-household",
        ])
    };
    let out = link("THR-2025-0001", "THR-2025-0002");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = std::fs::read_to_string(ws.path().join("cases/2025/THR-2025-0001.yaml")).unwrap();
    assert!(first.contains("household: HH-THR-2025-0001"), "{first}");
    // Another program names a household after THR-2025-0003 in another case.
    let other = ws.path().join("cases/2025/THR-2025-0004.yaml");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(
        &other,
        text.replacen("client:", "household: HH-THR-2025-0003\nclient:", 1),
    )
    .unwrap();
    // Written in place: the folder must change for the register to see it.
    let moved = ws.path().join("cases/2025/moved.tmp");
    std::fs::rename(&other, &moved).unwrap();
    std::fs::rename(&moved, &other).unwrap();
    settle(ws.path());
    let out = link("THR-2025-0003", "THR-2025-0005");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third = std::fs::read_to_string(ws.path().join("cases/2025/THR-2025-0003.yaml")).unwrap();
    assert!(third.contains("household: HH-THR-2025-0003-2"), "{third}");
}

#[cfg(unix)]
#[test]
fn a_register_cm_did_not_write_is_not_read() {
    use std::os::unix::fs::PermissionsExt;
    let ws = registered();
    let path = ws.path().join(REGISTER);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0019.yaml");
    assert_eq!(with, without);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "made anew, its owner's only");
}

#[cfg(unix)]
#[test]
fn a_case_edited_in_place_is_seen_once_a_listing_has_read_it() {
    let ws = registered();
    let root = ws.path().to_str().unwrap();
    let list = || cm(&["-C", root, "list", "--format", "csv"]);
    assert_eq!(list().status.code(), Some(0));
    let path = ws.path().join("cases/2026/THR-2026-0001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("THR-2026-0001", "THR-2026-0060");
    write_in_place(&path, &edited);
    // The listing reads it, and notes it for the register.
    list();
    assert!(ws.path().join(LOG).is_file());
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0061.yaml");
    assert_eq!(with, without);
}

/// A listing without a cache to compare with (the first one, or after `.cm/cache` was deleted
/// or the settings changed) cannot tell which files changed: the register looks at them all.
#[cfg(unix)]
#[test]
fn a_case_edited_in_place_is_seen_after_a_listing_without_a_cache() {
    let ws = registered();
    let path = ws.path().join("cases/2026/THR-2026-0001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replace("THR-2026-0001", "THR-2026-0060");
    write_in_place(&path, &edited);
    let root = ws.path().to_str().unwrap();
    assert_eq!(cm(&["-C", root, "list"]).status.code(), Some(0));
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0061.yaml");
    assert_eq!(with, without);
}

/// A file whose name is not UTF-8 cannot be found again by the name shown: a change to it
/// makes the register look at every file.
#[cfg(target_os = "linux")]
#[test]
fn a_case_whose_name_is_not_utf8_is_kept_in_the_register() {
    use std::os::unix::ffi::OsStrExt;
    let ws = registered();
    let root = ws.path().to_str().unwrap();
    assert_eq!(cm(&["-C", root, "list"]).status.code(), Some(0));
    let cases = ws.path().join("cases/2026");
    let text = std::fs::read_to_string(cases.join("THR-2026-0001.yaml")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caso-\xff.yaml");
    let path = cases.join(name);
    std::fs::write(&path, text.replace("THR-2026-0001", "THR-2026-0050")).unwrap();
    settle(ws.path());
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0051.yaml");
    assert_eq!(with, without);
    // Edited in place, then read by a listing, which notes it by its name shown.
    assert_eq!(cm(&["-C", root, "list"]).status.code(), Some(0));
    write_in_place(&path, &text.replace("THR-2026-0001", "THR-2026-0070"));
    cm(&["-C", root, "list"]);
    let (with, without) = answers(ws.path(), "Zahra Karimi", &[]);
    assert_eq!(written(&with), "cases/2026/THR-2026-0071.yaml");
    assert_eq!(with, without);
}
