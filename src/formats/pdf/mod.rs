//! Printable PDFs: the results list, the certificates and the national team list.
//!
//! Names are Chinese as often as not, so the text is set in Noto Sans CJK SC (Debian's
//! `fonts-noto-cjk`), which krilla embeds as a subset holding only the glyphs used, with a
//! ToUnicode map so that the text can be searched and copied. Plain data in, PDF bytes out.

mod fonts;
mod write;

pub use self::fonts::{Fonts, DEFAULT_FONT_DIR};
pub use self::write::{certificates_pdf, results_pdf, team_pdf};

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

/// The national team list (国家队名单), printed for signing.
#[derive(Clone, Debug)]
pub struct TeamDocument {
    /// The programme, e.g. "第46届世界技能大赛中国集训队选拔"
    pub programme: String,
    /// e.g. "国家队名单 National team · WorldSkills Shanghai 2026 (2026)"
    pub subtitle: String,
    pub skills: Vec<TeamSkill>,
    /// e.g. "日期 Date：2026年12月5日 · 5 December 2026"
    pub date: String,
    /// The labels of the signature lines, e.g. "审核人 Checked by".
    pub signatures: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct TeamSkill {
    /// e.g. "01 数控车 CNC Turning"
    pub title: String,
    pub rows: Vec<TeamLine>,
}

#[derive(Clone, Debug)]
pub struct TeamLine {
    /// e.g. "正式选手 Member"
    pub place: String,
    pub competitors: String,
    pub delegation: String,
    pub standing: String,
}
