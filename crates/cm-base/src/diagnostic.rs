//! The diagnostic: what `cm validate` prints, as text or JSON. The text form is frozen:
//! `path:line:col: severity[code]: message`, then an optional `  help: …` line. On a terminal
//! the offending source line is shown beneath with a caret under the column.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::text::{line, printable, width};

crate::names!(
    /// How bad a problem is: an error makes `cm validate` fail, a warning does not (unless
    /// `--strict`).
    pub Severity {
        Error = "error",
        Warning = "warning",
    }
);

/// Declares the diagnostic codes: each with its spelling and what it means.
macro_rules! codes {
    ($($(#[$meta:meta])* $variant:ident = $text:literal: $meaning:literal),+ $(,)?) => {
        crate::names!(
            /// Every diagnostic code: the stable name of a kind of problem, which scripts and
            /// the README's table use.
            pub Code { $($(#[$meta])* $variant = $text),+ }
        );

        impl Code {
            /// What the code means, in a few words.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning),+ }
            }
        }
    };
}

codes! {
    Io = "io": "the file could not be read",
    Symlink = "symlink": "a symbolic link, which cm does not follow",
    FileTooLarge = "file-too-large": "the file is over 1 MiB",
    Encoding = "encoding": "the file is not UTF-8",
    MergeConflict = "merge-conflict": "the file holds git conflict markers",
    TabIndentation = "tab-indentation": "a tab in the indentation",
    YamlSyntax = "yaml-syntax": "the file is not valid YAML, or holds no case",
    DuplicateKey = "duplicate-key": "a key given twice in one mapping",
    YamlLimit = "yaml-limit": "nesting too deep, or aliases expanding too far",
    Schema = "schema": "the case does not match the schema",
    FileName = "file-name": "the file is not named <id>.yaml",
    DuplicateId = "duplicate-id": "two files hold the same id",
    DateInvalid = "date-invalid": "a date that does not exist, such as 2026-02-30",
    DateOrder = "date-order": "a date before `opened`, out of order, or after the closure",
    DateFuture = "date-future": "a date after today (or --as-of)",
    PhaseHistory = "phase-history": "`phase` differs from the history, or the history goes back",
    Approval = "approval": "a phase entered or passed over without a supervisor's approval",
    UnknownGoal = "unknown-goal": "a goal id that the plan does not have",
    Alias = "alias": "an alias (`*name`) where a value that may be shown belongs",
    UnknownDomain = "unknown-domain": "a domain that is not assessed or not in cm.toml",
    UnknownCaseworker = "unknown-caseworker": "a caseworker not in the roster",
    DuplicateItem = "duplicate-item": "a goal or service id used twice in a case",
    DuplicateClient = "duplicate-client": "warning: the same national id in two open cases",
    NoConsent = "no-consent": "warning: an open case without consent",
    OverCaseload = "over-caseload": "warning: a caseworker over max_caseload",
}

/// The style of an error's severity and caret.
const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The style of a warning's severity and caret.
const WARNING: Style = AnsiColor::Yellow.on_default().bold();

/// One problem at one place of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the workspace root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// The stable rule code, e.g. `schema` or `date-order`.
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        path: &str,
        line: usize,
        column: usize,
        severity: Severity,
        code: Code,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            line,
            column,
            severity,
            code,
            message: printable(&message).into_owned(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(printable(&help.into()).into_owned());
        self
    }

    /// The order of the output: by file, then place, then code.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.path,
            self.line,
            self.column,
            self.code.as_str(),
            &self.message,
        )
    }

    /// The first line of the text form, without colour: `path:line:col: severity[code]: message`.
    pub fn headline(&self) -> String {
        self.first_line("", "")
    }

    /// The first line of the text form, the severity and code between `on` and `off`.
    fn first_line(&self, on: &str, off: &str) -> String {
        format!(
            "{}:{}:{}: {on}{}[{}]{off}: {}",
            printable(&self.path),
            self.line,
            self.column,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }

    /// Writes the diagnostic as text. With `source`, the line it points at is quoted beneath
    /// with a caret; `styled`, the severity and the caret are styled (bold red, bold yellow)
    /// for whoever writes them out to take the styles out where colour is not wanted.
    pub fn write_text(
        &self,
        out: &mut dyn Write,
        source: Option<&str>,
        styled: bool,
    ) -> io::Result<()> {
        let style = match (styled, self.severity) {
            (false, _) => Style::new(),
            (true, Severity::Error) => ERROR,
            (true, Severity::Warning) => WARNING,
        };
        let (on, off) = (style.render().to_string(), style.render_reset().to_string());
        let (on, off) = (on.as_str(), off.as_str());
        writeln!(out, "{}", self.first_line(on, off))?;
        if let Some(text) = source.and_then(|s| line(s, self.line)) {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let before: String = text.chars().take(self.column.saturating_sub(1)).collect();
            let before = before.replace('\t', " ");
            writeln!(out, "{pad} |")?;
            writeln!(out, "{gutter} | {}", printable(&text.replace('\t', " ")))?;
            writeln!(out, "{pad} | {}{on}^{off}", " ".repeat(width(&before)))?;
        }
        if let Some(help) = &self.help {
            writeln!(out, "  help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_is_frozen() {
        let d = Diagnostic::new(
            "cases/a.yaml",
            3,
            5,
            Severity::Error,
            Code::Schema,
            "x must be 1".into(),
        )
        .with_help("did you mean `y`?");
        let mut out = Vec::new();
        d.write_text(&mut out, None, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "cases/a.yaml:3:5: error[schema]: x must be 1\n  help: did you mean `y`?\n"
        );
    }

    #[test]
    fn caret_sits_under_the_column_in_persian_text() {
        let d = Diagnostic::new("a", 1, 7, Severity::Error, Code::Schema, "m".into());
        let mut out = Vec::new();
        d.write_text(&mut out, Some("نام: مریم x\n"), false)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("1 | نام: مریم x\n  |       ^\n"), "{text}");
    }
}
