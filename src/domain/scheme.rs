//! Marking schemes (评分标准) and the arithmetic of marks.
//!
//! Amounts are whole hundredths of a mark. A judgement mark is mean(scores) / 3 × max, which is
//! not a whole number of hundredths (2, 2, 3 of a 1.00 aspect is 0.777…), so marks are summed
//! exactly in [`Exact`] units of 1/900 of a mark (a ninth of a hundredth) — every mark of either
//! judgement mode is a whole number of those — and rounded only for display.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::registration::JudgementMode;

text_enum! {
    /// Whether a scheme may still be edited: a draft is, a frozen scheme (marking may start) is not.
    pub enum SchemeStatus {
        Draft,
        Frozen,
    }
}

/// The whole scheme is worth exactly this many hundredths (100.00 marks).
pub const TOTAL: i32 = 10_000;

/// Parses a mark written as a decimal (`1.5`, `0,25`, `2`) into hundredths; more than two
/// decimals, signs and garbage are refused.
pub fn parse_hundredths(raw: &str) -> Result<i32, String> {
    let s = raw.trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let number_like = digits(whole) || (whole.is_empty() && digits(frac));
    if !number_like {
        return Err(format!("{raw:?} is not a mark like 1.50"));
    }
    if !frac.is_empty() && !digits(frac) {
        return Err(format!("{raw:?} is not a mark like 1.50"));
    }
    if frac.len() > 2 && frac[2..].chars().any(|c| c != '0') {
        return Err(format!("{raw:?} has more than two decimals"));
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| format!("{raw:?} is too large"))? };
    let mut frac2: String = frac.chars().take(2).collect();
    while frac2.len() < 2 {
        frac2.push('0');
    }
    let value = whole * 100 + frac2.parse::<i64>().unwrap_or(0);
    i32::try_from(value).ok().filter(|v| *v <= 1_000_000).ok_or_else(|| format!("{raw:?} is too large"))
}

/// Formats hundredths as a decimal with two places (`150` → `1.50`).
pub fn format_hundredths(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", h.abs() / 100, h.abs() % 100)
}

/// An exact amount of marks in units of 1/900 mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Exact(pub i64);

impl Exact {
    pub const PER_HUNDREDTH: i64 = 9;

    pub fn from_hundredths(h: i32) -> Self {
        Exact(i64::from(h) * Self::PER_HUNDREDTH)
    }

    /// Rounded to hundredths, half away from zero (the only rounding, and only for display).
    pub fn round_hundredths(self) -> i64 {
        let q = self.0.div_euclid(Self::PER_HUNDREDTH);
        let r = self.0.rem_euclid(Self::PER_HUNDREDTH);
        if self.0 >= 0 {
            q + i64::from(r * 2 >= Self::PER_HUNDREDTH)
        } else {
            q + i64::from(r * 2 > Self::PER_HUNDREDTH)
        }
    }

    /// As a decimal mark with two places, e.g. `"77.78"`.
    pub fn display(self) -> String {
        format_hundredths(self.round_hundredths())
    }

    /// As a floating-point mark, for statistics only (never for sums).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / (100.0 * Self::PER_HUNDREDTH as f64)
    }
}

impl Add for Exact {
    type Output = Exact;
    fn add(self, other: Exact) -> Exact {
        Exact(self.0 + other.0)
    }
}

impl Sum for Exact {
    fn sum<I: Iterator<Item = Exact>>(iter: I) -> Exact {
        iter.fold(Exact(0), Add::add)
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// How a measurement aspect is marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measurement {
    /// Full marks or nothing.
    PassFail,
    /// One of the allowed amounts (hundredths), e.g. 0 / 50 / 100 / 150.
    Stepped { allowed: Vec<i32> },
    /// Start at max, subtract `step` hundredths per deduction, never below 0.
    Deduction { step: i32 },
}

/// What an expert enters for a measurement aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasurementInput {
    /// The awarded amount in hundredths (pass/fail and stepped aspects).
    Amount(i32),
    /// How many deductions were found (deduction aspects).
    Deductions(u32),
}

text_enum! {
    /// What a stored mark's value is: a judge's score (0–3), an awarded amount (hundredths) or a
    /// number of deductions.
    pub enum MarkInputKind {
        Score,
        Amount,
        Deductions,
    }
}

impl MarkInputKind {
    /// A measurement's input from a stored value of this kind; `None` for a judge's score.
    pub fn measurement(self, value: i32) -> Option<MeasurementInput> {
        match self {
            MarkInputKind::Amount => Some(MeasurementInput::Amount(value)),
            MarkInputKind::Deductions => Some(MeasurementInput::Deductions(value.max(0) as u32)),
            MarkInputKind::Score => None,
        }
    }
}

impl Measurement {
    /// The mark for an input, or why the input is not allowed by this aspect.
    pub fn mark(&self, max: i32, input: MeasurementInput) -> Result<Exact, String> {
        match (self, input) {
            (Measurement::PassFail, MeasurementInput::Amount(v)) if v == 0 || v == max => Ok(Exact::from_hundredths(v)),
            (Measurement::PassFail, MeasurementInput::Amount(v)) => Err(format!(
                "a pass/fail aspect takes 0.00 or {}, not {}",
                format_hundredths(max.into()),
                format_hundredths(v.into())
            )),
            (Measurement::Stepped { allowed }, MeasurementInput::Amount(v)) if allowed.contains(&v) => {
                Ok(Exact::from_hundredths(v))
            }
            (Measurement::Stepped { allowed }, MeasurementInput::Amount(v)) => Err(format!(
                "{} is not one of the allowed amounts {}",
                format_hundredths(v.into()),
                allowed.iter().map(|a| format_hundredths((*a).into())).collect::<Vec<_>>().join(" / ")
            )),
            (Measurement::Deduction { step }, MeasurementInput::Deductions(n)) => {
                let taken = i64::from(*step) * i64::from(n);
                Ok(Exact::from_hundredths((i64::from(max) - taken).max(0) as i32))
            }
            (Measurement::Deduction { .. }, MeasurementInput::Amount(_)) => {
                Err("a deduction aspect takes a number of deductions".into())
            }
            (_, MeasurementInput::Deductions(_)) => Err("only deduction aspects take a number of deductions".into()),
        }
    }
}

/// The judges' scores for one judgement aspect of one entry, checked for the mode.
pub fn judgement_mark(mode: JudgementMode, max: i32, scores: &[u8]) -> Result<Exact, String> {
    let kept = kept_scores(mode, scores)?;
    let sum: i64 = kept.iter().map(|s| i64::from(*s)).sum();
    // mean(kept) / 3 × max = sum / 3 / 3 × max hundredths = sum × max ninths of a hundredth.
    Ok(Exact(sum * i64::from(max)))
}

/// The scores that count: all three, or the middle three of five.
pub fn kept_scores(mode: JudgementMode, scores: &[u8]) -> Result<Vec<u8>, String> {
    let n = usize::from(mode.judges());
    if scores.len() != n {
        return Err(format!("this skill scores judgement with {n} judges; {} score(s) given", scores.len()));
    }
    if let Some(bad) = scores.iter().find(|s| **s > 3) {
        return Err(format!("judgement scores are 0 to 3, not {bad}"));
    }
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    Ok(match mode {
        JudgementMode::ThreeJudges => sorted,
        JudgementMode::FiveJudgesDropExtremes => sorted[1..4].to_vec(),
    })
}

/// How far apart the counted scores are (highest − lowest).
pub fn spread(mode: JudgementMode, scores: &[u8]) -> Result<u8, String> {
    let kept = kept_scores(mode, scores)?;
    Ok(kept.iter().max().copied().unwrap_or(0) - kept.iter().min().copied().unwrap_or(0))
}

/// An aspect's type: measured once, or judged by several experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AspectType {
    Measurement {
        measurement: Measurement,
    },
    /// The four written descriptors for scores 0, 1, 2 and 3.
    Judgement {
        descriptors: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Aspect {
    pub description: String,
    #[serde(default)]
    pub extra_description: String,
    #[serde(default)]
    pub requirement: String,
    /// Hundredths (e.g. 150 = 1.50 marks).
    pub max: i32,
    /// Day of marking, 1–4 (C1…C4).
    pub day: u8,
    #[serde(default)]
    pub wsos_section: Option<String>,
    #[serde(flatten)]
    pub kind: AspectType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubCriterion {
    /// `A1`, `A2`, … (starts with its criterion's id).
    pub id: String,
    pub name: String,
    pub aspects: Vec<Aspect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    /// `A`, `B`, … (1–2 capital letters).
    pub id: String,
    pub name: String,
    pub sub_criteria: Vec<SubCriterion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub struct Scheme {
    pub criteria: Vec<Criterion>,
}

/// One problem of a scheme, located by a path such as `A/A1/2` (criterion, sub-criterion,
/// aspect number from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SchemeProblem {
    pub path: String,
    pub message: String,
}

fn criterion_id_ok(id: &str) -> bool {
    (1..=2).contains(&id.len()) && id.chars().all(|c| c.is_ascii_uppercase())
}

fn sub_id_ok(criterion: &str, id: &str) -> bool {
    id.strip_prefix(criterion)
        .is_some_and(|n| !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()) && !n.starts_with('0'))
}

impl Scheme {
    /// The scheme's total in hundredths.
    pub fn total(&self) -> i64 {
        self.aspects().map(|(_, _, a)| i64::from(a.max)).sum()
    }

    /// Every aspect with its criterion and sub-criterion.
    pub fn aspects(&self) -> impl Iterator<Item = (&Criterion, &SubCriterion, &Aspect)> {
        self.criteria
            .iter()
            .flat_map(|c| c.sub_criteria.iter().flat_map(move |s| s.aspects.iter().map(move |a| (c, s, a))))
    }

    /// The aspect with key `A1.2` (sub-criterion id, aspect number from 1), with its sub-criterion.
    pub fn aspect(&self, key: &str) -> Option<(&SubCriterion, &Aspect)> {
        let (sub_id, n) = key.split_once('.')?;
        let n: usize = n.parse().ok()?;
        let sub = self.criteria.iter().flat_map(|c| &c.sub_criteria).find(|s| s.id == sub_id)?;
        Some((sub, sub.aspects.get(n.checked_sub(1)?)?))
    }

    pub fn sub_criterion(&self, id: &str) -> Option<&SubCriterion> {
        self.criteria.iter().flat_map(|c| &c.sub_criteria).find(|s| s.id == id)
    }

    /// Every problem that keeps the scheme from being used; empty when it is valid.
    pub fn problems(&self) -> Vec<SchemeProblem> {
        let mut out = Vec::new();
        let mut push = |path: String, message: String| out.push(SchemeProblem { path, message });
        if self.criteria.is_empty() {
            push(String::new(), "the scheme has no criteria".into());
        }
        let mut criterion_ids = std::collections::HashSet::new();
        let mut sub_ids = std::collections::HashSet::new();
        for c in &self.criteria {
            if !criterion_id_ok(&c.id) {
                push(c.id.clone(), format!("criterion id {:?} must be 1–2 capital letters", c.id));
            }
            if !criterion_ids.insert(c.id.clone()) {
                push(c.id.clone(), format!("criterion {} appears twice", c.id));
            }
            if c.name.trim().is_empty() {
                push(c.id.clone(), "the criterion has no name".into());
            }
            if c.sub_criteria.is_empty() {
                push(c.id.clone(), "the criterion has no sub-criteria".into());
            }
            for s in &c.sub_criteria {
                let path = format!("{}/{}", c.id, s.id);
                if !sub_id_ok(&c.id, &s.id) {
                    push(path.clone(), format!("sub-criterion id {:?} must be {}1, {}2, …", s.id, c.id, c.id));
                }
                if !sub_ids.insert(s.id.clone()) {
                    push(path.clone(), format!("sub-criterion {} appears twice", s.id));
                }
                if s.aspects.is_empty() {
                    push(path.clone(), "the sub-criterion has no aspects".into());
                }
                for (i, a) in s.aspects.iter().enumerate() {
                    let path = format!("{path}/{}", i + 1);
                    if a.description.trim().is_empty() {
                        push(path.clone(), "the aspect has no description".into());
                    }
                    if a.max <= 0 || a.max > TOTAL {
                        push(
                            path.clone(),
                            format!(
                                "max mark {} must be above 0.00 and at most 100.00",
                                format_hundredths(a.max.into())
                            ),
                        );
                    }
                    if !(1..=4).contains(&a.day) {
                        push(path.clone(), format!("day of marking C{} must be C1 to C4", a.day));
                    }
                    match &a.kind {
                        AspectType::Judgement { descriptors } => {
                            if descriptors.len() != 4 || descriptors.iter().any(|d| d.trim().is_empty()) {
                                push(
                                    path.clone(),
                                    "a judgement aspect needs four descriptors (scores 0, 1, 2, 3)".into(),
                                );
                            }
                        }
                        AspectType::Measurement { measurement: Measurement::Stepped { allowed } } => {
                            let mut sorted = allowed.clone();
                            sorted.sort_unstable();
                            sorted.dedup();
                            if allowed.len() < 2
                                || sorted.len() != allowed.len()
                                || allowed.iter().any(|v| *v < 0 || *v > a.max)
                            {
                                push(
                                    path.clone(),
                                    "a stepped aspect needs at least two different amounts, each within 0 and its max"
                                        .into(),
                                );
                            } else if !allowed.contains(&a.max) {
                                push(path.clone(), "a stepped aspect's amounts must include its max".into());
                            }
                        }
                        AspectType::Measurement { measurement: Measurement::Deduction { step } } => {
                            if *step <= 0 || *step > a.max {
                                push(path.clone(), "a deduction step must be above 0.00 and at most the max".into());
                            }
                        }
                        AspectType::Measurement { measurement: Measurement::PassFail } => {}
                    }
                }
            }
        }
        let total = self.total();
        if total != i64::from(TOTAL) {
            push(String::new(), format!("the scheme totals {}, not 100.00", format_hundredths(total)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn judgement(max: i32) -> Aspect {
        Aspect {
            description: "Finish quality".into(),
            extra_description: String::new(),
            requirement: String::new(),
            max,
            day: 1,
            wsos_section: None,
            kind: AspectType::Judgement {
                descriptors: vec!["below".into(), "meets".into(), "exceeds".into(), "excellent".into()],
            },
        }
    }

    fn measured(max: i32, m: Measurement) -> Aspect {
        Aspect { kind: AspectType::Measurement { measurement: m }, ..judgement(max) }
    }

    #[test]
    fn marks_parse_and_print_in_hundredths() {
        assert_eq!(parse_hundredths("1.5"), Ok(150));
        assert_eq!(parse_hundredths("0,25"), Ok(25));
        assert_eq!(parse_hundredths("2"), Ok(200));
        assert_eq!(parse_hundredths(".5"), Ok(50));
        assert_eq!(parse_hundredths("1.500"), Ok(150));
        assert!(parse_hundredths("1.505").is_err());
        assert!(parse_hundredths("-1").is_err());
        assert!(parse_hundredths("abc").is_err());
        assert!(parse_hundredths("").is_err());
        assert_eq!(format_hundredths(150), "1.50");
        assert_eq!(format_hundredths(5), "0.05");
    }

    #[test]
    fn judgement_marks_are_exact_and_round_only_for_display() {
        // 2, 2, 3 on a 1.00 aspect: 7/9 of a mark = 0.777…
        let m = judgement_mark(JudgementMode::ThreeJudges, 100, &[2, 2, 3]).unwrap();
        assert_eq!(m.display(), "0.78");
        // Nine such marks sum to exactly 7.00, not 9 × 0.78 = 7.02.
        let total: Exact = std::iter::repeat_n(m, 9).sum();
        assert_eq!(total.display(), "7.00");
        // Five judges: the highest and lowest are dropped.
        let five = judgement_mark(JudgementMode::FiveJudgesDropExtremes, 150, &[0, 2, 2, 3, 3]).unwrap();
        assert_eq!(five, judgement_mark(JudgementMode::ThreeJudges, 150, &[2, 2, 3]).unwrap());
        assert!(judgement_mark(JudgementMode::ThreeJudges, 100, &[2, 2]).is_err());
        assert!(judgement_mark(JudgementMode::ThreeJudges, 100, &[2, 2, 4]).is_err());
        assert_eq!(spread(JudgementMode::ThreeJudges, &[1, 3, 2]), Ok(2));
        assert_eq!(spread(JudgementMode::FiveJudgesDropExtremes, &[0, 2, 2, 3, 3]), Ok(1));
    }

    #[test]
    fn measurement_inputs_are_checked_against_the_aspect() {
        let pf = Measurement::PassFail;
        assert_eq!(pf.mark(100, MeasurementInput::Amount(100)), Ok(Exact::from_hundredths(100)));
        assert_eq!(pf.mark(100, MeasurementInput::Amount(0)), Ok(Exact(0)));
        assert!(pf.mark(100, MeasurementInput::Amount(50)).is_err());
        let stepped = Measurement::Stepped { allowed: vec![0, 50, 100, 150] };
        assert!(stepped.mark(150, MeasurementInput::Amount(50)).is_ok());
        assert!(stepped.mark(150, MeasurementInput::Amount(70)).unwrap_err().contains("0.00 / 0.50 / 1.00 / 1.50"));
        let deduction = Measurement::Deduction { step: 25 };
        assert_eq!(deduction.mark(100, MeasurementInput::Deductions(2)), Ok(Exact::from_hundredths(50)));
        assert_eq!(deduction.mark(100, MeasurementInput::Deductions(9)), Ok(Exact(0)), "never below 0");
        assert!(deduction.mark(100, MeasurementInput::Amount(50)).is_err());
        assert!(pf.mark(100, MeasurementInput::Deductions(1)).is_err());
    }

    fn scheme(maxes: &[i32]) -> Scheme {
        Scheme {
            criteria: vec![Criterion {
                id: "A".into(),
                name: "Design".into(),
                sub_criteria: vec![SubCriterion {
                    id: "A1".into(),
                    name: "Layout".into(),
                    aspects: maxes.iter().map(|m| measured(*m, Measurement::PassFail)).collect(),
                }],
            }],
        }
    }

    #[test]
    fn schemes_must_total_100_and_be_well_formed() {
        assert!(scheme(&[5000, 5000]).problems().is_empty());
        let p = scheme(&[5000, 4999]).problems();
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("99.99"));
        let mut bad = scheme(&[10_000]);
        bad.criteria[0].id = "a".into();
        bad.criteria[0].sub_criteria[0].id = "B1".into();
        bad.criteria[0].sub_criteria[0].aspects[0] = judgement(10_000);
        if let AspectType::Judgement { descriptors } = &mut bad.criteria[0].sub_criteria[0].aspects[0].kind {
            descriptors.pop();
        }
        let paths: Vec<String> = bad.problems().into_iter().map(|p| p.path).collect();
        assert_eq!(paths, ["a", "a/B1", "a/B1/1"]);
        let mut stepped = scheme(&[10_000]);
        stepped.criteria[0].sub_criteria[0].aspects[0] =
            measured(10_000, Measurement::Stepped { allowed: vec![0, 20_000] });
        assert_eq!(stepped.problems().len(), 1);
    }

    #[test]
    fn aspects_are_found_by_key() {
        let s = scheme(&[5000, 5000]);
        assert_eq!(s.aspect("A1.2").map(|(sub, a)| (sub.id.as_str(), a.max)), Some(("A1", 5000)));
        assert!(s.aspect("A1.3").is_none());
        assert!(s.aspect("A1.0").is_none());
        assert!(s.aspect("B1.1").is_none());
        assert!(s.aspect("garbage").is_none());
    }

    proptest! {
        #[test]
        fn judgement_marks_stay_within_0_and_max_and_rise_with_scores(max in 1i32..=2000, a in 0u8..=3, b in 0u8..=3, c in 0u8..=3) {
            let m = judgement_mark(JudgementMode::ThreeJudges, max, &[a, b, c]).unwrap();
            prop_assert!(m >= Exact(0) && m <= Exact::from_hundredths(max));
            if a < 3 {
                let higher = judgement_mark(JudgementMode::ThreeJudges, max, &[a + 1, b, c]).unwrap();
                prop_assert!(higher > m);
            }
            // Order of the judges does not matter.
            prop_assert_eq!(m, judgement_mark(JudgementMode::ThreeJudges, max, &[c, a, b]).unwrap());
        }

        #[test]
        fn full_marks_on_a_valid_scheme_are_exactly_100(cuts in proptest::collection::vec(1i32..500, 1..40)) {
            // Split 100.00 into aspects; every judge gives 3: the total is exactly 100.00.
            let mut maxes: Vec<i32> = cuts.iter().scan(0, |acc, c| { *acc += c; Some(*c) }).collect();
            let used: i32 = maxes.iter().sum();
            prop_assume!(used < TOTAL);
            maxes.push(TOTAL - used);
            let total: Exact = maxes.iter().map(|m| judgement_mark(JudgementMode::ThreeJudges, *m, &[3, 3, 3]).unwrap()).sum();
            prop_assert_eq!(total.display(), "100.00");
            prop_assert_eq!(total, Exact::from_hundredths(TOTAL));
        }

        #[test]
        fn hundredths_round_trip(h in 0i32..1_000_000) {
            prop_assert_eq!(parse_hundredths(&format_hundredths(h.into())), Ok(h));
        }
    }
}
