//! Printable PDFs: the results list and the certificates.
//!
//! Names are Chinese as often as not, so the text is set in Noto Sans CJK SC (Debian's
//! `fonts-noto-cjk`), which krilla embeds as a subset holding only the glyphs used, with a
//! ToUnicode map so that the text can be searched and copied. Plain data in, PDF bytes out.

mod fonts;
mod write;

pub use self::fonts::{Fonts, DEFAULT_FONT_DIR};
pub use self::write::{certificates_pdf, results_pdf};

#[derive(Clone, Debug)]
pub struct ResultRow {
    pub position: String,
    pub delegation: String,
    pub competitors: String,
    pub score: String,
    pub medal: String,
}

#[derive(Clone, Debug)]
pub struct SkillTable {
    /// e.g. "01 数控车 CNC Turning"
    pub title: String,
    pub rows: Vec<ResultRow>,
}

#[derive(Clone, Debug)]
pub struct ResultsDocument {
    pub event: String,
    /// e.g. "成绩公告 Results"
    pub subtitle: String,
    pub skills: Vec<SkillTable>,
}

#[derive(Clone, Debug)]
pub struct Certificate {
    pub event: String,
    pub competitor: String,
    pub delegation: String,
    pub skill: String,
    /// e.g. "金牌 Gold Medal"
    pub award: String,
    pub score: String,
    pub date: String,
}
