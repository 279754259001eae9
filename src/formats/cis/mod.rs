//! Marking schemes in the WorldSkills CIS "Marking Scheme Import" spreadsheet layout, in and out.
//!
//! Organisers receive and hand over marking schemes as sheets in that layout (see the marking
//! scheme section of `domain.md`): title cells `Skill: …` and `Test Project: …` in the first rows,
//! often a summary table per criterion, then one section per criterion opened by a header row whose
//! column A reads `Sub Criteria ID`. Inside a section each row is classified by which columns hold
//! values: criterion rows (A = `A`), sub-criterion rows (A = `A1`), aspect rows (C = `M` or `J`) and,
//! right under each judgement aspect, its four score descriptor rows (E = 0…3, F = text).
//!
//! Reading is all-or-nothing: [`read_cis`] returns every problem it finds, each pointing at the row
//! as the spreadsheet shows it, or a complete [`Scheme`] that passes [`Scheme::problems`]. The
//! summary table and each section's criterion mark are cross-checks only: disagreements become
//! warnings. Writing produces the same layout, so an export imports back to the same scheme.
//!
//! A measurement aspect's kind travels in its extra description (column F): a deduction rule
//! (`Deduct 0.25 per fault`, `每处扣0.25分`) makes it a deduction aspect, a line listing amounts
//! (`0 / 0.5 / 1.0`) a stepped one, anything else pass/fail. The first line that is a rule decides.

mod read;
mod write;

#[cfg(test)]
mod fixtures;

pub use self::read::{measurement_from_text, read_cis};
pub use self::write::{write_cis_csv, write_cis_xlsx};

use crate::domain::scheme::{AspectType, Criterion, Scheme};
use crate::error::RowProblem;

/// A marking scheme read from a CIS sheet, with the sheet's titles.
#[derive(Debug, Clone, PartialEq)]
pub struct CisSheet {
    pub skill_name: String,
    pub test_project: String,
    pub scheme: Scheme,
    /// Cross-check disagreements (summary table, criterion marks) that did not stop the import.
    pub warnings: Vec<RowProblem>,
}

// Column indexes of a section (A = 0).
const COL_ID: usize = 0;
const COL_NAME: usize = 1;
const COL_TYPE: usize = 2;
const COL_DESCRIPTION: usize = 3;
const COL_SCORE: usize = 4;
const COL_EXTRA: usize = 5;
const COL_REQUIREMENT: usize = 6;
const COL_REQUIREMENT_2: usize = 7;
const COL_MAX: usize = 8;
const COL_CRITERION: usize = 9;
const COL_CRITERION_MAX: usize = 10;
/// Where the writer puts the optional columns; the reader looks them up by heading.
const COL_DAY: usize = 11;
const COL_WSOS: usize = 12;

/// Column names as problems report them.
const NAME_ID: &str = "Sub Criteria ID";
const NAME_NAME: &str = "Sub Criteria Name or Description";
const NAME_TYPE: &str = "Aspect Type";
const NAME_DESCRIPTION: &str = "Aspect - Description";
const NAME_SCORE: &str = "Judg Score";
const NAME_EXTRA: &str = "Extra Aspect Description";
const NAME_MAX: &str = "Max Mark";
const NAME_CRITERION: &str = "Criterion";
const NAME_DAY: &str = "Day of Marking";
const NAME_WSOS: &str = "WSOS Section";

/// The titles are looked for in this many non-empty rows at the top.
const TITLE_ROWS: usize = 10;

const SKILL_LABELS: &[&str] = &["skill", "skill name", "项目", "项目名称", "技能", "赛项"];
const TEST_PROJECT_LABELS: &[&str] = &["test project", "test project name", "赛题", "赛题名称", "试题"];

/// A criterion's (Meas, Judg, Total) in hundredths.
fn totals(criterion: &Criterion) -> [i64; 3] {
    let mut out = [0i64; 3];
    for a in criterion.sub_criteria.iter().flat_map(|s| &s.aspects) {
        let slot = if matches!(a.kind, AspectType::Judgement { .. }) { 1 } else { 0 };
        out[slot] += i64::from(a.max);
        out[2] += i64::from(a.max);
    }
    out
}
