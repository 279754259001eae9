//! Writing: the results list and the certificates laid out on pages and drawn into PDF bytes.

use anyhow::{bail, Context};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::Document;

use super::fonts::Fonts;
use super::{Certificate, ResultsDocument, TeamDocument};

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
}

/// What a page shows, laid out before drawing so that pages can be numbered "n / N".
enum Op {
    /// `x` is where `align` puts the text; `max_width` > 0 shrinks the text to fit.
    Text {
        x: f32,
        y: f32,
        align: Align,
        max_width: f32,
        style: Style,
        text: String,
    },
    Line {
        x0: f32,
        x1: f32,
        y: f32,
        width: f32,
        colour: Rgb,
    },
    Rect {
        rect: Rect,
        fill: Option<Rgb>,
        stroke: f32,
        colour: Rgb,
    },
}

type Rgb = (u8, u8, u8);
const BLACK: Rgb = (0, 0, 0);
const GREY: Rgb = (110, 110, 110);
const RULE: Rgb = (200, 200, 200);
const SHADE: Rgb = (232, 236, 242);
const ACCENT: Rgb = (128, 92, 0);

fn paint((r, g, b): Rgb) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

#[derive(Clone, Copy)]
struct Style {
    size: f32,
    bold: bool,
    colour: Rgb,
}

fn regular(size: f32, colour: Rgb) -> Style {
    Style { size, bold: false, colour }
}

fn bold(size: f32, colour: Rgb) -> Style {
    Style { size, bold: true, colour }
}

fn text(x: f32, y: f32, align: Align, max_width: f32, style: Style, s: &str) -> Op {
    Op::Text { x, y, align, max_width, style, text: s.to_string() }
}

fn render(fonts: &Fonts, title: &str, (width, height): (f32, f32), pages: &[Vec<Op>]) -> anyhow::Result<Vec<u8>> {
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_string()).language("zh-CN".to_string()));
    for ops in pages {
        let mut page = document.start_page_with(PageSettings::from_wh(width, height).context("page size")?);
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| anyhow::anyhow!("cannot write the PDF: {e:?}"))
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text { x, y, align, max_width, style, text } => {
            let face = if style.bold { &fonts.bold } else { &fonts.regular };
            let (glyphs, em) = face.shape(text);
            let fits = *max_width <= 0.0 || em * style.size <= *max_width;
            let size = if fits { style.size } else { max_width / em };
            let x = match align {
                Align::Left => *x,
                Align::Centre => x - em * size / 2.0,
                Align::Right => x - em * size,
            };
            surface.set_stroke(None);
            surface.set_fill(Some(Fill { paint: paint(style.colour), ..Fill::default() }));
            surface.draw_glyphs(Point::from_xy(x, *y), &glyphs, face.font.clone(), text, size, false);
        }
        Op::Line { x0, x1, y, width, colour } => {
            let mut path = PathBuilder::new();
            path.move_to(*x0, *y);
            path.line_to(*x1, *y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { paint: paint(*colour), width: *width, ..Stroke::default() }));
                surface.draw_path(&path);
            }
        }
        Op::Rect { rect, fill, stroke, colour } => {
            let mut path = PathBuilder::new();
            path.push_rect(*rect);
            if let Some(path) = path.finish() {
                surface.set_fill(fill.map(|c| Fill { paint: paint(c), ..Fill::default() }));
                surface.set_stroke((*stroke > 0.0).then(|| Stroke {
                    paint: paint(*colour),
                    width: *stroke,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

const A4: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 42.0;
const ROW: f32 = 18.0;
const TABLE_SIZE: f32 = 9.5;

/// A table's columns: left edge (a right-aligned column is aligned on its right edge), width,
/// alignment and heading.
type Columns<const N: usize> = [(f32, f32, Align, &'static str); N];

/// The results list's columns.
const RESULT_COLUMNS: Columns<5> = [
    (MARGIN + 4.0, 40.0, Align::Left, "名次 Pos."),
    (MARGIN + 48.0, 122.0, Align::Left, "代表队 Delegation"),
    (MARGIN + 176.0, 170.0, Align::Left, "选手 Competitors"),
    (MARGIN + 350.0, 58.0, Align::Right, "成绩 Score"),
    (MARGIN + 422.0, 85.0, Align::Left, "奖牌 Medal"),
];

/// The national team list's columns.
const TEAM_COLUMNS: Columns<4> = [
    (MARGIN + 4.0, 84.0, Align::Left, "身份 Place"),
    (MARGIN + 92.0, 170.0, Align::Left, "姓名 Name"),
    (MARGIN + 266.0, 160.0, Align::Left, "代表队 Delegation"),
    (MARGIN + 430.0, 77.0, Align::Right, "综合成绩 Standing"),
];

fn table_row<const N: usize>(ops: &mut Vec<Op>, y: f32, columns: &Columns<N>, cells: [&str; N], bold: bool) {
    for ((x, w, align, _), cell) in columns.iter().zip(cells) {
        let x = if *align == Align::Right { x + w } else { *x };
        ops.push(text(x, y + 12.5, *align, *w, Style { size: TABLE_SIZE, bold, colour: BLACK }, cell));
    }
}

/// Tables (one per skill) on A4 portrait pages under a title and subtitle, headings repeated on
/// every page. Returns the pages and where the last one's content ends.
fn paged_tables<const N: usize>(
    (title, subtitle): (&str, &str),
    columns: &Columns<N>,
    tables: &[(String, Vec<[String; N]>)],
) -> anyhow::Result<(Vec<Vec<Op>>, f32)> {
    let (width, height) = A4;
    let (left, right) = (MARGIN, width - MARGIN);
    let top = MARGIN + 48.0;
    let bottom = height - MARGIN - 20.0;
    let new_page = || {
        vec![
            text(left, MARGIN + 14.0, Align::Left, right - left, bold(16.0, BLACK), title),
            text(left, MARGIN + 32.0, Align::Left, right - left, regular(11.0, GREY), subtitle),
            Op::Line { x0: left, x1: right, y: MARGIN + 40.0, width: 1.0, colour: BLACK },
        ]
    };
    let headings = columns.map(|c| c.3);
    let mut pages = vec![new_page()];
    let mut y = top;
    for (table_title, table_rows) in tables {
        let mut heading = table_title.clone();
        let mut rows = table_rows.iter().peekable();
        loop {
            // A heading is kept with its header row and at least two rows.
            if y + 26.0 + 3.0 * ROW > bottom {
                pages.push(new_page());
                y = top;
            }
            let ops = pages.last_mut().expect("at least one page");
            y += 8.0;
            ops.push(text(left, y + 12.0, Align::Left, right - left, bold(12.0, BLACK), &heading));
            y += 18.0;
            let shade = Rect::from_xywh(left, y, right - left, ROW).context("table header")?;
            ops.push(Op::Rect { rect: shade, fill: Some(SHADE), stroke: 0.0, colour: SHADE });
            table_row(ops, y, columns, headings, true);
            y += ROW;
            while let Some(row) = rows.next_if(|_| y + ROW <= bottom) {
                table_row(ops, y, columns, row.each_ref().map(String::as_str), false);
                y += ROW;
                ops.push(Op::Line { x0: left, x1: right, y, width: 0.4, colour: RULE });
            }
            if rows.peek().is_none() {
                break;
            }
            heading = format!("{table_title}（续 continued）");
        }
        y += 10.0;
    }
    Ok((pages, y))
}

/// Numbers the pages "n / N" and draws them.
fn numbered(fonts: &Fonts, title: &str, mut pages: Vec<Vec<Op>>) -> anyhow::Result<Vec<u8>> {
    let (width, height) = A4;
    let count = pages.len();
    for (n, ops) in pages.iter_mut().enumerate() {
        let footer = format!("{} / {count}", n + 1);
        ops.push(text(width / 2.0, height - MARGIN, Align::Centre, 0.0, regular(9.0, GREY), &footer));
    }
    render(fonts, title, A4, &pages)
}

/// Each skill's title and its rows' cells.
fn tables<'a, R: 'a, const N: usize>(
    skills: impl Iterator<Item = (&'a str, &'a [R])>,
    cells: impl Fn(&R) -> [String; N],
) -> Vec<(String, Vec<[String; N]>)> {
    skills.map(|(title, rows)| (title.to_string(), rows.iter().map(&cells).collect())).collect()
}

/// The results list: A4 portrait, one table per skill, headings repeated on every page.
pub fn results_pdf(fonts: &Fonts, doc: &ResultsDocument) -> anyhow::Result<Vec<u8>> {
    let tables = tables(doc.skills.iter().map(|s| (s.title.as_str(), s.rows.as_slice())), |r| {
        [r.position.clone(), r.delegation.clone(), r.competitors.clone(), r.score.clone(), r.medal.clone()]
    });
    let (pages, _) = paged_tables((&doc.event, &doc.subtitle), &RESULT_COLUMNS, &tables)?;
    numbered(fonts, &format!("{} {}", doc.event, doc.subtitle), pages)
}

/// The national team list: A4 portrait, member and alternate per skill, then the date and the
/// signature lines (kept together on the last page).
pub fn team_pdf(fonts: &Fonts, doc: &TeamDocument) -> anyhow::Result<Vec<u8>> {
    let tables = tables(doc.skills.iter().map(|s| (s.title.as_str(), s.rows.as_slice())), |r| {
        [r.place.clone(), r.competitors.clone(), r.delegation.clone(), r.standing.clone()]
    });
    let (mut pages, mut y) = paged_tables((&doc.programme, &doc.subtitle), &TEAM_COLUMNS, &tables)?;
    let (width, height) = A4;
    let (left, right) = (MARGIN, width - MARGIN);
    let block = 24.0 + 3.0 * 30.0;
    if y + block > height - MARGIN - 20.0 {
        pages.push(vec![]);
        y = MARGIN + 20.0;
    }
    let ops = pages.last_mut().expect("at least one page");
    y += 24.0;
    ops.push(text(left, y, Align::Left, right - left, regular(10.5, BLACK), &doc.date));
    let mid = (left + right) / 2.0;
    for (n, label) in doc.signatures.iter().enumerate() {
        let x = if n % 2 == 0 { left } else { mid + 10.0 };
        if n % 2 == 0 {
            y += 30.0;
        }
        ops.push(text(x, y, Align::Left, 0.0, regular(10.5, BLACK), label));
        ops.push(Op::Line { x0: x + 110.0, x1: x + (mid - left) - 20.0, y: y + 2.0, width: 0.6, colour: BLACK });
    }
    numbered(fonts, &format!("{} {}", doc.programme, doc.subtitle), pages)
}

/// The certificates: A4 landscape, one per page, everything centred and the name large.
pub fn certificates_pdf(fonts: &Fonts, certs: &[Certificate]) -> anyhow::Result<Vec<u8>> {
    if certs.is_empty() {
        bail!("no certificates to print");
    }
    let (width, height) = (A4.1, A4.0);
    let (mid, line) = (width / 2.0, width - 4.0 * MARGIN);
    let frame = |inset: f32| Rect::from_ltrb(inset, inset, width - inset, height - inset).context("frame");
    let mut pages = Vec::new();
    for cert in certs {
        let mut ops = vec![
            Op::Rect { rect: frame(24.0)?, fill: None, stroke: 2.5, colour: ACCENT },
            Op::Rect { rect: frame(32.0)?, fill: None, stroke: 0.75, colour: ACCENT },
            text(mid, 110.0, Align::Centre, line, bold(18.0, BLACK), &cert.event),
            text(mid, 170.0, Align::Centre, line, bold(40.0, ACCENT), "荣誉证书"),
            text(mid, 196.0, Align::Centre, line, regular(14.0, GREY), "CERTIFICATE"),
            text(mid, 250.0, Align::Centre, line, regular(13.0, GREY), "授予 Awarded to"),
            text(mid, 310.0, Align::Centre, line, bold(44.0, BLACK), &cert.competitor),
            text(mid, 345.0, Align::Centre, line, regular(16.0, BLACK), &cert.delegation),
            Op::Line { x0: mid - 160.0, x1: mid + 160.0, y: 365.0, width: 0.75, colour: RULE },
            text(mid, 395.0, Align::Centre, line, regular(16.0, BLACK), &cert.skill),
            text(mid, 435.0, Align::Centre, line, bold(26.0, ACCENT), &cert.award),
        ];
        if !cert.score.is_empty() {
            ops.push(text(mid, 465.0, Align::Centre, line, regular(13.0, GREY), &format!("成绩 Score {}", cert.score)));
        }
        ops.push(text(mid, height - 70.0, Align::Centre, line, regular(12.0, GREY), &cert.date));
        pages.push(ops);
    }
    render(fonts, &format!("{} 证书 Certificates", certs[0].event), (width, height), &pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::pdf::{ResultRow, SkillTable, DEFAULT_FONT_DIR};
    use krilla::text::GlyphId;
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::sync::OnceLock;

    fn fonts() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(Path::new(DEFAULT_FONT_DIR)).unwrap_or_else(|e| panic!("{e:#}")))
    }

    const NAMES: [&str; 8] = ["张伟", "欧阳娜娜", "李静", "王芳", "刘洋", "陈晓明", "Anna Müller", "司马相如"];
    const DELEGATIONS: [&str; 4] = ["上海代表队", "广东代表队", "北京代表队", "新疆生产建设兵团代表队"];

    fn results() -> ResultsDocument {
        let titles = ["01 数控车 CNC Turning", "17 网站设计与开发 Web Technologies", "39 信息网络布线 ICT Cabling"];
        let skills = titles
            .iter()
            .map(|title| SkillTable {
                title: title.to_string(),
                rows: (0..40)
                    .map(|i| ResultRow {
                        position: (i + 1).to_string(),
                        delegation: DELEGATIONS[i % 4].to_string(),
                        competitors: format!("{}、{}", NAMES[i % 8], NAMES[(i + 3) % 8]),
                        score: format!("{:.2}", 98.5 - i as f64 * 0.75),
                        medal: ["金牌 Gold", "银牌 Silver", "铜牌 Bronze", "优胜奖 Excellence", ""][i.min(4)]
                            .to_string(),
                    })
                    .collect(),
            })
            .collect();
        ResultsDocument {
            event: "第二届全国职业技能大赛 2nd National Skills Competition".into(),
            subtitle: "成绩公告 Results".into(),
            skills,
        }
    }

    fn certificates() -> Vec<Certificate> {
        NAMES[..3]
            .iter()
            .zip(["金牌 Gold Medal", "银牌 Silver Medal", "铜牌 Bronze Medal"])
            .map(|(name, award)| Certificate {
                event: "第二届全国职业技能大赛".into(),
                competitor: name.to_string(),
                delegation: "上海代表队 Shanghai".into(),
                skill: "01 数控车 CNC Turning".into(),
                award: award.into(),
                score: "96.25".into(),
                date: "2026年11月24日 · 24 November 2026".into(),
            })
            .collect()
    }

    /// Parses the PDF, checks its header, size and page count, and returns each page's text.
    fn pages(pdf: &[u8], expected_pages: usize) -> (lopdf::Document, Vec<String>) {
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
        assert!(pdf.len() < 1_000_000, "{} bytes: is the font really subset?", pdf.len());
        let doc = lopdf::Document::load_mem(pdf).expect("a PDF that lopdf reads");
        let numbers: Vec<u32> = doc.get_pages().into_keys().collect();
        assert_eq!(numbers.len(), expected_pages);
        let texts = numbers.iter().map(|&n| doc.extract_text(&[n]).expect("text")).collect();
        (doc, texts)
    }

    /// How many glyphs the embedded CID fonts really draw, from their /W arrays: krilla gives
    /// each glyph of a subset its own CID and .notdef is CID 0, so text printed as tofu would
    /// show as few CIDs besides 0. Also checks that the fonts are embedded subsets.
    fn drawn_glyphs(doc: &lopdf::Document) -> usize {
        let mut total = 0;
        for object in doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            if !dict.get(b"Subtype").is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"CIDFontType0")) {
                continue;
            }
            let name = dict.get(b"BaseFont").and_then(|n| n.as_name()).expect("BaseFont");
            assert_eq!(name.get(6), Some(&b'+'), "not a subset: {}", String::from_utf8_lossy(name));
            let descriptor = doc.get_dictionary(dict.get(b"FontDescriptor").and_then(|d| d.as_reference()).unwrap());
            assert!(descriptor.unwrap().has(b"FontFile3"), "font not embedded");
            let widths = dict.get(b"W").and_then(|w| w.as_array()).expect("W");
            let mut cids = BTreeSet::new();
            // Entries are either `first [w1 w2 ...]` or `first last w`.
            let mut entries = widths.iter();
            while let Some(first) = entries.next() {
                let first = first.as_i64().expect("CID");
                match entries.next().expect("W entry") {
                    lopdf::Object::Array(ws) => cids.extend(first..first + ws.len() as i64),
                    last => {
                        cids.extend(first..=last.as_i64().expect("CID"));
                        entries.next();
                    }
                }
            }
            cids.remove(&0);
            total += cids.len();
        }
        total
    }

    #[test]
    fn results_span_pages_with_chinese_text() {
        let pdf = results_pdf(fonts(), &results()).unwrap();
        println!("results: {} bytes", pdf.len());
        std::fs::write(std::env::temp_dir().join("skillmark-results.pdf"), &pdf).unwrap();
        let (doc, texts) = pages(&pdf, 4);
        for (n, text) in texts.iter().enumerate() {
            assert!(text.contains(&format!("{} / 4", n + 1)), "page {} has no page number: {text}", n + 1);
            assert!(text.contains("名次 Pos."), "page {} has no table header", n + 1);
        }
        let all = texts.concat();
        for expected in ["第二届全国职业技能大赛", "成绩公告", "01 数控车", "ICT Cabling", "（续 continued）"]
        {
            assert!(all.contains(expected), "{expected} missing");
        }
        for expected in NAMES.iter().chain(&DELEGATIONS).chain(&["98.50", "金牌 Gold"]) {
            assert!(all.contains(expected), "{expected} missing");
        }
        let distinct: BTreeSet<char> = all.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(drawn_glyphs(&doc) >= distinct.len(), "glyphs missing: text printed as tofu?");
    }

    #[test]
    fn certificates_one_per_page() {
        let certs = certificates();
        let pdf = certificates_pdf(fonts(), &certs).unwrap();
        println!("certificates: {} bytes", pdf.len());
        std::fs::write(std::env::temp_dir().join("skillmark-certificates.pdf"), &pdf).unwrap();
        let (doc, texts) = pages(&pdf, 3);
        for (cert, text) in certs.iter().zip(&texts) {
            for expected in [&*cert.competitor, "上海代表队", "数控车", &*cert.award, "荣誉证书", "96.25"] {
                assert!(text.contains(expected), "{expected} missing from {text}");
            }
        }
        let distinct: BTreeSet<char> = texts.concat().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(drawn_glyphs(&doc) >= distinct.len(), "glyphs missing: text printed as tofu?");
        let page = doc.get_pages()[&1];
        let media_box = doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
        let size: Vec<f32> = media_box.iter().map(|v| v.as_float().unwrap()).collect();
        assert!(size[2] > size[3], "not landscape: {size:?}");
        assert!(certificates_pdf(fonts(), &[]).is_err());
    }

    #[test]
    fn team_list_has_places_names_and_signature_lines() {
        use crate::formats::pdf::{TeamLine, TeamSkill};
        let skills = (1..=12)
            .map(|n| TeamSkill {
                title: format!("{n:02} 技能{n} Skill {n}"),
                rows: [("正式选手 Member", 0), ("替补 Alternate", 1)]
                    .iter()
                    .map(|(place, k)| TeamLine {
                        place: place.to_string(),
                        competitors: NAMES[(n + k) % 8].to_string(),
                        delegation: DELEGATIONS[(n + k) % 4].to_string(),
                        standing: "706.70".into(),
                    })
                    .collect(),
            })
            .collect();
        let doc = TeamDocument {
            programme: "第46届世界技能大赛中国集训队选拔".into(),
            subtitle: "国家队名单 National team · WorldSkills Shanghai 2026 (2026)".into(),
            skills,
            date: "日期 Date：2026年12月5日".into(),
            signatures: vec!["审核人 Checked by".into(), "批准人 Approved by".into()],
        };
        let pdf = team_pdf(fonts(), &doc).unwrap();
        std::fs::write(std::env::temp_dir().join("skillmark-team.pdf"), &pdf).unwrap();
        let (doc_pdf, texts) = pages(&pdf, 2);
        for (n, text) in texts.iter().enumerate() {
            assert!(text.contains("第46届世界技能大赛中国集训队选拔"), "page {} has no title", n + 1);
            assert!(text.contains(&format!("{} / 2", n + 1)));
        }
        let all = texts.concat();
        for expected in NAMES.iter().chain(&DELEGATIONS).chain(&["正式选手 Member", "替补 Alternate", "12 技能12"])
        {
            assert!(all.contains(expected), "{expected} missing");
        }
        let last = texts.last().unwrap();
        assert!(
            last.contains("审核人 Checked by") && last.contains("批准人 Approved by") && last.contains("2026年12月5日")
        );
        let distinct: BTreeSet<char> = all.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(drawn_glyphs(&doc_pdf) >= distinct.len(), "glyphs missing: text printed as tofu?");
    }

    #[test]
    fn the_sc_face_has_the_glyphs() {
        for name in NAMES.iter().chain(&DELEGATIONS) {
            let (glyphs, width) = fonts().regular.shape(name);
            assert!(glyphs.iter().all(|g| g.glyph_id != GlyphId::new(0)), "{name} has no glyphs");
            assert!(width > 1.0);
        }
    }
}
