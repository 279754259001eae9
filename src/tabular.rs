//! Registration lists as spreadsheets: bytes in, rows out; rows in, bytes out.
//!
//! Organisers keep delegations, competitors and experts in Excel or WPS and hand them over as
//! `.xlsx` or CSV, so this module reads what those programs really produce rather than what RFC
//! 4180 promises: CSV in GBK (Excel in China), with a UTF-8 BOM, with `;` or tab separators
//! (European locales, "Unicode text" exports), workbooks whose cells are numbers, dates or formulas
//! although they look like text. Everything comes out as trimmed strings with the row number the
//! organiser sees in Excel, so validation messages can point at "row 17" and be found.
//!
//! It is pure (no database, no HTTP) so that the import and export use cases can be tested without
//! either, and so the same code serves every list. Uploads are untrusted: sizes are capped before
//! parsing, rows and columns while reading, a workbook's unpacked size before it is opened, and no
//! input makes it panic. Exports are opened by people in spreadsheet programs, so every cell is
//! defused against formula injection on the way out.

use std::borrow::Cow;
use std::io::{self, Cursor, Read};

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};

/// Largest upload accepted. Real registration lists are far below; the cap keeps one request from
/// holding much memory (a parsed table takes several times the file's size).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Largest number of data rows (the header row not counted). Even the biggest competitions have a
/// few thousand people; more rows mean a wrong file or a sheet filled down by accident.
pub const MAX_ROWS: usize = 20_000;

/// Rightmost column that may hold data (column `IV`, the old `.xls` limit). Memory is rows times
/// columns, and a single stray cell far to the right would otherwise widen every row.
pub const MAX_COLUMNS: usize = 256;

/// How much a workbook may unpack to. A 10 MB zip can inflate a thousandfold; real workbooks of
/// [`MAX_ROWS`] rows stay well below this.
const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Compound File Binary: Excel 97-2003 `.xls`, and also every password-protected `.xlsx`.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// How an upload is to be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// Decides by content first, because people rename files ("list.csv" that is really a
    /// workbook); the file name only matters for content that is neither, so that a broken
    /// `.xlsx`/`.xls` gets a workbook error instead of being parsed as garbled CSV.
    pub fn detect(bytes: &[u8], filename: Option<&str>) -> Format {
        if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
            return Format::Xlsx;
        }
        let workbook_name = filename.is_some_and(|name| {
            let name = name.trim().to_ascii_lowercase();
            [".xlsx", ".xlsm", ".xls"].iter().any(|ext| name.ends_with(ext))
        });
        if workbook_name {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }

    /// The `Content-Type` for a download of this format; CSV names its charset so browsers and
    /// proxies don't guess.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// File extension (without the dot) for a download's `Content-Disposition`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// A sheet as the importer needs it: the header row and the non-empty rows below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The first non-empty row, trimmed, without trailing empty cells.
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// 1-based row number of the header row as Excel shows it (1 unless the sheet starts with
    /// empty rows), for layouts such as the CIS marking scheme whose first row is data too.
    pub header_row: usize,
}

/// One non-empty data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based row number as Excel shows it (the header row of a sheet starting at the top is 1),
    /// counting the empty rows that were skipped, so an error message leads to the right line.
    pub number: usize,
    /// Trimmed cells without trailing empty ones; may be shorter or longer than the headers.
    pub cells: Vec<String>,
}

impl Table {
    /// Finds a column by any of its accepted names, so one template works in several languages
    /// (`&["name", "姓名"]`) and small edits to a heading don't break an import: comparison ignores
    /// case, surrounding and repeated spaces, and a trailing `*` that templates use to mark
    /// required columns. The first matching column wins.
    pub fn column(&self, aliases: &[&str]) -> Option<usize> {
        let wanted: Vec<String> = aliases.iter().map(|alias| normalise_header(alias)).collect();
        self.headers.iter().position(|header| {
            let header = normalise_header(header);
            !header.is_empty() && wanted.contains(&header)
        })
    }
}

impl Row {
    /// The cell in column `col`, or `""` past the row's end, so callers need not care that
    /// spreadsheet programs drop trailing empty cells.
    pub fn get(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }
}

fn normalise_header(header: &str) -> String {
    let header = header.trim().trim_end_matches(['*', '＊']);
    header.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Why a file could not be read or written. The messages are meant for the organiser who
/// uploaded the file, and say what to do about it.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TableError {
    #[error("The file is {} but at most {} is accepted.", megabytes(*size), megabytes(*max))]
    TooLarge { size: usize, max: usize },
    #[error("The sheet has more than {max} rows. Split it into several files of at most {max} rows each.")]
    TooManyRows { max: usize },
    #[error(
        "Row {row} has data beyond column {} ({max}). Delete the cells to the right of it and upload again.",
        column_letters(*max)
    )]
    TooManyColumns { row: usize, max: usize },
    #[error("The file has no data. Its first non-empty row must hold the column headings.")]
    Empty,
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Unwritable(String),
}

impl TableError {
    /// Stable machine-readable code for API problem responses.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::TooLarge { .. } => "table_too_large",
            TableError::TooManyRows { .. } => "table_too_many_rows",
            TableError::TooManyColumns { .. } => "table_too_many_columns",
            TableError::Empty => "table_empty",
            TableError::Unreadable(_) => "table_unreadable",
            TableError::Unwritable(_) => "table_unwritable",
        }
    }
}

/// Rounded up to a tenth, so a file just over the limit doesn't read as being at it.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as f64 / (1024.0 * 1024.0) * 10.0).ceil() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0} MB")
    } else {
        format!("{tenths:.1} MB")
    }
}

/// Excel's name for a 1-based column number: 1 → `A`, 27 → `AA`, 256 → `IV`.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        letters.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

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

// ---------------------------------------------------------------------------------------------
// Writing

/// A CSV that Excel opens correctly by double-click: UTF-8 with a BOM (without it Excel assumes
/// the ANSI code page and garbles Chinese), CRLF line endings, every cell defused by
/// [`neutralise_formula`]. Cells holding `;` or tab are quoted as well as those the format
/// requires, so the delimiter detection of [`read_table`] reads the file back unchanged.
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

    #[test]
    fn format_detection() {
        assert_eq!(Format::detect(b"PK\x03\x04rest", Some("list.csv")), Format::Xlsx);
        assert_eq!(Format::detect(CFB_MAGIC, None), Format::Xlsx);
        assert_eq!(Format::detect(b"name,team\n", Some("list.csv")), Format::Csv);
        assert_eq!(Format::detect(b"name,team\n", None), Format::Csv);
        assert_eq!(Format::detect(b"broken", Some("List.XLSX")), Format::Xlsx);
        assert_eq!(Format::Xlsx.extension(), "xlsx");
        assert!(Format::Csv.content_type().starts_with("text/csv"));
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

        #[test]
        fn csv_round_trips(
            headers in proptest::collection::vec(cell(), 1..6)
                .prop_filter("a header row needs a heading", |h| h.iter().any(|c| !c.is_empty())),
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..12),
        ) {
            let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            let table = read_table(&write_csv(&header_refs, &rows), Format::Csv).unwrap();
            prop_assert_eq!(&table.headers, &without_trailing_empties(&headers));
            let expected: Vec<Row> = rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row { number: i + 2, cells: without_trailing_empties(cells) })
                .filter(|row| !row.cells.is_empty())
                .collect();
            prop_assert_eq!(table.rows, expected);
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
            let expected: Vec<Row> = rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row { number: i + 2, cells: without_trailing_empties(cells) })
                .filter(|row| !row.cells.is_empty())
                .collect();
            prop_assert_eq!(table.rows, expected);
        }
    }
}
