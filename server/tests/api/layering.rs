//! The floors of the app (`../shared/ARCHITECTURE.md`): a file imports only from its own
//! floor or below — domain ← store ← mail ← request ← api, web ← pages. This reads every
//! `crate::…` path in the app's sources and fails on one that climbs. (The service floor
//! and "no two `api` modules import each other" are the next step of issue 25.)

use std::path::Path;

const FLOORS: &[(&str, u8)] =
    &[("domain", 0), ("store", 1), ("mail", 2), ("request", 4), ("api", 5), ("web", 5), ("pages", 6)];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(name, _)| *name == module).map(|(_, floor)| *floor)
}

fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_file_imports_from_a_floor_above_its_own() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let mut files = Vec::new();
    sources(&app, &mut files);
    let mut climbing = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&app).unwrap().to_string_lossy().replace('\\', "/");
        let module = relative.split(['/', '.']).next().unwrap();
        let Some(own) = floor(module) else { continue };
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                let target = line[at + 7..].split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap();
                if floor(target).is_some_and(|theirs| theirs > own) {
                    climbing.push(format!("{relative}:{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(files.len() > 100, "the app's sources were read: {}", files.len());
    assert!(climbing.is_empty(), "imports up a floor:\n{}", climbing.join("\n"));
}
