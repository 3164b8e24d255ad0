//! The web layer's `use` graph, file by file, for the test that it has no
//! cycle: which source files each file's `use` declarations reach
//! (`crate::…`, `super::…`, `self::…` and a child module's name).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each source file under `root` (as a module path, `console::kit::forms`)
/// and the files its `use` declarations name.
pub fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    collect(root, &mut files);
    let modules: BTreeMap<String, PathBuf> = files
        .iter()
        .map(|file| (module_of(root, file), file.clone()))
        .collect();
    modules
        .iter()
        .map(|(module, file)| {
            let source = std::fs::read_to_string(file).unwrap_or_default();
            let reached = uses(&source)
                .iter()
                .filter_map(|path| resolve(module, path, &modules))
                .filter(|target| target != module)
                .collect();
            (module.clone(), reached)
        })
        .collect()
}

/// A cycle of the graph, if it has one.
pub fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

/// The file of a module path: `console::kit` → `console/kit/mod.rs`.
pub fn file_of(root: &Path, module: &str) -> PathBuf {
    let path = root.join(module.replace("::", "/"));
    if path.is_dir() {
        path.join("mod.rs")
    } else {
        path.with_extension("rs")
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `console/kit/mod.rs` → `console::kit`; `lib.rs` → `` (the crate).
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file).with_extension("");
    let parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .filter(|part| part != "mod" && part != "lib")
        .collect();
    parts.join("::")
}

/// The paths of a file's `use` declarations, up to their first brace.
fn uses(source: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("use ") {
        let before = &rest[..at];
        let starts_line = before
            .rsplit('\n')
            .next()
            .is_some_and(|line| matches!(line.trim(), "" | "pub" | "pub(crate)" | "pub(super)"));
        rest = &rest[at + 4..];
        if !starts_line {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        let path: String = rest[..end]
            .split(['{', ' ', '\n'])
            .next()
            .unwrap_or("")
            .trim_end_matches("::")
            .to_owned();
        paths.push(path);
    }
    paths
}

/// The file a `use` path lands in: its longest prefix that is a module.
fn resolve(module: &str, path: &str, modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let own: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = match segments.first().copied() {
        Some("crate") => {
            segments.remove(0);
            Vec::new()
        }
        Some("self") => {
            segments.remove(0);
            own.clone()
        }
        Some("super") => {
            let mut base = own.clone();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        }
        // A child module's name, or an outside crate.
        _ => own.clone(),
    };
    if segments.is_empty() {
        return None;
    }
    let mut found = None;
    for segment in segments {
        base.push(segment);
        let candidate = base.join("::");
        if modules.contains_key(&candidate) {
            found = Some(candidate);
        } else {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_found_and_a_tree_has_none() {
        let edges = |pairs: &[(&str, &str)]| {
            let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (from, to) in pairs {
                graph
                    .entry((*from).to_owned())
                    .or_default()
                    .insert((*to).to_owned());
                graph.entry((*to).to_owned()).or_default();
            }
            graph
        };
        assert_eq!(cycle(&edges(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
        assert_eq!(
            cycle(&edges(&[("a", "b"), ("b", "c"), ("c", "a")])),
            Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
    }

    #[test]
    fn use_paths_resolve_to_their_files() {
        let modules: BTreeMap<String, PathBuf> = [
            "",
            "state",
            "console",
            "console::kit",
            "console::kit::forms",
            "console::customers",
            "console::customers::profile",
            "console::customers::block",
        ]
        .into_iter()
        .map(|m| (m.to_owned(), PathBuf::from(m)))
        .collect();
        let at = |path| resolve("console::customers::block", path, &modules);
        assert_eq!(
            at("super::profile"),
            Some("console::customers::profile".into())
        );
        assert_eq!(at("crate::console::kit"), Some("console::kit".into()));
        assert_eq!(at("crate::state::AppState"), Some("state".into()));
        assert_eq!(at("axum::Router"), None);
        assert_eq!(
            resolve("console::kit", "forms::Submission", &modules),
            Some("console::kit::forms".into())
        );
        assert_eq!(
            uses("use super::profile::{Actions, page};\npub use forms::{A, B};\n// a use case\n"),
            ["super::profile", "forms"]
        );
    }
}
