//! What may change when: the lifecycle of a skill's marks and results, and the one table of which
//! operation is allowed in which phase. Every use case that changes something of a skill asks
//! `service::access::permit`, which reads the skill's phase and looks it up here; nothing else
//! decides it. Pure, no I/O.
//!
//! A skill moves unmarked → marking → ratified → released (experts → delegations → public) →
//! final; an upheld dispute reopens it (its audiences keep seeing the earlier publication, under
//! review) until it is re-ratified and released again. Finer rules stay with their use case and
//! apply after this table allowed the operation (a locked sub-criterion refuses marks, a
//! judgement aspect takes only the skill's judge count of scores, a redraw needs a reason, the
//! notice period closes disputes, an event's status closes registration).

use super::publication::{Audience, ResultState};

text_enum! {
    /// Where a skill's marks and results are in their life.
    pub enum Phase {
        /// No mark entered yet: everything may still be set up.
        Unmarked,
        /// Marks are being entered, reviewed and locked.
        Marking,
        /// The chief expert ratified the results; they are released to nobody (or re-ratified after
        /// a dispute and not yet released again).
        Ratified,
        /// Released to the skill's experts.
        ReleasedToExperts,
        /// Released to team leaders and competitors.
        ReleasedToDelegations,
        /// Released to everyone; the public notice period (成绩公示) runs.
        Public,
        /// Public, the notice period over without an open dispute.
        Final,
        /// An upheld dispute reopened the skill for re-marking; its audiences see the earlier
        /// publication, under review.
        Reopened,
    }
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Unmarked,
        Phase::Marking,
        Phase::Ratified,
        Phase::ReleasedToExperts,
        Phase::ReleasedToDelegations,
        Phase::Public,
        Phase::Final,
        Phase::Reopened,
    ];

    /// The phase from what is stored: whether the skill has any mark, its results' current state
    /// (`publication::current_state`, so `Final` once the notice period is over), the audience
    /// and whether an earlier publication exists.
    pub fn of(has_marks: bool, state: ResultState, audience: Audience, published_before: bool) -> Phase {
        match state {
            ResultState::Draft if published_before => Phase::Reopened,
            ResultState::Draft if has_marks => Phase::Marking,
            ResultState::Draft => Phase::Unmarked,
            ResultState::Ratified => Phase::Ratified,
            ResultState::Final => Phase::Final,
            ResultState::Published => match audience {
                Audience::None => Phase::Ratified,
                Audience::Experts => Phase::ReleasedToExperts,
                Audience::Delegations => Phase::ReleasedToDelegations,
                Audience::Public => Phase::Public,
            },
        }
    }

    fn column(self) -> usize {
        Phase::ALL.iter().position(|p| *p == self).expect("every phase is in ALL")
    }
}

text_enum! {
    /// Every change that depends on where a skill is in its life.
    pub enum Operation {
        /// A skill's names and sector (`PUT /skills/{id}`).
        EditSkillNames,
        /// A skill's number, age limit, entries per delegation, workstations (`PUT /skills/{id}`).
        EditSkillRegistration,
        /// A skill's judgement mode (3 or 5 judges), max spread, anonymity, team size.
        EditSkillMarking,
        /// A new entry in the skill (single, or by import).
        CreateEntry,
        /// An entry confirmed, set back to registered, withdrawn or reinstated.
        ChangeEntryStatus,
        /// A competitor of the skill added, corrected, removed, or their photo replaced.
        ChangeCompetitors,
        /// An expert registered in the skill.
        RegisterExpert,
        /// Workstations drawn or redrawn.
        DrawWorkstations,
        /// The marking scheme saved, imported or frozen.
        EditScheme,
        /// A marking group formed.
        FormGroups,
        /// Marks entered or corrected from a tablet.
        EnterMarks,
        /// A chief expert withdraws one judge's score, with a reason.
        WithdrawScore,
        /// A sub-criterion of an entry locked.
        Lock,
        /// A sub-criterion of an entry unlocked, with a reason.
        Unlock,
        /// The chief expert ratifies the skill's results.
        Ratify,
        /// Organisers release the ratified results (now or at a set time).
        Release,
        /// The ceremony reveals the next medal.
        Ceremony,
        /// A team leader disputes a published result.
        FileDispute,
        /// The event's result rules (scale, ties, awards, squad, notice) change; asked of every skill.
        ChangeResultRules,
    }
}

impl Operation {
    pub const ALL: [Operation; 19] = [
        Operation::EditSkillNames,
        Operation::EditSkillRegistration,
        Operation::EditSkillMarking,
        Operation::CreateEntry,
        Operation::ChangeEntryStatus,
        Operation::ChangeCompetitors,
        Operation::RegisterExpert,
        Operation::DrawWorkstations,
        Operation::EditScheme,
        Operation::FormGroups,
        Operation::EnterMarks,
        Operation::WithdrawScore,
        Operation::Lock,
        Operation::Unlock,
        Operation::Ratify,
        Operation::Release,
        Operation::Ceremony,
        Operation::FileDispute,
        Operation::ChangeResultRules,
    ];
}

text_enum! {
    /// Why the table refuses an operation: the state that blocks it and the path that is open.
    pub enum Refusal {
        /// Once the skill has marks, how it is marked is fixed.
        SkillMarked,
        /// Ratified (or released, or final): only an upheld dispute reopens it.
        ResultsRatified,
        /// Ratified already: an upheld dispute reopens it.
        AlreadyRatified,
        /// Not ratified (yet, or again after a reopening): ratify first.
        NotRatified,
        /// Not released to the public: release it first (or again after a reopening).
        NotPublic = "results_not_public",
        /// Not released to the delegations yet: disputes open with that release.
        NotPublished = "results_not_published",
        /// The notice period is over: the result is final.
        NoticeOver = "notice_period_over",
    }
}

impl Refusal {
    /// The stable code of the problem the API answers with (409).
    pub fn code(self) -> &'static str {
        self.as_str()
    }

    /// What blocks the operation and which path is open, in words.
    pub fn detail(self) -> &'static str {
        match self {
            Refusal::SkillMarked => {
                "the skill has marks: its judgement mode, max spread, anonymity, team size and marking scheme are fixed"
            }
            Refusal::ResultsRatified => {
                "the skill's results are ratified: they change only through a dispute upheld by the organisers, \
                 which reopens the skill (unlock with a reason, re-mark, re-ratify, release again)"
            }
            Refusal::AlreadyRatified => {
                "the skill's results are ratified already; an upheld dispute reopens them for re-marking"
            }
            Refusal::NotRatified => "the skill's results are not ratified: the chief expert ratifies them first",
            Refusal::NotPublic => "the ceremony reveals only results released to the public",
            Refusal::NotPublished => "results are not yet published to the delegations",
            Refusal::NoticeOver => "the notice period is over; the result is final",
        }
    }

    /// The path that is open, as a stable word the client can act on.
    pub fn open_path(self) -> &'static str {
        match self {
            Refusal::SkillMarked => "none",
            Refusal::ResultsRatified | Refusal::AlreadyRatified => "dispute",
            Refusal::NotRatified => "ratify",
            Refusal::NotPublic => "release",
            Refusal::NotPublished => "wait_for_release",
            Refusal::NoticeOver => "none",
        }
    }
}

/// One cell of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Refused(Refusal),
}

use Refusal::*;
use Verdict::Allowed as OK;

const MARKED: Verdict = Verdict::Refused(SkillMarked);
const RATIFIED: Verdict = Verdict::Refused(ResultsRatified);
const ALREADY: Verdict = Verdict::Refused(AlreadyRatified);
const UNRATIFIED: Verdict = Verdict::Refused(NotRatified);
const NOT_PUBLIC: Verdict = Verdict::Refused(NotPublic);
const UNPUBLISHED: Verdict = Verdict::Refused(NotPublished);
const OVER: Verdict = Verdict::Refused(NoticeOver);

/// The table: one row per operation, one column per phase in the order of [`Phase::ALL`].
#[rustfmt::skip]
pub const TABLE: [(Operation, [Verdict; 8]); 19] = [
    //                                  unmarked  marking    ratified  experts   delegations public     final     reopened
    (Operation::EditSkillNames,        [OK,       OK,        OK,       OK,       OK,         OK,        OK,       OK]),
    (Operation::EditSkillRegistration, [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::EditSkillMarking,      [OK,       MARKED,    RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, MARKED]),
    (Operation::CreateEntry,           [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::ChangeEntryStatus,     [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::ChangeCompetitors,     [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::RegisterExpert,        [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::DrawWorkstations,      [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::EditScheme,            [OK,       MARKED,    RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, MARKED]),
    (Operation::FormGroups,            [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::EnterMarks,            [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::WithdrawScore,         [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::Lock,                  [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::Unlock,                [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, OK]),
    (Operation::Ratify,                [OK,       OK,        ALREADY,  ALREADY,  ALREADY,    ALREADY,   ALREADY,  OK]),
    (Operation::Release,               [UNRATIFIED, UNRATIFIED, OK,    OK,       OK,         OK,        OK,       UNRATIFIED]),
    (Operation::Ceremony,              [NOT_PUBLIC, NOT_PUBLIC, NOT_PUBLIC, NOT_PUBLIC, NOT_PUBLIC, OK, OK,     NOT_PUBLIC]),
    (Operation::FileDispute,           [UNPUBLISHED, UNPUBLISHED, UNPUBLISHED, UNPUBLISHED, OK, OK,  OVER,     OK]),
    (Operation::ChangeResultRules,     [OK,       OK,        RATIFIED, RATIFIED, RATIFIED,   RATIFIED,  RATIFIED, RATIFIED]),
];

/// What the table refuses in `phase`, operation by operation.
pub fn refused_in(phase: Phase) -> Vec<(Operation, Refusal)> {
    TABLE
        .iter()
        .filter_map(|(op, row)| match row[phase.column()] {
            Verdict::Refused(why) => Some((*op, why)),
            Verdict::Allowed => None,
        })
        .collect()
}

/// What the table says of `operation` in `phase`.
pub fn verdict(operation: Operation, phase: Phase) -> Verdict {
    let (_, row) = TABLE.iter().find(|(op, _)| *op == operation).expect("every operation has a row in TABLE");
    row[phase.column()]
}

/// `Ok` when the table allows `operation` in `phase`, else why not.
pub fn permit(operation: Operation, phase: Phase) -> Result<(), Refusal> {
    match verdict(operation, phase) {
        Verdict::Allowed => Ok(()),
        Verdict::Refused(why) => Err(why),
    }
}

/// The table as the README shows it (a test keeps the two the same).
pub fn markdown() -> String {
    let mut out = String::from(
        "| change | unmarked | marking | ratified | released to experts | to delegations | public | final | reopened |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for (op, row) in TABLE {
        out.push_str(&format!("| `{}` |", op.as_str()));
        for cell in row {
            match cell {
                Verdict::Allowed => out.push_str(" ✓ |"),
                Verdict::Refused(why) => out.push_str(&format!(" `{}` |", why.code())),
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_shows_this_table() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown()),
            "README.md's lifecycle table differs from TABLE; it should read:\n{}",
            markdown()
        );
    }

    #[test]
    fn every_operation_has_exactly_one_row_in_table_order() {
        for (i, op) in Operation::ALL.iter().enumerate() {
            assert_eq!(TABLE.iter().filter(|(o, _)| o == op).count(), 1, "{op:?}");
            assert_eq!(TABLE[i].0, *op, "rows follow Operation::ALL");
        }
    }

    #[test]
    fn nothing_that_moves_a_result_is_allowed_once_ratified_until_reopened() {
        let frozen =
            [Phase::Ratified, Phase::ReleasedToExperts, Phase::ReleasedToDelegations, Phase::Public, Phase::Final];
        for op in Operation::ALL {
            if matches!(
                op,
                Operation::EditSkillNames | Operation::Release | Operation::Ceremony | Operation::FileDispute
            ) {
                continue;
            }
            for phase in frozen {
                assert!(permit(op, phase).is_err(), "{op:?} must be refused in {phase:?}");
            }
        }
    }

    #[test]
    fn how_a_skill_is_marked_is_fixed_by_its_first_mark() {
        for op in [Operation::EditSkillMarking, Operation::EditScheme] {
            assert_eq!(permit(op, Phase::Unmarked), Ok(()));
            assert_eq!(permit(op, Phase::Marking), Err(Refusal::SkillMarked));
            assert_eq!(permit(op, Phase::Reopened), Err(Refusal::SkillMarked));
        }
    }

    #[test]
    fn the_ceremony_and_disputes_follow_the_audience() {
        assert_eq!(permit(Operation::Ceremony, Phase::Ratified), Err(Refusal::NotPublic));
        assert_eq!(permit(Operation::Ceremony, Phase::ReleasedToDelegations), Err(Refusal::NotPublic));
        assert_eq!(permit(Operation::Ceremony, Phase::Public), Ok(()));
        assert_eq!(permit(Operation::FileDispute, Phase::ReleasedToExperts), Err(Refusal::NotPublished));
        assert_eq!(permit(Operation::FileDispute, Phase::ReleasedToDelegations), Ok(()));
        assert_eq!(permit(Operation::FileDispute, Phase::Final), Err(Refusal::NoticeOver));
    }

    #[test]
    fn a_reopened_skill_is_re_marked_then_re_ratified_before_any_release() {
        for op in
            [Operation::Unlock, Operation::EnterMarks, Operation::WithdrawScore, Operation::Lock, Operation::Ratify]
        {
            assert_eq!(permit(op, Phase::Reopened), Ok(()), "{op:?}");
        }
        assert_eq!(permit(Operation::Release, Phase::Reopened), Err(Refusal::NotRatified));
    }

    #[test]
    fn phases_follow_from_what_is_stored() {
        use Audience as A;
        use ResultState as S;
        assert_eq!(Phase::of(false, S::Draft, A::None, false), Phase::Unmarked);
        assert_eq!(Phase::of(true, S::Draft, A::None, false), Phase::Marking);
        assert_eq!(Phase::of(true, S::Ratified, A::None, false), Phase::Ratified);
        assert_eq!(Phase::of(true, S::Ratified, A::Public, true), Phase::Ratified, "re-ratified, not yet re-released");
        assert_eq!(Phase::of(true, S::Published, A::Experts, true), Phase::ReleasedToExperts);
        assert_eq!(Phase::of(true, S::Published, A::Delegations, true), Phase::ReleasedToDelegations);
        assert_eq!(Phase::of(true, S::Published, A::Public, true), Phase::Public);
        assert_eq!(Phase::of(true, S::Final, A::Public, true), Phase::Final);
        assert_eq!(Phase::of(true, S::Draft, A::Public, true), Phase::Reopened);
    }

    #[test]
    fn refusal_codes_are_distinct_and_snake_case() {
        let all = [SkillMarked, ResultsRatified, AlreadyRatified, NotRatified, NotPublic, NotPublished, NoticeOver];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
        assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        for r in all {
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.code()), "the wire name is the code");
        }
    }
}
