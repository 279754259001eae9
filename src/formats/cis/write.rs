//! Writing: a [`Scheme`] in the same CIS layout, as CSV or a workbook, so an export imports back.

use crate::domain::scheme::{format_hundredths, Aspect, AspectType, Measurement, Scheme};
use crate::formats::tabular::{neutralise_formula, write_csv, TableError};

use super::read::measurement_from_text;
use super::{
    totals, COL_CRITERION, COL_DAY, COL_DESCRIPTION, COL_EXTRA, COL_ID, COL_MAX, COL_REQUIREMENT, COL_SCORE, COL_TYPE,
    COL_WSOS, NAME_DAY, NAME_DESCRIPTION, NAME_ID, NAME_MAX, NAME_NAME, NAME_SCORE, NAME_WSOS,
};

/// One cell to write: text, a mark in hundredths, or a whole number.
#[derive(Clone)]
enum Cell {
    Empty,
    Text(String),
    Mark(i64),
    Int(u8),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    fn as_csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Mark(h) => format_hundredths(*h),
            Cell::Int(n) => n.to_string(),
        }
    }
}

/// A written row: its cells and whether it is a heading.
struct OutRow {
    cells: Vec<Cell>,
    bold: bool,
}

/// Column F for an aspect: its extra description, led by a rule line when the text alone would
/// not import as the aspect's kind.
fn extra_for_export(aspect: &Aspect) -> String {
    let AspectType::Measurement { measurement } = &aspect.kind else { return aspect.extra_description.clone() };
    if measurement_from_text(&aspect.extra_description).as_ref() == Ok(measurement) {
        return aspect.extra_description.clone();
    }
    let rule = match measurement {
        Measurement::PassFail => "Pass/fail".to_owned(),
        Measurement::Stepped { allowed } => {
            allowed.iter().map(|a| format_hundredths((*a).into())).collect::<Vec<_>>().join(" / ")
        }
        Measurement::Deduction { step } => format!("Deduct {} per fault", format_hundredths((*step).into())),
    };
    if aspect.extra_description.trim().is_empty() {
        rule
    } else {
        format!("{rule}\n{}", aspect.extra_description)
    }
}

fn layout(skill_name: &str, test_project: &str, scheme: &Scheme) -> Vec<OutRow> {
    let row = |cells: Vec<Cell>| OutRow { cells, bold: false };
    let heading = |cells: Vec<Cell>| OutRow { cells, bold: true };
    let mut out = vec![
        heading(vec![Cell::text(format!("Skill: {skill_name}"))]),
        heading(vec![Cell::text(format!("Test Project: {test_project}"))]),
        row(vec![]),
        heading(["Criterion", "Description", "Meas", "Judg", "Total"].map(Cell::text).to_vec()),
    ];
    let mut whole = [0i64; 3];
    for c in &scheme.criteria {
        let t = totals(c);
        whole = [whole[0] + t[0], whole[1] + t[1], whole[2] + t[2]];
        out.push(row(vec![
            Cell::text(&c.id),
            Cell::text(&c.name),
            Cell::Mark(t[0]),
            Cell::Mark(t[1]),
            Cell::Mark(t[2]),
        ]));
    }
    out.push(heading(vec![
        Cell::text("Total"),
        Cell::Empty,
        Cell::Mark(whole[0]),
        Cell::Mark(whole[1]),
        Cell::Mark(whole[2]),
    ]));
    for c in &scheme.criteria {
        out.push(row(vec![]));
        let mut header = [
            NAME_ID,
            NAME_NAME,
            "Aspect Type (M = Meas, J = Judg)",
            NAME_DESCRIPTION,
            NAME_SCORE,
            "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)",
            "Requirement (Meas or Judg)",
            "",
            NAME_MAX,
        ]
        .map(Cell::text)
        .to_vec();
        header.extend([
            Cell::text(format!("Criterion {}", c.id)),
            Cell::Mark(totals(c)[2]),
            Cell::text(NAME_DAY),
            Cell::text(NAME_WSOS),
        ]);
        out.push(heading(header));
        out.push(row(vec![Cell::text(&c.id), Cell::text(&c.name)]));
        for s in &c.sub_criteria {
            out.push(row(vec![Cell::text(&s.id), Cell::text(&s.name)]));
            for a in &s.aspects {
                let mut cells = vec![Cell::Empty; COL_WSOS + 1];
                let judgement = matches!(a.kind, AspectType::Judgement { .. });
                cells[COL_TYPE] = Cell::text(if judgement { "J" } else { "M" });
                cells[COL_DESCRIPTION] = Cell::text(&a.description);
                cells[COL_EXTRA] = Cell::text(extra_for_export(a));
                cells[COL_REQUIREMENT] = Cell::text(&a.requirement);
                cells[COL_MAX] = Cell::Mark(a.max.into());
                cells[COL_CRITERION] = Cell::text(&c.id);
                cells[COL_DAY] = Cell::text(format!("C{}", a.day));
                cells[COL_WSOS] = Cell::text(a.wsos_section.clone().unwrap_or_default());
                out.push(row(cells));
                if let AspectType::Judgement { descriptors } = &a.kind {
                    for (score, d) in descriptors.iter().enumerate() {
                        let mut cells = vec![Cell::Empty; COL_EXTRA + 1];
                        cells[COL_SCORE] = Cell::Int(u8::try_from(score).unwrap_or(u8::MAX));
                        cells[COL_EXTRA] = Cell::text(d);
                        out.push(row(cells));
                    }
                }
            }
        }
    }
    out.push(row(vec![]));
    let mut footer = vec![Cell::Empty; COL_MAX + 1];
    footer[COL_ID] = Cell::text("Total");
    footer[COL_MAX] = Cell::Mark(scheme.total());
    out.push(heading(footer));
    out
}

/// Writes a scheme as a CSV in the CIS layout: UTF-8 with a BOM, every cell defused by
/// [`neutralise_formula`] (marks are plain numbers such as `1.50`).
pub fn write_cis_csv(skill_name: &str, test_project: &str, scheme: &Scheme) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> =
        layout(skill_name, test_project, scheme).iter().map(|r| r.cells.iter().map(Cell::as_csv).collect()).collect();
    let first = rows.remove(0);
    let headers: Vec<&str> = first.iter().map(String::as_str).collect();
    write_csv(&headers, &rows)
}

/// Writes a scheme as an XLSX workbook in the CIS layout, marks as numbers; reading it back with
/// [`crate::formats::tabular::read_table`] and [`read_cis`] gives the same scheme.
pub fn write_cis_xlsx(skill_name: &str, test_project: &str, scheme: &Scheme) -> Result<Vec<u8>, TableError> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let unwritable = |err: XlsxError| {
        TableError::Unwritable(match err {
            XlsxError::MaxStringLengthExceeded => {
                "A cell is longer than Excel's limit of 32767 characters; export as CSV instead.".to_owned()
            }
            other => format!("The Excel file could not be created: {other}."),
        })
    };
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Marking Scheme").map_err(unwritable)?;
    let title = Format::new().set_bold();
    let plain = Format::new().set_text_wrap();
    let bold = Format::new().set_bold().set_text_wrap();
    let mark = Format::new().set_num_format("0.00");
    let bold_mark = Format::new().set_num_format("0.00").set_bold();
    for (r, row) in layout(skill_name, test_project, scheme).iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| unwritable(XlsxError::RowColumnLimitError))?;
        for (c, cell) in row.cells.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| unwritable(XlsxError::RowColumnLimitError))?;
            match cell {
                Cell::Empty => Ok(&mut *sheet),
                Cell::Text(s) => {
                    // Titles span the row; wrapping them would make the first rows tall.
                    let format = match (row.bold, r < 2) {
                        (_, true) => &title,
                        (true, false) => &bold,
                        (false, false) => &plain,
                    };
                    sheet.write_string_with_format(r, c, neutralise_formula(s), format)
                }
                Cell::Mark(h) => {
                    sheet.write_number_with_format(r, c, *h as f64 / 100.0, if row.bold { &bold_mark } else { &mark })
                }
                Cell::Int(n) => sheet.write_number(r, c, f64::from(*n)),
            }
            .map_err(unwritable)?;
        }
    }
    let widths = [16.0, 30.0, 10.0, 40.0, 8.0, 44.0, 26.0, 10.0, 10.0, 12.0, 10.0, 10.0, 12.0];
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *width).map_err(unwritable)?;
    }
    workbook.save_to_buffer().map_err(unwritable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::cis::fixtures::expected_welding;
    use crate::formats::cis::read_cis;
    use crate::formats::tabular::{read_table, Format};

    #[test]
    fn round_trips_through_xlsx_and_csv() {
        let scheme = expected_welding();
        let xlsx = write_cis_xlsx("Welding", "Module A – Pressure vessel", &scheme).unwrap();
        let read = read_cis(&read_table(&xlsx, Format::Xlsx).unwrap()).unwrap();
        assert_eq!(read.scheme, scheme);
        assert_eq!((read.skill_name.as_str(), read.test_project.as_str()), ("Welding", "Module A – Pressure vessel"));
        assert_eq!(read.warnings, []);

        let csv = write_cis_csv("Welding", "Module A – Pressure vessel", &scheme);
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let read = read_cis(&read_table(&csv, Format::Csv).unwrap()).unwrap();
        assert_eq!(read.scheme, scheme);
        assert_eq!(read.warnings, []);
    }

    #[test]
    fn round_trips_texts_that_look_like_formulas_and_kinds_the_text_does_not_state() {
        let mut scheme = expected_welding();
        let aspects = &mut scheme.criteria[0].sub_criteria[0].aspects;
        aspects[0].description = "=HYPERLINK(\"x\")".into();
        aspects[0].extra_description = "0 / 10.00".into(); // reads as stepped, but is pass/fail
        aspects[1].extra_description = "Protractor".into(); // stepped, not said by the text
        aspects[1].requirement = "-5° to +5°".into();
        let aspects = &mut scheme.criteria[0].sub_criteria[1].aspects;
        aspects[0].extra_description = String::new(); // deduction, not said by the text
        for bytes in [write_cis_xlsx("@x", "+y", &scheme).unwrap(), write_cis_csv("@x", "+y", &scheme)] {
            let format = Format::detect(&bytes, None);
            let read = read_cis(&read_table(&bytes, format).unwrap()).unwrap();
            let kinds = |s: &Scheme| s.aspects().map(|(_, _, a)| a.kind.clone()).collect::<Vec<_>>();
            assert_eq!(kinds(&read.scheme), kinds(&scheme));
            let a = &read.scheme.criteria[0].sub_criteria[0].aspects;
            assert_eq!(a[0].description, "=HYPERLINK(\"x\")");
            assert_eq!(a[0].extra_description, "Pass/fail\n0 / 10.00");
            assert_eq!(a[1].extra_description, "0.00 / 5.00 / 10.00\nProtractor");
            assert_eq!(a[1].requirement, "-5° to +5°");
            assert_eq!(read.scheme.criteria[0].sub_criteria[1].aspects[0].extra_description, "Deduct 0.50 per fault");
            assert_eq!((read.skill_name.as_str(), read.test_project.as_str()), ("@x", "+y"));
        }
    }
}
