//! `skillmark verify`: every confirmed standing recomputed from the stored ratified results.

use super::*;

/// What a confirmed standing line must be, compared field by field.
#[derive(Debug, PartialEq)]
struct Expected {
    standing: i64,
    tie_break: Option<i64>,
    breakdown: Vec<StageScore>,
    rank: i32,
    tied_at_cut: bool,
    decided_by_tie_break: bool,
    advanced: bool,
    moved_up: bool,
}

impl Expected {
    fn of(r: &AdvancementRow) -> Self {
        Self {
            standing: r.standing,
            tie_break: r.tie_break,
            breakdown: serde_json::from_str(&r.breakdown).unwrap_or_default(),
            rank: r.rank,
            tied_at_cut: r.tied_at_cut,
            decided_by_tie_break: r.decided_by_tie_break,
            advanced: r.advanced,
            moved_up: r.moved_up,
        }
    }

    fn describe(&self) -> String {
        format!(
            "standing {} rank {} advanced {}{}",
            format_hundredths(Standing(self.standing).hundredths()),
            self.rank,
            self.advanced,
            if self.moved_up { " (moved up)" } else { "" }
        )
    }
}

/// Recomputes every confirmed advancement (stage, skill) from the stored ratified results with the
/// stage's weights, basis and tie rule, replays the recorded withdrawals and their move-ups (递补),
/// and reports every line that differs from what was confirmed. Returns how many standings were
/// checked and the problems. A skill reopened by an upheld dispute is skipped (its results may
/// change until re-ratified).
pub fn verify_standings(conn: &mut DbConn) -> ApiResult<(usize, Vec<String>)> {
    let mut checked = 0;
    let mut problems = Vec::new();
    for row in repo::selection::confirmed_stage_skills(conn)? {
        let Some(stage) = repo::selection::find_stage(conn, &row.stage_id)? else { continue };
        let Some(programme) = repo::selection::find_programme(conn, &stage.programme_id)? else { continue };
        let Some(skill) = repo::events::find_skill(conn, &row.skill_id)? else { continue };
        let label = format!("selection stage {} ({}) skill {}", stage.position, stage.id, row.skill_number);
        if gate::phase_of(conn, &skill)? == Phase::Reopened {
            continue;
        }
        checked += 1;
        let stages = repo::selection::stages_of(conn, &programme.id)?;
        let computed = match recompute(conn, &programme, &stages, &stage, &row, &skill) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{label}: the confirmed standing cannot be recomputed: {e}"));
                continue;
            }
        };
        let stored = repo::selection::advancements_of(conn, &stage.id, &row.skill_id)?;
        let mut expected: Vec<Expected> = computed.rows.iter().map(Expected::of).collect();
        replay_withdrawals(&computed, &stored, &tie_rule_of(&row)?, &mut expected);
        for (i, fresh) in computed.rows.iter().enumerate() {
            match stored.iter().find(|s| s.entry_id == fresh.entry_id) {
                None => problems.push(format!(
                    "{label}: entry {} recomputes to {} but has no confirmed standing",
                    fresh.entry_id,
                    expected[i].describe()
                )),
                Some(s) if Expected::of(s) != expected[i] => problems.push(format!(
                    "{label}: entry {} recomputes to {} but {} is stored",
                    fresh.entry_id,
                    expected[i].describe(),
                    Expected::of(s).describe()
                )),
                Some(_) => {}
            }
        }
        for s in stored.iter().filter(|s| !computed.rows.iter().any(|f| f.entry_id == s.entry_id)) {
            problems.push(format!("{label}: entry {} is confirmed but no longer in the ratified results", s.entry_id));
        }
    }
    Ok((checked, problems))
}

/// Applies the recorded withdrawals, in the order they happened, to the recomputed proposal: a
/// withdrawn entry no longer advances, and if it did the next-ranked moves up.
fn replay_withdrawals(computed: &Computed, stored: &[AdvancementRow], rule: &TieRule, expected: &mut [Expected]) {
    let mut withdrawals: Vec<(&AdvancementRow, usize)> = stored
        .iter()
        .filter(|s| s.withdrawn_reason.is_some())
        .filter_map(|s| computed.rows.iter().position(|r| r.entry_id == s.entry_id).map(|i| (s, i)))
        .collect();
    withdrawals.sort_by_key(|(s, _)| s.withdrawn_at);
    let mut out: Vec<bool> = computed.rows.iter().map(|r| r.ineligible.is_some()).collect();
    for (_, i) in withdrawals {
        let was_advancing = expected[i].advanced;
        expected[i].advanced = false;
        out[i] = true;
        if was_advancing {
            let placements: Vec<Placement> = expected
                .iter()
                .map(|e| stored_placement(e.rank, e.advanced, e.tied_at_cut, e.decided_by_tie_break))
                .collect();
            for j in rules::move_up(&computed.candidates, &placements, &out, rule) {
                expected[j].advanced = true;
                expected[j].moved_up = true;
            }
        }
    }
}
