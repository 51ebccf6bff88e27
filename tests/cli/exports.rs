//! The export format: `schemas/export.schema.json`, derived from the case schema, and every line
//! of an export passes it.

use std::path::Path;

use super::{cm, stdout};

fn published() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/export.schema.json")
}

/// The published schema is the one derived from the built-in case schema; `CM_BLESS=1` writes
/// it again.
#[test]
fn the_published_export_schema_is_derived_from_the_case_schema() {
    let case: serde_json::Value = serde_json::from_str(cm_case::keys::BUILTIN_SCHEMA).unwrap();
    let derived =
        serde_json::to_string_pretty(&cm_case::export_schema::derive(&case)).unwrap() + "\n";
    if std::env::var_os("CM_BLESS").is_some() {
        std::fs::write(published(), &derived).unwrap();
    }
    let text = std::fs::read_to_string(published()).unwrap();
    assert!(
        text == derived,
        "schemas/export.schema.json is not derived from the case schema: run the tests with CM_BLESS=1"
    );
}

/// Every line of the exports of the sample office and of a generated one, to every
/// organisation, with ids as pseudonyms or named, passes the schema.
#[test]
fn every_exported_case_passes_the_export_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(published()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // It tells a case from what is not one.
    assert!(!validator.is_valid(&serde_json::json!({"id": "THR-2026-0001"})));
    assert!(!validator.is_valid(
        &serde_json::json!({"id": "6e4680555477f3ae0ba12176ed519149", "program": "lunch"})
    ));
    let generated = tempfile::tempdir().unwrap();
    super::generate::generate(generated.path(), 300, 5).unwrap();
    let sample = super::sample_copy();
    let mut lines = 0;
    for ws in [sample.path(), generated.path()] {
        for org in ["behzisti", "emdad"] {
            for include in [
                &[][..],
                &["--include", "id", "--include", "client.name"][..],
            ] {
                let mut args = vec![
                    "-C",
                    ws.to_str().unwrap(),
                    "export",
                    "--redact",
                    "--to",
                    org,
                ];
                args.extend(include);
                let out = cm(&args);
                for line in stdout(&out).lines() {
                    let case: serde_json::Value = serde_json::from_str(line).unwrap();
                    let office = if ws == sample.path() { "THR" } else { "SYN" };
                    assert_eq!(case["office"], office, "{line}");
                    let errors: Vec<String> = validator
                        .iter_errors(&case)
                        .map(|e| format!("{} at {}", e, e.instance_path()))
                        .collect();
                    assert!(errors.is_empty(), "{org} {include:?}: {errors:#?}\n{line}");
                    lines += 1;
                }
            }
        }
    }
    assert!(lines > 300, "{lines}");
}
