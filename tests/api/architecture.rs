//! Use-case modules never import each other in a circle (`architecture.md`). Every path that
//! starts with `crate::service::`, `super::` or `self::` in `src/service/**.rs` (in `use`
//! declarations and in code) is an edge from the file's module to the deepest module it names; a
//! parent re-exporting its children counts too, so shared helpers live in a sibling, not in
//! `mod.rs`. The graph must be acyclic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

type Module = Vec<String>;

/// Module path of a file under `src/`: `service/results/ratify.rs` → `service::results::ratify`.
fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Collects the absolute paths a file names through `crate::`, `super::` and `self::`.
struct Paths {
    /// The module being visited: the file's, then any inline `mod` block inside it.
    here: Module,
    found: Vec<Module>,
}

impl Paths {
    fn resolve(&mut self, segments: Vec<String>) {
        let mut base = self.here.clone();
        let mut rest = segments.into_iter().peekable();
        match rest.peek().map(String::as_str) {
            Some("crate") => {
                base.clear();
                rest.next();
            }
            Some("super") => {
                while rest.next_if(|s| s == "super").is_some() {
                    base.pop();
                }
            }
            Some("self") => {
                rest.next();
            }
            _ => return,
        }
        base.extend(rest.filter(|s| s != "self"));
        self.found.push(base);
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.leaf(prefix, n.ident.to_string()),
            syn::UseTree::Rename(r) => self.leaf(prefix, r.ident.to_string()),
            syn::UseTree::Glob(_) => self.resolve(prefix.clone()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
        }
    }

    fn leaf(&mut self, prefix: &[String], name: String) {
        let mut path = prefix.to_vec();
        path.push(name);
        self.resolve(path);
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.resolve(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }

    /// `pub(super)`/`pub(in crate::…)` say who may see an item, not what the module uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.here.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.here.pop();
    }
}

/// The import graph of `files` (module, source): each module's edges to the other modules of
/// `files` that it names (a path to an item resolves to the module holding it).
fn graph(files: &[(Module, String)]) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules: BTreeSet<&Module> = files.iter().map(|(m, _)| m).collect();
    let mut edges = BTreeMap::new();
    for (module, source) in files {
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{}: {e}", module.join("::")));
        let mut paths = Paths { here: module.clone(), found: Vec::new() };
        paths.visit_file(&file);
        let targets: BTreeSet<Module> = paths
            .found
            .into_iter()
            .filter_map(|p| (1..=p.len()).rev().map(|n| p[..n].to_vec()).find(|m| modules.contains(m)))
            .filter(|target| target != module)
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

/// A circle in `edges` (its modules, the first repeated at the end), if there is one.
fn circle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<String>> {
    fn visit<'a>(
        m: &'a Module,
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        done: &mut BTreeSet<&'a Module>,
        stack: &mut Vec<&'a Module>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| *s == m) {
            return Some(stack[at..].iter().chain([&m]).map(|m| m.join("::")).collect());
        }
        if !done.insert(m) {
            return None;
        }
        stack.push(m);
        let found = edges.get(m).into_iter().flatten().find_map(|next| visit(next, edges, done, stack));
        stack.pop();
        found
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|m| visit(m, edges, &mut done, &mut Vec::new()))
}

#[test]
fn service_modules_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files: Vec<(Module, String)> = walkdir::WalkDir::new(src.join("service"))
        .into_iter()
        .map(|e| e.expect("readable src/service"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| (module_of(e.path().strip_prefix(&src).unwrap()), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    let edges = graph(&files);
    assert!(edges.len() > 10, "too few service modules found: {:?}", edges.keys());
    let dashboard = edges.get(&module_of(Path::new("service/dashboard.rs"))).expect("service::dashboard");
    assert!(dashboard.contains(&module_of(Path::new("service/results/mod.rs"))), "edges are read: {dashboard:?}");
    if let Some(circle) = circle(&edges) {
        panic!("service modules import each other in a circle: {}", circle.join(" → "));
    }
}

#[test]
fn circles_are_found_through_super_self_and_crate_paths() {
    let file = |path: &str, source: &str| (module_of(Path::new(path)), source.to_owned());
    let files = [
        file("service/a.rs", "use crate::service::b::{self as bee, f};"),
        file("service/b/mod.rs", "pub use self::c::g;\nmod c;"),
        file("service/b/c.rs", "pub(super) fn g() { crate::repo::x(); }\n#[cfg(test)] mod tests { use super::*; }"),
        file("service/d.rs", "use crate::service::{a, b};"),
    ];
    assert_eq!(circle(&graph(&files)), None, "a → b → b::c; d → a, b; b::c's tests → b::c: no circle");
    let mut files = files.to_vec();
    files[0].1.push_str("\nfn h() { crate::service::d::x(); }");
    assert_eq!(circle(&graph(&files)).unwrap(), ["service::a", "service::d", "service::a"]);
    files[0].1 = "use crate::service::b::f;".into();
    files[1].1.push_str("\nuse super::a::h;");
    assert_eq!(circle(&graph(&files)).unwrap(), ["service::a", "service::b", "service::a"]);
    files[1].1 = "pub use self::c::g;".into();
    files[2].1 = "use super::super::a;".into();
    assert_eq!(
        circle(&graph(&files)).unwrap(),
        ["service::a", "service::b", "service::b::c", "service::a"],
        "a child naming its grandparent's sibling"
    );
}
