//! Hostile workspaces: what a careless or malicious commit can put in a workspace. Each thing
//! gives a clear diagnostic or error in bounded time and memory, the other cases are still
//! checked, and nothing makes `cm` read or write outside the workspace.

use std::path::Path;
use std::process::{Command, Output};

use super::{AS_OF, TODAY_VAR, copy_samples, fixtures, sample_copy, stdout};

/// Longest a command may take here before it counts as hung, in seconds. Far above what any of
/// them needs (well under a second): this guards against a hang, it does not time anything.
const HANG_SECONDS: u32 = 60;

/// Most virtual memory `cm` may use here, in KiB: far below what reading the large files whole
/// would take.
const MEMORY_KIB: u64 = 160 * 1024;

/// Runs `cm` with `args` in `cwd` under a memory limit (`ulimit -v`, via `sh`), stopped by
/// `timeout` if it runs past [`HANG_SECONDS`]. The output is read while `cm` runs, so a large
/// one cannot block it.
fn bounded(cwd: &Path, args: &[&str]) -> Output {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_KIB} && exec timeout {HANG_SECONDS} \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_cm"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env(TODAY_VAR, AS_OF)
        .env("RAYON_NUM_THREADS", "2")
        // mimalloc reserves its arenas 1 GiB at a time, else the largest it can (128 MiB): when
        // what is left under the limit is just over that, one reservation takes it all and the
        // next small allocation aborts. Whether it is depends on the size of the debug binary,
        // not on what cm does; arenas of 32 MiB keep the limit about cm's own use.
        .env("MIMALLOC_ARENA_RESERVE", "32MiB")
        .output()
        .expect("sh runs");
    // `timeout` exits with 124 when it had to stop the command.
    assert_ne!(
        o.status.code(),
        Some(124),
        "cm {args:?} did not finish within {HANG_SECONDS} s"
    );
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A folder outside the workspace holding what a link might point at: a valid case, settings
/// and a schema, each carrying a marker that must never show in `cm`'s output.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let case = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases/cases/2026/THR-2026-0005.yaml"),
    )
    .unwrap()
    .replace("THR-2026-0005", "THR-2026-0099")
    .replace("client:\n", "client:\n  address: OUTSIDE-MARKER\n");
    write(&dir.path().join("cases/2026/THR-2026-0099.yaml"), &case);
    write(
        &dir.path().join("cm.toml"),
        "# OUTSIDE-MARKER\n[workspace\n",
    );
    write(
        &dir.path().join("case.schema.json"),
        "{\"OUTSIDE-MARKER\": ",
    );
    write(&dir.path().join(".gitignore"), "# OUTSIDE-MARKER\n");
    dir
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_hostile_workspace_is_checked_in_bounded_time_and_memory() {
    let tmp = sample_copy();
    let cases = tmp.path().join("cases/2026");
    // A 256 MiB file (sparse: it takes no disk), far past what a case may be.
    let big = std::fs::File::create(cases.join("CM-2026-0901.yaml")).unwrap();
    big.set_len(256 * 1024 * 1024).unwrap();
    // 10,000 levels of nesting, block and flow.
    write(
        &cases.join("CM-2026-0902.yaml"),
        format!("id: CM-2026-0902\nextra:\n  {}x\n", "- ".repeat(10_000)),
    );
    write(
        &cases.join("CM-2026-0903.yaml"),
        format!(
            "id: CM-2026-0903\nextra: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    // A billion laughs: nine levels of ten aliases each.
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    write(&cases.join("CM-2026-0904.yaml"), bomb);
    // A folder named like a case.
    std::fs::create_dir_all(cases.join("CM-2026-0905.yaml/inner")).unwrap();
    // A file name that is not UTF-8.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"CM-2026-\xff\xfe.yaml");
        write(&cases.join(name), "id: [unclosed\n");
    }
    // Links: to itself, a loop of folders, and out of the workspace.
    let out = outside();
    #[cfg(unix)]
    {
        symlink(
            Path::new("CM-2026-0906.yaml"),
            &cases.join("CM-2026-0906.yaml"),
        );
        symlink(Path::new(".."), &cases.join("loop"));
        symlink(
            &out.path().join("cases/2026/THR-2026-0099.yaml"),
            &cases.join("THR-2026-0099.yaml"),
        );
        symlink(&out.path().join("cases"), &cases.join("elsewhere"));
    }
    // A named pipe: opening it would wait for a writer for ever.
    let piped = Command::new("mkfifo")
        .arg(cases.join("CM-2026-0907.yaml"))
        .status()
        .is_ok_and(|s| s.success());

    let o = bounded(tmp.path(), &["validate", "--as-of", "2026-11-01"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", stderr(&o));
    for expected in [
        "cases/2026/CM-2026-0901.yaml:1:1: error[file-too-large]: the file is 256.0 MiB",
        "cases/2026/CM-2026-0902.yaml:3:",
        "cases/2026/CM-2026-0903.yaml:2:",
        "cases/2026/CM-2026-0904.yaml:",
        "cases/2026/CM-2026-0905.yaml:1:1: error[io]: cannot read the file",
        "cases/2026/CM-2026-\u{fffd}\u{fffd}.yaml:1:5: error[yaml-syntax]: this `[` is never closed",
    ] {
        assert!(text.contains(expected), "no `{expected}` in:\n{text}");
    }
    assert_eq!(text.matches("error[yaml-limit]").count(), 3, "{text}");
    // The 25 sample cases, the six hostile files, the four links above, each link an error
    // (never followed), and the pipe, reported without being opened.
    let (n, errors) = (35 + usize::from(piped), 10 + usize::from(piped));
    assert!(
        text.contains(&format!("checked {n} cases: {errors} errors, 0 warnings\n")),
        "{text}"
    );
    assert_eq!(text.matches("error[symlink]").count(), 4, "{text}");
    assert!(!text.contains("OUTSIDE-MARKER"), "{text}");
    if piped {
        assert!(
            text.contains(
                "cases/2026/CM-2026-0907.yaml:1:1: error[io]: not a regular file (a named pipe, \
                 a socket or a device); cm reads only files\n"
            ),
            "{text}"
        );
    }

    // The listings read the same workspace, and leave out what cannot be read.
    let o = bounded(tmp.path(), &["list", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 26, "{}", stdout(&o));
    assert!(!stdout(&o).contains("0099"));
}

/// The one link rule: a symbolic link in a workspace is never followed, wherever it leads
/// (inside, outside, nowhere, round in a loop), and never makes a case disappear unseen: under
/// `cases/` each is a `symlink` error at its path; as a file `cm` needs (settings, schema,
/// `cases/`, a year folder, `.cm/`, `.gitignore`) it stops the command.
#[cfg(unix)]
#[test]
fn a_link_is_never_followed_and_never_unseen() {
    // The workspace and what is outside it side by side, so that the links read the same in
    // every run.
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_samples(&ws);
    let out = outside();
    std::fs::rename(out.path(), tmp.path().join("out")).unwrap();
    let before = snapshot(&tmp.path().join("out"));
    let link = |target: &str, at: &str| symlink(Path::new(target), &ws.join(at));
    link("THR-2026-0001.yaml", "cases/2026/CM-2026-0801.yaml");
    link("CM-2026-0000.yaml", "cases/2026/CM-2026-0802.yaml");
    link("CM-2026-0803.yaml", "cases/2026/CM-2026-0803.yaml");
    link(
        "../../../out/cases/2026/THR-2026-0099.yaml",
        "cases/2026/THR-2026-0099.yaml",
    );
    link("../2025", "cases/2026/older");
    link("..", "cases/2026/loop");
    link("../../out/cases", "cases/elsewhere");

    let o = bounded(&ws, &["validate", "--as-of", AS_OF]);
    let line = |path: &str, target: &str| {
        format!(
            "{path}:1:1: error[symlink]: a symbolic link (to {target}); cm does not follow links \
             in a workspace\n  help: put the file (or the folder) itself here in place of the link\n"
        )
    };
    let links = [
        ("cases/2026/CM-2026-0801.yaml", "THR-2026-0001.yaml"),
        ("cases/2026/CM-2026-0802.yaml", "CM-2026-0000.yaml"),
        ("cases/2026/CM-2026-0803.yaml", "CM-2026-0803.yaml"),
        (
            "cases/2026/THR-2026-0099.yaml",
            "../../../out/cases/2026/THR-2026-0099.yaml",
        ),
        ("cases/2026/loop", ".."),
        ("cases/2026/older", "../2025"),
        ("cases/elsewhere", "../../out/cases"),
    ];
    let expected: String = links.iter().map(|(p, t)| line(p, t)).collect();
    assert_eq!(
        stdout(&o),
        format!("{expected}checked 32 cases: 7 errors, 0 warnings\n")
    );
    assert_eq!(o.status.code(), Some(1));

    // A link named on the command line is the same error.
    let o = bounded(&ws, &["validate", "cases/2026/CM-2026-0801.yaml"]);
    assert_eq!(
        stdout(&o),
        format!(
            "{}checked 1 case: 1 error, 0 warnings\n",
            line("cases/2026/CM-2026-0801.yaml", "THR-2026-0001.yaml")
        )
    );
    assert_eq!(o.status.code(), Some(1));

    // A `..` after a link is not taken as the way back: the system would go through the link.
    let o = bounded(
        &ws,
        &["validate", "cases/elsewhere/../2026/THR-2026-0001.yaml"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert_eq!(
        stderr(&o),
        "cm: error: cases/elsewhere: a symbolic link (to ../../out/cases); cm does not follow \
         links in a workspace\n"
    );

    // The listings leave the links out, each named, and --strict makes that an exit status.
    let o = bounded(&ws, &["list", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 26, "{}", stdout(&o));
    let warned = stderr(&o);
    for (path, _) in links {
        assert!(
            warned.contains(&format!("cm: warning: left out {path}:1:1: error[symlink]")),
            "{warned}"
        );
    }
    assert!(
        warned.ends_with("cm: warning: 7 case file(s) with errors left out; run `cm validate`\n")
    );
    let o = bounded(&ws, &["overdue", "--strict", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // Found by its id, a link is not read, and not written through.
    for args in [
        &["show", "THR-2026-0099"][..],
        &["review", "THR-2026-0099", "--date", AS_OF],
    ] {
        let o = bounded(&ws, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&o),
            format!(
                "cm: error: cases/2026/THR-2026-0099.yaml:1:1: error[symlink]: a symbolic link (to \
                 ../../../out/cases/2026/THR-2026-0099.yaml); cm does not follow links in a \
                 workspace\n"
            )
        );
    }
    let listed = bounded(&ws, &["list", "--include", "client.name"]);
    assert!(!stdout(&listed).contains("0099") && !stderr(&listed).contains("OUTSIDE-MARKER"));

    // The files cm needs: a link, even one that stays inside, stops the command.
    let refused = |ws: &Path, args: &[&str], what: &str, target: &str| {
        let o = bounded(ws, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!(
                "cm: error: {what}: a symbolic link (to {target}); cm does not follow links in a \
                 workspace\n"
            ),
            "{args:?}"
        );
        assert!(!stdout(&o).contains("OUTSIDE-MARKER"));
    };
    let fresh = || {
        let dir = tmp.path().join("fresh");
        let _ = std::fs::remove_dir_all(&dir);
        copy_samples(&dir);
        dir
    };
    let ws = fresh();
    std::fs::rename(ws.join("cm.toml"), ws.join("settings.toml")).unwrap();
    symlink(Path::new("settings.toml"), &ws.join("cm.toml"));
    refused(&ws, &["validate"], "cm.toml", "settings.toml");

    let ws = fresh();
    let schema = ws.join("schemas/case.schema.json");
    std::fs::remove_file(&schema).unwrap();
    symlink(Path::new("../../out/case.schema.json"), &schema);
    refused(
        &ws,
        &["validate"],
        "schemas/case.schema.json",
        "../../out/case.schema.json",
    );

    let ws = fresh();
    std::fs::remove_dir_all(ws.join("cases")).unwrap();
    symlink(Path::new("../out/cases"), &ws.join("cases"));
    refused(&ws, &["validate"], "cases", "../out/cases");
    refused(&ws, &["list"], "cases", "../out/cases");

    // A year folder that is a link: a new case is not written there.
    let ws = fresh();
    std::fs::remove_dir_all(ws.join("cases/2025")).unwrap();
    symlink(Path::new("2026"), &ws.join("cases/2025"));
    let new = [
        "new",
        "--program",
        "general",
        "--name",
        "X",
        "--sex",
        "female",
        "--caseworker",
        "s.ahmadi",
        "--date",
        "2025-06-01",
    ];
    refused(&ws, &new, "cases/2025", "2026");

    // `.cm` a link: the listings work without their cache, the export refuses.
    let ws = fresh();
    let _ = std::fs::remove_dir_all(ws.join(".cm"));
    symlink(Path::new("../out"), &ws.join(".cm"));
    let o = bounded(&ws, &["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    refused(
        &ws,
        &["export", "--redact", "--to", "behzisti"],
        ".cm",
        "../out",
    );

    // Dangling links to where nothing is yet: nothing is made there.
    let ws = fresh();
    let _ = std::fs::remove_dir_all(ws.join(".cm"));
    std::fs::create_dir_all(ws.join(".cm")).unwrap();
    symlink(
        Path::new("../../out/made-by-cm"),
        &ws.join(".cm/.gitignore"),
    );
    let o = bounded(&ws, &["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    refused(
        &ws,
        &["export", "--redact", "--to", "behzisti"],
        ".cm/.gitignore",
        "../../out/made-by-cm",
    );
    let ws = fresh();
    let _ = std::fs::remove_file(ws.join(".gitignore"));
    symlink(Path::new("../out/made-by-cm"), &ws.join(".gitignore"));
    refused(
        &ws,
        &["export", "--redact", "--to", "behzisti"],
        ".gitignore",
        "../out/made-by-cm",
    );

    assert_eq!(
        snapshot(&tmp.path().join("out")),
        before,
        "a file outside was written"
    );
}

/// `cm new` numbers a case after the ids it sees in the workspace's own files: not after what a
/// link points at, and a link to a named pipe does not make it wait for ever.
#[cfg(unix)]
#[test]
fn new_reads_no_link_when_it_numbers_a_case() {
    let ws = sample_copy();
    let out = tempfile::tempdir().unwrap();
    write(&out.path().join("ids"), "THR-2026-4999\n");
    symlink(
        &out.path().join("ids"),
        &ws.path().join("cases/2026/evil.yaml"),
    );
    let fifo = out.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        symlink(&fifo, &ws.path().join("cases/2026/pipe.yaml"));
    }
    let o = bounded(
        ws.path(),
        &[
            "new",
            "--program",
            "general",
            "--name",
            "X",
            "--sex",
            "female",
            "--caseworker",
            "s.ahmadi",
            "--date",
            AS_OF,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "cases/2026/THR-2026-0019.yaml\n");
}

/// Run as root, `cm` can read a file whatever its mode; then it is run as `nobody` (with
/// setpriv) so that an unreadable file is unreadable.
#[cfg(unix)]
#[test]
fn an_unreadable_file_or_folder_is_one_diagnostic_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    copy_samples(tmp.path());
    let cases = tmp.path().join("cases/2026");
    std::fs::copy(
        cases.join("THR-2026-0001.yaml"),
        cases.join("CM-2026-0001.yaml"),
    )
    .unwrap();
    std::fs::create_dir(cases.join("locked")).unwrap();
    std::fs::copy(
        cases.join("THR-2026-0002.yaml"),
        cases.join("locked/CM-2026-0002.yaml"),
    )
    .unwrap();
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    for entry in walkdir::WalkDir::new(tmp.path()) {
        let entry = entry.unwrap();
        let m = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        mode(entry.path(), m).unwrap();
    }
    mode(&cases.join("CM-2026-0001.yaml"), 0o000).unwrap();
    mode(&cases.join("locked"), 0o000).unwrap();
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let o = if root {
        // A copy of cm that `nobody` can run, wherever the build folder is.
        let bin = tempfile::tempdir().unwrap();
        let cm = bin.path().join("cm");
        std::fs::copy(env!("CARGO_BIN_EXE_cm"), &cm).unwrap();
        mode(bin.path(), 0o755).unwrap();
        let Ok(o) = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&cm)
            .args([
                "-C",
                tmp.path().to_str().unwrap(),
                "validate",
                "--as-of",
                "2026-11-01",
            ])
            .env("NO_COLOR", "1")
            .env(TODAY_VAR, AS_OF)
            .output()
        else {
            eprintln!("skipped: running as root without setpriv");
            return;
        };
        o
    } else {
        bounded(tmp.path(), &["validate", "--as-of", "2026-11-01"])
    };
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", stderr(&o));
    assert!(
        text.contains(
            "cases/2026/CM-2026-0001.yaml:1:1: error[io]: cannot read the file: Permission denied"
        ),
        "{text}"
    );
    assert!(
        text.contains("cases/2026/locked:1:1: error[io]: cannot read the file: Permission denied"),
        "{text}"
    );
    assert!(
        text.contains("checked 27 cases: 2 errors, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn settings_of_the_wrong_type_stop_with_the_line() {
    for (toml, at) in [
        ("[workspace]\ncalendar = 3\n", "cm.toml:2:12: "),
        ("[workflow]\napproval = \"planning\"\n", "cm.toml:2:12: "),
        ("[deadlines]\nplan = -5\n", "cm.toml:2:8: "),
        ("[deadlines.review]\nhigh = \"soon\"\n", "cm.toml:2:8: "),
        (
            "[[caseworkers]]\nid = \"a\"\nmax_caseload = [1]\n",
            "cm.toml:3:16: ",
        ),
        ("caseworkers = 7\n", "cm.toml:1:15: "),
        ("[workspace\n", "cm.toml:1:11: "),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        write(&tmp.path().join("cm.toml"), toml);
        std::fs::copy(
            fixtures().join("rules/no-consent/cases/2026/CM-2026-0001.yaml"),
            tmp.path().join("case.yaml"),
        )
        .unwrap();
        let o = bounded(tmp.path(), &["validate"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{toml}: {err}");
        assert!(
            err.starts_with(&format!("cm: error: {at}")),
            "{toml}: {err}"
        );
    }
}

/// `cm validate` runs in CI, whose logs many people read: a diagnostic names the place of a
/// personal value, never the value.
#[test]
fn diagnostics_never_quote_a_personal_value() {
    let tmp = sample_copy();
    let path = tmp.path().join("cases/2026/THR-2026-0005.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = |key: &str| text.lines().find(|l| l.contains(key)).unwrap().to_string();
    let text = text
        .replace(&line("birth_date:"), "  birth_date: 1990-02-30")
        .replace(
            &line("phone:"),
            "  phone: 9121234567\n  guardian: [Ali Rezaei]",
        );
    write(&path, text);
    let moved = tmp.path().join("cases/2026/THR-2026-0006.yaml");
    let text = std::fs::read_to_string(&moved).unwrap();
    let birth = text.lines().find(|l| l.contains("birth_date:")).unwrap();
    write(&moved, text.replace(birth, "  birth_date: 2030-01-01"));
    let o = bounded(tmp.path(), &["validate", "--as-of", "2026-11-01"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{all}");
    for expected in [
        "error[date-invalid]: client.birth_date is a day that does not exist",
        "error[schema]: client.phone must be text, found a personal value (not shown)",
        "error[schema]: client.guardian must be text, found a personal value (not shown)",
        "error[date-future]: client.birth_date is after today (2026-11-01)",
    ] {
        assert!(all.contains(expected), "no `{expected}` in:\n{all}");
    }
    for personal in ["1990-02-30", "9121234567", "Ali Rezaei", "2030-01-01"] {
        assert!(!all.contains(personal), "`{personal}` shown:\n{all}");
    }
}

/// A value that holds terminal escape sequences (colours, a window title, a clear screen) or a
/// bidi override (which makes `2100` read as `0012`) is shown escaped wherever a person reads it:
/// it cannot drive their terminal or a CI log viewer, nor disguise itself.
#[test]
fn terminal_escapes_in_a_case_are_shown_escaped() {
    let tmp = sample_copy();
    let path = tmp.path().join("cases/2026/THR-2026-0005.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    let text = text
        .replace(
            &line("caseworker:"),
            "caseworker: \"s.ahmadi\\e]0;pwned\\a\\u202e2100\"",
        )
        .replace(&line("risk:"), "risk: \"\\e[2J\\e[31mRED\"");
    write(&path, text);
    for args in [
        &["validate", "--as-of", "2026-11-01"][..],
        &["list", "--format", "table"],
        &["show", "THR-2026-0005"],
        &["overdue", "--format", "table", "--as-of", "2026-11-01"],
        &["review", "THR-2026-0005", "--date", "2026-11-01"],
    ] {
        let o = bounded(tmp.path(), args);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{7}') && !all.contains('\u{202e}'),
            "{args:?}: {all:?}"
        );
        assert!(
            all.contains("s.ahmadi\\u{1b}]0;pwned\\u{7}\\u{202e}2100"),
            "{args:?}: {all}"
        );
    }
}

/// A line break inside a value cannot forge a line of `cm show`, nor one of an error (a link
/// whose target holds a line break).
#[cfg(unix)]
#[test]
fn a_line_break_in_a_value_forges_no_line() {
    let tmp = sample_copy();
    let path = tmp.path().join("cases/2026/THR-2026-0004.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let name = text.lines().find(|l| l.starts_with("  name: ")).unwrap();
    write(
        &path,
        text.replacen(name, "  name: \"M\\nrisk        low  <-FORGED\"", 1),
    );
    let o = bounded(tmp.path(), &["show", "THR-2026-0004"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("client      M\\nrisk        low  <-FORGED"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).lines().any(|l| l.starts_with("risk        low")));

    std::fs::rename(tmp.path().join("cm.toml"), tmp.path().join("real.toml")).unwrap();
    symlink(
        Path::new("real.toml\ncm: warning: FORGED"),
        &tmp.path().join("cm.toml"),
    );
    let o = bounded(tmp.path(), &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "cm: error: cm.toml: a symbolic link (to real.toml\\ncm: warning: FORGED); cm does not \
         follow links in a workspace\n"
    );
}

/// A named pipe where `cm` reads or writes a file of its own (settings, schema, lock, key,
/// `.gitignore`) is an error, never a wait for ever.
#[cfg(unix)]
#[test]
fn a_named_pipe_for_a_file_of_cm_is_an_error() {
    let review = [
        "review",
        "THR-2026-0004",
        "--score",
        "income=3",
        "--date",
        AS_OF,
    ];
    let export = ["export", "--redact", "--to", "behzisti"];
    for (file, args) in [
        ("cm.toml", &["validate"][..]),
        ("schemas/case.schema.json", &["list"]),
        (".cm/lock", &review),
        (".cm/secret", &export),
        (".gitignore", &export),
    ] {
        let ws = sample_copy();
        let path = ws.path().join(file);
        let _ = std::fs::remove_dir_all(ws.path().join(".cm"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        if !Command::new("mkfifo")
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success())
        {
            eprintln!("skipped: no mkfifo");
            return;
        }
        let o = bounded(ws.path(), args);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a regular file"),
            "{file}: {}",
            stderr(&o)
        );
    }
}

/// The settings and the schema are the workspace's files too: a huge or binary one is an
/// error, read no further than its limit.
#[test]
fn huge_or_binary_settings_and_schema_are_refused() {
    for (file, limit) in [("cm.toml", 1024), ("schemas/case.schema.json", 4096)] {
        let tmp = sample_copy();
        let path = tmp.path().join(file);
        std::fs::File::create(path)
            .unwrap()
            .set_len(1 << 30)
            .unwrap();
        let o = bounded(tmp.path(), &["validate"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            format!("cm: error: {file}: the file is larger than {limit} KiB\n")
        );
    }

    let tmp = sample_copy();
    write(
        &tmp.path().join("cm.toml"),
        b"[workspace]\nname = \"\xff\"\n",
    );
    let o = bounded(tmp.path(), &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("cm: error: cm.toml: the file is not valid UTF-8"),
        "{}",
        stderr(&o)
    );
}
