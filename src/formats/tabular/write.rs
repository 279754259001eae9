//! Writing: rows into CSV or a one-sheet workbook, every cell defused against formula injection.

use super::{TableError, UTF8_BOM};

/// A CSV that Excel opens correctly by double-click: UTF-8 with a BOM (without it Excel assumes
/// the ANSI code page and garbles Chinese), CRLF line endings, every cell defused by
/// [`neutralise_formula`]. Cells holding `;` or tab are quoted as well as those the format
/// requires, so the delimiter detection of [`read_table`](super::read_table) reads the file back unchanged.
pub fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(UTF8_BOM.len() + 64 * (rows.len() + 1));
    out.extend_from_slice(UTF8_BOM);
    write_csv_record(&mut out, headers.iter().copied());
    for row in rows {
        write_csv_record(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn write_csv_record<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let cell = neutralise_formula(cell);
        if cell.contains([',', ';', '\t', '"', '\r', '\n']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// A one-sheet workbook with a bold, frozen header row and readable column widths. Every cell is
/// written as text, so nothing a participant typed into a name field is ever evaluated, and is
/// also passed through [`neutralise_formula`] because such files get re-saved as CSV.
pub fn write_xlsx(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, TableError> {
    let unwritable = |err: rust_xlsxwriter::XlsxError| {
        TableError::Unwritable(match err {
            rust_xlsxwriter::XlsxError::MaxStringLengthExceeded => {
                "A cell is longer than Excel's limit of 32767 characters; export as CSV instead.".to_owned()
            }
            rust_xlsxwriter::XlsxError::RowColumnLimitError => {
                "The list has more rows or columns than an Excel sheet can hold; export as CSV instead.".to_owned()
            }
            other => format!("The Excel file could not be created: {other}."),
        })
    };
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sanitise_sheet_name(sheet)).map_err(unwritable)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();

    let mut widths: Vec<usize> = Vec::new();
    let all_rows = std::iter::once(headers.to_vec()).chain(rows.iter().map(|r| r.iter().map(String::as_str).collect()));
    for (r, cells) in all_rows.enumerate() {
        let r = u32::try_from(r).map_err(|_| unwritable(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
        for (c, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let col = u16::try_from(c).map_err(|_| unwritable(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
            let text = neutralise_formula(cell);
            if r == 0 {
                worksheet.write_string_with_format(r, col, &text, &bold).map_err(unwritable)?;
            } else {
                worksheet.write_string(r, col, &text).map_err(unwritable)?;
            }
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(display_width(&text));
        }
    }
    for (c, width) in widths.iter().enumerate() {
        // Wide enough for typical content, capped so one long remark doesn't push the rest away.
        let width = (*width as f64 + 2.0).clamp(8.0, 60.0);
        let col = u16::try_from(c).map_err(|_| unwritable(rust_xlsxwriter::XlsxError::RowColumnLimitError))?;
        worksheet.set_column_width(col, width).map_err(unwritable)?;
    }
    worksheet.set_freeze_panes(1, 0).map_err(unwritable)?;
    workbook.save_to_buffer().map_err(unwritable)
}

/// Width in Excel's character units, roughly: CJK and other wide characters take two. Only the
/// longest line of a multi-line cell counts.
fn display_width(text: &str) -> usize {
    text.lines().map(|line| line.chars().map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 }).sum()).max().unwrap_or(0)
}

/// Makes any string acceptable to Excel as a sheet name instead of failing the export: at most 31
/// UTF-16 units, none of `[]:*?/\`, no apostrophe at either end, not empty, not "History".
fn sanitise_sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
        .collect();
    let mut out = String::new();
    let mut units = 0;
    for c in replaced.trim().trim_matches('\'').chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end().trim_end_matches('\'').to_owned();
    if out.is_empty() {
        "Sheet1".to_owned()
    } else if out.eq_ignore_ascii_case("history") {
        format!("{out}_")
    } else {
        out
    }
}

/// Defuses CSV/formula injection: spreadsheet programs evaluate a cell that starts with `=`, `+`,
/// `-` or `@` (and some also after a leading tab or carriage return), so a participant's name like
/// `=HYPERLINK(...)` would run on the organiser's machine. Such cells get a leading `'`, which
/// makes Excel show them as text. Plain numbers such as `-5` or `-0.5` are left alone because they
/// are data (scores, offsets) and not a formula.
pub fn neutralise_formula(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(cell) => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// `[+-]digits[.digits][e[+-]digits]`, strictly: `f64::from_str` would also take `-inf` or `-NaN`.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tabular::{read_table, Format, Row};
    use proptest::prelude::*;

    fn cells(row: &Row) -> Vec<&str> {
        row.cells.iter().map(String::as_str).collect()
    }

    #[test]
    fn formula_neutralisation() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("+86 138 0000 0000"), "'+86 138 0000 0000");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("\t=cmd"), "'\t=cmd");
        assert_eq!(neutralise_formula("\rx"), "'\rx");
        assert_eq!(neutralise_formula("-"), "'-");
        assert_eq!(neutralise_formula("-2+3"), "'-2+3");
        assert_eq!(neutralise_formula("-inf"), "'-inf");
        for plain in ["-5", "-0.5", "+3", "-.5", "-1e5", "1997", "Anna", "", "a=b", "'=x"] {
            assert_eq!(neutralise_formula(plain), plain);
        }
    }

    #[test]
    fn csv_export() {
        let bytes = write_csv(
            &["Name", "Score"],
            &[vec!["=1+1".into(), "-5".into()], vec!["Li, Wei \"LW\"".into(), "a;b".into()], vec!["张三".into()]],
        );
        assert!(bytes.starts_with(UTF8_BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(text, "Name,Score\r\n'=1+1,-5\r\n\"Li, Wei \"\"LW\"\"\",\"a;b\"\r\n张三\r\n");
        let table = read_table(&bytes, Format::Csv).unwrap();
        assert_eq!(cells(&table.rows[0]), ["'=1+1", "-5"]);
        assert_eq!(cells(&table.rows[1]), ["Li, Wei \"LW\"", "a;b"]);
    }

    #[test]
    fn xlsx_round_trip() {
        let headers = ["姓名", "Delegation", "Note"];
        let rows = vec![
            vec!["王小明".to_owned(), "CN".to_owned(), "line 1\nline 2".to_owned()],
            vec!["Anna".to_owned(), String::new(), "1997".to_owned()],
            vec!["=HYPERLINK(\"x\")".to_owned(), "-5".to_owned(), "110101199003074512".to_owned()],
        ];
        let bytes = write_xlsx("Competitors: 2026/27 [final]", &headers, &rows).unwrap();
        assert_eq!(Format::detect(&bytes, None), Format::Xlsx);
        let table = read_table(&bytes, Format::Xlsx).unwrap();
        assert_eq!(table.headers, headers);
        assert_eq!(table.rows.len(), 3);
        assert_eq!(cells(&table.rows[0]), rows[0]);
        assert_eq!(table.rows[0].number, 2);
        assert_eq!(cells(&table.rows[1]), ["Anna", "", "1997"]);
        assert_eq!(cells(&table.rows[2]), ["'=HYPERLINK(\"x\")", "-5", "110101199003074512"]);
        assert_eq!(table.rows[2].number, 4);
    }

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(sanitise_sheet_name("a[b]:c*d?e/f\\g"), "a_b__c_d_e_f_g");
        assert_eq!(sanitise_sheet_name("'quoted'"), "quoted");
        assert_eq!(sanitise_sheet_name("   "), "Sheet1");
        assert_eq!(sanitise_sheet_name("History"), "History_");
        let long = sanitise_sheet_name(&"参赛选手".repeat(20));
        assert_eq!(long.encode_utf16().count(), 31);
        let emoji = sanitise_sheet_name(&"😀".repeat(20));
        assert_eq!(emoji.encode_utf16().count(), 30, "a surrogate pair is never split");
        for name in ["x".repeat(40), "'".repeat(40), "a'''''".to_owned(), "\u{0}".to_owned()] {
            assert!(write_xlsx(&name, &["h"], &[]).is_ok(), "{name:?}");
        }
    }

    /// Cells as import expects them: trimmed, no NUL (not text), not starting like a formula.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-zA-Z0-9 ,;\"\t\r\n'张王李-]{0,12}",
            any::<String>(),
            "-?[0-9]{1,5}(\\.[0-9]{1,3})?",
            // Control characters, and text that looks like the XML escapes xlsx uses for them.
            "[\x01-\x1f\x7f_x0-9A-F]{1,10}",
        ]
        .prop_map(|s| {
            let s = s.replace('\0', "").trim().to_owned();
            match s.chars().next() {
                Some('=' | '+' | '-' | '@') if !is_plain_number(&s) => format!("x{s}"),
                _ => s,
            }
        })
    }

    fn without_trailing_empties(cells: &[String]) -> Vec<String> {
        let end = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        cells[..end].to_vec()
    }

    /// The rows as the reader gives them back: numbered from 2 (below the headers), trailing empty
    /// cells and empty rows dropped.
    fn read_back(rows: &[Vec<String>]) -> Vec<Row> {
        rows.iter()
            .enumerate()
            .map(|(i, cells)| Row { number: i + 2, cells: without_trailing_empties(cells) })
            .filter(|row| !row.cells.is_empty())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn csv_round_trips(
            headers in proptest::collection::vec(cell(), 1..6)
                .prop_filter("a header row needs a heading", |h| h.iter().any(|c| !c.is_empty())),
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..12),
        ) {
            let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            let table = read_table(&write_csv(&header_refs, &rows), Format::Csv).unwrap();
            prop_assert_eq!(&table.headers, &without_trailing_empties(&headers));
            prop_assert_eq!(table.rows, read_back(&rows));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn xlsx_round_trips(
            headers in proptest::collection::vec("[a-zA-Z张王]{1,6}", 1..4),
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..4), 1..6),
        ) {
            let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            let table = read_table(&write_xlsx("s", &header_refs, &rows).unwrap(), Format::Xlsx).unwrap();
            prop_assert_eq!(&table.headers, &headers);
            prop_assert_eq!(table.rows, read_back(&rows));
        }
    }
}
