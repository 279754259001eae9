//! Results (成绩): the WorldSkills scale, rankings with ties, awards, best of delegation, the
//! Albert Vidal award and delegation tables. Pure functions over exact raw scores.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::scheme::Exact;

/// How raw scores map onto the scale (configurable per event; WorldSkills' defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScaleParams {
    /// The median entry's standardised score.
    pub centre: f64,
    /// Scale points per unit of spread.
    pub points: f64,
    /// Multiplier turning the median absolute deviation into a standard-deviation estimate.
    pub mad_factor: f64,
}

impl Default for ScaleParams {
    fn default() -> Self {
        Self { centre: 700.0, points: 30.0, mad_factor: 1.4826 }
    }
}

/// Median of a sorted slice of exact amounts, in the same units (as f64: a half unit is possible).
fn median(sorted: &[i64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0
    }
}

/// Standardised scores of one skill's entries, in input order:
/// `round(centre + points × (raw − median) / (mad_factor × MAD))`, clamped to 0…1000; every
/// entry gets the centre when MAD is 0.
pub fn standardise(raw: &[Exact], p: ScaleParams) -> Vec<i32> {
    if raw.is_empty() {
        return Vec::new();
    }
    let mut sorted: Vec<i64> = raw.iter().map(|r| r.0).collect();
    sorted.sort_unstable();
    let med = median(&sorted);
    let mut deviations: Vec<f64> = sorted.iter().map(|r| (*r as f64 - med).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    let n = deviations.len();
    let mad = if n % 2 == 1 { deviations[n / 2] } else { (deviations[n / 2 - 1] + deviations[n / 2]) / 2.0 };
    raw.iter()
        .map(|r| {
            if mad == 0.0 {
                return p.centre.round().clamp(0.0, 1000.0) as i32;
            }
            let ws = p.centre + p.points * (r.0 as f64 - med) / (p.mad_factor * mad);
            ws.round().clamp(0.0, 1000.0) as i32
        })
        .collect()
}

/// Competition ranks (1, 1, 3 …) by standardised score, in input order. Scores within `tolerance`
/// points of a higher one do not rank below it.
pub fn rank(scores: &[i32], tolerance: i32) -> Vec<usize> {
    scores.iter().map(|s| 1 + scores.iter().filter(|o| **o > s + tolerance).count()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Award {
    Gold,
    Silver,
    Bronze,
    /// Medallion for Excellence: at least 700 without a medal.
    MedallionForExcellence,
    /// 优胜奖 (Chinese national mode): outside the medals but in the top half of the skill.
    ExcellenceAward,
}

impl Award {
    /// Medal points for delegation tables.
    pub fn points(self) -> u32 {
        match self {
            Award::Gold => 4,
            Award::Silver => 3,
            Award::Bronze => 2,
            Award::MedallionForExcellence => 1,
            Award::ExcellenceAward => 0,
        }
    }
}

/// Award options of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AwardRules {
    pub medallion_threshold: i32,
    /// Chinese national mode: 优胜奖 for the top half outside the medals.
    pub excellence_award: bool,
}

impl Default for AwardRules {
    fn default() -> Self {
        Self { medallion_threshold: 700, excellence_award: false }
    }
}

/// The award of each entry of a skill, from its rank and score.
pub fn awards(scores: &[i32], ranks: &[usize], rules: AwardRules) -> Vec<Option<Award>> {
    let n = scores.len();
    scores
        .iter()
        .zip(ranks)
        .map(|(score, rank)| match rank {
            1 => Some(Award::Gold),
            2 => Some(Award::Silver),
            3 => Some(Award::Bronze),
            _ if *score >= rules.medallion_threshold => Some(Award::MedallionForExcellence),
            r if rules.excellence_award && r * 2 <= n => Some(Award::ExcellenceAward),
            _ => None,
        })
        .collect()
}

/// One entry's final result, as the tables need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub entry_id: String,
    pub delegation: String,
    pub skill: String,
    pub score: i32,
    pub award: Option<Award>,
}

/// The Albert Vidal award: the entries with the highest standardised score of the event.
pub fn albert_vidal(all: &[Placed]) -> Vec<&Placed> {
    let best = all.iter().map(|p| p.score).max();
    all.iter().filter(|p| Some(p.score) == best).collect()
}

/// Best of delegation (best of nation): each delegation's highest-scoring entries (ties shared).
pub fn best_of_delegation(all: &[Placed]) -> HashMap<&str, Vec<&Placed>> {
    let mut best: HashMap<&str, Vec<&Placed>> = HashMap::new();
    for p in all {
        let slot = best.entry(p.delegation.as_str()).or_default();
        match slot.first().map(|b| b.score) {
            Some(s) if s > p.score => {}
            Some(s) if s == p.score => slot.push(p),
            _ => *slot = vec![p],
        }
    }
    best
}

/// A delegation's line in the medal tables.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct DelegationLine {
    pub delegation: String,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub medallions: u32,
    pub excellence_awards: u32,
    /// Medal points: gold 4, silver 3, bronze 2, medallion 1.
    pub points: u32,
    pub entries: u32,
    pub total_score: i64,
    pub average_score: f64,
}

/// Delegation table sorted by medal points (then golds, silvers, bronzes, code).
pub fn delegation_table(all: &[Placed]) -> Vec<DelegationLine> {
    let mut lines: HashMap<&str, DelegationLine> = HashMap::new();
    for p in all {
        let l = lines
            .entry(p.delegation.as_str())
            .or_insert_with(|| DelegationLine { delegation: p.delegation.clone(), ..Default::default() });
        l.entries += 1;
        l.total_score += i64::from(p.score);
        match p.award {
            Some(Award::Gold) => l.gold += 1,
            Some(Award::Silver) => l.silver += 1,
            Some(Award::Bronze) => l.bronze += 1,
            Some(Award::MedallionForExcellence) => l.medallions += 1,
            Some(Award::ExcellenceAward) => l.excellence_awards += 1,
            None => {}
        }
        l.points += p.award.map_or(0, Award::points);
    }
    let mut out: Vec<DelegationLine> = lines
        .into_values()
        .map(|mut l| {
            l.average_score = (l.total_score as f64 / f64::from(l.entries.max(1)) * 100.0).round() / 100.0;
            l
        })
        .collect();
    out.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.gold.cmp(&a.gold))
            .then(b.silver.cmp(&a.silver))
            .then(b.bronze.cmp(&a.bronze))
            .then(a.delegation.cmp(&b.delegation))
    });
    out
}

/// The gold-first medal table (golds, then silvers, then bronzes).
pub fn medal_table(all: &[Placed]) -> Vec<DelegationLine> {
    let mut t = delegation_table(all);
    t.sort_by(|a, b| {
        b.gold
            .cmp(&a.gold)
            .then(b.silver.cmp(&a.silver))
            .then(b.bronze.cmp(&a.bronze))
            .then(a.delegation.cmp(&b.delegation))
    });
    t
}

/// Whether an entry of rank `rank` goes forward to the training squad: the top 10 individuals
/// or top 5 teams of a skill by default.
pub fn in_training_squad(rank: usize, team_skill: bool, individuals: usize, teams: usize) -> bool {
    rank <= if team_skill { teams } else { individuals }
}

/// An entry's raw score and its breakdown by criterion and sub-criterion (exact).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Breakdown {
    pub total: Exact,
    pub criteria: Vec<(String, Exact)>,
    pub sub_criteria: Vec<(String, Exact)>,
}

/// What was entered for one aspect: (input kind `amount`/`deductions`/`score`, value) per mark.
pub type Entered = HashMap<String, Vec<(String, i32)>>;

/// Sums an entry's marks over the scheme. Aspects without a complete set of marks count 0 (the
/// caller passes locked marks only, which are complete by the lock rule).
pub fn breakdown(
    scheme: &super::scheme::Scheme,
    mode: super::registration::JudgementMode,
    entered: &Entered,
) -> Breakdown {
    let mut out = Breakdown::default();
    for c in &scheme.criteria {
        let mut criterion = Exact(0);
        for sub in &c.sub_criteria {
            let mut subtotal = Exact(0);
            for (i, a) in sub.aspects.iter().enumerate() {
                let key = format!("{}.{}", sub.id, i + 1);
                let values = entered.get(&key).map(Vec::as_slice).unwrap_or(&[]);
                let mark = aspect_mark(a, mode, values);
                subtotal = subtotal + mark;
            }
            out.sub_criteria.push((sub.id.clone(), subtotal));
            criterion = criterion + subtotal;
        }
        out.criteria.push((c.id.clone(), criterion));
        out.total = out.total + criterion;
    }
    out
}

/// One aspect's mark from what was entered for it: the judgement rule over the judges' scores,
/// or the measurement's rule over its one value; 0 when incomplete or invalid.
pub fn aspect_mark(
    aspect: &super::scheme::Aspect,
    mode: super::registration::JudgementMode,
    values: &[(String, i32)],
) -> Exact {
    use super::scheme::{judgement_mark, AspectType, MeasurementInput};
    match &aspect.kind {
        AspectType::Judgement { .. } => {
            let scores: Vec<u8> = values.iter().map(|(_, v)| (*v).clamp(0, 3) as u8).collect();
            judgement_mark(mode, aspect.max, &scores).unwrap_or_default()
        }
        AspectType::Measurement { measurement } => values
            .first()
            .and_then(|(kind, v)| {
                let input = if kind == "deductions" {
                    MeasurementInput::Deductions((*v).max(0) as u32)
                } else {
                    MeasurementInput::Amount(*v)
                };
                measurement.mark(aspect.max, input).ok()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exact(marks: &[f64]) -> Vec<Exact> {
        marks.iter().map(|m| Exact::from_hundredths((m * 100.0).round() as i32)).collect()
    }

    #[test]
    fn the_median_entry_gets_700_and_the_spread_sets_the_rest() {
        let raw = exact(&[60.0, 70.0, 80.0, 65.0, 75.0]);
        let ws = standardise(&raw, ScaleParams::default());
        assert_eq!(ws[1], 700, "70 is the median");
        // MAD = 5: 80 → 700 + 30 × 10 / (1.4826 × 5) = 740.47 → 740.
        assert_eq!(ws[2], 740);
        assert_eq!(ws[0], 660);
        assert_eq!(standardise(&exact(&[50.0, 50.0, 50.0]), ScaleParams::default()), [700, 700, 700], "MAD 0");
        let wide = standardise(&exact(&[0.0, 50.0, 50.0, 50.5, 100.0]), ScaleParams::default());
        assert!(wide.iter().all(|w| (0..=1000).contains(w)), "{wide:?}");
        assert_eq!(wide[0], 0, "clamped");
    }

    #[test]
    fn ties_share_ranks_and_medals() {
        let scores = [720, 735, 735, 700, 690];
        let ranks = rank(&scores, 0);
        assert_eq!(ranks, [3, 1, 1, 4, 5]);
        let a = awards(&scores, &ranks, AwardRules::default());
        assert_eq!(
            a,
            [Some(Award::Bronze), Some(Award::Gold), Some(Award::Gold), Some(Award::MedallionForExcellence), None],
            "two golds: no silver"
        );
        assert_eq!(rank(&[720, 722, 700], 2), [1, 1, 3], "within the tolerance counts as a tie");
        let cn = awards(
            &[750, 740, 730, 650, 640, 630],
            &rank(&[750, 740, 730, 650, 640, 630], 0),
            AwardRules { excellence_award: true, ..Default::default() },
        );
        assert_eq!(cn[3], None, "rank 4 of 6 is not in the top half");
        let cn = awards(
            &[750, 740, 730, 650, 640, 630, 620, 610],
            &rank(&[750, 740, 730, 650, 640, 630, 620, 610], 0),
            AwardRules { excellence_award: true, ..Default::default() },
        );
        assert_eq!(cn[3], Some(Award::ExcellenceAward));
    }

    #[test]
    fn delegation_tables_count_medal_points() {
        let p = |d: &str, score, award| Placed {
            entry_id: format!("{d}{score}"),
            delegation: d.into(),
            skill: "01".into(),
            score,
            award,
        };
        // China at Kazan 2019: 16 G, 14 S, 5 B, 17 medallions = 133 points.
        let mut all = Vec::new();
        for (n, award) in
            [(16, Award::Gold), (14, Award::Silver), (5, Award::Bronze), (17, Award::MedallionForExcellence)]
        {
            all.extend((0..n).map(|i| p("CHN", 700 + i, Some(award))));
        }
        all.push(p("RUS", 800, Some(Award::Gold)));
        let table = delegation_table(&all);
        assert_eq!((table[0].delegation.as_str(), table[0].points), ("CHN", 133));
        assert_eq!(albert_vidal(&all).iter().map(|p| p.delegation.as_str()).collect::<Vec<_>>(), ["RUS"]);
        assert_eq!(best_of_delegation(&all)["CHN"][0].score, 716);
        assert!(in_training_squad(10, false, 10, 5) && !in_training_squad(6, true, 10, 5));
    }

    #[test]
    fn breakdowns_add_up_exactly() {
        use crate::domain::registration::JudgementMode;
        use crate::domain::scheme::{Aspect, AspectType, Criterion, Measurement, Scheme, SubCriterion};
        let aspect = |max, kind| Aspect {
            description: "x".into(),
            extra_description: String::new(),
            requirement: String::new(),
            max,
            day: 1,
            wsos_section: None,
            kind,
        };
        let j = AspectType::Judgement { descriptors: vec!["0".into(), "1".into(), "2".into(), "3".into()] };
        let scheme = Scheme {
            criteria: vec![
                Criterion {
                    id: "A".into(),
                    name: "A".into(),
                    sub_criteria: vec![SubCriterion {
                        id: "A1".into(),
                        name: "a".into(),
                        aspects: vec![
                            aspect(5000, j.clone()),
                            aspect(1000, AspectType::Measurement { measurement: Measurement::Deduction { step: 25 } }),
                        ],
                    }],
                },
                Criterion {
                    id: "B".into(),
                    name: "B".into(),
                    sub_criteria: vec![SubCriterion {
                        id: "B1".into(),
                        name: "b".into(),
                        aspects: vec![aspect(4000, AspectType::Measurement { measurement: Measurement::PassFail })],
                    }],
                },
            ],
        };
        let entered: Entered = [
            ("A1.1".to_string(), vec![("score".to_string(), 2), ("score".into(), 2), ("score".into(), 3)]),
            ("A1.2".into(), vec![("deductions".into(), 3)]),
            ("B1.1".into(), vec![("amount".into(), 4000)]),
        ]
        .into_iter()
        .collect();
        let b = breakdown(&scheme, JudgementMode::ThreeJudges, &entered);
        // 7/9 × 50.00 = 38.888…, 10.00 − 0.75 = 9.25, 40.00: 88.14 (88.138… rounded once).
        assert_eq!(b.total.display(), "88.14");
        assert_eq!(b.criteria.iter().map(|(_, e)| *e).sum::<Exact>(), b.total);
        assert_eq!(b.sub_criteria[0].1.display(), "48.14");
    }

    proptest! {
        #[test]
        fn a_higher_raw_score_never_gets_a_lower_scale_score_or_worse_award(marks in proptest::collection::vec(0i32..=10_000, 1..40)) {
            let raw: Vec<Exact> = marks.iter().map(|m| Exact::from_hundredths(*m)).collect();
            let ws = standardise(&raw, ScaleParams::default());
            let ranks = rank(&ws, 0);
            let a = awards(&ws, &ranks, AwardRules { excellence_award: true, ..Default::default() });
            for i in 0..raw.len() {
                for j in 0..raw.len() {
                    if raw[i] > raw[j] {
                        prop_assert!(ws[i] >= ws[j]);
                        prop_assert!(ranks[i] <= ranks[j]);
                        // Awards are ordered best first; None is worst.
                        let worse = |x: Option<Award>| x.map_or(10, |a| a as u8);
                        prop_assert!(worse(a[i]) <= worse(a[j]));
                    }
                }
            }
        }

        #[test]
        fn results_do_not_depend_on_input_order(marks in proptest::collection::vec(0i32..=10_000, 1..30), rot in 0usize..30) {
            let raw: Vec<Exact> = marks.iter().map(|m| Exact::from_hundredths(*m)).collect();
            let ws = standardise(&raw, ScaleParams::default());
            let mut rotated = raw.clone();
            let k = rot % raw.len();
            rotated.rotate_left(k);
            let mut ws_rot = standardise(&rotated, ScaleParams::default());
            ws_rot.rotate_right(k);
            prop_assert_eq!(&ws, &ws_rot);
            let ranks = rank(&ws, 0);
            let mut ws2 = ws.clone();
            ws2.rotate_left(k);
            let mut ranks_rot = rank(&ws2, 0);
            ranks_rot.rotate_right(k);
            prop_assert_eq!(ranks, ranks_rot);
        }

        #[test]
        fn the_median_entry_of_an_odd_field_gets_the_centre(marks in proptest::collection::vec(0i32..=10_000, 1..31)) {
            prop_assume!(marks.len() % 2 == 1);
            let raw: Vec<Exact> = marks.iter().map(|m| Exact::from_hundredths(*m)).collect();
            let ws = standardise(&raw, ScaleParams::default());
            let mut sorted = marks.clone();
            sorted.sort_unstable();
            let median = sorted[sorted.len() / 2];
            let i = marks.iter().position(|m| *m == median).unwrap();
            prop_assert_eq!(ws[i], 700);
        }
    }
}
