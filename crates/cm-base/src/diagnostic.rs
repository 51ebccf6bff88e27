//! The diagnostic: what `cm validate` prints, as text or JSON. The text form is frozen:
//! `path:line:col: severity[code]: message`, then an optional `  help: …` line. On a terminal
//! the offending source line is shown beneath with a caret under the column.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::{Deserialize, Serialize};

use crate::text::{line, printable, width};

crate::names!(
    /// How bad a problem is: an error makes `cm validate` fail, a warning does not (unless
    /// `--strict`).
    pub Severity {
        Error = "error",
        Warning = "warning",
    }
);

crate::names!(
    /// Every diagnostic code: the stable name of a kind of problem, which scripts use and
    /// docs/diagnostics.md explains (a test holds its table to this list, in this order).
    pub Code {
        Io = "io",
        Symlink = "symlink",
        FileTooLarge = "file-too-large",
        Encoding = "encoding",
        MergeConflict = "merge-conflict",
        TabIndentation = "tab-indentation",
        YamlSyntax = "yaml-syntax",
        DuplicateKey = "duplicate-key",
        YamlLimit = "yaml-limit",
        Schema = "schema",
        FileName = "file-name",
        DuplicateId = "duplicate-id",
        DateInvalid = "date-invalid",
        DateImplausible = "date-implausible",
        DateOrder = "date-order",
        DateFuture = "date-future",
        PhaseHistory = "phase-history",
        Approval = "approval",
        Transfer = "transfer",
        Risk = "risk",
        ServiceMove = "service-move",
        ServiceStatus = "service-status",
        ServiceUnrecorded = "service-unrecorded",
        ServiceEnded = "service-ended",
        DeclineReason = "decline-reason",
        GoalStatus = "goal-status",
        UnknownGoal = "unknown-goal",
        Alias = "alias",
        UnknownDomain = "unknown-domain",
        UnknownCaseworker = "unknown-caseworker",
        UnknownProvider = "unknown-provider",
        ProviderService = "provider-service",
        DuplicateItem = "duplicate-item",
        DuplicateClient = "duplicate-client",
        PossibleDuplicate = "possible-duplicate",
        Link = "link",
        NoConsent = "no-consent",
        OverCaseload = "over-caseload",
        ReportChanged = "report-changed",
        ReportRecord = "report-record",
        Import = "import",
        Export = "export",
    }
);

/// The style of an error's severity and caret.
const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The style of a warning's severity and caret.
const WARNING: Style = AnsiColor::Yellow.on_default().bold();

/// One problem at one place of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
