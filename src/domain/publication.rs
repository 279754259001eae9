//! Publication of results: the event's result rules, a skill's path draft → ratified → published
//! → final, the audiences results are released to, the public-notice period (成绩公示) in which
//! disputes may be filed, and the ceremony's one-medal-at-a-time reveal. Pure rules, no I/O.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::results::{awards, in_training_squad, rank, standardise, Award, AwardRules, ScaleParams};
use super::scheme::Exact;

/// How an event turns raw scores into results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultRules {
    pub scale: ScaleParams,
    /// Tie tolerance in scale points: a tie group starts at its best entry and takes every entry
    /// within this many points of that best entry (0: equal scores only).
    pub tie_tolerance: i32,
    pub awards: AwardRules,
    /// Training-squad cut: top N individuals of an individual skill (0: no squad).
    pub squad_individuals: u32,
    /// Training-squad cut: top M teams of a team skill (0: no squad).
    pub squad_teams: u32,
    /// Days of public notice (成绩公示) after public release, in which disputes may be filed.
    pub notice_days: u32,
}

impl Default for ResultRules {
    fn default() -> Self {
        Self {
            scale: ScaleParams::default(),
            tie_tolerance: 0,
            awards: AwardRules::default(),
            squad_individuals: 0,
            squad_teams: 0,
            notice_days: 7,
        }
    }
}

impl ResultRules {
    /// Every rule out of range, as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let s = &self.scale;
        if !(s.centre.is_finite() && (0.0..=1000.0).contains(&s.centre)) {
            out.push(("scale.centre", "must be between 0 and 1000".into()));
        }
        if !(s.points.is_finite() && s.points > 0.0 && s.points <= 1000.0) {
            out.push(("scale.points", "must be above 0 and at most 1000".into()));
        }
        if !(s.mad_factor.is_finite() && s.mad_factor > 0.0 && s.mad_factor <= 100.0) {
            out.push(("scale.mad_factor", "must be above 0 and at most 100".into()));
        }
        if !(0..=100).contains(&self.tie_tolerance) {
            out.push(("tie_tolerance", "must be between 0 and 100 scale points".into()));
        }
        if !(0..=1000).contains(&self.awards.medallion_threshold) {
            out.push(("awards.medallion_threshold", "must be between 0 and 1000".into()));
        }
        if self.squad_individuals > 1000 || self.squad_teams > 1000 {
            out.push(("squad_individuals", "the squad cut is at most 1000".into()));
        }
        if self.notice_days > 60 {
            out.push(("notice_days", "the notice period is at most 60 days".into()));
        }
        out
    }
}

/// One entry's standing in its skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub score: i32,
    pub rank: usize,
    pub award: Option<Award>,
    pub squad: bool,
}

/// Scale score, rank, award and squad place of each entry of one skill, in input order.
pub fn standings(raw: &[Exact], rules: &ResultRules, team_skill: bool) -> Vec<Standing> {
    let scores = standardise(raw, rules.scale);
    let ranks = rank(&scores, rules.tie_tolerance);
    let awarded = awards(&scores, &ranks, rules.awards);
    let (individuals, teams) = (rules.squad_individuals as usize, rules.squad_teams as usize);
    scores
        .iter()
        .zip(&ranks)
        .zip(awarded)
        .map(|((score, rank), award)| Standing {
            score: *score,
            rank: *rank,
            award,
            squad: in_training_squad(*rank, team_skill, individuals, teams),
        })
        .collect()
}

text_enum! {
    /// Who may see a skill's published results, widening one step at a time.
    #[derive(PartialOrd, Ord)]
    pub enum Audience {
        /// Organisers and the skill's chief experts only.
        None,
        /// Also the skill's experts.
        Experts,
        /// Also team leaders and competitors (their own delegation's entries in full, the rest ranked).
        Delegations,
        /// Everyone, without login.
        Public,
    }
}

text_enum! {
    /// Where a skill's results are on their way to the public.
    pub enum ResultState {
        /// Computed live while marking; only organisers and the chief experts see it.
        Draft,
        /// All marks locked and signed off by the chief expert: frozen.
        Ratified,
        /// Released to an audience by an organiser.
        Published,
        /// Published to the public and the notice period is over without an open dispute.
        Final,
    }
}

text_enum! {
    /// Where a dispute of a published result is: open until a chief expert upholds or rejects it.
    pub enum DisputeStatus {
        Open,
        Upheld,
        Rejected,
    }
}

/// Whether the audiences see an earlier publication that an upheld dispute has put under review:
/// from the reopening (draft) through re-ratification until the organiser releases the results
/// again. `published`: the skill has a publication its audiences see.
pub fn under_review(stored: ResultState, published: bool) -> bool {
    published && stored != ResultState::Published
}

/// When the public-notice period of a result released to the public at `public_at` ends.
pub fn notice_ends(public_at: NaiveDateTime, notice_days: u32) -> NaiveDateTime {
    public_at + Duration::days(i64::from(notice_days))
}

/// The state a skill's results are in now.
pub fn current_state(
    stored: ResultState,
    public_at: Option<NaiveDateTime>,
    notice_days: u32,
    open_disputes: usize,
    now: NaiveDateTime,
) -> ResultState {
    match (stored, public_at) {
        (ResultState::Published, Some(at)) if open_disputes == 0 && now >= notice_ends(at, notice_days) => {
            ResultState::Final
        }
        (s, _) => s,
    }
}

/// Why a dispute cannot be filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeRefusal {
    /// The delegation has not been shown the result yet.
    NotPublished,
    /// The notice period is over.
    NoticeOver,
}

/// Whether a team leader may file a dispute now: once the result is released to delegations and
/// until the notice period after public release ends.
pub fn may_dispute(
    audience: Audience,
    public_at: Option<NaiveDateTime>,
    notice_days: u32,
    now: NaiveDateTime,
) -> Result<(), DisputeRefusal> {
    may_dispute_until(audience, public_at.map(|at| notice_ends(at, notice_days)), now)
}

/// [`may_dispute`] with the end of the notice period given (`None` before the public release):
/// a selection list under notice (公示) may keep it open past the results' own period.
pub fn may_dispute_until(
    audience: Audience,
    ends: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), DisputeRefusal> {
    if audience < Audience::Delegations {
        return Err(DisputeRefusal::NotPublished);
    }
    match ends {
        Some(ends) if now >= ends => Err(DisputeRefusal::NoticeOver),
        _ => Ok(()),
    }
}

/// The medals the ceremony has revealed after `step` steps (bronze first, gold last).
pub fn ceremony_revealed(step: i32) -> &'static [Award] {
    const ORDER: [Award; 3] = [Award::Bronze, Award::Silver, Award::Gold];
    &ORDER[..step.clamp(0, 3) as usize]
}

/// Compound Chinese surnames (复姓) that take two characters.
const COMPOUND_SURNAMES: [&str; 14] =
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯"];

/// (first name, last name) for the CIS columns: "Given Family" when the name has spaces; a
/// Chinese name is family name first (one character, or two for a compound surname).
pub fn cis_name_parts(name: &str) -> (String, String) {
    let name = name.trim();
    if let Some((first, last)) = name.rsplit_once(' ') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    let cut = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(**s) && name.chars().count() > 2)
        .map(|s| s.len())
        .or_else(|| name.char_indices().nth(1).map(|(i, _)| i))
        .unwrap_or(name.len());
    (name[cut..].to_string(), name[..cut].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    #[test]
    fn a_published_result_becomes_final_after_the_notice_period_unless_disputed() {
        let public = Some(at(1, 12));
        let s = ResultState::Published;
        assert_eq!(current_state(s, public, 7, 0, at(8, 11)), ResultState::Published, "one hour early");
        assert_eq!(current_state(s, public, 7, 0, at(8, 12)), ResultState::Final);
        assert_eq!(current_state(s, public, 7, 1, at(20, 12)), ResultState::Published, "an open dispute holds it");
        assert_eq!(current_state(s, None, 7, 0, at(20, 12)), ResultState::Published, "never public, never final");
        assert_eq!(current_state(ResultState::Ratified, public, 0, 0, at(20, 12)), ResultState::Ratified);
    }

    #[test]
    fn an_upheld_dispute_keeps_the_publication_under_review_until_the_re_release() {
        assert!(!under_review(ResultState::Ratified, false), "ratified, never released");
        assert!(!under_review(ResultState::Published, true));
        assert!(under_review(ResultState::Draft, true), "reopened by an upheld dispute");
        assert!(under_review(ResultState::Ratified, true), "re-ratified, not yet released again");
        assert!(!under_review(ResultState::Draft, false), "never released: nothing is under review");
    }

    #[test]
    fn disputes_open_with_release_to_delegations_and_close_with_the_notice_period() {
        assert_eq!(may_dispute(Audience::Experts, None, 7, at(1, 0)), Err(DisputeRefusal::NotPublished));
        assert_eq!(may_dispute(Audience::Delegations, None, 7, at(1, 0)), Ok(()));
        assert_eq!(may_dispute(Audience::Public, Some(at(1, 0)), 7, at(7, 23)), Ok(()));
        assert_eq!(may_dispute(Audience::Public, Some(at(1, 0)), 7, at(8, 0)), Err(DisputeRefusal::NoticeOver));
    }

    #[test]
    fn the_ceremony_reveals_bronze_then_silver_then_gold() {
        assert!(ceremony_revealed(0).is_empty());
        assert_eq!(ceremony_revealed(1), [Award::Bronze]);
        assert_eq!(ceremony_revealed(3), [Award::Bronze, Award::Silver, Award::Gold]);
        assert_eq!(ceremony_revealed(9).len(), 3);
    }

    #[test]
    fn audiences_widen_in_order_and_round_trip() {
        assert!(Audience::None < Audience::Experts && Audience::Delegations < Audience::Public);
        for a in [Audience::None, Audience::Experts, Audience::Delegations, Audience::Public] {
            assert_eq!(a.as_str().parse(), Ok(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str(), "stored as on the wire");
        }
        assert!("everyone".parse::<Audience>().is_err());
        for s in [ResultState::Draft, ResultState::Ratified, ResultState::Published, ResultState::Final] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.to_string(), "stored as on the wire");
        }
    }

    #[test]
    fn rules_out_of_range_are_reported_by_field() {
        assert!(ResultRules::default().problems().is_empty());
        let mut r = ResultRules::default();
        r.scale.points = 0.0;
        r.tie_tolerance = -1;
        r.notice_days = 61;
        let fields: Vec<_> = r.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["scale.points", "tie_tolerance", "notice_days"]);
    }

    #[test]
    fn standings_apply_tolerance_and_the_squad_cut() {
        let raw: Vec<Exact> = [8000, 7000, 6000, 5000].iter().map(|h| Exact::from_hundredths(*h)).collect();
        let rules = ResultRules { tie_tolerance: 0, squad_individuals: 2, ..ResultRules::default() };
        let exact = standings(&raw, &rules, false);
        let loose = standings(&raw, &ResultRules { tie_tolerance: 25, ..rules }, false);
        assert_eq!(exact.iter().map(|s| s.rank).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(exact.iter().map(|s| s.squad).collect::<Vec<_>>(), [true, true, false, false]);
        assert!(loose[1].rank == 1 && loose[1].award == Some(Award::Gold), "within tolerance: shared gold");
        assert!(standings(&raw, &rules, true).iter().all(|s| !s.squad), "no team squad configured");
    }

    #[test]
    fn cis_names_split_family_and_given_names() {
        assert_eq!(cis_name_parts("张伟"), ("伟".into(), "张".into()));
        assert_eq!(cis_name_parts("欧阳娜娜"), ("娜娜".into(), "欧阳".into()));
        assert_eq!(cis_name_parts("Anna Maria Berg"), ("Anna Maria".into(), "Berg".into()));
        assert_eq!(cis_name_parts("李"), ("".into(), "李".into()));
    }

    proptest! {
        #[test]
        fn final_only_after_the_notice_period(days in 0u32..30, after_hours in -100i64..2000, disputes in 0usize..3) {
            let public = at(1, 0);
            let now = public + Duration::hours(after_hours);
            let state = current_state(ResultState::Published, Some(public), days, disputes, now);
            let expect_final = disputes == 0 && after_hours >= i64::from(days) * 24;
            prop_assert_eq!(state == ResultState::Final, expect_final);
        }
    }
}
