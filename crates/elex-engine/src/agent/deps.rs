//! The feature dependency graph: prerequisites (activation order), conflicts and related
//! features, by position in the catalog. Built only from an acyclic catalog: a cycle is a
//! `DEPENDENCY_CYCLE` error that names it.

use crate::agent::catalog::FeatureSpec;
use crate::error::{ElexError, Result};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    /// Direct prerequisites of each feature (positions).
    requires: Vec<Vec<usize>>,
    /// Features that list this one as a prerequisite.
    dependents: Vec<Vec<usize>>,
    /// Conflicts, both directions, sorted.
    conflicts: Vec<Vec<usize>>,
    /// Related, both directions, sorted.
    related: Vec<Vec<usize>>,
}

impl Dependencies {
    /// The graph of `features`; links to unknown codes are left out (validation reports them).
    pub fn build(features: &[FeatureSpec]) -> Result<Self> {
        let at: HashMap<&str, usize> =
            features.iter().enumerate().map(|(i, f)| (f.faj_code.as_str(), i)).collect();
        let n = features.len();
        let resolve =
            |links: &[String]| links.iter().filter_map(|c| at.get(c.as_str()).copied()).collect::<Vec<_>>();
        let mut d = Dependencies {
            requires: features.iter().map(|f| resolve(&f.depends_on)).collect(),
            dependents: vec![Vec::new(); n],
            conflicts: vec![Vec::new(); n],
            related: vec![Vec::new(); n],
        };
        for (i, f) in features.iter().enumerate() {
            for &r in &d.requires[i] {
                d.dependents[r].push(i);
            }
            for c in resolve(&f.conflicts_with) {
                d.conflicts[i].push(c);
                d.conflicts[c].push(i);
            }
            for r in resolve(&f.related_to) {
                d.related[i].push(r);
                d.related[r].push(i);
            }
        }
        for list in d.conflicts.iter_mut().chain(d.related.iter_mut()).chain(d.dependents.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        if let Some(cycle) = d.find_cycle() {
            let names: Vec<&str> = cycle.iter().map(|&i| features[i].faj_code.as_str()).collect();
            return Err(ElexError::DependencyCycle(
                format!("{} (each requires the next)", names.join(" -> ")).into(),
            ));
        }
        Ok(d)
    }

    /// A prerequisite cycle, first node repeated at the end, if there is one.
    fn find_cycle(&self) -> Option<Vec<usize>> {
        // Iterative DFS with colours: 0 new, 1 on the stack, 2 done.
        let n = self.requires.len();
        let mut colour = vec![0u8; n];
        let mut parent = vec![usize::MAX; n];
        for start in 0..n {
            if colour[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            colour[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&child) = self.requires[node].get(*next) {
                    *next += 1;
                    match colour[child] {
                        0 => {
                            colour[child] = 1;
                            parent[child] = node;
                            stack.push((child, 0));
                        }
                        1 => {
                            let mut cycle = vec![child];
                            let mut at = node;
                            while at != child {
                                cycle.push(at);
                                at = parent[at];
                            }
                            cycle.push(child);
                            cycle.reverse();
                            return Some(cycle);
                        }
                        _ => {}
                    }
                } else {
                    colour[node] = 2;
                    stack.pop();
                }
            }
        }
        None
    }

    /// Transitive prerequisites of `i` in activation order (each after its own
    /// prerequisites), without `i` itself.
    pub fn activation_order(&self, i: usize) -> Vec<usize> {
        let mut order = Vec::new();
        let mut seen = vec![false; self.requires.len()];
        seen[i] = true;
        self.visit(i, &mut seen, &mut order);
        order
    }

    fn visit(&self, i: usize, seen: &mut [bool], order: &mut Vec<usize>) {
        for &r in &self.requires[i] {
            if !seen[r] {
                seen[r] = true;
                self.visit(r, seen, order);
                order.push(r);
            }
        }
    }

    pub fn requires(&self, i: usize) -> &[usize] {
        &self.requires[i]
    }

    pub fn conflicts(&self, i: usize) -> &[usize] {
        &self.conflicts[i]
    }

    /// Direct prerequisites, dependents and related features, each once, sorted.
    pub fn peers(&self, i: usize) -> Vec<usize> {
        let mut all: Vec<usize> =
            self.requires[i].iter().chain(&self.dependents[i]).chain(&self.related[i]).copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(links: &[(&str, &[&str])]) -> Vec<FeatureSpec> {
        links
            .iter()
            .map(|(code, requires)| FeatureSpec {
                name: (*code).into(),
                depends_on: requires.iter().map(|s| (*s).into()).collect(),
                ..crate::agent::catalog::test_feature(code)
            })
            .collect()
    }

    #[test]
    fn activation_order_puts_prerequisites_first() {
        let f = catalog(&[("A", &["B", "C"]), ("B", &["D"]), ("C", &["D"]), ("D", &[])]);
        let d = Dependencies::build(&f).unwrap();
        assert_eq!(d.activation_order(0), vec![3, 1, 2]);
        assert_eq!(d.activation_order(3), Vec::<usize>::new());
        assert_eq!(d.peers(3), vec![1, 2]);
    }

    #[test]
    fn a_cycle_is_named() {
        let f = catalog(&[("A", &["B"]), ("B", &["C"]), ("C", &["A"]), ("D", &[])]);
        let e = Dependencies::build(&f).unwrap_err();
        assert_eq!(e.code(), "DEPENDENCY_CYCLE");
        assert_eq!(e.to_string(), "dependency cycle: A -> B -> C -> A (each requires the next)");
        let e = Dependencies::build(&catalog(&[("A", &["A"])])).unwrap_err();
        assert_eq!(e.to_string(), "dependency cycle: A -> A (each requires the next)");
    }
}
