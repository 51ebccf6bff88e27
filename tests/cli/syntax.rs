//! What `cm validate` says of a case file that is not valid YAML: each folder of
//! tests/fixtures/syntax/ is a workspace of broken files, one kind of mistake a person makes
//! (a bracket or quote left open, a line indented wrongly, a key without `:`), with the exact
//! output in `expected.txt`. The mistake is told at its own line, where the parser noticed it
//! later; a mistake not recognised keeps the parser's words (`parser-words`). `CM_BLESS=1`
//! rewrites the expected files, as for the rules.

use super::{fixtures, stdout, validate};

#[test]
fn each_mistake_is_told_where_it_is() {
    let root = fixtures().join("syntax");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 5,
        "syntax fixtures missing in {}",
        root.display()
    );
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = validate(&dir);
        let text = stdout(&out);
        let expected_file = dir.join("expected.txt");
        if std::env::var_os("CM_BLESS").is_some() {
            std::fs::write(&expected_file, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("missing {}", expected_file.display()));
        assert_eq!(text, expected, "output of the `{name}` fixture changed");
        assert_eq!(out.status.code(), Some(1), "{name}");
        for line in text.lines().filter(|l| l.starts_with("cases/")) {
            assert!(line.contains(": error[yaml-syntax]: "), "{name}: {line}");
        }
        // Nothing of the case is quoted: the client's name is in every fixture.
        assert!(
            !text.contains("Test Client") && !text.contains("مریم"),
            "{name}: {text}"
        );
    }
}
