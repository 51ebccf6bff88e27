//! Crash safety: `cm review` killed at random moments, again and again. After every kill the
//! case file is the old one or the new one, never a mix; at the end every case validates and
//! no file left behind is read as a case.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{AS_OF, TODAY_VAR, sample_copy, stdout, validate};

/// A small deterministic generator for the moments of the kills (xorshift64*).
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1)
    }
}

fn reviews(text: &str) -> usize {
    cm_case::parse(text.to_string(), "case")
        .unwrap_or_else(|d| panic!("a case no longer parses: {d:?}\n{text}"))
        .case
        .reviews
        .len()
}

#[test]
fn reviews_killed_at_random_moments_leave_whole_files() {
    let tmp = sample_copy();
    let _ = std::fs::remove_dir_all(tmp.path().join(".cm"));
    // Three cases in monitoring, reviewed in turn.
    let cases = [
        "cases/2025/THR-2025-0004.yaml",
        "cases/2025/THR-2025-0006.yaml",
        "cases/2026/THR-2026-0002.yaml",
    ];
    let review = |id: &str| {
        Command::new(env!("CARGO_BIN_EXE_cm"))
            .args(["-C", tmp.path().to_str().unwrap(), "review", id])
            .args([
                "--date",
                "2026-10-31",
                "--score",
                "income=3",
                "--risk",
                "medium",
            ])
            .args(["--note", "بازدید منزل؛ \"all well\" # not a comment"])
            .env(TODAY_VAR, AS_OF)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long one review takes here, so that the kills fall all over it.
    let start = Instant::now();
    assert!(review("THR-2025-0004").wait().unwrap().success());
    let mut span = start.elapsed().as_micros() as u64 + 1;

    let mut moments = Moments(0x5eed_cafe_f00d_0001);
    let (mut unchanged, mut written) = (0, 0);
    for round in 0..240 {
        if round >= 60 && unchanged > 0 && written > 0 {
            break;
        }
        // On a busy machine the first review may have been slower or faster than the others:
        // kills that all fall after the write (or all before it) move earlier (or later).
        if round % 20 == 19 {
            if unchanged == 0 {
                span = span / 2 + 1;
            } else if written == 0 {
                span *= 2;
            }
        }
        let path = tmp.path().join(cases[round % cases.len()]);
        let id = path.file_stem().unwrap().to_str().unwrap().to_string();
        let before = std::fs::read_to_string(&path).unwrap();
        let mut child = review(&id);
        std::thread::sleep(Duration::from_micros(moments.next_below(span * 5 / 4)));
        let _ = child.kill();
        child.wait().unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        if after == before {
            unchanged += 1;
        } else {
            // The whole review and nothing else: the old text is kept as it was.
            assert_eq!(reviews(&after), reviews(&before) + 1, "{after}");
            assert!(after.len() > before.len());
            written += 1;
        }
    }
    // Both outcomes happened, so the kills did fall before and after the write.
    assert!(
        unchanged > 0 && written > 0,
        "{unchanged} unchanged, {written} written"
    );

    let out = validate(tmp.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("checked 25 cases: 0 errors"), "{text}");
    // What a killed write leaves is a hidden temporary file, never a case.
    for entry in walkdir::WalkDir::new(tmp.path().join("cases")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && !name.starts_with("THR-") {
            assert!(
                name.starts_with(".cm-") && name.ends_with(".tmp"),
                "unexpected file {}",
                entry.path().display()
            );
        }
    }
}
