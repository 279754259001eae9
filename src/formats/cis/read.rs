//! Reading: a CIS sheet (as a [`Table`]) into a checked [`Scheme`], or every problem at its row.

use std::collections::HashMap;

use crate::domain::scheme::{
    format_hundredths, parse_hundredths, Aspect, AspectType, Criterion, Measurement, Scheme, SubCriterion,
};
use crate::error::RowProblem;
use crate::formats::tabular::Table;

use super::{
    totals, CisSheet, COL_CRITERION, COL_CRITERION_MAX, COL_DESCRIPTION, COL_EXTRA, COL_ID, COL_MAX, COL_NAME,
    COL_REQUIREMENT, COL_REQUIREMENT_2, COL_SCORE, COL_TYPE, NAME_CRITERION, NAME_DAY, NAME_DESCRIPTION, NAME_EXTRA,
    NAME_ID, NAME_MAX, NAME_NAME, NAME_SCORE, NAME_TYPE, SKILL_LABELS, TEST_PROJECT_LABELS, TITLE_ROWS,
};

/// One non-empty row of the sheet (the table's header row included).
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    cells: &'a [String],
}

impl Line<'_> {
    fn get(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }

    fn first_non_empty(&self) -> &str {
        self.cells.iter().map(String::as_str).find(|c| !c.is_empty()).unwrap_or("")
    }
}

fn problem(row: usize, column: &str, message: impl Into<String>) -> RowProblem {
    RowProblem::plain(row, column, message)
}

/// Lower case, `-`/`_` as spaces, runs of spaces as one, trailing `:`/`*` dropped.
fn normalise(text: &str) -> String {
    let text = text.trim().trim_end_matches([':', '：', '*', '＊']);
    text.replace(['-', '_', '–'], " ").split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Undoes [`neutralise_formula`]: exports defuse `=…` as `'=…`, which should import as typed.
fn text(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell.to_owned(),
    }
}

fn is_criterion_id(s: &str) -> bool {
    (1..=2).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase())
}

/// `A1`, `AB12`: one or two capital letters then digits (the digits' form is checked by the
/// scheme's own validation, which names the row).
fn is_sub_id(s: &str) -> bool {
    let letters = s.chars().take_while(char::is_ascii_uppercase).count();
    let digits = &s[letters..];
    (1..=2).contains(&letters) && !digits.is_empty() && digits.len() <= 6 && digits.chars().all(|c| c.is_ascii_digit())
}

/// `Criterion A`, `criterion: A` or `A` → `A`; `None` when nothing is named.
fn criterion_letter(cell: &str) -> Option<String> {
    let t = cell.trim();
    let rest = if t.len() >= 9 && t.is_char_boundary(9) && t[..9].eq_ignore_ascii_case("criterion") {
        t[9..].trim_start_matches([':', '：', ' ']).trim()
    } else {
        t
    };
    (!rest.is_empty()).then(|| rest.to_owned())
}

fn is_section_header(line: &Line<'_>) -> bool {
    matches!(normalise(line.get(COL_ID)).as_str(), "sub criteria id" | "sub criterion id")
}

/// Skill and test project names from title cells such as `Skill: Welding`; a label alone in a
/// cell takes its name from the next non-empty cell of the row.
fn read_titles(lines: &[Line<'_>], errors: &mut Vec<RowProblem>) -> (String, String) {
    let mut skill: Option<String> = None;
    let mut project: Option<String> = None;
    for line in lines {
        for (i, cell) in line.cells.iter().enumerate() {
            let Some(colon) = cell.find([':', '：']) else { continue };
            let label = normalise(&cell[..colon]);
            let slot = if SKILL_LABELS.contains(&label.as_str()) {
                &mut skill
            } else if TEST_PROJECT_LABELS.contains(&label.as_str()) {
                &mut project
            } else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let colon_len = cell[colon..].chars().next().map_or(1, char::len_utf8);
            let mut name = text(cell[colon + colon_len..].trim());
            if name.is_empty() {
                name = line.cells[i + 1..].iter().find(|c| !c.is_empty()).map(|c| text(c)).unwrap_or_default();
            }
            if name.is_empty() {
                errors.push(problem(line.number, "", format!("the title {cell:?} has no name after the colon")));
                *slot = Some(String::new());
            } else {
                *slot = Some(name);
            }
        }
    }
    if skill.is_none() {
        errors.push(problem(
            0,
            "",
            format!("the sheet has no `Skill: <name>` title cell in its first {TITLE_ROWS} rows"),
        ));
    }
    if project.is_none() {
        errors.push(problem(
            0,
            "",
            format!("the sheet has no `Test Project: <name>` title cell in its first {TITLE_ROWS} rows"),
        ));
    }
    (skill.unwrap_or_default(), project.unwrap_or_default())
}

/// One line of the summary table: a criterion's (or, with `criterion` `None`, the whole
/// scheme's) Meas, Judg and Total as the sheet states them.
struct SummaryLine {
    row: usize,
    criterion: Option<String>,
    /// (column name, raw cell) for Meas, Judg and Total.
    values: [(&'static str, String); 3],
}

struct Summary {
    header_row: usize,
    lines: Vec<SummaryLine>,
}

fn read_summary(preamble: &[Line<'_>]) -> Option<Summary> {
    let (start, cols) = preamble.iter().enumerate().find_map(|(i, line)| {
        let names: Vec<String> = line.cells.iter().map(|c| normalise(c)).collect();
        let find = |pred: &dyn Fn(&str) -> bool| names.iter().position(|n| pred(n));
        let criterion = find(&|n| n == "criterion")?;
        let meas = find(&|n| n.starts_with("meas"))?;
        let judg = find(&|n| n.starts_with("judg"))?;
        let total = find(&|n| n.starts_with("total"))?;
        Some((i, [criterion, meas, judg, total]))
    })?;
    let [criterion_col, meas, judg, total] = cols;
    let mut summary = Summary { header_row: preamble[start].number, lines: Vec::new() };
    for line in &preamble[start + 1..] {
        let values = [("Meas", meas), ("Judg", judg), ("Total", total)].map(|(n, c)| (n, line.get(c).to_owned()));
        if normalise(line.first_non_empty()) == "total" {
            summary.lines.push(SummaryLine { row: line.number, criterion: None, values });
            break;
        }
        if let Some(id) = criterion_letter(line.get(criterion_col)).filter(|id| is_criterion_id(id)) {
            summary.lines.push(SummaryLine { row: line.number, criterion: Some(id), values });
        }
    }
    Some(summary)
}

/// How a row of a section reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SectionHeader,
    Criterion,
    Sub,
    Aspect,
    /// A, B, C and D empty, a score or text in E/F.
    Descriptor,
    Other,
}

fn classify(line: &Line<'_>) -> Kind {
    let aspect_type = line.get(COL_TYPE);
    if is_section_header(line) {
        Kind::SectionHeader
    } else if aspect_type.eq_ignore_ascii_case("m") || aspect_type.eq_ignore_ascii_case("j") {
        Kind::Aspect
    } else if is_criterion_id(line.get(COL_ID)) {
        Kind::Criterion
    } else if is_sub_id(line.get(COL_ID)) {
        Kind::Sub
    } else if [COL_ID, COL_NAME, COL_TYPE, COL_DESCRIPTION].iter().all(|c| line.get(*c).is_empty())
        && (!line.get(COL_SCORE).is_empty() || !line.get(COL_EXTRA).is_empty())
    {
        Kind::Descriptor
    } else {
        Kind::Other
    }
}

/// What a section's header row says.
struct Section {
    letter: Option<String>,
    /// The criterion's max mark as written in column K, for the first criterion of the section.
    max: Option<(usize, String)>,
    day_col: Option<usize>,
    wsos_col: Option<usize>,
}

fn read_section_header(line: &Line<'_>) -> Section {
    let letter = criterion_letter(line.get(COL_CRITERION)).filter(|l| is_criterion_id(l));
    let max = Some(line.get(COL_CRITERION_MAX)).filter(|m| !m.is_empty()).map(|m| (line.number, m.to_owned()));
    let find = |pred: &dyn Fn(&str) -> bool| {
        line.cells.iter().enumerate().skip(COL_CRITERION_MAX + 1).find(|(_, c)| pred(&normalise(c))).map(|(i, _)| i)
    };
    Section {
        letter,
        max,
        day_col: find(&|n| n.starts_with("day of marking") || n == "day" || n == "marking day"),
        wsos_col: find(&|n| n.starts_with("wsos")),
    }
}

/// Day of marking written as `1`, `C1`, `Day 1` (empty: day 1).
fn parse_day(raw: &str) -> Result<u8, String> {
    let lower = raw.trim().to_lowercase();
    if lower.is_empty() {
        return Ok(1);
    }
    let number = lower
        .strip_prefix("day")
        .or_else(|| lower.strip_prefix('c'))
        .or_else(|| lower.strip_prefix('d'))
        .unwrap_or(&lower)
        .trim();
    number.parse::<u8>().map_err(|_| format!("day of marking {raw:?} is not a day like C1, 1 or Day 1"))
}

/// The first number in a text (`.` or `,` as decimal mark), as written.
fn first_number(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let start = bytes
        .iter()
        .enumerate()
        .position(|(i, b)| b.is_ascii_digit() || (*b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))?;
    let len = bytes[start..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.' || **b == b',').count();
    Some(line[start..start + len].trim_end_matches(['.', ',']))
}

/// `Deduct 0.25 per fault`, `deduction 0.5 each`, `每处扣0.25分`: `Some(step)` for a deduction rule.
fn deduction_rule(line: &str) -> Option<Result<i32, String>> {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let deducts = words.iter().any(|w| w.starts_with("deduct")) || line.contains('扣');
    let per_unit = words.iter().any(|w| matches!(*w, "per" | "each" | "every"))
        || ["每", "/处", "/个", "/次", "/项", "/ 处"].iter().any(|p| line.contains(p));
    if !(deducts && per_unit) {
        return None;
    }
    let number = first_number(line)?;
    Some(parse_hundredths(number).map_err(|e| format!("the deduction step: {e}")))
}

/// `0 / 0.5 / 1.0 / 1.5`, optionally after a label and a colon: `Some(amounts)` for such a line.
fn stepped_list(line: &str) -> Option<Result<Vec<i32>, String>> {
    let list = line.rsplit([':', '：']).next().unwrap_or(line);
    let pieces: Vec<&str> = list.split('/').map(str::trim).collect();
    let numeric = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    if pieces.len() < 2 || !pieces.iter().all(numeric) {
        return None;
    }
    Some(
        pieces
            .iter()
            .map(|p| parse_hundredths(p).map_err(|e| format!("the allowed amounts: {e}")))
            .collect::<Result<Vec<_>, _>>(),
    )
}

/// `Pass/fail` written out, which the writer uses when an aspect's text would read as a rule.
fn is_pass_fail_marker(line: &str) -> bool {
    matches!(normalise(line).replace(' ', "").as_str(), "pass/fail" | "passorfail" | "合格/不合格")
}

/// The kind of a measurement aspect from its extra description: the first line that is a rule.
pub fn measurement_from_text(extra: &str) -> Result<Measurement, String> {
    for line in extra.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if is_pass_fail_marker(line) {
            return Ok(Measurement::PassFail);
        }
        if let Some(step) = deduction_rule(line) {
            return step.map(|step| Measurement::Deduction { step });
        }
        if let Some(allowed) = stepped_list(line) {
            return allowed.map(|allowed| Measurement::Stepped { allowed });
        }
    }
    Ok(Measurement::PassFail)
}

struct AspectDraft {
    row: usize,
    aspect: Aspect,
    /// A problem of this row was already reported; the scheme's own checks would repeat it.
    reported: bool,
    max_unreadable: bool,
}

struct SubDraft {
    row: usize,
    id: String,
    name: String,
    aspects: Vec<AspectDraft>,
}

struct CriterionDraft {
    row: usize,
    id: String,
    name: String,
    subs: Vec<SubDraft>,
    /// Column K of the section header, as (row, text).
    section_max: Option<(usize, String)>,
}

/// A judgement aspect collecting its descriptor rows: (criterion, sub, aspect) indexes.
struct Pending {
    at: (usize, usize, usize),
    row: usize,
    descriptors: Vec<String>,
    broken: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum SubState {
    None,
    /// The sub-criterion row was refused; its aspects are skipped without further noise.
    Orphan,
    At(usize, usize),
}

#[derive(Default)]
struct Reader {
    criteria: Vec<CriterionDraft>,
    errors: Vec<RowProblem>,
}

impl Reader {
    fn finish_pending(&mut self, pending: Option<Pending>) {
        let Some(p) = pending else { return };
        let (c, s, a) = p.at;
        let draft = &mut self.criteria[c].subs[s].aspects[a];
        let mut reported = p.broken;
        if p.descriptors.len() < 4 {
            self.errors.push(problem(
                p.row,
                NAME_TYPE,
                format!(
                    "a judgement aspect needs four descriptor rows right under it (score 0, 1, 2, 3 in column E, \
                     the text in column F); found {}",
                    p.descriptors.len()
                ),
            ));
            reported = true;
        }
        draft.reported |= reported;
        draft.aspect.kind = AspectType::Judgement { descriptors: p.descriptors };
    }

    fn read_sections(&mut self, lines: &[Line<'_>]) {
        let mut section = read_section_header(&lines[0]);
        let mut criterion: Option<usize> = None;
        let mut sub = SubState::None;
        let mut pending: Option<Pending> = None;
        let mut last_structural = 0;
        // Problems of rows that fit nowhere, kept only if real rows follow them (footers don't).
        let mut deferred: Vec<(usize, RowProblem)> = Vec::new();

        for (i, line) in lines.iter().enumerate().skip(1) {
            let kind = classify(line);
            if let Some(p) = pending.as_mut() {
                if kind == Kind::Descriptor {
                    let expected = p.descriptors.len();
                    let score = line.get(COL_SCORE);
                    if parse_hundredths(score).ok() != Some(expected as i32 * 100) {
                        self.errors.push(problem(
                            line.number,
                            NAME_SCORE,
                            format!("this descriptor row should be for score {expected}, not {score:?}"),
                        ));
                        p.broken = true;
                    }
                    let description = text(line.get(COL_EXTRA));
                    if description.is_empty() {
                        self.errors.push(problem(
                            line.number,
                            NAME_EXTRA,
                            format!("the descriptor for score {expected} has no text"),
                        ));
                        p.broken = true;
                    }
                    p.descriptors.push(description);
                    last_structural = i;
                    if p.descriptors.len() == 4 {
                        self.finish_pending(pending.take());
                    }
                    continue;
                }
                self.finish_pending(pending.take());
            }
            match kind {
                Kind::SectionHeader => {
                    section = read_section_header(line);
                    criterion = None;
                    sub = SubState::None;
                    last_structural = i;
                }
                Kind::Criterion => {
                    last_structural = i;
                    let id = line.get(COL_ID).to_owned();
                    match &section.letter {
                        Some(letter) if *letter != id => self.errors.push(problem(
                            line.number,
                            NAME_ID,
                            format!(
                                "criterion {id} is in the section headed `Criterion {letter}`; each criterion needs \
                                 its own `Sub Criteria ID` header row"
                            ),
                        )),
                        Some(_) => {}
                        None => section.letter = Some(id.clone()),
                    }
                    self.criteria.push(CriterionDraft {
                        row: line.number,
                        id,
                        name: text(line.get(COL_NAME)),
                        subs: Vec::new(),
                        section_max: section.max.take(),
                    });
                    criterion = Some(self.criteria.len() - 1);
                    sub = SubState::None;
                }
                Kind::Sub => {
                    last_structural = i;
                    let id = line.get(COL_ID).to_owned();
                    let Some(c) = criterion else {
                        self.errors.push(problem(
                            line.number,
                            NAME_ID,
                            format!("sub-criterion {id} comes before its criterion's row (A = the criterion letter)"),
                        ));
                        sub = SubState::Orphan;
                        continue;
                    };
                    let subs = &mut self.criteria[c].subs;
                    subs.push(SubDraft { row: line.number, id, name: text(line.get(COL_NAME)), aspects: Vec::new() });
                    sub = SubState::At(c, subs.len() - 1);
                }
                Kind::Aspect => {
                    last_structural = i;
                    let (draft, judgement) = self.read_aspect(line, &section, criterion, sub);
                    let (SubState::At(c, s), Some(draft)) = (sub, draft) else { continue };
                    let aspects = &mut self.criteria[c].subs[s].aspects;
                    aspects.push(draft);
                    if judgement {
                        pending = Some(Pending {
                            at: (c, s, aspects.len() - 1),
                            row: line.number,
                            descriptors: Vec::new(),
                            broken: false,
                        });
                    }
                }
                Kind::Descriptor => deferred.push((
                    i,
                    problem(
                        line.number,
                        NAME_SCORE,
                        "this score descriptor row is not among the four rows right under a judgement (J) aspect",
                    ),
                )),
                Kind::Other => {
                    let aspect_type = line.get(COL_TYPE);
                    if !aspect_type.is_empty() {
                        deferred.push((
                            i,
                            problem(line.number, NAME_TYPE, format!("aspect type {aspect_type:?} must be M or J")),
                        ));
                    } else if !line.get(COL_DESCRIPTION).is_empty() {
                        deferred.push((
                            i,
                            problem(
                                line.number,
                                NAME_TYPE,
                                "the row has an aspect description but no aspect type (M or J in column C)",
                            ),
                        ));
                    }
                }
            }
        }
        self.finish_pending(pending);
        self.errors.extend(deferred.into_iter().filter(|(i, _)| *i < last_structural).map(|(_, p)| p));
    }

    /// Reads an aspect row; `None` when it has nowhere to go. The bool says it is a judgement.
    fn read_aspect(
        &mut self,
        line: &Line<'_>,
        section: &Section,
        criterion: Option<usize>,
        sub: SubState,
    ) -> (Option<AspectDraft>, bool) {
        let row = line.number;
        let errors_before = self.errors.len();
        let judgement = line.get(COL_TYPE).eq_ignore_ascii_case("j");
        let current_letter = criterion.map(|c| self.criteria[c].id.clone()).or_else(|| section.letter.clone());
        if let (Some(named), Some(current)) = (criterion_letter(line.get(COL_CRITERION)), &current_letter) {
            if named != *current {
                self.errors.push(problem(
                    row,
                    NAME_CRITERION,
                    format!("the aspect names criterion {named:?} but is in the section of criterion {current}"),
                ));
            }
        }
        match (criterion, sub) {
            (_, SubState::Orphan) => return (None, judgement),
            (None, _) => {
                self.errors.push(problem(
                    row,
                    NAME_TYPE,
                    "the aspect comes before its criterion's row (A = the criterion letter, B = its name)",
                ));
                return (None, judgement);
            }
            (Some(c), SubState::None) => {
                self.errors.push(problem(
                    row,
                    NAME_TYPE,
                    format!("the aspect comes before any sub-criterion row of criterion {}", self.criteria[c].id),
                ));
                return (None, judgement);
            }
            (Some(_), SubState::At(..)) => {}
        }

        let description = text(line.get(COL_DESCRIPTION));
        if description.is_empty() {
            self.errors.push(problem(row, NAME_DESCRIPTION, "the aspect has no description"));
        }
        let raw_max = line.get(COL_MAX);
        let max = if raw_max.is_empty() {
            self.errors.push(problem(row, NAME_MAX, "the aspect has no max mark"));
            None
        } else {
            parse_hundredths(raw_max)
                .map_err(|e| self.errors.push(problem(row, NAME_MAX, format!("max mark: {e}"))))
                .ok()
        };
        let extra_description = text(line.get(COL_EXTRA));
        let requirement = [COL_REQUIREMENT, COL_REQUIREMENT_2]
            .iter()
            .map(|c| text(line.get(*c)))
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let day = section
            .day_col
            .map_or(Ok(1), |c| parse_day(line.get(c)))
            .map_err(|e| self.errors.push(problem(row, NAME_DAY, e)))
            .unwrap_or(1);
        let wsos_section = section.wsos_col.map(|c| text(line.get(c))).filter(|w| !w.is_empty());
        let kind = if judgement {
            AspectType::Judgement { descriptors: Vec::new() }
        } else {
            let measurement = measurement_from_text(&extra_description)
                .map_err(|e| self.errors.push(problem(row, NAME_EXTRA, e)))
                .unwrap_or(Measurement::PassFail);
            AspectType::Measurement { measurement }
        };
        let aspect =
            Aspect { description, extra_description, requirement, max: max.unwrap_or(0), day, wsos_section, kind };
        let draft =
            AspectDraft { row, aspect, reported: self.errors.len() > errors_before, max_unreadable: max.is_none() };
        (Some(draft), judgement)
    }

    /// The scheme, and each scheme path's rows (`A`, `A/A1`, `A/A1/1`) in sheet order.
    fn build(&self) -> (Scheme, HashMap<String, Vec<usize>>, Vec<String>, bool) {
        let mut rows: HashMap<String, Vec<usize>> = HashMap::new();
        let mut reported = Vec::new();
        let mut max_unreadable = false;
        let criteria = self
            .criteria
            .iter()
            .map(|c| {
                rows.entry(c.id.clone()).or_default().push(c.row);
                let sub_criteria = c
                    .subs
                    .iter()
                    .map(|s| {
                        let sub_path = format!("{}/{}", c.id, s.id);
                        rows.entry(sub_path.clone()).or_default().push(s.row);
                        for (i, a) in s.aspects.iter().enumerate() {
                            let path = format!("{sub_path}/{}", i + 1);
                            rows.entry(path.clone()).or_default().push(a.row);
                            if a.reported {
                                reported.push(path);
                            }
                            max_unreadable |= a.max_unreadable;
                        }
                        SubCriterion {
                            id: s.id.clone(),
                            name: s.name.clone(),
                            aspects: s.aspects.iter().map(|a| a.aspect.clone()).collect(),
                        }
                    })
                    .collect();
                Criterion { id: c.id.clone(), name: c.name.clone(), sub_criteria }
            })
            .collect();
        (Scheme { criteria }, rows, reported, max_unreadable)
    }
}

/// Which column a problem of [`Scheme::problems`] is about, from its wording.
fn column_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains(" id ") || m.contains("appears twice") {
        NAME_ID
    } else if m.contains("has no name") {
        NAME_NAME
    } else if m.contains("no description") {
        NAME_DESCRIPTION
    } else if m.contains("max mark") {
        NAME_MAX
    } else if m.contains("day of marking") {
        NAME_DAY
    } else if m.contains("descriptor") || m.contains("stepped") || m.contains("deduction") {
        NAME_EXTRA
    } else {
        ""
    }
}

/// Reads a CIS marking-scheme sheet (already decoded by [`crate::formats::tabular::read_table`] from CSV or
/// XLSX). All-or-nothing: `Err` with every problem, row numbers as the spreadsheet shows them.
pub fn read_cis(table: &Table) -> Result<CisSheet, Vec<RowProblem>> {
    let lines: Vec<Line<'_>> = std::iter::once(Line { number: table.header_row, cells: &table.headers })
        .chain(table.rows.iter().map(|r| Line { number: r.number, cells: &r.cells }))
        .collect();
    let first_section = lines.iter().position(is_section_header);
    let preamble = &lines[..first_section.unwrap_or(lines.len())];

    let mut reader = Reader::default();
    let (skill_name, test_project) = read_titles(&preamble[..preamble.len().min(TITLE_ROWS)], &mut reader.errors);
    let summary = read_summary(preamble);
    match first_section {
        Some(start) => reader.read_sections(&lines[start..]),
        None => reader.errors.push(problem(
            0,
            NAME_ID,
            "the sheet has no section header row (column A `Sub Criteria ID`), so no criteria were found",
        )),
    }

    let (scheme, rows, reported, max_unreadable) = reader.build();
    let mut errors = reader.errors;
    if first_section.is_some() {
        for p in scheme.problems() {
            if reported.contains(&p.path) || (p.path.is_empty() && max_unreadable && p.message.contains("totals")) {
                continue;
            }
            let at = rows.get(&p.path);
            let row = if p.message.contains("appears twice") {
                at.and_then(|r| r.last())
            } else {
                at.and_then(|r| r.first())
            };
            errors.push(problem(row.copied().unwrap_or(0), column_of(&p.message), p.message));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|p| p.row);
        return Err(errors);
    }

    let warnings = cross_check(&scheme, &reader.criteria, summary.as_ref());
    Ok(CisSheet { skill_name, test_project, scheme, warnings })
}

/// A warning when a stated total (`raw`, empty: not stated) differs from the aspects' sum.
fn compare(row: usize, column: &str, what: &str, raw: &str, actual: i64) -> Option<RowProblem> {
    if raw.is_empty() {
        return None;
    }
    match parse_hundredths(raw) {
        Ok(stated) if i64::from(stated) == actual => None,
        Ok(stated) => Some(problem(
            row,
            column,
            format!(
                "{what} is stated as {} but its aspects add up to {}",
                format_hundredths(stated.into()),
                format_hundredths(actual)
            ),
        )),
        Err(e) => Some(problem(row, column, format!("{what} was not checked: {e}"))),
    }
}

fn cross_check(scheme: &Scheme, drafts: &[CriterionDraft], summary: Option<&Summary>) -> Vec<RowProblem> {
    let mut warnings = Vec::new();
    for (criterion, draft) in scheme.criteria.iter().zip(drafts) {
        if let Some((row, raw)) = &draft.section_max {
            let what = format!("criterion {}'s mark", criterion.id);
            warnings.extend(compare(*row, "Criterion Max Mark", &what, raw, totals(criterion)[2]));
        }
    }
    let Some(summary) = summary else { return warnings };
    let whole = scheme.criteria.iter().map(totals).fold([0; 3], |acc, t| [acc[0] + t[0], acc[1] + t[1], acc[2] + t[2]]);
    for line in &summary.lines {
        let (label, actual) = match &line.criterion {
            None => ("the scheme".to_owned(), whole),
            Some(id) => match scheme.criteria.iter().find(|c| c.id == *id) {
                Some(c) => (format!("criterion {id}"), totals(c)),
                None => {
                    warnings.push(problem(
                        line.row,
                        NAME_CRITERION,
                        format!("the summary lists criterion {id}, which has no section"),
                    ));
                    continue;
                }
            },
        };
        for ((column, raw), actual) in line.values.iter().zip(actual) {
            let what = format!("the summary's {column} total of {label}");
            warnings.extend(compare(line.row, column, &what, raw, actual));
        }
    }
    for c in &scheme.criteria {
        if !summary.lines.iter().any(|l| l.criterion.as_deref() == Some(c.id.as_str())) {
            warnings.push(problem(
                summary.header_row,
                NAME_CRITERION,
                format!("the summary table does not list criterion {}", c.id),
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::cis::fixtures::expected_welding;
    use crate::formats::cis::{COL_DAY, COL_WSOS};
    use crate::formats::tabular::{read_table, Format, Row};
    use proptest::prelude::*;

    /// A sheet as rows of cells, row 1 first; empty rows are blank lines.
    type Sheet = Vec<Vec<String>>;

    fn r(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn section_header(letter: &str, max: &str) -> Vec<String> {
        let criterion = format!("Criterion {letter}");
        r(&[
            "Sub Criteria ID",
            "Sub Criteria Name or Description",
            "Aspect Type M = Meas J = Judg",
            "Aspect - Description",
            "Judg Score",
            "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)",
            "Requirement (Meas or Judg)",
            "",
            "Max Mark",
            &criterion,
            max,
            "Day of Marking",
            "WSOS Section",
        ])
    }

    /// The welding scheme as a competition's sheet has it. Rows: 1–2 titles, 4–7 summary, 9 section
    /// header of A, 10 criterion A, 11 A1, 12 pass/fail, 13 stepped, 14 A2, 15 deduction, 16 judgement,
    /// 17–20 its descriptors, 22 section header of B, 23 B, 24 B1, 25 pass/fail, 26 judgement, 27–30
    /// descriptors, 32–33 footer.
    fn welding() -> Sheet {
        vec![
            r(&["Skill: Welding", "", "", "", "", "", "", "", "", "", "", "", ""]),
            r(&["Test Project: Module A – Pressure vessel"]),
            r(&[]),
            r(&["Criterion", "Description", "Meas", "Judg", "Total"]),
            r(&["A", "Preparation", "30.00", "10.00", "40.00"]),
            r(&["B", "Finish", "40.00", "20.00", "60.00"]),
            r(&["Total", "", "70.00", "30.00", "100.00"]),
            r(&[]),
            section_header("A", "40.00"),
            r(&["A", "Preparation"]),
            r(&["A1", "Cutting"]),
            r(&["", "", "M", "Plates cut to size", "", "", "±1 mm", "per drawing", "10.00", "A", "", "C1", "1"]),
            r(&["", "", "M", "Bevel angle", "", "0 / 5.00 / 10.00", "30°", "", "10.00", "A", "", "Day 2", "2"]),
            r(&["A2", "Fit-up"]),
            r(&["", "", "M", "Tack welds", "", "Deduct 0.50 per fault", "", "", "10,00", "A", "", "1", ""]),
            r(&["", "", "J", "Fit-up quality", "", "", "", "", "10.00", "A", "", "C2", "3"]),
            r(&["", "", "", "", "0", "Gaps uneven, plates misaligned"]),
            r(&["", "", "", "", "1", "Gaps within tolerance"]),
            r(&["", "", "", "", "2", "Even gaps, aligned"]),
            r(&["", "", "", "", "3", "Flawless fit-up"]),
            r(&[]),
            section_header("B", "60.00"),
            r(&["B", "Finish"]),
            r(&["B1", "Visual"]),
            r(&["", "", "M", "Spatter removed", "", "", "", "", "40.00", "B", "", "C3", ""]),
            r(&["", "", "J", "Overall appearance", "", "Seen from 1 m", "", "", "20.00", "B", "", "C3", "4"]),
            r(&["", "", "", "", "0", "Below industry standard"]),
            r(&["", "", "", "", "1", "Meets industry standard"]),
            r(&["", "", "", "", "2", "Exceeds it in respects"]),
            r(&["", "", "", "", "3", "Excellent"]),
            r(&[]),
            r(&["Total", "", "", "", "", "", "", "", "100.00"]),
            r(&["Prepared by the Skill Competition Manager; marks are final once the scheme is locked."]),
        ]
    }

    /// The sheet as a user's CSV file (quoted where needed), through the real reader.
    fn csv_table(sheet: &Sheet) -> Table {
        let mut out = String::new();
        for row in sheet {
            let cells: Vec<String> =
                row.iter()
                    .map(|c| {
                        if c.contains([',', '"', '\n']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.clone()
                        }
                    })
                    .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        read_table(out.as_bytes(), Format::Csv).unwrap()
    }

    fn read_csv_sheet(sheet: &Sheet) -> Result<CisSheet, Vec<RowProblem>> {
        read_cis(&csv_table(sheet))
    }

    fn set(sheet: &mut Sheet, row: usize, col: usize, value: &str) {
        let cells = &mut sheet[row - 1];
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = value.to_owned();
    }

    /// The refusal's problems, which must include one at `row` whose message contains `needle`.
    fn refused_at(sheet: &Sheet, row: usize, column: &str, needle: &str) -> Vec<RowProblem> {
        let problems = read_csv_sheet(sheet).expect_err("the sheet should be refused");
        assert!(
            problems.iter().any(|p| p.row == row && p.column == column && p.message.contains(needle)),
            "no problem at row {row} / {column:?} mentioning {needle:?} in {problems:#?}"
        );
        problems
    }

    #[test]
    fn reads_a_valid_scheme_exactly() {
        let sheet = read_csv_sheet(&welding()).unwrap();
        assert_eq!(sheet.skill_name, "Welding");
        assert_eq!(sheet.test_project, "Module A – Pressure vessel");
        assert_eq!(sheet.warnings, []);
        assert_eq!(sheet.scheme, expected_welding());
        assert_eq!(sheet.scheme.total(), 10_000);
        let fit_up = &sheet.scheme.criteria[0].sub_criteria[1].aspects[1];
        assert_eq!(fit_up.max, 1000);
        let AspectType::Judgement { descriptors } = &fit_up.kind else { panic!("a judgement aspect") };
        assert_eq!(descriptors[3], "Flawless fit-up");
    }

    /// The same sheet as Excel saves it: marks and scores as numbers, a max mark computed by a
    /// formula, a comma-decimal mark typed as text.
    fn welding_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{Formula, Workbook};
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet();
        for (r, row) in welding().iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if cell.is_empty() {
                    continue;
                }
                let number_column = (c as usize == COL_MAX || c as usize == COL_SCORE || (2..=4).contains(&c))
                    && cell.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
                if (r, c) == (12, COL_MAX as u16) {
                    ws.write_formula(r, c, Formula::new("=4+6").set_result("10")).unwrap();
                } else if number_column {
                    ws.write_number(r, c, cell.parse::<f64>().unwrap()).unwrap();
                } else {
                    ws.write_string(r, c, cell).unwrap();
                }
            }
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn reads_a_workbook_with_numbers_formulas_and_comma_decimals() {
        let table = read_table(&welding_xlsx(), Format::Xlsx).unwrap();
        assert_eq!(table.rows.iter().find(|r| r.number == 13).unwrap().get(COL_MAX), "10", "the formula's value");
        assert_eq!(table.rows.iter().find(|r| r.number == 15).unwrap().get(COL_MAX), "10,00");
        let sheet = read_cis(&table).unwrap();
        assert_eq!(sheet.warnings, []);
        assert_eq!(sheet.scheme, expected_welding());
    }

    #[test]
    fn summary_disagreement_is_only_a_warning() {
        let mut sheet = welding();
        set(&mut sheet, 5, 2, "25.00");
        set(&mut sheet, 6, 1, "Finish");
        set(&mut sheet, 7, 4, "99.00");
        set(&mut sheet, 22, COL_CRITERION_MAX, "55.00");
        let read = read_csv_sheet(&sheet).unwrap();
        assert_eq!(read.scheme, expected_welding());
        let at: Vec<(usize, &str)> = read.warnings.iter().map(|w| (w.row, w.column.as_str())).collect();
        assert_eq!(at, [(22, "Criterion Max Mark"), (5, "Meas"), (7, "Total")], "{:#?}", read.warnings);
        assert!(read.warnings[1].message.contains("25.00") && read.warnings[1].message.contains("30.00"));

        // A criterion the summary forgets, and one it invents.
        let mut sheet = welding();
        set(&mut sheet, 6, 0, "C");
        let warnings = read_csv_sheet(&sheet).unwrap().warnings;
        assert!(warnings.iter().any(|w| w.row == 6 && w.message.contains("criterion C")), "{warnings:#?}");
        assert!(warnings.iter().any(|w| w.row == 4 && w.message.contains("criterion B")), "{warnings:#?}");

        // No summary at all is fine.
        let mut sheet = welding();
        for row in &mut sheet[3..7] {
            row.clear();
        }
        assert_eq!(read_csv_sheet(&sheet).unwrap().warnings, []);
    }

    #[test]
    fn refuses_sheets_without_titles_or_sections() {
        let mut sheet = welding();
        set(&mut sheet, 1, 0, "Welding");
        refused_at(&sheet, 0, "", "Skill: <name>");
        let mut sheet = welding();
        set(&mut sheet, 2, 0, "Module A");
        let problems = refused_at(&sheet, 0, "", "Test Project: <name>");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let mut sheet = welding();
        set(&mut sheet, 1, 0, "Skill:");
        refused_at(&sheet, 1, "", "no name");

        let mut sheet = welding();
        set(&mut sheet, 9, 0, "ID");
        set(&mut sheet, 22, 0, "ID");
        let problems = refused_at(&sheet, 0, "Sub Criteria ID", "no section header");
        assert_eq!(problems.len(), 1, "{problems:#?}");
    }

    #[test]
    fn refuses_incomplete_aspects() {
        let mut sheet = welding();
        set(&mut sheet, 12, COL_DESCRIPTION, "");
        let problems = refused_at(&sheet, 12, "Aspect - Description", "no description");
        assert_eq!(problems.len(), 1, "the scheme's own check does not repeat it: {problems:#?}");

        let mut sheet = welding();
        set(&mut sheet, 25, COL_MAX, "");
        let problems = refused_at(&sheet, 25, "Max Mark", "no max mark");
        assert_eq!(problems.len(), 1, "no misleading total: {problems:#?}");

        for bad in ["1.505", "ten", "-1", "1.5.0"] {
            let mut sheet = welding();
            set(&mut sheet, 13, COL_MAX, bad);
            refused_at(&sheet, 13, "Max Mark", "max mark");
        }

        let mut sheet = welding();
        set(&mut sheet, 15, COL_EXTRA, "Deduct 0.125 per fault");
        refused_at(&sheet, 15, "Extra Aspect Description", "more than two decimals");

        let mut sheet = welding();
        set(&mut sheet, 13, COL_DAY, "Tuesday");
        refused_at(&sheet, 13, "Day of Marking", "Tuesday");
    }

    #[test]
    fn refuses_judgement_aspects_without_four_descriptors() {
        // The score-3 row is gone.
        let mut sheet = welding();
        sheet[19] = r(&[]);
        let problems = refused_at(&sheet, 16, "Aspect Type", "found 3");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        // A descriptor without its text.
        let mut sheet = welding();
        set(&mut sheet, 28, COL_EXTRA, "");
        refused_at(&sheet, 28, "Extra Aspect Description", "score 1 has no text");
        // Scores out of order.
        let mut sheet = welding();
        set(&mut sheet, 18, COL_SCORE, "2");
        set(&mut sheet, 19, COL_SCORE, "1");
        let problems = refused_at(&sheet, 18, "Judg Score", "score 1");
        assert!(problems.iter().any(|p| p.row == 19), "{problems:#?}");
        // A fifth descriptor row, and one under a measurement aspect.
        let mut sheet = welding();
        sheet.insert(20, r(&["", "", "", "", "3", "Even better"]));
        refused_at(&sheet, 21, "Judg Score", "not among the four rows");
        let mut sheet = welding();
        sheet.insert(12, r(&["", "", "", "", "0", "Crooked"]));
        refused_at(&sheet, 13, "Judg Score", "not among the four rows");
    }

    #[test]
    fn refuses_rows_out_of_order() {
        // An aspect straight under the section header, before the criterion row.
        let mut sheet = welding();
        let (criterion, sub, aspect) = (sheet[9].clone(), sheet[10].clone(), sheet[11].clone());
        // Rows 10, 11, 12: the aspect, its sub-criterion, then the criterion.
        sheet.splice(9..12, [aspect, sub, criterion]).for_each(drop);
        let problems = refused_at(&sheet, 10, "Aspect Type", "before its criterion");
        assert!(problems.iter().any(|p| p.row == 11 && p.message.contains("sub-criterion A1 comes before")));

        // An aspect before any sub-criterion.
        let mut sheet = welding();
        sheet.remove(10);
        refused_at(&sheet, 11, "Aspect Type", "before any sub-criterion row of criterion A");

        // Criterion letters that contradict the section.
        let mut sheet = welding();
        set(&mut sheet, 25, COL_CRITERION, "A");
        refused_at(&sheet, 25, "Criterion", "names criterion \"A\"");
        let mut sheet = welding();
        set(&mut sheet, 23, COL_ID, "C");
        let problems = refused_at(&sheet, 23, "Sub Criteria ID", "section headed `Criterion B`");
        assert!(problems.iter().any(|p| p.row == 24 && p.message.contains("B1")), "sub id mismatch: {problems:#?}");
    }

    #[test]
    fn reports_the_schemes_own_problems_at_their_rows() {
        let mut sheet = welding();
        set(&mut sheet, 25, COL_MAX, "39.99");
        let problems = refused_at(&sheet, 0, "", "totals 99.99, not 100.00");
        assert_eq!(problems.len(), 1, "{problems:#?}");

        let mut sheet = welding();
        set(&mut sheet, 14, COL_ID, "A1");
        refused_at(&sheet, 14, "Sub Criteria ID", "sub-criterion A1 appears twice");

        let mut sheet = welding();
        set(&mut sheet, 13, COL_EXTRA, "0 / 5.00 / 12.00");
        refused_at(&sheet, 13, "Extra Aspect Description", "stepped aspect");

        let mut sheet = welding();
        set(&mut sheet, 23, COL_NAME, "");
        refused_at(&sheet, 23, "Sub Criteria Name or Description", "no name");

        let mut sheet = welding();
        set(&mut sheet, 26, COL_DAY, "C5");
        refused_at(&sheet, 26, "Day of Marking", "C5");
    }

    #[test]
    fn mid_sheet_rows_that_fit_nowhere_are_refused_but_footers_are_not() {
        let mut sheet = welding();
        set(&mut sheet, 21, COL_DESCRIPTION, "Weld porosity");
        set(&mut sheet, 21, COL_MAX, "1.00");
        refused_at(&sheet, 21, "Aspect Type", "no aspect type");
        let mut sheet = welding();
        set(&mut sheet, 21, COL_TYPE, "X");
        refused_at(&sheet, 21, "Aspect Type", "\"X\" must be M or J");

        let mut sheet = welding();
        sheet.push(r(&["", "", "", "Signed", "", "", "", "", "100"]));
        sheet.push(r(&["", "", "", "", "3", "Stray"]));
        sheet.push(r(&["Notes", "Marks are rounded for display only"]));
        let read = read_csv_sheet(&sheet).unwrap();
        assert_eq!(read.scheme, expected_welding());
    }

    #[test]
    fn title_variants() {
        let mut sheet = welding();
        set(&mut sheet, 1, 0, "项目：焊接");
        set(&mut sheet, 2, 0, "赛题: 模块A");
        let read = read_csv_sheet(&sheet).unwrap();
        assert_eq!((read.skill_name.as_str(), read.test_project.as_str()), ("焊接", "模块A"));

        let mut sheet = welding();
        sheet[0] = r(&["Skill Name:", "", "Welding"]);
        sheet[1] = r(&["", "", "", "Test Project: Module A"]);
        let read = read_csv_sheet(&sheet).unwrap();
        assert_eq!((read.skill_name.as_str(), read.test_project.as_str()), ("Welding", "Module A"));
    }

    #[test]
    fn optional_columns_are_found_by_heading() {
        // Without the Day/WSOS headings their cells are not read: every day is 1, no sections.
        let mut sheet = welding();
        for row in [9, 22] {
            sheet[row - 1].truncate(COL_CRITERION_MAX + 1);
        }
        let read = read_csv_sheet(&sheet).unwrap();
        assert!(read.scheme.aspects().all(|(_, _, a)| a.day == 1 && a.wsos_section.is_none()));
        // Swapped columns are followed.
        let mut sheet = welding();
        for row in &mut sheet[8..] {
            if row.len() > COL_WSOS {
                row.swap(COL_DAY, COL_WSOS);
            }
        }
        assert_eq!(read_csv_sheet(&sheet).unwrap().scheme, expected_welding());
    }

    #[test]
    fn measurement_kinds_from_text() {
        let kind = |t: &str| measurement_from_text(t);
        assert_eq!(kind(""), Ok(Measurement::PassFail));
        assert_eq!(kind("Measured with a caliper"), Ok(Measurement::PassFail));
        assert_eq!(kind("Deduct 0.25 per fault"), Ok(Measurement::Deduction { step: 25 }));
        assert_eq!(kind("deduction 0,5 each"), Ok(Measurement::Deduction { step: 50 }));
        assert_eq!(kind("DEDUCT .5 for every missing label."), Ok(Measurement::Deduction { step: 50 }));
        assert_eq!(kind("每处扣0.25分"), Ok(Measurement::Deduction { step: 25 }));
        assert_eq!(kind("扣0.5分/处"), Ok(Measurement::Deduction { step: 50 }));
        assert_eq!(kind("Check 4 corners\nDeduct 1 per corner out"), Ok(Measurement::Deduction { step: 100 }));
        assert_eq!(kind("No deduction if paper is clean"), Ok(Measurement::PassFail));
        assert_eq!(kind("0 / 0.5 / 1.0 / 1.5"), Ok(Measurement::Stepped { allowed: vec![0, 50, 100, 150] }));
        assert_eq!(kind("Allowed: 0/0,25/0,50"), Ok(Measurement::Stepped { allowed: vec![0, 25, 50] }));
        assert_eq!(kind("Within 1/2 mm"), Ok(Measurement::PassFail));
        assert_eq!(kind("Pass/fail\n0 / 1"), Ok(Measurement::PassFail));
        assert!(kind("0 / 0.333 / 1").is_err());
    }

    #[test]
    fn a_sheet_starting_further_down_keeps_its_row_numbers() {
        let mut sheet = welding();
        sheet.insert(0, r(&[]));
        sheet.insert(0, r(&[]));
        set(&mut sheet, 15, COL_MAX, "abc");
        let table = csv_table(&sheet);
        assert_eq!(table.header_row, 3);
        refused_at(&sheet, 15, "Max Mark", "abc");
    }

    fn any_cell() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => Just(String::new()),
            1 => prop::sample::select(vec![
                "Sub Criteria ID", "Skill: S", "Test Project: T", "Criterion", "Meas", "Judg", "Total", "Criterion A",
                "Day of Marking", "WSOS Section", "M", "J", "A", "B", "A1", "B1", "AB12", "0", "1", "2", "3", "C9",
                "100", "1.5", "0,25", "9999999", "Deduct 0.25 per fault", "0 / 1", "Pass/fail", "'=x", "：", "扣/处",
            ])
            .prop_map(str::to_owned),
            1 => "[A-Z0-9 .,:/：扣每]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics_on_arbitrary_tables(
            header in prop::collection::vec(any_cell(), 0..14),
            rows in prop::collection::vec(prop::collection::vec(any_cell(), 0..14), 0..24),
        ) {
            let table = Table {
                headers: header,
                rows: rows.into_iter().enumerate().map(|(i, cells)| Row { number: i + 2, cells }).collect(),
                header_row: 1,
            };
            if let Ok(sheet) = read_cis(&table) {
                prop_assert!(sheet.scheme.problems().is_empty());
            }
        }

        #[test]
        fn edits_of_a_real_sheet_never_panic_and_never_half_import(
            edits in prop::collection::vec((0usize..40, 0usize..14, any_cell()), 1..6),
        ) {
            let mut sheet = welding();
            for (row, col, value) in edits {
                let row = row % sheet.len() + 1;
                set(&mut sheet, row, col, &value);
            }
            if let Ok(read) = read_csv_sheet(&sheet) {
                prop_assert!(read.scheme.problems().is_empty());
                prop_assert_eq!(read.scheme.total(), 10_000);
            }
        }
    }
}
