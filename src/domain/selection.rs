//! The selection programme (选拔 → 集训 → 国家队): a competitor's combined standing over the
//! stages, the proposal of who goes past a stage's cut (ties at the cut by the organiser's rule),
//! and moving up (递补) when someone withdraws. Pure: the caller passes each competitor's ratified
//! stage scores; nothing here decides *whether* a stage may advance anyone (the lifecycle does).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::publication::Audience;

text_enum! {
    /// Where a programme is: stages are added and confirmed while it is `active`; once the final
    /// stage is confirmed the national team stands and it is `completed`.
    pub enum ProgrammeStatus {
        Active,
        Completed,
    }
}

text_enum! {
    /// A place in the national team of a skill.
    #[derive(PartialOrd, Ord)]
    pub enum TeamPlace {
        /// Represents the country (one competitor, or one team for a team skill).
        Member,
        /// Steps in when the member withdraws (替补).
        Alternate,
    }
}

text_enum! {
    /// What the stage scores that are weighed together are measured in.
    #[derive(Default)]
    pub enum StandingBasis {
        /// The WorldSkills scale score of each stage (700 at the median).
        #[default]
        WsScale,
        /// The raw score as a percentage of the stage's marking scheme.
        Percentage,
    }
}

/// Each stage's weight in percent, stage 1 first, summing to 100. The default is "this stage
/// only": 100 for the stage that decides the cut and 0 for every earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageWeights(Vec<u32>);

impl StageWeights {
    /// Weights for a cut after stage `stages` (1-based) that count only that stage.
    pub fn this_stage_only(stages: usize) -> Self {
        let mut w = vec![0; stages.max(1)];
        *w.last_mut().expect("at least one stage") = 100;
        Self(w)
    }

    /// Checks the organiser's weights: one per stage up to the deciding one, whole percents that
    /// sum to 100, and the deciding stage weighs something (a cut cannot ignore its own stage).
    pub fn parse(weights: Vec<u32>) -> Result<Self, WeightsError> {
        let Some(last) = weights.last() else { return Err(WeightsError::Empty) };
        if *last == 0 {
            return Err(WeightsError::DecidingStageUnweighted);
        }
        let sum: u32 = weights.iter().sum();
        if sum != 100 {
            return Err(WeightsError::NotHundred(sum));
        }
        Ok(Self(weights))
    }

    pub fn as_slice(&self) -> &[u32] {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeightsError {
    #[error("at least one stage must be weighed")]
    Empty,
    #[error("the stage that decides the cut must have a weight above 0")]
    DecidingStageUnweighted,
    #[error("the weights must sum to 100 (they sum to {0})")]
    NotHundred(u32),
}

/// A combined standing, exactly: Σ weightᵢ × scoreᵢ with scores in hundredths and weights in
/// percent, so `value / 100` is the standing in hundredths. Kept unrounded so two competitors
/// are tied only when their standings are truly equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Standing(pub i64);

impl Standing {
    /// The standing in hundredths, rounded half away from zero (for display and export).
    pub fn hundredths(self) -> i64 {
        let (q, r) = (self.0 / 100, self.0 % 100);
        if r.abs() >= 50 {
            q + self.0.signum()
        } else {
            q
        }
    }
}

/// Combines a competitor's stage scores (hundredths, stage 1 first, `None` where they have no
/// score in that stage) with the weights. A stage without a score counts 0: a competitor who was
/// carried into a later stage always has the earlier stages' scores, so `None` only happens for a
/// weight of 0 in practice.
pub fn combine(scores: &[Option<i64>], weights: &StageWeights) -> Standing {
    Standing(
        weights
            .as_slice()
            .iter()
            .zip(scores.iter().chain(std::iter::repeat(&None)))
            .map(|(w, s)| i64::from(*w) * s.unwrap_or(0))
            .sum(),
    )
}

/// A percentage of the marking scheme in hundredths of a percent, rounded half up: `raw` and
/// `max` in the same exact unit. 0 when the scheme has no marks.
pub fn percentage_hundredths(raw: i64, max: i64) -> i64 {
    if max <= 0 {
        return 0;
    }
    (raw * 10_000 * 2 + max) / (2 * max)
}

/// How a tie across the cut is settled (chosen by the organiser, shown with the proposal).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TieRule {
    /// Everyone tied at the cut advances (the squad grows).
    #[default]
    AllTiedAdvance,
    /// The higher score in a named criterion of the deciding stage; whoever is still tied advances.
    HigherInCriterion { criterion: String },
}

/// One competitor as the proposal sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub standing: Standing,
    /// The tie-break value (the named criterion's score) when the rule has one.
    pub tie_break: Option<i64>,
}

/// Where one candidate stands in the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    /// Competition rank by standing (1, 1, 3).
    pub rank: usize,
    pub advances: bool,
    /// Part of a tie that straddles the cut.
    pub tied_at_cut: bool,
    /// Advanced or stayed out because of the tie-break, not the standing alone.
    pub decided_by_tie_break: bool,
}

/// Ranks the candidates by standing (ties share a rank) and proposes who goes past a cut of
/// `cut` places. Without a tie across the cut exactly `cut` advance (or all, if fewer). A tie
/// group straddling the cut is settled by `rule`: all of it advances, or its members fill the
/// remaining places by the tie-break value, the last value's ties all advancing.
pub fn propose(candidates: &[Candidate], cut: usize, rule: &TieRule) -> Vec<Placement> {
    let standings: Vec<i64> = candidates.iter().map(|c| c.standing.0).collect();
    let ranks = super::results::rank(&standings, 0);
    let mut out: Vec<Placement> = ranks
        .iter()
        .map(|&rank| Placement { rank, advances: rank <= cut, tied_at_cut: false, decided_by_tie_break: false })
        .collect();
    // The group straddling the cut: its rank is within the cut but it reaches beyond it.
    let Some(group_rank) = ranks.iter().copied().filter(|&r| r <= cut).max() else { return out };
    let group: Vec<usize> = (0..candidates.len()).filter(|&i| ranks[i] == group_rank).collect();
    if group_rank + group.len() - 1 <= cut {
        return out;
    }
    for &i in &group {
        out[i].tied_at_cut = true;
    }
    if let TieRule::HigherInCriterion { .. } = rule {
        let places = cut + 1 - group_rank;
        let values: Vec<i64> = group.iter().map(|&i| candidates[i].tie_break.unwrap_or(i64::MIN)).collect();
        let within = super::results::rank(&values, 0);
        for (k, &i) in group.iter().enumerate() {
            out[i].advances = within[k] <= places;
            out[i].decided_by_tie_break = true;
        }
    }
    out
}

/// Who moves up (递补) into a place left by a withdrawal: among candidates who are neither
/// advancing nor withdrawn, those of the best rank (and, under a tie-break rule, the best
/// tie-break value within it). Usually one; several means the organiser must choose among equals.
pub fn move_up(candidates: &[Candidate], placements: &[Placement], withdrawn: &[bool], rule: &TieRule) -> Vec<usize> {
    let open: Vec<usize> = (0..candidates.len()).filter(|&i| !placements[i].advances && !withdrawn[i]).collect();
    let Some(best) = open.iter().map(|&i| placements[i].rank).min() else { return Vec::new() };
    let tied: Vec<usize> = open.into_iter().filter(|&i| placements[i].rank == best).collect();
    if let TieRule::HigherInCriterion { .. } = rule {
        let top = tied.iter().map(|&i| candidates[i].tie_break.unwrap_or(i64::MIN)).max();
        return tied
            .into_iter()
            .filter(|&i| candidates[i].tie_break.unwrap_or(i64::MIN) == top.unwrap_or(i64::MIN))
            .collect();
    }
    tied
}

/// The proposal when some candidates cannot advance (`excluded`: ineligible by age in the target
/// year, or withdrawn): [`propose`] over everyone, then each excluded candidate's place goes to the
/// next-ranked by [`move_up`], until no excluded candidate advances. The excluded keep their rank
/// (the standing shows where they were) but never advance; who filled a place is `moved_up`.
pub fn propose_excluding(
    candidates: &[Candidate],
    cut: usize,
    rule: &TieRule,
    excluded: &[bool],
) -> (Vec<Placement>, Vec<bool>) {
    let mut placements = propose(candidates, cut, rule);
    let mut moved_up = vec![false; candidates.len()];
    let mut free = 0;
    for (i, p) in placements.iter_mut().enumerate() {
        if p.advances && excluded.get(i).copied().unwrap_or(false) {
            p.advances = false;
            free += 1;
        }
    }
    while free > 0 {
        let next = move_up(candidates, &placements, excluded, rule);
        if next.is_empty() {
            break;
        }
        for i in next {
            placements[i].advances = true;
            moved_up[i] = true;
        }
        free -= 1;
    }
    (placements, moved_up)
}

/// The alternates of a final stage: whoever would move up first if a member withdrew.
pub fn alternates(
    candidates: &[Candidate],
    placements: &[Placement],
    withdrawn: &[bool],
    rule: &TieRule,
) -> Vec<usize> {
    move_up(candidates, placements, withdrawn, rule)
}

/// The default cut of the stage at `position` (1-based): the national selection sends ten to the
/// squad, then 10 → 5, 5 → 2 and 2 → 1.
pub fn default_cut(position: usize) -> usize {
    match position {
        0 | 1 => 10,
        2 => 5,
        3 => 2,
        _ => 1,
    }
}

text_enum! {
    /// Where a squad or team list is in its announcement (公示).
    pub enum ListState {
        /// Not released to the public yet (organisers, or the delegations, see it).
        NotAnnounced,
        /// Released to the public; the notice period runs until `notice_ends`, disputes may be filed.
        Announced,
        /// A dispute about a stage result of one of its skills is open (or upheld and not settled
        /// yet): the list is not final.
        UnderReview,
        /// The notice period is over and no dispute is open.
        Final,
    }
}

/// The default notice period (公示) of squad and team lists, in days (like results').
pub const DEFAULT_NOTICE_DAYS: u32 = 7;

/// When a list's notice period ends: `notice_days` after its public release.
pub fn list_notice_ends(public_at: Option<NaiveDateTime>, notice_days: u32) -> Option<NaiveDateTime> {
    public_at.map(|at| super::publication::notice_ends(at, notice_days))
}

/// A list's state now: not announced before its public release; under review while a dispute in
/// one of its skills is open; announced during the notice period; final after it.
pub fn list_state(
    audience: Audience,
    public_at: Option<NaiveDateTime>,
    notice_days: u32,
    under_review: bool,
    now: NaiveDateTime,
) -> ListState {
    if audience < Audience::Delegations {
        return ListState::NotAnnounced;
    }
    if under_review {
        return ListState::UnderReview;
    }
    match list_notice_ends(public_at, notice_days) {
        Some(ends) if audience == Audience::Public && now >= ends => ListState::Final,
        Some(_) if audience == Audience::Public => ListState::Announced,
        _ => ListState::NotAnnounced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(standing: i64) -> Candidate {
        Candidate { standing: Standing(standing), tie_break: None }
    }

    fn advancing(p: &[Placement]) -> Vec<usize> {
        (0..p.len()).filter(|&i| p[i].advances).collect()
    }

    #[test]
    fn weights_sum_to_a_hundred_and_count_the_deciding_stage() {
        assert!(StageWeights::parse(vec![30, 70]).is_ok());
        assert_eq!(StageWeights::parse(vec![30, 60]), Err(WeightsError::NotHundred(90)));
        assert_eq!(StageWeights::parse(vec![100, 0]), Err(WeightsError::DecidingStageUnweighted));
        assert_eq!(StageWeights::parse(vec![]), Err(WeightsError::Empty));
        assert_eq!(StageWeights::this_stage_only(3).as_slice(), &[0, 0, 100]);
    }

    #[test]
    fn thirty_seventy_weighs_the_earlier_stage_in() {
        // 712.00 in stage 1 and 690.00 in stage 2: 0.3 × 712 + 0.7 × 690 = 696.60.
        let w = StageWeights::parse(vec![30, 70]).unwrap();
        let s = combine(&[Some(71_200), Some(69_000)], &w);
        assert_eq!(s.hundredths(), 69_660);
        // This stage only ignores stage 1 entirely.
        assert_eq!(combine(&[Some(71_200), Some(69_000)], &StageWeights::this_stage_only(2)).hundredths(), 69_000);
    }

    #[test]
    fn a_percentage_is_rounded_half_up_to_the_hundredth() {
        assert_eq!(percentage_hundredths(1, 3), 3_333);
        assert_eq!(percentage_hundredths(2, 3), 6_667);
        assert_eq!(percentage_hundredths(5, 5), 10_000);
        assert_eq!(percentage_hundredths(5, 0), 0);
    }

    #[test]
    fn ten_into_five_without_ties_takes_exactly_five() {
        let cands: Vec<Candidate> = (0..10).map(|i| c(70_000 - i * 100)).collect();
        let p = propose(&cands, 5, &TieRule::AllTiedAdvance);
        assert_eq!(advancing(&p), vec![0, 1, 2, 3, 4]);
        assert!(p.iter().all(|x| !x.tied_at_cut));
    }

    #[test]
    fn a_tie_across_the_cut_all_advance_under_the_default_rule() {
        // Ranks 1, 2, 3, 4, 4, 6: a cut of 4 meets a tie of two at rank 4.
        let cands = [c(900), c(800), c(700), c(600), c(600), c(500)];
        let p = propose(&cands, 4, &TieRule::AllTiedAdvance);
        assert_eq!(advancing(&p), vec![0, 1, 2, 3, 4]);
        assert!(p[3].tied_at_cut && p[4].tied_at_cut && !p[2].tied_at_cut);
    }

    #[test]
    fn a_tie_across_the_cut_is_settled_by_the_named_criterion() {
        let rule = TieRule::HigherInCriterion { criterion: "B".into() };
        let mut cands = [c(900), c(800), c(700), c(600), c(600), c(500)];
        cands[3].tie_break = Some(10);
        cands[4].tie_break = Some(12);
        let p = propose(&cands, 4, &rule);
        assert_eq!(advancing(&p), vec![0, 1, 2, 4]);
        assert!(p[3].decided_by_tie_break && p[4].decided_by_tie_break);
        // Still equal in the criterion: both advance, and the proposal says they were tied.
        cands[3].tie_break = Some(12);
        assert_eq!(advancing(&propose(&cands, 4, &rule)), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_withdrawal_moves_up_the_next_ranked() {
        let cands: Vec<Candidate> = (0..6).map(|i| c(1_000 - i * 10)).collect();
        let p = propose(&cands, 2, &TieRule::AllTiedAdvance);
        let mut withdrawn = vec![false; 6];
        withdrawn[1] = true;
        assert_eq!(move_up(&cands, &p, &withdrawn, &TieRule::AllTiedAdvance), vec![2]);
        // The one who moved up cannot move up again; the next after them does.
        let mut p2 = p.clone();
        p2[2].advances = true;
        withdrawn[0] = true;
        assert_eq!(move_up(&cands, &p2, &withdrawn, &TieRule::AllTiedAdvance), vec![3]);
    }

    #[test]
    fn an_ineligible_candidate_is_passed_over_and_the_next_moves_up() {
        let cands: Vec<Candidate> = (0..6).map(|i| c(1_000 - i * 10)).collect();
        let mut excluded = vec![false; 6];
        excluded[0] = true;
        let (p, moved) = propose_excluding(&cands, 2, &TieRule::AllTiedAdvance, &excluded);
        assert_eq!(advancing(&p), vec![1, 2]);
        assert_eq!(moved, vec![false, false, true, false, false, false]);
        assert_eq!(p[0].rank, 1, "the excluded keep their rank");
        assert_eq!(alternates(&cands, &p, &excluded, &TieRule::AllTiedAdvance), vec![3]);
    }

    #[test]
    fn default_cuts_follow_ten_five_two_one() {
        assert_eq!((1..=5).map(default_cut).collect::<Vec<_>>(), vec![10, 5, 2, 1, 1]);
    }

    #[test]
    fn stored_names_are_snake_case() {
        assert_eq!(StandingBasis::WsScale.to_string(), "ws_scale");
        assert_eq!("percentage".parse::<StandingBasis>().unwrap(), StandingBasis::Percentage);
        assert_eq!(TeamPlace::Alternate.to_string(), "alternate");
        assert_eq!("completed".parse::<ProgrammeStatus>().unwrap(), ProgrammeStatus::Completed);
    }

    proptest! {
        #[test]
        fn excluded_candidates_never_advance_and_the_count_is_kept(
            standings in proptest::collection::vec(0i64..1000, 1..20),
            cut in 1usize..8,
            excluded in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let cands: Vec<Candidate> = standings.iter().map(|s| c(*s)).collect();
            let excluded = &excluded[..cands.len()];
            let (p, _) = propose_excluding(&cands, cut, &TieRule::AllTiedAdvance, excluded);
            let base = advancing(&propose(&cands, cut, &TieRule::AllTiedAdvance)).len();
            let eligible = excluded.iter().filter(|x| !**x).count();
            for i in 0..cands.len() {
                prop_assert!(!(p[i].advances && excluded[i]));
            }
            // As many as without exclusions (ties may add more), unless too few are eligible.
            prop_assert!(advancing(&p).len() >= base.min(eligible));
            // Nobody eligible with a strictly better standing stays out while a worse one advances.
            for i in 0..cands.len() {
                for j in 0..cands.len() {
                    if p[i].advances && !p[j].advances && !excluded[j] {
                        prop_assert!(cands[i].standing >= cands[j].standing);
                    }
                }
            }
        }

        #[test]
        fn the_proposal_respects_the_standings_and_the_cut(
            standings in proptest::collection::vec(0i64..20, 1..25),
            cut in 1usize..12,
            breaks in proptest::collection::vec(0i64..4, 25),
            by_criterion in any::<bool>(),
        ) {
            let cands: Vec<Candidate> = standings.iter().zip(&breaks).map(|(s, b)| Candidate { standing: Standing(*s), tie_break: Some(*b) }).collect();
            let rule = if by_criterion { TieRule::HigherInCriterion { criterion: "A".into() } } else { TieRule::AllTiedAdvance };
            let p = propose(&cands, cut, &rule);
            let n = advancing(&p).len();
            // Nobody with a strictly better standing stays out while a worse one advances.
            for i in 0..cands.len() {
                for j in 0..cands.len() {
                    if p[i].advances && !p[j].advances {
                        prop_assert!(cands[i].standing >= cands[j].standing);
                    }
                }
            }
            if cands.len() <= cut {
                prop_assert_eq!(n, cands.len());
            } else if !p.iter().any(|x| x.tied_at_cut) {
                prop_assert_eq!(n, cut);
            } else {
                prop_assert!(n >= cut.min(cands.len()));
                if !by_criterion {
                    // All tied advance: the cut grows by exactly the tie's overhang.
                    let last = p.iter().filter(|x| x.tied_at_cut).count();
                    let rank = p.iter().find(|x| x.tied_at_cut).unwrap().rank;
                    prop_assert_eq!(n, rank - 1 + last);
                }
            }
        }
    }

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2027, 7, day).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    #[test]
    fn a_list_is_announced_for_its_notice_period_then_final_unless_under_review() {
        let released = Some(at(1));
        assert_eq!(list_state(Audience::None, None, 7, false, at(2)), ListState::NotAnnounced);
        assert_eq!(list_state(Audience::Delegations, None, 7, false, at(2)), ListState::NotAnnounced);
        assert_eq!(list_state(Audience::Public, released, 7, false, at(7)), ListState::Announced);
        assert_eq!(list_notice_ends(released, 7), Some(at(8)));
        assert_eq!(list_state(Audience::Public, released, 7, false, at(8)), ListState::Final);
        // An open dispute holds the list under review, during the period and after it.
        assert_eq!(list_state(Audience::Public, released, 7, true, at(3)), ListState::UnderReview);
        assert_eq!(list_state(Audience::Public, released, 7, true, at(20)), ListState::UnderReview);
        assert_eq!(list_state(Audience::Delegations, None, 7, true, at(3)), ListState::UnderReview);
    }

    proptest! {
        #[test]
        fn a_list_is_final_only_after_its_notice_without_a_dispute(
            audience in prop_oneof![Just(Audience::None), Just(Audience::Experts), Just(Audience::Delegations), Just(Audience::Public)],
            released in 1u32..10,
            days in 0u32..15,
            now in 1u32..31,
            under_review in any::<bool>(),
        ) {
            let public_at = (audience == Audience::Public).then(|| at(released));
            let state = list_state(audience, public_at, days, under_review, at(now));
            prop_assert_eq!(
                state == ListState::Final,
                audience == Audience::Public && !under_review && now >= released + days
            );
            prop_assert_eq!(state == ListState::Announced, audience == Audience::Public && !under_review && now < released + days);
        }
    }
}
