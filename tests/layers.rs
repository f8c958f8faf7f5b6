//! The library's modules import one way: each only from the layers below it. A module that
//! reaches up (the compiled form asking the template, the parser asking serde) fails here,
//! with the import at fault.

use std::fs;
use std::path::Path;

/// The layers, lowest first. A module may use the modules of lower layers and of its own.
const LAYERS: &[&[&str]] = &[
    &["token", "decimal", "encode", "error", "date"],
    &["suggest", "source", "place"],
    &["options"],
    &["compiled"],
    &["parse"],
    &["template"],
    &["modifier", "lint"],
    &["expand"],
    &["bound"],
    &["request"],
    &["select", "sign", "delivery"],
    &["traffic"],
    &["serde"],
    &["lib"],
];

/// The module that defines each item the crate root re-exports, for `crate::Item` paths.
const REEXPORTS: &[(&str, &str)] = &[
    ("Token", "token"),
    ("Slot", "token"),
    ("Decimal", "decimal"),
    ("ParseDecimalError", "decimal"),
    ("DecimalErrorKind", "decimal"),
    ("ErrorKind", "error"),
    ("ParseError", "error"),
    ("ExpandError", "error"),
    ("Problem", "error"),
    ("ProblemKind", "error"),
    ("Span", "error"),
    ("BindError", "error"),
    ("TokenSource", "source"),
    ("Value", "source"),
    ("Schemes", "place"),
    ("ParseOptions", "options"),
    ("Syntax", "options"),
    ("Unknown", "options"),
    ("Template", "template"),
    ("Missing", "expand"),
    ("Bound", "bound"),
    ("Lint", "lint"),
    ("LintKind", "lint"),
    ("Fields", "bound"),
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The modules `code` names after `crate::`, with the line of each: `crate::place::Place`,
/// `crate::{Decimal, Token}`, and the root's re-exports as the modules that define them.
/// Comments and the unit tests at the end of a file do not count.
fn imports(code: &str) -> Vec<(String, usize)> {
    let code = code.split("#[cfg(test)]\nmod tests").next().unwrap_or(code);
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or_default();
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let module = REEXPORTS
                    .iter()
                    .find(|(item, _)| *item == name)
                    .map_or(name.clone(), |(_, module)| (*module).to_owned());
                if !module.is_empty() && module != "self" {
                    found.push((module, number + 1));
                }
            }
        }
    }
    found
}

#[test]
fn modules_import_only_from_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    // The traffic modules are one layer: `traffic.rs` and everything under `traffic/`.
    for entry in fs::read_dir(src.join("traffic")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut wrong = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let module = match path.parent().unwrap().ends_with("traffic") {
            true => "traffic",
            false => stem,
        };
        let own = layer(module).unwrap_or_else(|| panic!("{module} has no layer in LAYERS"));
        let code = fs::read_to_string(path).unwrap();
        for (import, line) in imports(&code) {
            let Some(theirs) = layer(&import) else {
                // An item of the root that `REEXPORTS` does not name yet.
                wrong.push(format!(
                    "{}:{line}: crate::{import} has no layer",
                    path.display()
                ));
                continue;
            };
            if theirs > own {
                wrong.push(format!(
                    "{}:{line}: {module} uses {import}, a higher layer",
                    path.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that go up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_sees_every_form_of_import() {
    let code = "use crate::place::Place;\nuse crate::{Decimal, Token};\n\
                // crate::serde in a comment\nfn f() { crate::suggest::nearest(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::Template;\n}\n";
    let found: Vec<(String, usize)> = imports(code);
    let expected = [("place", 1), ("decimal", 2), ("token", 2), ("suggest", 4)];
    let expected: Vec<(String, usize)> = expected
        .iter()
        .map(|(m, l)| ((*m).to_owned(), *l))
        .collect();
    assert_eq!(found, expected);
}
