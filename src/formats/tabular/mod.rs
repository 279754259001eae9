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

mod read;
mod write;

pub use self::read::read_table;
pub use self::write::{neutralise_formula, write_csv, write_xlsx};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
