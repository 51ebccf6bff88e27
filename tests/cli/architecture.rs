//! The architecture of `cm`, kept by tests rather than by care.
//!
//! The crates are layers, each depending only on those below it: `cm-base` (the foundation),
//! `cm-case` (the domain), `cm-ops` (what `cm` does with cases) and `cm`, this package, the
//! command line. Cargo refuses a cycle between crates, but not a crate put in the wrong place,
//! nor a library that takes on the command line or prints, nor a cycle between the modules of
//! one crate. These tests read the manifests and the sources as text, offline and without
//! running cargo, so that a change that breaks a rule fails `cargo test` and names the crate,
//! the file and the line to look at.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers from the bottom up: a crate may depend only on those before it.
const LAYERS: [&str; 4] = ["cm-base", "cm-case", "cm-ops", "cm"];

/// The top layer, the root package: the only one that reads arguments, prints and exits.
const BINARY: &str = "cm";

/// Dependencies only the binary may have: the command line, coloured printing, progress bars
/// and the allocator are decisions of the program, and a library that took one on would impose
/// it on every user of the library.
const BINARY_ONLY: [&str; 4] = ["anstream", "clap", "indicatif", "mimalloc"];

/// What a library must not do: print or exit behind the back of the binary, which alone decides
/// what reaches the terminal and with which exit status; nor read the environment or the day,
/// which the binary reads once and passes down, so that every test can set them. `io::stdout`,
/// `process::exit` and `env::var` also catch their `std::` forms.
const PRINTING: [&str; 12] = [
    "println!",
    "print!",
    "eprintln!",
    "eprint!",
    "dbg!",
    "io::stdout",
    "io::stderr",
    "process::exit",
    "env::var",
    "env::var_os",
    "Local::now",
    "Utc::now",
];

#[test]
fn crates_depend_only_downwards() {
    let root_manifest = repository().join("Cargo.toml");
    let mut manifests = vec![root_manifest.clone()];
    manifests.extend(library_dirs().iter().map(|dir| dir.join("Cargo.toml")));
    let order = LAYERS.join(" < ");
    let mut seen = Vec::new();
    let mut problems = Vec::new();
    for path in &manifests {
        let manifest = read_manifest(path);
        let name = manifest
            .get("package")
            .and_then(|package| package.get("name"))
            .and_then(|name| name.as_str())
            .unwrap_or_else(|| panic!("{}: no package name", shown(path)));
        // The root package is the binary; every crate under crates/ is one of the libraries.
        let in_place = if *path == root_manifest {
            name == BINARY
        } else {
            name != BINARY && LAYERS.contains(&name)
        };
        let Some(layer) = LAYERS.iter().position(|l| *l == name).filter(|_| in_place) else {
            problems.push(format!(
                "{}: the crate `{name}` is not one of the layers {order}; give it its place in \
                 LAYERS deliberately",
                shown(path)
            ));
            continue;
        };
        seen.push(LAYERS[layer]);
        for dependency in dependencies(&manifest) {
            if let Some(other) = LAYERS.iter().position(|l| *l == dependency)
                && other >= layer
            {
                problems.push(format!(
                    "{}: {name} depends on {dependency}, which is not below it in {order}",
                    shown(path)
                ));
            }
            if name != BINARY && BINARY_ONLY.contains(&dependency.as_str()) {
                problems.push(format!(
                    "{}: {name} depends on {dependency}, which only the binary may depend on",
                    shown(path)
                ));
            }
        }
    }
    for layer in LAYERS {
        if !seen.contains(&layer) {
            problems.push(format!("no crate `{layer}` found: the layers are {order}"));
        }
    }
    assert!(
        problems.is_empty(),
        "the crates break the layering:\n{}",
        problems.join("\n")
    );
}

#[test]
fn libraries_never_print() {
    let mut found = Vec::new();
    for dir in library_dirs() {
        for file in rust_files(&dir.join("src")) {
            let code = production_code(&file);
            for (index, line) in code.lines().enumerate() {
                if let Some(what) = PRINTING.iter().find(|p| contains_word(line, p)) {
                    found.push(format!("{}:{}: `{what}`", shown(&file), index + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a library writes to the `Write` it is given, returns its errors and is given the day \
         and the settings; printing, exiting and reading the environment or the clock belong to \
         the binary:\n{}",
        found.join("\n")
    );
}

#[test]
fn modules_form_no_cycle() {
    let mut crates: Vec<(String, PathBuf)> = library_dirs()
        .into_iter()
        .map(|dir| (file_name(&dir), dir.join("src")))
        .collect();
    crates.push((BINARY.to_owned(), repository().join("src")));
    let mut edges = 0;
    let mut cycles = Vec::new();
    for (name, src) in &crates {
        let modules = Modules::read(src);
        for parent in modules.parents() {
            let mut graph = modules.graph_within(&parent);
            edges += graph.values().map(BTreeMap::len).sum::<usize>();
            let scope = if parent.is_empty() {
                name.clone()
            } else {
                format!("{name}, inside {}", parent.join("::"))
            };
            // Each cycle found loses the edge that closed it, so that the next search finds
            // another one and the message lists them all.
            while let Some(cycle) = find_cycle(&graph) {
                let mut text = format!("{scope}: {}", cycle.join(" -> "));
                for step in cycle.windows(2) {
                    let place = &graph[&step[0]][&step[1]];
                    text += &format!("\n    {} -> {}: {place}", step[0], step[1]);
                }
                cycles.push(text);
                let last = &cycle[cycle.len() - 2..];
                graph.get_mut(&last[0]).unwrap().remove(&last[1]);
            }
        }
    }
    assert!(
        edges > 0,
        "no reference between modules found at all: the reader of paths is broken"
    );
    assert!(
        cycles.is_empty(),
        "modules that depend on each other cannot be understood, tested or moved apart; \
         move what both need below both:\n{}",
        cycles.join("\n")
    );
}

/// The reader the cycle test rests on, on made-up code: every form of path counts, and nothing
/// in a comment, a literal or the tests does.
#[test]
fn the_reader_of_paths_sees_every_form() {
    let code = blank_test_modules(&blank_comments_and_literals(
        "use crate::{a::B, c};\n\
         // use crate::commented;\n\
         fn f() -> u8 { let _ = \"crate::quoted\"; let _ = '{'; super::super::d::e(); 1 }\n\
         use super::{self, f as g};\n\
         macro_rules! m { () => { $crate::h::I } }\n\
         #[cfg(test)]\n\
         mod tests {\n    use crate::tested;\n}\n",
    ));
    let paths: Vec<(usize, String)> = references(&code)
        .into_iter()
        .map(|r| (r.line, r.path.join("::")))
        .collect();
    let expected = [
        (1, "crate::a::B"),
        (1, "crate::c"),
        (3, "super::super::d::e"),
        (4, "super::self"),
        (4, "super::f"),
        (5, "crate::h::I"),
    ];
    assert_eq!(
        paths,
        expected.map(|(line, path)| (line, path.to_owned())),
        "{code}"
    );
    let module = ["x".to_owned(), "y".to_owned()];
    let modules = BTreeSet::from([vec!["x".to_owned()], module.to_vec()]);
    let path = |text: &str| text.split("::").map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        absolute(&module, &path("super::super::d::e"), &modules),
        Some(path("d::e"))
    );
    assert_eq!(
        absolute(&module, &path("super::self"), &modules),
        Some(path("x"))
    );
    assert_eq!(absolute(&module, &path("std::io"), &modules), None);
}

/// The root of the repository, which every path here is relative to.
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path as the messages show it: relative to the repository.
fn shown(path: &Path) -> String {
    path.strip_prefix(repository())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The folders of the library crates, crates/*, in the order of their names.
fn library_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repository().join("crates"))
        .expect("crates/ is readable")
        .map(|entry| entry.expect("crates/ is readable").path())
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn read_manifest(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", shown(path)));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", shown(path)))
}

/// The packages a manifest needs to build: `[dependencies]` and its per-target forms, each by
/// the name of the package it is (a dependency renamed with `package =` counts as that package).
fn dependencies(manifest: &toml::Table) -> Vec<String> {
    let mut tables: Vec<&toml::Table> = manifest
        .get("dependencies")
        .and_then(|table| table.as_table())
        .into_iter()
        .collect();
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        tables.extend(
            targets
                .values()
                .filter_map(|target| target.get("dependencies")?.as_table()),
        );
    }
    tables
        .into_iter()
        .flatten()
        .map(|(key, spec)| {
            let package = spec.get("package").and_then(|p| p.as_str());
            package.unwrap_or(key).to_owned()
        })
        .collect()
}

/// The `.rs` files under `dir`, in the order of their paths.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("the sources are readable").into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    files
}

/// The code of a file as it is built outside tests: comments, string and character literals
/// and the `#[cfg(test)] mod tests` block blanked out, lines kept where they were so that line
/// numbers still point into the file.
fn production_code(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", shown(file)));
    blank_test_modules(&blank_comments_and_literals(&text))
}

fn blank(c: char) -> char {
    if c == '\n' { '\n' } else { ' ' }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `text` with every comment and every string and character literal replaced by spaces (new
/// lines kept), so that what is left is code: `"println!"` in a message or `crate::x` in a doc
/// comment is no call and no dependency. A lifetime (`'a`) is kept as code.
fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if at(i) == '/' && at(i + 1) == '/' {
            while i < chars.len() && at(i) != '\n' {
                i += 1;
            }
        } else if at(i) == '/' && at(i + 1) == '*' {
            // Block comments nest.
            let mut depth = 0;
            while i < chars.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some((quote, hashes)) = raw_string_start(&chars, i) {
            // A raw string ends at a quote followed by as many `#` as it began with.
            i = quote + 1;
            while i < chars.len() && !(at(i) == '"' && (1..=hashes).all(|k| at(i + k) == '#')) {
                i += 1;
            }
            i = (i + 1 + hashes).min(chars.len());
        } else if at(i) == '"' {
            i += 1;
            while i < chars.len() && at(i) != '"' {
                i += if at(i) == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
        } else if at(i) == '\'' && at(i + 1) == '\\' {
            // An escaped character: `'\n'`, `'\''`, `'\u{7f}'`.
            i += 3;
            while i < chars.len() && at(i) != '\'' {
                i += 1;
            }
            i = (i + 1).min(chars.len());
        } else if at(i) == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            out.push(at(i));
            i += 1;
            continue;
        }
        out.extend(chars[start..i].iter().copied().map(blank));
    }
    out
}

/// If a raw string (`r"`, `r#"`, `br"`, …) starts at `i`: where its opening quote is, and how
/// many `#` it opens with.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let r = if chars.get(i) == Some(&'b') { i + 1 } else { i };
    if chars.get(r) != Some(&'r') {
        return None;
    }
    let hashes = chars[r + 1..].iter().take_while(|&&c| c == '#').count();
    let quote = r + 1 + hashes;
    (chars.get(quote) == Some(&'"')).then_some((quote, hashes))
}

/// `code` with each `#[cfg(test)] mod tests` block blanked out, its lines kept: the tests may
/// print and reach anywhere, and are not part of the architecture.
fn blank_test_modules(code: &str) -> String {
    let mut lines: Vec<String> = code.lines().map(str::to_owned).collect();
    let mut i = 0;
    while i < lines.len() {
        let next = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty());
        let Some(module) = next.filter(|&j| {
            lines[i].trim() == "#[cfg(test)]" && lines[j].trim_start().starts_with("mod tests")
        }) else {
            i += 1;
            continue;
        };
        // From the attribute to the brace that closes the module, or to the `;` of `mod tests;`.
        let mut depth = 0;
        let mut end = module;
        for (j, line) in lines.iter().enumerate().skip(module) {
            depth += line.matches('{').count() as isize - line.matches('}').count() as isize;
            end = j;
            if depth == 0 && line.contains(['}', ';']) {
                break;
            }
        }
        lines[i..=end].iter_mut().for_each(String::clear);
        i = end + 1;
    }
    lines.join("\n")
}

/// Whether `pattern` occurs in `line` as a whole word: `print!` is not in `eprint!`, and
/// `process::exit` is not in `process::exit_code`.
fn contains_word(line: &str, pattern: &str) -> bool {
    let bytes = line.as_bytes();
    line.match_indices(pattern).any(|(start, _)| {
        let end = start + pattern.len();
        let starts_word = start == 0 || !is_ident(bytes[start - 1]);
        let ends_word = !is_ident(pattern.as_bytes()[pattern.len() - 1])
            || end == bytes.len()
            || !is_ident(bytes[end]);
        starts_word && ends_word
    })
}

/// A module of a crate, as its path from the crate root: `[]` is lib.rs or main.rs,
/// `["check"]` is check.rs or check/mod.rs, `["check", "dates"]` is check/dates.rs.
type Module = Vec<String>;

/// A graph of modules: for each module, the modules it refers to, each with the first place
/// (`file:line`) it does.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// A path written in code, as its segments, with the line it starts on.
struct Reference {
    line: usize,
    path: Vec<String>,
}

/// One source file of a crate: the module it is, and its code outside tests.
struct Source {
    file: PathBuf,
    module: Module,
    code: String,
}

/// The modules of one crate, with what each brings in by `use`, to follow a path to the module
/// it ends in: `use crate::x::Y` in `z`, or `pub use y::Y` in a root, makes `crate::z::Y` a
/// reference to `x`, or `crate::Y` one to `y`.
struct Modules {
    sources: Vec<Source>,
    modules: BTreeSet<Module>,
    /// The names a module brings in, each with the absolute path it stands for.
    imports: BTreeMap<(Module, String), Vec<String>>,
    /// The modules a module brings everything in from, with `use x::*`.
    globs: BTreeMap<Module, Vec<Module>>,
}

impl Modules {
    /// Reads the crate whose sources are under `src`.
    fn read(src: &Path) -> Modules {
        let sources: Vec<Source> = rust_files(src)
            .into_iter()
            .map(|file| Source {
                module: module_of(src, &file),
                code: production_code(&file),
                file,
            })
            .collect();
        // Every module a file is, with the folders above it (a folder module need not have a
        // mod.rs of its own).
        let modules: BTreeSet<Module> = sources
            .iter()
            .flat_map(|s| (0..=s.module.len()).map(|n| s.module[..n].to_vec()))
            .collect();
        let mut imports = BTreeMap::new();
        let mut globs: BTreeMap<Module, Vec<Module>> = BTreeMap::new();
        for source in &sources {
            for (name, path) in uses(&source.code) {
                let Some(path) = absolute(&source.module, &path, &modules) else {
                    continue;
                };
                if name == "*" {
                    let from = path[..path.len() - 1].to_vec();
                    globs.entry(source.module.clone()).or_default().push(from);
                } else {
                    imports.insert((source.module.clone(), name), path);
                }
            }
            // A `#[macro_export]` macro is reached as `crate::name!` from the root.
            for name in exported_macros(&source.code) {
                let path = [source.module.clone(), vec![name.clone()]].concat();
                imports.insert((Vec::new(), name), path);
            }
        }
        Modules {
            sources,
            modules,
            imports,
            globs,
        }
    }

    /// The modules that have modules inside them: the crate root, and each folder module.
    fn parents(&self) -> BTreeSet<Module> {
        self.modules
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| m[..m.len() - 1].to_vec())
            .collect()
    }

    /// The graph of the modules directly inside `parent`: an edge `a -> b` for each path, in a
    /// file of `a` or of a module inside it, that ends in `b` or in a module inside it. The file
    /// of `parent` itself (lib.rs, main.rs or a mod.rs) is not a node: it is what holds them.
    fn graph_within(&self, parent: &[String]) -> Graph {
        let mut graph = Graph::new();
        for source in &self.sources {
            let Some(from) = child_of(parent, &source.module) else {
                continue;
            };
            for reference in references(&source.code) {
                let Some(path) = absolute(&source.module, &reference.path, &self.modules) else {
                    continue;
                };
                if let Some(to) = child_of(parent, &self.module_named(path))
                    && to != from
                {
                    let place = format!("{}:{}", shown(&source.file), reference.line);
                    let targets = graph.entry(from.clone()).or_default();
                    targets.entry(to).or_insert(place);
                }
            }
        }
        graph
    }

    /// The module an absolute path ends in: as far as its segments are modules, following a
    /// name a module brought in by `use` to where it comes from. An item of a module (a type, a
    /// function) ends the path at that module.
    fn module_named(&self, path: Vec<String>) -> Module {
        let mut module = Module::new();
        let mut rest = path;
        // Bounded, so that names bringing each other in cannot loop.
        for _ in 0..64 {
            let Some(next) = rest.first().cloned() else {
                break;
            };
            let child = [module.clone(), vec![next.clone()]].concat();
            if self.modules.contains(&child) {
                module = child;
                rest.remove(0);
                continue;
            }
            let from_glob = match self.globs.get(&module).map(Vec::as_slice) {
                Some([only]) => Some([only.clone(), vec![next.clone()]].concat()),
                _ => None,
            };
            match self
                .imports
                .get(&(module.clone(), next))
                .cloned()
                .or(from_glob)
            {
                Some(target) => {
                    rest = [target, rest[1..].to_vec()].concat();
                    module.clear();
                }
                None => break,
            }
        }
        module
    }
}

/// The module a file under `src` is: `check/mod.rs` and `check.rs` are `check`, lib.rs and
/// main.rs the root.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut module: Module = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if module.last().is_some_and(|last| last == "mod") || module == ["lib"] || module == ["main"] {
        module.pop();
    }
    module
}

/// The module directly inside `parent` that `module` is or is inside of.
fn child_of(parent: &[String], module: &[String]) -> Option<String> {
    module.strip_prefix(parent)?.first().cloned()
}

/// A path written in `module`, made absolute from the crate root: `crate::` starts at the
/// root, `self::` at `module`, each `super::` one module up, and a path that starts at a child
/// of `module` (in a `use` of a root: `pub use schema::Schema`) at `module`. A path into another
/// crate, the prelude or a local name is `None`: it is no edge between the modules of this one.
fn absolute(module: &[String], path: &[String], modules: &BTreeSet<Module>) -> Option<Vec<String>> {
    let first = path.first()?;
    let child = [module, std::slice::from_ref(first)].concat();
    let mut absolute = match first.as_str() {
        "crate" => Vec::new(),
        "self" | "super" => module.to_vec(),
        _ if modules.contains(&child) => module.to_vec(),
        _ => return None,
    };
    for (i, segment) in path.iter().enumerate() {
        match segment.as_str() {
            "crate" if i == 0 => {}
            "self" => {}
            "super" => {
                absolute.pop()?;
            }
            _ => absolute.push(segment.clone()),
        }
    }
    Some(absolute)
}

/// The paths in `code` that start at `crate::`, `super::` or `self::` (`$crate::` in a macro
/// counts by its `crate::`): in a `use`, with its braces (`use super::{a, b::C}` is two), in an
/// expression, a type or a macro call.
fn references(code: &str) -> Vec<Reference> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut line = 1;
    for i in 0..bytes.len() {
        if bytes[i] == b'\n' {
            line += 1;
        }
        let starts_word = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':');
        let starts_path = ["crate::", "super::", "self::"]
            .iter()
            .any(|start| bytes[i..].starts_with(start.as_bytes()));
        if starts_word && starts_path {
            let mut paths = Vec::new();
            read_tree(bytes, i, Vec::new(), &mut paths);
            found.extend(paths.into_iter().map(|(path, _)| Reference { line, path }));
        }
    }
    found
}

/// What each `use` of `code` brings in: the name it is known by (`*` for a glob), and its path.
fn uses(code: &str) -> Vec<(String, Vec<String>)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (i, _) in code.match_indices("use") {
        let starts_word = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':');
        let ends_word = bytes.get(i + 3).is_some_and(u8::is_ascii_whitespace);
        if starts_word && ends_word {
            let mut paths = Vec::new();
            read_tree(bytes, skip_spaces(bytes, i + 3), Vec::new(), &mut paths);
            found.extend(paths.into_iter().map(|(path, name)| (name, path)));
        }
    }
    found
}

/// The names of the `#[macro_export]` macros defined in `code`.
fn exported_macros(code: &str) -> Vec<String> {
    code.split("#[macro_export]")
        .skip(1)
        .filter_map(|after| {
            let name = after.split("macro_rules!").nth(1)?.trim_start();
            let end = name.find(|c: char| !c.is_ascii_alphanumeric() && c != '_')?;
            Some(name[..end].to_owned())
        })
        .collect()
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

fn ident_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).copied().is_some_and(is_ident) {
        i += 1;
    }
    i
}

/// Reads the path, or the tree of paths, that starts at `i` below `path`: `a::b::C`,
/// `a::{b, c::D as E}`, `a::*`. Adds each full path to `out` with the name it is brought in as,
/// and returns where it ends.
fn read_tree(
    bytes: &[u8],
    mut i: usize,
    mut path: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) -> usize {
    loop {
        match bytes.get(i) {
            Some(b'{') => {
                i += 1;
                loop {
                    i = skip_spaces(bytes, i);
                    match bytes.get(i) {
                        Some(b'}') => return i + 1,
                        Some(b',') => i += 1,
                        Some(_) => {
                            let end = read_tree(bytes, i, path.clone(), out);
                            if end == i {
                                return i;
                            }
                            i = end;
                        }
                        None => return i,
                    }
                }
            }
            Some(b'*') => {
                path.push("*".to_owned());
                out.push((path, "*".to_owned()));
                return i + 1;
            }
            _ => {}
        }
        let end = ident_end(bytes, i);
        if end == i {
            return i;
        }
        let word = String::from_utf8_lossy(&bytes[i..end]).into_owned();
        i = end;
        if bytes[i..].starts_with(b"::") {
            path.push(word);
            i += 2;
            continue;
        }
        let mut name = if word == "self" {
            path.last().cloned().unwrap_or_default()
        } else {
            word.clone()
        };
        path.push(word);
        let after = skip_spaces(bytes, i);
        if bytes[after..].starts_with(b"as ") {
            let alias = skip_spaces(bytes, after + 2);
            let alias_end = ident_end(bytes, alias);
            if alias_end > alias {
                name = String::from_utf8_lossy(&bytes[alias..alias_end]).into_owned();
                i = alias_end;
            }
        }
        out.push((path, name));
        return i;
    }
}

/// A cycle of `graph`, as its modules with the first one again at the end, if it has one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    /// Depth first from `node`, with `path` the modules that lead to it: reaching one of them
    /// again closes a cycle.
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}
