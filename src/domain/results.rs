//! Results (成绩): the WorldSkills scale, rankings with ties, awards, best of delegation, the
//! Albert Vidal award and delegation tables. Pure functions over exact raw scores.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ids::AspectKey;
use super::scheme::{Exact, MarkInputKind};

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

/// Competition ranks by standardised score, in input order, with tie groups: a group starts at
/// the best entry not yet ranked and takes every entry within `tolerance` points of that best
/// entry (not of the group's last one: ties do not chain); the next group starts below it. Every
/// entry of a group shares its rank, and the next rank skips the group's size (1, 1, 3).
/// 751, 748, 745 with tolerance 4: {751, 748} rank 1, 745 rank 3.
pub fn rank<T>(scores: &[T], tolerance: T) -> Vec<usize>
where
    T: Copy + Ord + From<i8> + std::ops::Sub<Output = T>,
{
    let tolerance = tolerance.max(T::from(0));
    let mut best_first: Vec<usize> = (0..scores.len()).collect();
    best_first.sort_by_key(|i| std::cmp::Reverse(scores[*i]));
    let mut ranks = vec![0; scores.len()];
    let mut start = 0;
    while start < best_first.len() {
        let best = scores[best_first[start]];
        let mut end = start;
        while end < best_first.len() && best - scores[best_first[end]] <= tolerance {
            ranks[best_first[end]] = start + 1;
            end += 1;
        }
        start = end;
    }
    ranks
}

text_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Award {
        Gold,
        Silver,
        Bronze,
        /// Medallion for Excellence: at least 700 without a medal.
        MedallionForExcellence,
        /// 优胜奖 (Chinese national mode): outside the medals but in the top half of the skill.
        ExcellenceAward,
    }
}

impl Award {
    /// Medal points for delegation tables: gold 4, silver 3, bronze 2, and 1 for the honour below
    /// the medals (the Medallion for Excellence, or 优胜奖 in national mode, which takes its place).
    pub fn points(self) -> u32 {
        match self {
            Award::Gold => 4,
            Award::Silver => 3,
            Award::Bronze => 2,
            Award::MedallionForExcellence | Award::ExcellenceAward => 1,
        }
    }
}

text_enum! {
    /// Which honour an event gives below the medals (chosen per event in its result rules).
    #[derive(Default)]
    pub enum AwardMode {
        /// WorldSkills: the Medallion for Excellence for every entry without a medal scoring at least
        /// the medallion threshold (700).
        #[default]
        Worldskills,
        /// Chinese national mode: 优胜奖 for every entry without a medal ranked in the top half of
        /// the skill's participants (rank × 2 ≤ entries); no medallion.
        National,
    }
}

/// Award options of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "StoredAwardRules")]
pub struct AwardRules {
    /// The least score for a Medallion for Excellence (WorldSkills mode only).
    pub medallion_threshold: i32,
    pub mode: AwardMode,
}

impl Default for AwardRules {
    fn default() -> Self {
        Self { medallion_threshold: 700, mode: AwardMode::Worldskills }
    }
}

/// Award rules as stored or sent: rule documents saved before the mode had a name carry the
/// boolean `excellence_award` (true: national mode), and still read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredAwardRules {
    #[serde(default = "default_threshold")]
    medallion_threshold: i32,
    mode: Option<AwardMode>,
    excellence_award: Option<bool>,
}

fn default_threshold() -> i32 {
    AwardRules::default().medallion_threshold
}

impl TryFrom<StoredAwardRules> for AwardRules {
    type Error = &'static str;

    fn try_from(s: StoredAwardRules) -> Result<Self, Self::Error> {
        let legacy =
            s.excellence_award.map(|national| if national { AwardMode::National } else { AwardMode::Worldskills });
        let mode = match (s.mode, legacy) {
            (Some(m), Some(l)) if m != l => return Err("excellence_award contradicts mode: send mode only"),
            (m, l) => m.or(l).unwrap_or_default(),
        };
        Ok(Self { medallion_threshold: s.medallion_threshold, mode })
    }
}

/// The award of each entry of a skill, from its rank and score. Medals follow ranks: gold,
/// silver and bronze for ranks 1, 2 and 3, so a shared rank takes the medals below it (two golds:
/// no silver, then bronze). Below the medals the mode decides: the Medallion for Excellence at
/// the threshold, or 优胜奖 for a rank in the top half of the skill's entries (see [`AwardMode`];
/// `scores.len()` is the number of participants, a team counting once).
pub fn awards(scores: &[i32], ranks: &[usize], rules: AwardRules) -> Vec<Option<Award>> {
    let n = scores.len();
    scores
        .iter()
        .zip(ranks)
        .map(|(score, rank)| match (rank, rules.mode) {
            (1, _) => Some(Award::Gold),
            (2, _) => Some(Award::Silver),
            (3, _) => Some(Award::Bronze),
            (_, AwardMode::Worldskills) => {
                (*score >= rules.medallion_threshold).then_some(Award::MedallionForExcellence)
            }
            (r, AwardMode::National) => in_top_half(*r, n).then_some(Award::ExcellenceAward),
        })
        .collect()
}

/// Whether rank `rank` of `participants` is in the top half: rank ≤ participants / 2 exactly, so
/// with an odd count the middle rank is out (7 participants: ranks 1–3; "前50%" never rounds up
/// to more than half the field). Tied entries share their group's best rank, so a tie straddling
/// the half is in as a whole (8 participants, 4th and 5th tied: both rank 4, both in).
pub fn in_top_half(rank: usize, participants: usize) -> bool {
    rank * 2 <= participants
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
    /// Medal points: gold 4, silver 3, bronze 2, medallion (or 优胜奖 in national mode) 1.
    pub points: u32,
    pub entries: u32,
    pub total_score: i64,
    pub average_score: f64,
}

impl DelegationLine {
    /// Honours below the medals: Medallions for Excellence, or 优胜奖 in national mode (an event
    /// has one mode, so one of the two is always 0).
    pub fn honours(&self) -> u32 {
        self.medallions + self.excellence_awards
    }
}

/// Gold, then silver, then bronze, then medallions (优胜奖 in national mode), most first.
fn by_medals(a: &DelegationLine, b: &DelegationLine) -> std::cmp::Ordering {
    b.gold.cmp(&a.gold).then(b.silver.cmp(&a.silver)).then(b.bronze.cmp(&a.bronze)).then(b.honours().cmp(&a.honours()))
}

/// Delegation table sorted by medal points, then as the medal table, then by code.
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
    out.sort_by(|a, b| b.points.cmp(&a.points).then(by_medals(a, b)).then(a.delegation.cmp(&b.delegation)));
    out
}

/// The gold-first medal table: golds, then silvers, then bronzes, then medallions (优胜奖 in
/// national mode), then by code.
pub fn medal_table(all: &[Placed]) -> Vec<DelegationLine> {
    let mut t = delegation_table(all);
    t.sort_by(|a, b| by_medals(a, b).then(a.delegation.cmp(&b.delegation)));
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

/// What was entered for one aspect: (input kind, value) per mark.
pub type Entered = HashMap<AspectKey, Vec<(MarkInputKind, i32)>>;

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
                let key = AspectKey::new(&sub.id, i + 1);
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
    values: &[(MarkInputKind, i32)],
) -> Exact {
    use super::scheme::{judgement_mark, AspectType};
    match &aspect.kind {
        AspectType::Judgement { .. } => {
            let scores: Vec<u8> = values.iter().map(|(_, v)| (*v).clamp(0, 3) as u8).collect();
            judgement_mark(mode, aspect.max, &scores).unwrap_or_default()
        }
        AspectType::Measurement { measurement } => values
            .first()
            .and_then(|(kind, v)| measurement.mark(aspect.max, kind.measurement(*v)?).ok())
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
    }

    #[test]
    fn a_tie_group_takes_what_is_within_the_tolerance_of_its_best_entry() {
        // 751–748 and 748–745 are within 4, 751–745 is not: ties do not chain.
        let scores = [745, 751, 748];
        let ranks = rank(&scores, 4);
        assert_eq!(ranks, [3, 1, 1]);
        assert_eq!(
            awards(&scores, &ranks, AwardRules::default()),
            [Some(Award::Bronze), Some(Award::Gold), Some(Award::Gold)],
            "two golds: no silver, then bronze"
        );
        // The next group starts at 745 and takes 741 (within 4 of 745), not 740.
        assert_eq!(rank(&[751, 748, 745, 741, 740], 4), [1, 1, 3, 3, 5]);
        assert_eq!(rank(&[700, 700, 699], 0), [1, 1, 3]);
        assert_eq!(rank(&[], 3), Vec::<usize>::new());
    }

    #[test]
    fn national_mode_gives_the_top_half_outside_the_medals_excellence_awards_instead_of_medallions() {
        let national = AwardRules { mode: AwardMode::National, ..Default::default() };
        let cn = |scores: &[i32]| awards(scores, &rank(scores, 0), national);
        use Award::{Bronze, ExcellenceAward as Yx, Gold, Silver};
        // 8 participants: top half is ranks 1–4; 760 and 750 are above 700 but no medallion.
        assert_eq!(
            cn(&[800, 790, 780, 770, 760, 750, 600, 500]),
            [Some(Gold), Some(Silver), Some(Bronze), Some(Yx), None, None, None, None]
        );
        // 7 participants: the half is 3.5, rank 4 is out (the medals take the whole top half).
        assert_eq!(cn(&[800, 790, 780, 770, 760, 750, 740]).iter().filter(|a| **a == Some(Yx)).count(), 0);
        // 9 participants: ranks 4 only (4 × 2 ≤ 9, 5 × 2 > 9).
        assert_eq!(cn(&[900, 890, 880, 870, 860, 850, 840, 830, 820])[3..5], [Some(Yx), None]);
        // A tie straddling the half: the 4th and 5th of 8 share rank 4, both in the top half.
        assert_eq!(cn(&[800, 790, 780, 770, 770, 650, 640, 630])[3..6], [Some(Yx), Some(Yx), None]);
        // A shared bronze pushes the next rank to 5: out of the top half of 8.
        assert_eq!(cn(&[800, 790, 780, 780, 770, 650, 640, 630])[4], None);
        // WorldSkills mode, same field: the medallion at ≥ 700, never 优胜奖.
        let ws = awards(&[800, 790, 780, 770, 760, 750, 600, 500], &[1, 2, 3, 4, 5, 6, 7, 8], AwardRules::default());
        assert_eq!(
            ws[3..7],
            [
                Some(Award::MedallionForExcellence),
                Some(Award::MedallionForExcellence),
                Some(Award::MedallionForExcellence),
                None
            ]
        );
    }

    #[test]
    fn award_rules_saved_with_the_old_flag_still_read() {
        let old: AwardRules =
            serde_json::from_str(r#"{"medallion_threshold": 700, "excellence_award": true}"#).unwrap();
        assert_eq!(old, AwardRules { medallion_threshold: 700, mode: AwardMode::National });
        let old: AwardRules =
            serde_json::from_str(r#"{"medallion_threshold": 650, "excellence_award": false}"#).unwrap();
        assert_eq!(old, AwardRules { medallion_threshold: 650, mode: AwardMode::Worldskills });
        let new: AwardRules = serde_json::from_str(r#"{"medallion_threshold": 700, "mode": "national"}"#).unwrap();
        assert_eq!(new.mode, AwardMode::National);
        assert_eq!(
            serde_json::to_value(new).unwrap(),
            serde_json::json!({"medallion_threshold": 700, "mode": "national"})
        );
        assert!(serde_json::from_str::<AwardRules>(r#"{"mode": "national", "excellence_award": false}"#).is_err());
        assert!(serde_json::from_str::<AwardRules>(r#"{"mode": "regional"}"#).is_err());
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
        let national: Vec<Placed> = all
            .iter()
            .map(|p| Placed {
                award: p.award.map(|a| if a == Award::MedallionForExcellence { Award::ExcellenceAward } else { a }),
                ..p.clone()
            })
            .collect();
        let table = delegation_table(&national);
        assert_eq!((table[0].points, table[0].excellence_awards, table[0].medallions), (133, 17, 0), "优胜奖: 1 point");
        assert_eq!(albert_vidal(&all).iter().map(|p| p.delegation.as_str()).collect::<Vec<_>>(), ["RUS"]);
        assert_eq!(best_of_delegation(&all)["CHN"][0].score, 716);
        assert!(in_training_squad(10, false, 10, 5) && !in_training_squad(6, true, 10, 5));
    }

    #[test]
    fn the_medal_table_orders_by_gold_silver_bronze_then_medallions() {
        let p = |d: &str, award| Placed {
            entry_id: format!("{d}{award:?}"),
            delegation: d.into(),
            skill: "01".into(),
            score: 700,
            award,
        };
        let all = [
            p("AVIC", None),
            p("CNPC", None),
            p("COMAC", Some(Award::MedallionForExcellence)),
            p("BJ", Some(Award::Gold)),
            p("BJ", Some(Award::Silver)),
            p("BJ", Some(Award::Silver)),
            p("SH", Some(Award::Gold)),
            p("SH", Some(Award::Silver)),
            p("SH", Some(Award::Silver)),
            p("SH", Some(Award::ExcellenceAward)),
            p("SH", Some(Award::ExcellenceAward)),
        ];
        let order = |t: Vec<DelegationLine>| t.into_iter().map(|l| l.delegation).collect::<Vec<_>>();
        assert_eq!(order(medal_table(&all)), ["SH", "BJ", "COMAC", "AVIC", "CNPC"]);
        assert_eq!(order(delegation_table(&all)), ["SH", "BJ", "COMAC", "AVIC", "CNPC"]);
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
            (
                AspectKey::new("A1", 1),
                vec![(MarkInputKind::Score, 2), (MarkInputKind::Score, 2), (MarkInputKind::Score, 3)],
            ),
            (AspectKey::new("A1", 2), vec![(MarkInputKind::Deductions, 3)]),
            (AspectKey::new("B1", 1), vec![(MarkInputKind::Amount, 4000)]),
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
            let a = awards(&ws, &ranks, AwardRules { mode: AwardMode::National, ..Default::default() });
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

    /// The rules of `shared/domain.md` ("Results") written again from their words, as plainly as
    /// possible and without calling the code above, to compare it with.
    mod in_their_words {
        /// "A tie group starts at its best entry and takes every entry within the tolerance of
        /// that best entry; the next group starts below it. Ranks skip after a shared rank."
        pub fn ranks(scores: &[i32], tolerance: i32) -> Vec<usize> {
            let mut rank = vec![0; scores.len()];
            let mut unranked: Vec<usize> = (0..scores.len()).collect();
            let mut ranked_so_far = 0;
            while let Some(best) = unranked.iter().map(|i| scores[*i]).max() {
                let (group, rest): (Vec<usize>, Vec<usize>) =
                    unranked.iter().partition(|i| best - scores[**i] <= tolerance);
                for i in &group {
                    rank[*i] = ranked_so_far + 1;
                }
                ranked_so_far += group.len();
                unranked = rest;
            }
            rank
        }

        /// "Gold, silver, bronze for ranks 1, 2, 3. Medallion for Excellence: ≥ 700 without a
        /// medal." National mode: "优胜奖 instead of the medallion, for every entry outside the
        /// top 3 ranked in the top half of the skill's participants".
        pub fn award(rank: usize, score: i32, participants: usize, national: bool, threshold: i32) -> &'static str {
            let medal = ["gold", "silver", "bronze"].get(rank - 1).copied();
            match medal {
                Some(m) => m,
                None if national && (rank as f64) <= participants as f64 / 2.0 => "优胜奖",
                None if !national && score >= threshold => "medallion",
                None => "",
            }
        }

        /// "Medal points gold 4, silver 3, bronze 2, medallion 1" (优胜奖 in its place).
        pub fn points(award: &str) -> u32 {
            match award {
                "gold" => 4,
                "silver" => 3,
                "bronze" => 2,
                "medallion" | "优胜奖" => 1,
                _ => 0,
            }
        }

        /// "Medal table order: gold, then silver, then bronze, then medallions (优胜奖 in
        /// national mode)"; equal lines by code.
        pub fn medal_table(awards: &[(String, &str)]) -> Vec<(String, [u32; 4])> {
            let mut count: std::collections::BTreeMap<String, [u32; 4]> = Default::default();
            for (delegation, award) in awards {
                let line = count.entry(delegation.clone()).or_default();
                match *award {
                    "gold" => line[0] += 1,
                    "silver" => line[1] += 1,
                    "bronze" => line[2] += 1,
                    "medallion" | "优胜奖" => line[3] += 1,
                    _ => {}
                }
            }
            let mut table: Vec<(String, [u32; 4])> = count.into_iter().collect();
            table.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
            table
        }
    }

    fn label(a: Option<Award>) -> &'static str {
        match a {
            Some(Award::Gold) => "gold",
            Some(Award::Silver) => "silver",
            Some(Award::Bronze) => "bronze",
            Some(Award::MedallionForExcellence) => "medallion",
            Some(Award::ExcellenceAward) => "优胜奖",
            None => "",
        }
    }

    /// A skill: (delegation index, standardised score) per entry. Scores in a narrow band around
    /// 700 so that ties, tolerances and the medallion threshold all come into play.
    fn skill() -> impl Strategy<Value = Vec<(usize, i32)>> {
        proptest::collection::vec((0usize..8, 640i32..=760), 1..40)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn ranks_awards_and_tables_agree_with_the_rules_in_their_words(
            skills in proptest::collection::vec(skill(), 1..6),
            tolerance in 0i32..=12,
            national in any::<bool>(),
            threshold in 690i32..=710,
        ) {
            let mode = if national { AwardMode::National } else { AwardMode::Worldskills };
            let rules = AwardRules { medallion_threshold: threshold, mode };
            let mut placed = Vec::new();
            let mut expected = Vec::new();
            for (k, entries) in skills.iter().enumerate() {
                let scores: Vec<i32> = entries.iter().map(|(_, s)| *s).collect();
                let ranks = rank(&scores, tolerance);
                let want = in_their_words::ranks(&scores, tolerance);
                prop_assert_eq!(&ranks, &want, "ranks of {:?} with tolerance {}", scores, tolerance);
                let got = awards(&scores, &ranks, rules);
                for (i, (d, score)) in entries.iter().enumerate() {
                    let delegation = format!("D{d}");
                    let award = in_their_words::award(want[i], *score, scores.len(), national, threshold);
                    prop_assert_eq!(label(got[i]), award, "entry {} of {:?}, rank {}", i, scores, want[i]);
                    placed.push(Placed { entry_id: format!("{k}-{i}"), delegation: delegation.clone(), skill: k.to_string(), score: *score, award: got[i] });
                    expected.push((delegation, award));
                }
            }
            let table: Vec<(String, [u32; 4])> = medal_table(&placed)
                .into_iter()
                .map(|l| (l.delegation.clone(), [l.gold, l.silver, l.bronze, l.honours()]))
                .collect();
            prop_assert_eq!(table, in_their_words::medal_table(&expected));
            let by_points = delegation_table(&placed);
            for line in &by_points {
                let want: u32 = expected.iter().filter(|(d, _)| *d == line.delegation).map(|(_, a)| in_their_words::points(a)).sum();
                prop_assert_eq!(line.points, want, "points of {}", line.delegation);
            }
            prop_assert!(by_points.windows(2).all(|w| w[0].points >= w[1].points), "the delegation table is by points");
        }
    }
}
