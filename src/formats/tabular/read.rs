//! Reading: an upload's bytes, CSV or workbook, into a [`Table`] of trimmed rows.

use std::borrow::Cow;
use std::io::{self, Cursor, Read};

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};

use super::{
    Format, Row, Table, TableError, CFB_MAGIC, MAX_BYTES, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, UTF8_BOM,
    ZIP_MAGIC,
};

/// Reads the first sheet of an upload.
///
/// The first non-empty row is the header row; fully empty rows are dropped but keep their place
/// in the row numbering; all cells are trimmed. The size limit is checked before any parsing and
/// the row and column limits while reading, so an oversized file costs little.
pub fn read_table(bytes: &[u8], format: Format) -> Result<Table, TableError> {
    if bytes.len() > MAX_BYTES {
        return Err(TableError::TooLarge { size: bytes.len(), max: MAX_BYTES });
    }
    match format {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }
}

/// Turns raw rows into a [`Table`], enforcing the rules shared by both formats.
#[derive(Default)]
struct Collector {
    headers: Option<Vec<String>>,
    header_row: usize,
    rows: Vec<Row>,
}

impl Collector {
    /// `cells` must already be trimmed.
    fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), TableError> {
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() > MAX_COLUMNS {
            return Err(TableError::TooManyColumns { row: number, max: MAX_COLUMNS });
        }
        if self.headers.is_none() {
            self.headers = Some(cells);
            self.header_row = number;
            return Ok(());
        }
        if self.rows.len() >= MAX_ROWS {
            return Err(TableError::TooManyRows { max: MAX_ROWS });
        }
        self.rows.push(Row { number, cells });
        Ok(())
    }

    fn finish(self) -> Result<Table, TableError> {
        let headers = self.headers.ok_or(TableError::Empty)?;
        Ok(Table { headers, rows: self.rows, header_row: self.header_row })
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = decode_text(bytes)?;
    // Old Mac "CSV (Macintosh)" ends lines with a bare CR; the row numbering below counts LFs.
    let text = if !text.contains('\n') && text.contains('\r') { Cow::Owned(text.replace('\r', "\n")) } else { text };
    let input = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(input))
        .from_reader(input);

    let mut collector = Collector::default();
    let mut record = csv::StringRecord::new();
    // Line feeds inside quoted cells: they start a new line of the file but not a new row.
    let mut embedded_newlines: u64 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(TableError::Unreadable(format!("The CSV file could not be read: {err}."))),
        }
        embedded_newlines += record.iter().map(|cell| cell.bytes().filter(|&b| b == b'\n').count() as u64).sum::<u64>();
        // The reader's position is just past this record and the blank lines it skipped before it,
        // which tells this record's row number once embedded line feeds are taken out; a record's
        // own terminating LF has been consumed unless it ended the file.
        let position = reader.position();
        let ended_with_lf = usize::try_from(position.byte())
            .ok()
            .and_then(|end| end.checked_sub(1))
            .and_then(|last| input.get(last))
            .is_some_and(|&b| b == b'\n');
        let number = position.line().saturating_sub(embedded_newlines).saturating_sub(u64::from(ended_with_lf));
        let cells = record.iter().map(|cell| cell.trim().to_owned()).collect();
        collector.push(usize::try_from(number).unwrap_or(usize::MAX), cells)?;
    }
    collector.finish()
}

/// Gets text out of whatever Excel, WPS or another program saved.
fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, TableError> {
    let not_text = || {
        TableError::Unreadable(
            "The file is not a text CSV file or uses an unknown character encoding. Open it in Excel and \
             save it as \"CSV UTF-8 (Comma delimited)\" or as an Excel workbook (.xlsx), then upload it again."
                .to_owned(),
        )
    };
    let text: Cow<'_, str> = if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        Cow::Borrowed(std::str::from_utf8(rest).map_err(|_| not_text())?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        // Excel's "Unicode Text" export: UTF-16LE, tab-separated.
        encoding_rs::UTF_16LE.decode_without_bom_handling_and_without_replacement(rest).ok_or_else(not_text)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        encoding_rs::UTF_16BE.decode_without_bom_handling_and_without_replacement(rest).ok_or_else(not_text)?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Cow::Borrowed(text)
    } else {
        // Excel in China saves "CSV (Comma delimited)" in the ANSI code page, GBK; GB18030 is its
        // superset and decodes it unchanged.
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).ok_or_else(not_text)?
    };
    // No spreadsheet writes NUL into CSV, but binary files (images, PDFs, UTF-16 without a BOM)
    // are full of it and some would otherwise "decode" as GB18030 gibberish.
    if text.contains('\0') {
        return Err(not_text());
    }
    Ok(text)
}

/// Picks the separator that occurs most often outside quotes in the first non-empty line: `,` in
/// most locales, `;` where the comma is the decimal separator, tab in "Unicode Text" exports.
/// Ties and single-column files go to the comma.
fn detect_delimiter(input: &[u8]) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut counts = [0usize; CANDIDATES.len()];
    let mut state = State::FieldStart;
    let mut has_content = false;
    for &b in input {
        match state {
            State::Quoted => {
                if b == b'"' {
                    state = State::QuoteInQuoted;
                }
                continue;
            }
            State::QuoteInQuoted if b == b'"' => {
                state = State::Quoted;
                continue;
            }
            _ => {}
        }
        if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
            counts[i] += 1;
            state = State::FieldStart;
        } else if b == b'\n' || b == b'\r' {
            if has_content || counts.iter().any(|&n| n > 0) {
                break;
            }
            state = State::FieldStart;
        } else if b == b'"' && state == State::FieldStart {
            has_content = true;
            state = State::Quoted;
        } else {
            has_content |= !b.is_ascii_whitespace();
            state = State::Unquoted;
        }
    }
    let best = (1..CANDIDATES.len()).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    CANDIDATES[best]
}

// ---------------------------------------------------------------------------------------------
// XLSX

fn read_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.starts_with(CFB_MAGIC) {
        return Err(TableError::Unreadable(
            "The file is an old Excel 97-2003 workbook (.xls) or is protected by a password. Open it in Excel, \
             remove any password and save it as an Excel workbook (.xlsx), then upload it again."
                .to_owned(),
        ));
    }
    if bytes.get(30..).is_some_and(|rest| rest.starts_with(b"mimetypeapplication/vnd.oasis.opendocument")) {
        return Err(TableError::Unreadable(
            "OpenDocument spreadsheets (.ods) are not supported. Save the file as an Excel workbook (.xlsx) \
             or as CSV UTF-8, then upload it again."
                .to_owned(),
        ));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(not_a_workbook());
    }
    check_unpacked_size(bytes, MAX_UNPACKED_BYTES)?;
    // The parser is third-party code fed untrusted bytes: should it ever panic, that is one bad
    // upload, not a reason to take the request's worker down.
    std::panic::catch_unwind(|| read_xlsx_sheet(bytes)).unwrap_or_else(|_| Err(not_a_workbook()))
}

fn not_a_workbook() -> TableError {
    TableError::Unreadable(
        "The file is not a valid Excel workbook (.xlsx); it may be damaged. Open it in Excel, save it as an \
         Excel workbook (.xlsx) or as CSV UTF-8, then upload it again."
            .to_owned(),
    )
}

/// Inflates every member once, up to a budget, before the workbook parser keeps anything in
/// memory. The sizes declared in the zip directory can lie, so the bytes are counted.
fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), TableError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    let mut budget = limit;
    for index in 0..archive.len() {
        let member = archive.by_index(index).map_err(|_| not_a_workbook())?;
        let unpacked = io::copy(&mut member.take(budget + 1), &mut io::sink()).map_err(|_| not_a_workbook())?;
        if unpacked > budget {
            return Err(TableError::Unreadable(format!(
                "The workbook unpacks to more than {} MB, which no registration list needs. Delete pictures, \
                 other sheets and unused rows, or save the list as CSV UTF-8, then upload it again.",
                limit / (1024 * 1024)
            )));
        }
        budget -= unpacked;
    }
    Ok(())
}

fn read_xlsx_sheet(bytes: &[u8]) -> Result<Table, TableError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_a_workbook())?;
    // The sheet the organiser sees first: templates often hide lookup lists in other sheets.
    let sheets = workbook.sheets_metadata();
    let sheet = sheets
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .or_else(|| sheets.iter().find(|s| s.typ == SheetType::WorkSheet))
        .map(|s| s.name.clone())
        .ok_or(TableError::Empty)?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|_| not_a_workbook())?;

    // Cells arrive row by row in practice, but the format does not promise it; a map keyed by row
    // copes either way and holds only non-empty rows.
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = std::collections::BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|_| not_a_workbook())? {
        let text = cell_text(cell.get_value());
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let col = col as usize;
        if col >= MAX_COLUMNS {
            return Err(TableError::TooManyColumns { row: row as usize + 1, max: MAX_COLUMNS });
        }
        if !rows.contains_key(&row) && rows.len() > MAX_ROWS {
            // The header row plus MAX_ROWS data rows are already held.
            return Err(TableError::TooManyRows { max: MAX_ROWS });
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = text.to_owned();
    }

    let mut collector = Collector::default();
    for (row, cells) in rows {
        collector.push(row as usize + 1, cells)?;
    }
    collector.finish()
}

/// Renders a cell as Excel displays it where that matters for registration data: whole numbers
/// (years, IDs, phone numbers typed as numbers) without `.0` or an exponent, dates as ISO dates.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::DateTimeIso(s) => iso_datetime_text(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".to_owned();
    }
    // Whole numbers print exactly, however large: an ID stored as a number keeps every digit the
    // file holds.
    if f.fract() == 0.0 {
        return format!("{f:.0}");
    }
    // Excel shows at most 15 significant digits, which hides binary noise such as
    // 0.30000000000000004 or a formula's 1997.0000000000002.
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        rounded.to_string()
    }
}

fn datetime_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() {
        let total = (serial * 86_400.0).round() as i64;
        let sign = if total < 0 { "-" } else { "" };
        let total = total.unsigned_abs();
        return format!("{sign}{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
    }
    let (year, month, day, hour, minute, second, _millis) = dt.to_ymd_hms_milli();
    if (0.0..1.0).contains(&serial) && serial != 0.0 {
        // A time of day without a date (Excel stores it as a fraction of day zero).
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
    }
}

/// Dates stored as ISO text (`t="d"` cells) in the same shape as serial dates.
fn iso_datetime_text(s: &str) -> String {
    match (s.get(..10), s.get(10..11), s.get(11..19)) {
        (Some(date), Some("T"), Some("00:00:00")) => date.to_owned(),
        (Some(date), Some("T"), Some(time)) => format!("{date} {time}"),
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv(text: &str) -> Result<Table, TableError> {
        read_table(text.as_bytes(), Format::Csv)
    }

    fn cells(row: &Row) -> Vec<&str> {
        row.cells.iter().map(String::as_str).collect()
    }

    #[test]
    fn utf8_with_bom_and_trimming() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(" 姓名 , Country\r\n 张三 ,  CN \r\n".as_bytes());
        let table = read_table(&bytes, Format::Csv).unwrap();
        assert_eq!(table.headers, ["姓名", "Country"]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(cells(&table.rows[0]), ["张三", "CN"]);
        assert_eq!(table.rows[0].number, 2);
        assert_eq!(table.column(&["name", "姓名"]), Some(0));
        assert_eq!(table.column(&["COUNTRY"]), Some(1));
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (bytes, _, had_errors) = encoding_rs::GBK.encode("姓名,代表队,出生年份\r\n王小明,广东,1997\r\n");
        assert!(!had_errors);
        assert!(std::str::from_utf8(&bytes).is_err(), "the test needs bytes that are not UTF-8");
        let table = read_table(&bytes, Format::Csv).unwrap();
        assert_eq!(table.headers, ["姓名", "代表队", "出生年份"]);
        assert_eq!(cells(&table.rows[0]), ["王小明", "广东", "1997"]);
    }

    #[test]
    fn undecodable_bytes_ask_for_utf8() {
        let err = read_table(b"name\n\x80\xFF\x80\n", Format::Csv).unwrap_err();
        assert!(matches!(&err, TableError::Unreadable(msg) if msg.contains("CSV UTF-8")), "{err}");
        assert_eq!(err.code(), "table_unreadable");
    }

    #[test]
    fn binary_files_are_not_csv() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
        assert!(matches!(read_table(png, Format::Csv), Err(TableError::Unreadable(_))));
    }

    #[test]
    fn utf16_unicode_text_export() {
        let text = "Name\tSkill\r\nLi\tWelding\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let table = read_table(&bytes, Format::Csv).unwrap();
        assert_eq!(table.headers, ["Name", "Skill"]);
        assert_eq!(cells(&table.rows[0]), ["Li", "Welding"]);
    }

    #[test]
    fn delimiters_are_detected() {
        let table = csv("Name;Score;Note\nAnna;-5,5;a, b\n").unwrap();
        assert_eq!(table.headers, ["Name", "Score", "Note"]);
        assert_eq!(cells(&table.rows[0]), ["Anna", "-5,5", "a, b"]);

        let table = csv("Name\tSkill\nBo\tCooking, Pastry\n").unwrap();
        assert_eq!(cells(&table.rows[0]), ["Bo", "Cooking, Pastry"]);

        // Separators inside a quoted heading don't count.
        let table = csv("\"Name; full\",Skill\nBo,Cooking\n").unwrap();
        assert_eq!(table.headers, ["Name; full", "Skill"]);

        // Blank lines before the header are skipped when detecting too.
        let table = csv("\n\n a;b\n1;2\n").unwrap();
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.rows[0].number, 4);
    }

    #[test]
    fn quoted_newlines_and_commas_stay_in_one_row() {
        let table = csv("name,address,code\r\n\"Li, Wei\",\"Line 1\r\nLine 2\",7\r\nZhao,Street,8\r\n").unwrap();
        assert_eq!(table.rows.len(), 2);
        assert_eq!(cells(&table.rows[0]), ["Li, Wei", "Line 1\r\nLine 2", "7"]);
        assert_eq!(table.rows[0].number, 2);
        assert_eq!(cells(&table.rows[1]), ["Zhao", "Street", "8"]);
        assert_eq!(table.rows[1].number, 3, "a quoted line break is not a new row in Excel");
    }

    #[test]
    fn empty_rows_are_skipped_but_counted() {
        let text = "\r\n,,\r\nname,team\r\n\r\nA,1\r\n , \r\n\"B\nb\",2\r\n\r\n\nC,3";
        let table = csv(text).unwrap();
        assert_eq!(table.headers, ["name", "team"]);
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [5, 7, 10]);
        assert_eq!(cells(&table.rows[2]), ["C", "3"]);

        let table = csv("a\n\nb\n").unwrap();
        assert_eq!(table.rows[0].number, 3);
        let table = csv("a\r\rb\r").unwrap();
        assert_eq!(table.rows[0].number, 3, "bare CR line endings");
    }

    #[test]
    fn short_rows_read_as_empty_cells() {
        let table = csv("a,b,c\n1\n").unwrap();
        let row = &table.rows[0];
        assert_eq!((row.get(0), row.get(1), row.get(2), row.get(99)), ("1", "", "", ""));
    }

    #[test]
    fn column_lookup_is_forgiving() {
        let table = csv("  Family  Name *,Email,email\n").unwrap();
        assert_eq!(table.column(&["family name"]), Some(0));
        assert_eq!(table.column(&["E-mail", "EMAIL"]), Some(1), "first matching column wins");
        assert_eq!(table.column(&["phone"]), None);
        assert_eq!(table.column(&[""]), None);
    }

    #[test]
    fn empty_inputs() {
        assert_eq!(csv(""), Err(TableError::Empty));
        assert_eq!(csv("\r\n , ,\r\n\r\n"), Err(TableError::Empty));
        assert_eq!(read_table(UTF8_BOM, Format::Csv), Err(TableError::Empty));
        let table = csv("only,headers\n").unwrap();
        assert!(table.rows.is_empty());
    }

    #[test]
    fn size_limit_is_checked_first() {
        let bytes = vec![b'a'; MAX_BYTES + 1];
        let err = read_table(&bytes, Format::Csv).unwrap_err();
        assert_eq!(err, TableError::TooLarge { size: MAX_BYTES + 1, max: MAX_BYTES });
        assert_eq!(err.to_string(), "The file is 10.1 MB but at most 10 MB is accepted.");
        let bytes = vec![0u8; MAX_BYTES * 2];
        assert!(matches!(read_table(&bytes, Format::Xlsx), Err(TableError::TooLarge { .. })));
    }

    #[test]
    fn row_limit() {
        let mut text = String::from("n\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("{i}\n\n"));
        }
        assert_eq!(csv(&text).unwrap().rows.len(), MAX_ROWS);
        text.push_str("one too many\n");
        assert_eq!(csv(&text), Err(TableError::TooManyRows { max: MAX_ROWS }));
    }

    #[test]
    fn column_limit() {
        let wide = format!("a{}x\n", ",".repeat(MAX_COLUMNS));
        let err = csv(&wide).unwrap_err();
        assert_eq!(err, TableError::TooManyColumns { row: 1, max: MAX_COLUMNS });
        assert!(err.to_string().contains("column IV"), "{err}");
        // Trailing empty cells are not data.
        let trailing = format!("a,b{}\n1,2{}\n", ",".repeat(10 * MAX_COLUMNS), ",".repeat(10 * MAX_COLUMNS));
        assert_eq!(csv(&trailing).unwrap().headers, ["a", "b"]);
    }

    #[test]
    fn header_row_number_is_kept() {
        assert_eq!(csv("a\n1\n").unwrap().header_row, 1);
        assert_eq!(csv("\n\n,\na\n1\n").unwrap().header_row, 4);
        assert_eq!(read_table(&typed_workbook(), Format::Xlsx).unwrap().header_row, 3);
    }

    #[test]
    fn garbage_does_not_panic() {
        let samples: [&[u8]; 8] = [
            b"\"unterminated,quote\nand more",
            b"\xFF\xFE\x00",
            b"\xFE\xFF\xD8\x00",
            b"PK\x03\x04garbage",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            CFB_MAGIC,
            b"\xEF\xBB\xBF\xC3",
            b"\r\r\r\n\n\"\"\"\"",
        ];
        for bytes in samples {
            let _ = read_table(bytes, Format::Csv);
            let _ = read_table(bytes, Format::Xlsx);
        }
        assert!(matches!(read_table(b"name\n", Format::Xlsx), Err(TableError::Unreadable(_))));
        let err = read_table(CFB_MAGIC, Format::Xlsx).unwrap_err();
        assert!(err.to_string().contains(".xls"), "{err}");
    }

    /// A workbook as Excel writes it: typed cells, not strings.
    fn typed_workbook() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Formula, Workbook};
        let mut workbook = Workbook::new();
        let hidden = workbook.add_worksheet();
        hidden.set_name("Lists").unwrap();
        hidden.write_string(0, 0, "not this sheet").unwrap();
        hidden.set_hidden(true);
        let sheet = workbook.add_worksheet();
        sheet.set_active(true);
        let date = CellFormat::new().set_num_format("yyyy-mm-dd");
        let stamp = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm");
        for (col, header) in ["year", "born", "total", "flag", "error", "ratio", "id", "text", "at"].iter().enumerate()
        {
            sheet.write_string(2, col as u16, *header).unwrap();
        }
        sheet.write_number(3, 0, 1997.0).unwrap();
        sheet.write_datetime_with_format(3, 1, ExcelDateTime::from_ymd(2001, 2, 28).unwrap(), &date).unwrap();
        sheet.write_formula(3, 2, Formula::new("=A4+3").set_result("2000")).unwrap();
        sheet.write_boolean(3, 3, true).unwrap();
        sheet.write_formula(3, 4, Formula::new("=NA()").set_result("#N/A")).unwrap();
        sheet.write_number(3, 5, 0.1 + 0.2).unwrap();
        sheet.write_number(3, 6, 110_101_199_003_074_512.0).unwrap();
        sheet.write_string(3, 7, "110101199003074512").unwrap();
        let at = ExcelDateTime::from_ymd(2026, 9, 10).unwrap().and_hms(8, 30, 0).unwrap();
        sheet.write_datetime_with_format(3, 8, &at, &stamp).unwrap();
        sheet.write_number(5, 0, 1.5e20).unwrap();
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_typed_cells_read_as_excel_shows_them() {
        let table = read_table(&typed_workbook(), Format::Xlsx).unwrap();
        assert_eq!(table.headers[0], "year", "first visible sheet, header on its first non-empty row");
        assert_eq!(table.rows.len(), 2);
        let row = &table.rows[0];
        assert_eq!(row.number, 4);
        assert_eq!(
            cells(row),
            [
                "1997",
                "2001-02-28",
                "2000",
                "true",
                "#N/A",
                "0.3",
                "110101199003074512",
                "110101199003074512",
                "2026-09-10 08:30:00"
            ]
        );
        assert_eq!(table.rows[1].number, 6);
        assert_eq!(table.rows[1].get(0), "150000000000000000000");
    }

    #[test]
    fn xlsx_limits() {
        use rust_xlsxwriter::Workbook;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "h").unwrap();
        sheet.write_string(4, MAX_COLUMNS as u16, "far right").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(read_table(&bytes, Format::Xlsx), Err(TableError::TooManyColumns { row: 5, max: MAX_COLUMNS }));

        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for row in 0..=(MAX_ROWS as u32 + 1) {
            sheet.write_number(row * 2, 0, f64::from(row)).unwrap();
        }
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(read_table(&bytes, Format::Xlsx), Err(TableError::TooManyRows { max: MAX_ROWS }));
    }

    #[test]
    fn zip_bomb_is_refused() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(&[b' '; 1024 * 1024]).unwrap();
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        zip.write_all(&[b'a'; 1024 * 1024 + 1]).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 100 * 1024, "packs small");
        let limit = 2 * 1024 * 1024;
        let err = check_unpacked_size(&bytes, limit).unwrap_err();
        assert!(err.to_string().contains("unpacks to more than 2 MB"), "{err}");
        assert_eq!(check_unpacked_size(&bytes, limit + 1), Ok(()), "the budget is for all members together");
        assert_eq!(check_unpacked_size(&typed_workbook(), MAX_UNPACKED_BYTES), Ok(()));
    }

    /// A real workbook with a few bytes of one member's XML changed and zipped again, so the
    /// damage gets past the zip checksums into the workbook parser; or the workbook cut short.
    fn damaged_workbook() -> impl Strategy<Value = Vec<u8>> {
        static MEMBERS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
        let members = MEMBERS.get_or_init(|| {
            let mut archive = zip::ZipArchive::new(Cursor::new(typed_workbook())).unwrap();
            (0..archive.len())
                .map(|i| {
                    let mut member = archive.by_index(i).unwrap();
                    let mut content = Vec::new();
                    member.read_to_end(&mut content).unwrap();
                    (member.name().unwrap().into_owned(), content)
                })
                .collect()
        });
        let edit = (any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>());
        (
            any::<prop::sample::Index>(),
            proptest::collection::vec(edit, 1..6),
            any::<prop::sample::Index>(),
            any::<bool>(),
        )
            .prop_map(move |(target, edits, cut, truncate)| {
                use std::io::Write;
                let target = target.index(members.len());
                let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
                for (i, (name, content)) in members.iter().enumerate() {
                    let mut content = content.clone();
                    if i == target && !content.is_empty() {
                        for (at, len, value) in &edits {
                            // Overwrite a byte, or delete a short run (drops tags, quotes, digits).
                            let at = at.index(content.len());
                            if value % 2 == 0 {
                                content[at] = *value;
                            } else {
                                let end = (at + len.index(16)).min(content.len());
                                content.drain(at..end);
                            }
                        }
                    }
                    zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
                    zip.write_all(&content).unwrap();
                }
                let mut bytes = zip.finish().unwrap().into_inner();
                if truncate {
                    bytes.truncate(cut.index(bytes.len()));
                }
                bytes
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_table(&bytes, Format::Csv);
            let _ = read_table(&bytes, Format::Xlsx);
            let mut zipped = ZIP_MAGIC.to_vec();
            zipped.extend_from_slice(&bytes);
            let _ = read_table(&zipped, Format::Xlsx);
        }

        #[test]
        fn damaged_workbooks_never_panic(bytes in damaged_workbook()) {
            let _ = read_table(&bytes, Format::Xlsx);
        }
    }
}
