//! The state of an entry's marking, per sub-criterion: what is marked, what is missing, which
//! judgement aspects are out of spread. The lock rule and the progress dashboard both use it.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::ids::AspectKey;
use super::registration::JudgementMode;
use super::scheme::{spread, AspectType, SubCriterion};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SubStatus {
    pub sub_criterion: String,
    pub aspects: usize,
    /// Aspects with every mark they need.
    pub marked: usize,
    /// Aspect keys (`A1.2`) still missing a mark or a judge's score.
    pub missing: Vec<AspectKey>,
    /// Judgement aspects whose scores are further apart than the skill allows.
    pub out_of_spread: Vec<AspectKey>,
    pub locked: bool,
}

impl SubStatus {
    /// Complete and within spread: the chief expert may lock it.
    pub fn lockable(&self) -> bool {
        self.missing.is_empty() && self.out_of_spread.is_empty()
    }
}

/// `values` holds, per aspect key, the values entered (one per judge for judgement aspects).
pub fn sub_status(
    sub: &SubCriterion,
    mode: JudgementMode,
    max_spread: u8,
    values: &HashMap<AspectKey, Vec<i32>>,
    locked: bool,
) -> SubStatus {
    let mut missing = Vec::new();
    let mut out_of_spread = Vec::new();
    for (i, aspect) in sub.aspects.iter().enumerate() {
        let key = AspectKey::new(&sub.id, i + 1);
        let entered = values.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        match aspect.kind {
            AspectType::Judgement { .. } => {
                if entered.len() < usize::from(mode.judges()) {
                    missing.push(key);
                } else {
                    let scores: Vec<u8> = entered.iter().map(|v| (*v).clamp(0, 3) as u8).collect();
                    if spread(mode, &scores).map_or(true, |s| s > max_spread) {
                        out_of_spread.push(key);
                    }
                }
            }
            AspectType::Measurement { .. } if entered.is_empty() => missing.push(key),
            AspectType::Measurement { .. } => {}
        }
    }
    SubStatus {
        sub_criterion: sub.id.clone(),
        aspects: sub.aspects.len(),
        marked: sub.aspects.len() - missing.len(),
        missing,
        out_of_spread,
        locked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scheme::{Aspect, Measurement};

    fn sub() -> SubCriterion {
        let aspect = |kind| Aspect {
            description: "x".into(),
            extra_description: String::new(),
            requirement: String::new(),
            max: 100,
            day: 1,
            wsos_section: None,
            kind,
        };
        SubCriterion {
            id: "A1".into(),
            name: "Layout".into(),
            aspects: vec![
                aspect(AspectType::Measurement { measurement: Measurement::PassFail }),
                aspect(AspectType::Judgement { descriptors: vec!["0".into(), "1".into(), "2".into(), "3".into()] }),
            ],
        }
    }

    fn values(pairs: &[(&str, &[i32])]) -> HashMap<AspectKey, Vec<i32>> {
        pairs.iter().map(|(k, v)| (k.parse().unwrap(), v.to_vec())).collect()
    }

    fn keys(keys: &[&str]) -> Vec<AspectKey> {
        keys.iter().map(|k| k.parse().unwrap()).collect()
    }

    #[test]
    fn a_sub_criterion_is_lockable_when_complete_and_within_spread() {
        let s = sub_status(&sub(), JudgementMode::ThreeJudges, 1, &values(&[]), false);
        assert_eq!((s.marked, s.missing.clone()), (0, keys(&["A1.1", "A1.2"])));
        let s =
            sub_status(&sub(), JudgementMode::ThreeJudges, 1, &values(&[("A1.1", &[100]), ("A1.2", &[1, 2])]), false);
        assert_eq!(s.missing, keys(&["A1.2"]), "two of three judges is not complete");
        let s = sub_status(
            &sub(),
            JudgementMode::ThreeJudges,
            1,
            &values(&[("A1.1", &[100]), ("A1.2", &[1, 3, 2])]),
            false,
        );
        assert_eq!((s.out_of_spread.clone(), s.lockable()), (keys(&["A1.2"]), false));
        let s = sub_status(
            &sub(),
            JudgementMode::ThreeJudges,
            2,
            &values(&[("A1.1", &[100]), ("A1.2", &[1, 3, 2])]),
            false,
        );
        assert!(s.lockable(), "a wider allowed spread accepts it");
        let s = sub_status(
            &sub(),
            JudgementMode::FiveJudgesDropExtremes,
            1,
            &values(&[("A1.1", &[0]), ("A1.2", &[0, 2, 2, 3, 3])]),
            false,
        );
        assert!(s.lockable(), "five judges: the extremes do not count");
    }
}

/// How one judge scores compared with the others, for the chief expert to discuss before locking.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JudgeStats {
    pub judge_id: String,
    /// Judgement scores counted (aspects all judges have scored).
    pub scores: usize,
    /// Mean of (own score − the group's mean score): above 0 lenient, below 0 severe.
    pub mean_deviation: f64,
    /// Aspects scored outside the allowed spread that this judge took part in.
    pub out_of_spread: usize,
}

/// Per judge, over complete score sets (one per aspect and entry: each judge's id and score),
/// most deviating first.
pub fn judge_analytics(sets: &[Vec<(String, u8)>], mode: JudgementMode, max_spread: u8) -> Vec<JudgeStats> {
    let mut acc: HashMap<&str, (usize, f64, usize)> = HashMap::new();
    for set in sets.iter().filter(|s| s.len() == usize::from(mode.judges())) {
        let mean = set.iter().map(|(_, s)| f64::from(*s)).sum::<f64>() / set.len() as f64;
        let scores: Vec<u8> = set.iter().map(|(_, s)| *s).collect();
        let out = spread(mode, &scores).map_or(true, |s| s > max_spread);
        for (judge, score) in set {
            let e = acc.entry(judge.as_str()).or_insert((0, 0.0, 0));
            e.0 += 1;
            e.1 += f64::from(*score) - mean;
            e.2 += usize::from(out);
        }
    }
    let mut out: Vec<JudgeStats> = acc
        .into_iter()
        .map(|(judge, (n, dev, oos))| JudgeStats {
            judge_id: judge.to_string(),
            scores: n,
            mean_deviation: (dev / n as f64 * 1000.0).round() / 1000.0,
            out_of_spread: oos,
        })
        .collect();
    out.sort_by(|a, b| b.mean_deviation.abs().total_cmp(&a.mean_deviation.abs()).then(a.judge_id.cmp(&b.judge_id)));
    out
}

#[cfg(test)]
mod analytics_tests {
    use super::*;
    use proptest::prelude::*;

    fn set(scores: &[(&str, u8)]) -> Vec<(String, u8)> {
        scores.iter().map(|(j, s)| (j.to_string(), *s)).collect()
    }

    #[test]
    fn a_lenient_judge_stands_out() {
        let sets = vec![
            set(&[("a", 2), ("b", 2), ("c", 3)]),
            set(&[("a", 1), ("b", 1), ("c", 2)]),
            set(&[("a", 0), ("b", 1), ("c", 3)]),
        ];
        let stats = judge_analytics(&sets, JudgementMode::ThreeJudges, 1);
        assert_eq!(stats[0].judge_id, "c");
        assert!(stats[0].mean_deviation > 0.5);
        assert_eq!(stats[0].out_of_spread, 1);
        let a = stats.iter().find(|s| s.judge_id == "a").unwrap();
        assert!(a.mean_deviation < 0.0, "a is severe");
        // Incomplete sets do not count.
        let partial = judge_analytics(&[set(&[("a", 3), ("b", 0)])], JudgementMode::ThreeJudges, 1);
        assert!(partial.is_empty());
    }

    proptest! {
        #[test]
        fn deviations_balance_out(sets in proptest::collection::vec(proptest::collection::vec(0u8..=3, 3), 1..30)) {
            let judges = ["a", "b", "c"];
            let sets: Vec<Vec<(String, u8)>> = sets.iter().map(|s| s.iter().zip(judges).map(|(sc, j)| (j.to_string(), *sc)).collect()).collect();
            let stats = judge_analytics(&sets, JudgementMode::ThreeJudges, 1);
            // Every judge scored every set, so the deviations sum to zero.
            let total: f64 = stats.iter().map(|s| s.mean_deviation).sum();
            prop_assert!(total.abs() < 0.01, "{total}");
            prop_assert!(stats.iter().all(|s| s.scores == sets.len()));
        }
    }
}
