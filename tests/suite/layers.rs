//! The layers of `src/`, read from its own `crate::` and `super::` imports: no two modules
//! import each other, however long the way round, and the pure parts import no channel, store
//! or web module. What it does not read: a module's imports of its own ancestors, `self::`
//! paths and bare paths to its children (a parent and its children are one family). A file's
//! module is its path (`src/channels/telegram/render.rs` is `channels::telegram::render`);
//! an import names the deepest module file that exists along its path (`crate::assistant::
//! Draft` is `assistant`, re-exports included). A parent's `mod` lines are not imports, and
//! test modules are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of `src/`, with the modules it imports.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        if file.file_name().is_some_and(|n| n == "tests.rs" || n.to_string_lossy().ends_with("_tests.rs")) {
            continue;
        }
        let module = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("a source file");
        let mut used = BTreeSet::new();
        for path in paths_in(&without_tests(&text)) {
            let absolute = match path.first().map(String::as_str) {
                Some("crate") => path[1..].to_vec(),
                Some("super") => {
                    let mut base: Vec<String> = module.split("::").map(str::to_string).collect();
                    let mut rest = &path[..];
                    while rest.first().is_some_and(|s| s == "super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    base.extend(rest.iter().cloned());
                    base
                }
                _ => continue,
            };
            if let Some(target) = deepest(&modules, &absolute)
                && target != module
                && !module.starts_with(&format!("{target}::"))
            {
                used.insert(target);
            }
        }
        graph.insert(module, used);
    }
    graph
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `src/a/b.rs` is `a::b`; `src/lib.rs` and `src/main.rs` are the crate itself.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("::")
}

/// The text without comments and without the test module at its end.
fn without_tests(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or_default();
    code.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Every `crate::...` and `super::...` path in the code, braces expanded.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        expand(&code[at..], Vec::new(), &mut out);
    }
    out
}

/// Reads one path from the start of `text` (segments, then possibly `{a, b::c}`) onto `prefix`.
fn expand(text: &str, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(text[start..i].to_string());
        }
        if text[i..].starts_with("::{") {
            i += 3;
            loop {
                while text[i..].starts_with([' ', '\n', ',']) {
                    i += 1;
                }
                if text[i..].starts_with('}') || i >= text.len() {
                    return i + 1;
                }
                i += expand(&text[i..], prefix.clone(), out);
            }
        } else if text[i..].starts_with("::") {
            i += 2;
        } else {
            out.push(prefix);
            // `a as b` and the separators are skipped by the caller.
            while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b';' | b'\n') {
                i += 1;
            }
            return i;
        }
    }
}

/// The deepest module along a path.
fn deepest(modules: &BTreeSet<String>, path: &[String]) -> Option<String> {
    (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| modules.contains(m))
}

/// The strongly connected groups of more than one module (Tarjan's algorithm).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, node: &'a str) {
        let n = w.index.len();
        w.index.insert(node, n);
        w.low.insert(node, n);
        w.stack.push(node);
        for next in w.graph.get(node).into_iter().flatten() {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[node].min(w.low[next]);
                w.low.insert(node, low);
            } else if w.stack.contains(&next) {
                let low = w.low[node].min(w.index[next]);
                w.low.insert(node, low);
            }
        }
        if w.low[node] == w.index[node] {
            let mut group = Vec::new();
            while let Some(top) = w.stack.pop() {
                group.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                w.found.push(group);
            }
        }
    }
    let mut w = Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for node in graph.keys() {
        if !w.index.contains_key(node.as_str()) {
            visit(&mut w, node);
        }
    }
    w.found
}

#[test]
fn the_reader_finds_imports_and_a_planted_circle() {
    let code = "use crate::a::{b, c::{D, e as f}};\nuse super::g;\nlet x = crate::h::I::new(); // crate::j\n";
    let paths: Vec<String> = paths_in(&without_tests(code)).iter().map(|p| p.join("::")).collect();
    assert_eq!(paths, ["crate::a::b", "crate::a::c::D", "crate::a::c::e", "crate::h::I::new", "super::g"]);
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string(), "d".to_string()])),
        ("d".to_string(), BTreeSet::new()),
    ]);
    assert_eq!(circles(&graph), [vec!["a".to_string(), "b".to_string(), "c".to_string()]]);
}

#[test]
fn no_module_of_src_imports_itself_round_a_circle() {
    let graph = imports();
    assert!(graph.len() > 50, "the reader found the modules of src/ ({})", graph.len());
    assert!(graph["channels::telegram::render"].contains("assistant"), "the reader follows imports");
    assert_eq!(circles(&graph), Vec::<Vec<String>>::new());
}

#[test]
fn the_pure_parts_import_no_channel_store_or_web_module() {
    let graph = imports();
    let pure = |m: &str| m == "engine" || m.starts_with("engine::") || m == "nlu" || m.starts_with("nlu::");
    let pure = graph
        .keys()
        .filter(|m| pure(m) || *m == "staff::lifecycle" || *m == "staff::hours" || m.starts_with("calendar"));
    let shell = ["channels", "store", "web", "staff::desk", "assistant", "cli"];
    let mut wrong = Vec::new();
    for module in pure {
        for used in &graph[module] {
            if shell.iter().any(|s| used == s || used.starts_with(&format!("{s}::"))) {
                wrong.push(format!("{module} imports {used}"));
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new());
}
