//! The state of an entry's marking, per sub-criterion: what is marked, what is missing, which
//! judgement aspects are out of spread. The lock rule and the progress dashboard both use it.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::registration::JudgementMode;
use super::scheme::{spread, AspectType, SubCriterion};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SubStatus {
    pub sub_criterion: String,
    pub aspects: usize,
    /// Aspects with every mark they need.
    pub marked: usize,
    /// Aspect keys (`A1.2`) still missing a mark or a judge's score.
    pub missing: Vec<String>,
    /// Judgement aspects whose scores are further apart than the skill allows.
    pub out_of_spread: Vec<String>,
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
    values: &HashMap<String, Vec<i32>>,
    locked: bool,
) -> SubStatus {
    let mut missing = Vec::new();
    let mut out_of_spread = Vec::new();
    for (i, aspect) in sub.aspects.iter().enumerate() {
        let key = format!("{}.{}", sub.id, i + 1);
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

    fn values(pairs: &[(&str, &[i32])]) -> HashMap<String, Vec<i32>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_vec())).collect()
    }

    #[test]
    fn a_sub_criterion_is_lockable_when_complete_and_within_spread() {
        let s = sub_status(&sub(), JudgementMode::ThreeJudges, 1, &values(&[]), false);
        assert_eq!((s.marked, s.missing.clone()), (0, vec!["A1.1".to_string(), "A1.2".into()]));
        let s =
            sub_status(&sub(), JudgementMode::ThreeJudges, 1, &values(&[("A1.1", &[100]), ("A1.2", &[1, 2])]), false);
        assert_eq!(s.missing, ["A1.2"], "two of three judges is not complete");
        let s = sub_status(
            &sub(),
            JudgementMode::ThreeJudges,
            1,
            &values(&[("A1.1", &[100]), ("A1.2", &[1, 3, 2])]),
            false,
        );
        assert_eq!((s.out_of_spread.clone(), s.lockable()), (vec!["A1.2".to_string()], false));
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
