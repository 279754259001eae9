//! Recomputing a whole event's results: 60 skills, 3,000 entries, 450,000 judge scores (50
//! judgement aspects × 3 judges per entry). Times grouping the mark rows per entry, the exact
//! breakdowns, the scale, ranks, awards and the delegation tables — the pure part of results.
//!
//! Run: `cargo bench --bench results`. Results go in `docs/performance.md`.

use std::time::{Duration, Instant};

use rand::rngs::ChaCha20Rng;
use rand::{RngExt, SeedableRng};
use skillmark::domain::registration::JudgementMode;
use skillmark::domain::results::{
    awards, breakdown, delegation_table, rank, standardise, AwardRules, Entered, Placed, ScaleParams,
};
use skillmark::domain::scheme::{Aspect, AspectType, Criterion, MarkInputKind, Scheme, SubCriterion};

const SKILLS: usize = 60;
const ENTRIES_PER_SKILL: usize = 50;
const DELEGATIONS: usize = 100;

fn scheme() -> Scheme {
    Scheme {
        criteria: ["A", "B", "C", "D", "E"]
            .iter()
            .map(|c| Criterion {
                id: (*c).into(),
                name: (*c).into(),
                sub_criteria: vec![SubCriterion {
                    id: format!("{c}1"),
                    name: (*c).into(),
                    aspects: (0..10)
                        .map(|_| Aspect {
                            description: "a".into(),
                            extra_description: String::new(),
                            requirement: String::new(),
                            max: 200,
                            day: 1,
                            wsos_section: None,
                            kind: AspectType::Judgement {
                                descriptors: vec!["0".into(), "1".into(), "2".into(), "3".into()],
                            },
                        })
                        .collect(),
                }],
            })
            .collect(),
    }
}

/// One locked mark row as the database returns it: (skill, entry, aspect key, input, value).
type Row = (usize, usize, String, MarkInputKind, i32);

fn recompute(scheme: &Scheme, rows: &[Row]) -> usize {
    let mut entered: Vec<Vec<Entered>> =
        (0..SKILLS).map(|_| (0..ENTRIES_PER_SKILL).map(|_| Entered::new()).collect()).collect();
    for (skill, entry, key, input, value) in rows {
        entered[*skill][*entry].entry(key.parse().unwrap()).or_default().push((*input, *value));
    }
    let mut placed = Vec::with_capacity(SKILLS * ENTRIES_PER_SKILL);
    for (s, entries) in entered.iter().enumerate() {
        let raw: Vec<_> = entries.iter().map(|e| breakdown(scheme, JudgementMode::ThreeJudges, e).total).collect();
        let scores = standardise(&raw, ScaleParams::default());
        let ranks = rank(&scores, 0);
        let a = awards(&scores, &ranks, AwardRules::default());
        for i in 0..entries.len() {
            placed.push(Placed {
                entry_id: format!("{s}-{i}"),
                delegation: format!("D{}", (s * 7 + i) % DELEGATIONS),
                skill: s.to_string(),
                score: scores[i],
                award: a[i],
            });
        }
    }
    delegation_table(&placed).len()
}

fn main() {
    let scheme = scheme();
    let mut rng = ChaCha20Rng::seed_from_u64(2019);
    let mut rows: Vec<Row> = Vec::new();
    for s in 0..SKILLS {
        for e in 0..ENTRIES_PER_SKILL {
            let level = rng.random_range(0..=3);
            for sub in ["A1", "B1", "C1", "D1", "E1"] {
                for a in 1..=10 {
                    for _ in 0..3 {
                        rows.push((
                            s,
                            e,
                            format!("{sub}.{a}"),
                            MarkInputKind::Score,
                            (level - rng.random_range(0..=1)).max(0),
                        ));
                    }
                }
            }
        }
    }
    let mut times: Vec<Duration> = Vec::new();
    let mut lines = 0;
    for _ in 0..15 {
        let t = Instant::now();
        lines = recompute(&scheme, &rows);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "recompute {} skills, {} entries, {} judge scores ({} delegation lines): min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs",
        SKILLS,
        SKILLS * ENTRIES_PER_SKILL,
        rows.len(),
        lines,
        times[0].as_secs_f64() * 1000.0,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
        times.len()
    );
}
