//! The cache of typed cases in `.cm/cache`: listings read it, never to the point of missing a
//! change, and can always do without it.

use std::path::Path;

use super::{cm, sample_copy, stdout};

fn list(dir: &Path) -> String {
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "list",
        "--as-of",
        "2026-11-01",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    stdout(&out)
}

/// Replaces `from` with `to` (of the same length) in a case file, keeping its modification
/// time, as a tool that restores timestamps would.
fn edit_keeping_mtime(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

#[test]
fn listings_use_the_cache_and_still_see_every_change() {
    let ws = sample_copy();
    let dir = ws.path();
    // Modified long ago, so that the cache trusts the file's stamp rather than reading it.
    let case = dir.join("cases/2026/THR-2026-0005.yaml");
    let long_ago = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&case)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let first = list(dir);
    let cache = dir.join(".cm/cache");
    assert!(cache.is_file(), "the first listing makes the cache");
    assert_eq!(
        std::fs::read_to_string(dir.join(".cm/.gitignore")).unwrap(),
        "# cm's own files: never commit them\n*\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "it holds personal data");
    }
    assert_eq!(list(dir), first, "the same from the cache");

    // A change of the same size, its modification time put back: still seen (the change time
    // cannot be put back).
    edit_keeping_mtime(&case, "\nrisk: low", "\nrisk: mid");
    let listed = list(dir);
    assert!(
        !listed.contains("THR-2026-0005") && listed.lines().count() == first.lines().count() - 1,
        "a case with an unknown risk is left out of the listing"
    );
    edit_keeping_mtime(&case, "\nrisk: mid", "\nrisk: low");
    assert_eq!(list(dir), first);

    // A deleted case is gone; a broken cache is ignored and made again.
    std::fs::remove_file(dir.join("cases/2026/THR-2026-0018.yaml")).unwrap();
    let fewer = list(dir);
    assert!(!fewer.contains("THR-2026-0018"));
    std::fs::write(&cache, b"cm cache\nnot what it should be").unwrap();
    assert_eq!(list(dir), fewer);
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(list(dir), fewer, "deleting the cache is always safe");
}

/// `cm validate` reads every file itself, whatever the cache says.
#[test]
fn validate_never_trusts_the_cache() {
    let ws = sample_copy();
    let dir = ws.path();
    list(dir);
    edit_keeping_mtime(
        &dir.join("cases/2026/THR-2026-0005.yaml"),
        "\nrisk: low",
        "\nrisk: lox",
    );
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "validate",
        "--as-of",
        "2026-11-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("THR-2026-0005.yaml:6:7: error[schema]"));
}

/// A cache that `cm` did not write here — committed by a pull request and checked out, copied,
/// unpacked — is not trusted: its typed cases could say anything. Here a planted cache says a
/// case has another caseworker, with the hash of the file as it is.
#[cfg(unix)]
#[test]
fn a_cache_others_could_write_is_not_trusted() {
    use sha2::Digest;
    use std::os::unix::fs::PermissionsExt;
    let file = "cases/2026/THR-2026-0005.yaml";
    let hash = |bytes: &[u8]| sha2::Sha256::digest(bytes)[..16].to_vec();
    // The cache of a workspace where the case is held by s.ahmadi...
    let other = sample_copy();
    let _ = std::fs::remove_dir_all(other.path().join(".cm"));
    let theirs = std::fs::read_to_string(other.path().join(file))
        .unwrap()
        .replace("caseworker: n.moradi", "caseworker: s.ahmadi");
    std::fs::write(other.path().join(file), &theirs).unwrap();
    list(other.path());
    // ...planted in this one, made to match its file.
    let ws = sample_copy();
    let dir = ws.path();
    let _ = std::fs::remove_dir_all(dir.join(".cm"));
    let honest = list(dir);
    let ours = std::fs::read(dir.join(file)).unwrap();
    let planted = std::fs::read(other.path().join(".cm/cache")).unwrap();
    let (from, to) = (hash(theirs.as_bytes()), hash(&ours));
    let at = planted
        .windows(16)
        .position(|w| w == from.as_slice())
        .expect("the entry's hash");
    let mut planted = planted;
    planted[at..at + 16].copy_from_slice(&to);
    let cache = dir.join(".cm/cache");
    let stamp = dir.join(".cm/cache.stamp");
    // Readable by all, as git checks a file out; then private, as under `umask 077` — and even
    // with the stamp the other workspace recorded for its cache.
    for mode in [0o644, 0o600] {
        std::fs::write(&cache, &planted).unwrap();
        std::fs::copy(other.path().join(".cm/cache.stamp"), &stamp).unwrap();
        std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(
            list(dir),
            honest,
            "the planted cache was believed ({mode:o})"
        );
    }
    assert!(honest.contains("THR-2026-0005,older-person,n.moradi"));
}

/// Everything `cm validate` says (output, standard error, exit status) in `dir` as of `day`.
fn checked(dir: &Path, day: &str, extra: &[&str]) -> (String, String, Option<i32>) {
    let mut args = vec!["-C", dir.to_str().unwrap(), "validate", "--as-of", day];
    args.extend(extra);
    let out = cm(&args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (stdout(&out), err, out.status.code())
}

/// `cm validate` with its cache of what it found (.cm/checked) says byte for byte what it says
/// without, cold and warm: on the reproducer of every diagnostic code (the cross-case rules and
/// the date rules among them), as of its day, a day before every date it holds, and a later
/// one, each day after another, so that what was found as of one day is offered on the next.
#[test]
fn validate_with_its_cache_says_what_it_says_without() {
    let rules = super::fixtures().join("rules");
    let mut codes = 0;
    for entry in std::fs::read_dir(&rules).unwrap() {
        let tmp = tempfile::tempdir().unwrap();
        super::copy_dir(&entry.unwrap().path(), tmp.path());
        let dir = tmp.path();
        let _ = std::fs::remove_dir_all(dir.join(".cm"));
        for day in [super::AS_OF, "2024-01-15", "2027-06-01", super::AS_OF] {
            let fresh = checked(dir, day, &["--no-cache"]);
            assert_eq!(
                checked(dir, day, &[]),
                fresh,
                "{} as of {day}",
                dir.display()
            );
            assert_eq!(
                checked(dir, day, &[]),
                fresh,
                "{} as of {day}, warm",
                dir.display()
            );
        }
        codes += 1;
    }
    assert!(codes >= 40, "{codes} reproducers");
}

/// The cache of `cm validate` is used, and is written again only when something changed; a
/// change of a file that keeps its size and modification time is seen all the same.
#[test]
fn validate_reuses_what_it_found_and_sees_every_change() {
    let ws = sample_copy();
    let dir = ws.path();
    let first = checked(dir, super::AS_OF, &[]);
    let cache = dir.join(".cm/checked");
    let made = std::fs::metadata(&cache).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(checked(dir, super::AS_OF, &[]), first);
    let kept = std::fs::metadata(&cache).unwrap().modified().unwrap();
    assert_eq!(
        kept, made,
        "nothing changed, yet the cache was written again"
    );
    edit_keeping_mtime(
        &dir.join("cases/2026/THR-2026-0005.yaml"),
        "risk: low",
        "risk: lox",
    );
    let after = checked(dir, super::AS_OF, &[]);
    assert!(after.0.contains("THR-2026-0005.yaml:6:"), "{}", after.0);
    assert_eq!(after, checked(dir, super::AS_OF, &["--no-cache"]));
}
