//! The floors of the app (`../shared/ARCHITECTURE.md`, the README's "How it is built"): a
//! file imports only from its own floor or below —
//! domain ← store ← mail ← service ← request ← api, web ← pages — and the doors do not lean
//! on each other: no `api` module imports another, and `api` and `web` import neither way
//! (what two doors share is a service). This reads every `crate::…` and `super::…` path in
//! the app's sources and fails on one that breaks a rule.

use std::path::{Path, PathBuf};

/// Each top-level module's floor. The crate-root files sit where their imports put them:
/// `error`, `records` (types both sides compile), `secrets`, `passwords` and `settings` on
/// the ground; `ports` (the injected state) and `seed` (the demo data) beside `mail`.
const FLOORS: &[(&str, u8)] = &[
    ("domain", 0),
    ("error", 0),
    ("records", 0),
    ("secrets", 0),
    ("passwords", 0),
    ("settings", 0),
    ("store", 1),
    ("ports", 2),
    ("mail", 2),
    ("seed", 2),
    ("service", 3),
    ("request", 4),
    ("api", 5),
    ("web", 5),
    ("pages", 6),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(name, _)| *name == module).map(|(_, floor)| *floor)
}

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// One import of the app's own code: the file it is in (relative to `app/src`), its line,
/// and the module path it names from the crate's root (`["api", "rounds", …]`).
struct Import {
    file: String,
    line: usize,
    text: String,
    target: Vec<String>,
}

fn path_after(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '_' && c != ':')
        .next()
        .unwrap()
        .split("::")
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every `crate::` path, and every `super::` path resolved against the file's own module
/// (`api/groups.rs`'s `super::rounds` is `api::rounds`).
fn imports() -> Vec<Import> {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    sources(&app, &mut files);
    assert!(files.len() > 100, "the app's sources were read: {}", files.len());
    let mut found = Vec::new();
    for path in &files {
        let file = path.strip_prefix(&app).unwrap().to_string_lossy().replace('\\', "/");
        let module: Vec<String> = file
            .trim_end_matches(".rs")
            .split('/')
            .filter(|part| *part != "mod" && *part != "lib")
            .map(str::to_owned)
            .collect();
        let text = std::fs::read_to_string(path).unwrap();
        // Inside the file's `mod tests`, `super::` is the file itself, not its parent.
        let mut in_tests = false;
        for (number, line) in text.lines().enumerate() {
            in_tests |= line.trim_start().starts_with("mod tests");
            let mut push = |target: Vec<String>| {
                found.push(Import { file: file.clone(), line: number + 1, text: line.trim().to_owned(), target })
            };
            for (at, _) in line.match_indices("crate::") {
                push(path_after(&line[at + "crate::".len()..]));
            }
            for (at, _) in line.match_indices("super::") {
                let base = if in_tests { &module[..] } else { &module[..module.len().saturating_sub(1)] };
                let mut target = base.to_vec();
                target.extend(path_after(&line[at + "super::".len()..]));
                push(target);
            }
        }
    }
    found
}

fn top(path: &[String]) -> &str {
    path.first().map_or("", String::as_str)
}

fn show(bad: &[&Import]) -> String {
    bad.iter().map(|i| format!("{}:{}: {}", i.file, i.line, i.text)).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_file_imports_from_a_floor_above_its_own() {
    let all = imports();
    let climbing: Vec<&Import> = all
        .iter()
        .filter(|i| {
            let own = floor(i.file.split(['/', '.']).next().unwrap());
            own.zip(floor(top(&i.target))).is_some_and(|(own, theirs)| theirs > own)
        })
        .collect();
    assert!(climbing.is_empty(), "imports up a floor:\n{}", show(&climbing));
}

#[test]
fn the_doors_share_services_not_each_other() {
    let all = imports();
    let leaning: Vec<&Import> = all
        .iter()
        .filter(|i| {
            let own: Vec<&str> = i.file.trim_end_matches(".rs").split('/').collect();
            let theirs = top(&i.target);
            match (own[0], theirs) {
                // One server-function module importing another (its own file is fine).
                ("api", "api") => i.target.get(1).is_some_and(|m| own.get(1) != Some(&m.as_str())),
                ("api", "web") | ("web", "api") => true,
                _ => false,
            }
        })
        .collect();
    assert!(!all.is_empty());
    assert!(leaning.is_empty(), "a door importing another door:\n{}", show(&leaning));
}
