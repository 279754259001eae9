//! Reading the fonts: the Noto Sans CJK SC faces, loaded once and shaped into glyphs.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use krilla::text::{Font, GlyphId, KrillaGlyph};

/// Where Debian's `fonts-noto-cjk` puts its fonts.
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/opentype/noto";
const REGULAR_FILE: &str = "NotoSansCJK-Regular.ttc";
const BOLD_FILE: &str = "NotoSansCJK-Bold.ttc";
/// In the Noto Sans CJK collections the faces are JP, KR, SC, TC, HK, then the Mono ones.
const SC_INDEX: u32 = 2;

/// One face of a font file: krilla's handle for embedding, the bytes for shaping.
#[derive(Clone)]
pub(super) struct Face {
    pub(super) font: Font,
    data: Arc<Vec<u8>>,
    index: u32,
}

impl Face {
    fn load(path: &Path, index: u32) -> anyhow::Result<Face> {
        let data = std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the font {}: {e} (on Debian or Ubuntu: apt-get install fonts-noto-cjk)",
                path.display()
            )
        })?;
        let data = Arc::new(data);
        let font = Font::new(data.clone().into(), index)
            .with_context(|| format!("{} has no readable font at index {index}", path.display()))?;
        Ok(Face { font, data, index })
    }

    /// Shapes one line of text left to right; returns the glyphs and the width in em.
    pub(super) fn shape(&self, text: &str) -> (Vec<KrillaGlyph>, f32) {
        let Some(face) = rustybuzz::Face::from_slice(&self.data, self.index) else {
            return (Vec::new(), 0.0);
        };
        let upem = self.font.units_per_em();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let output = rustybuzz::shape(&face, &[], buffer);
        let infos = output.glyph_infos();
        let mut width = 0.0;
        let glyphs = infos
            .iter()
            .zip(output.glyph_positions())
            .enumerate()
            .map(|(i, (info, pos))| {
                let start = info.cluster as usize;
                let end =
                    infos[i + 1..].iter().map(|next| next.cluster as usize).find(|&c| c != start).unwrap_or(text.len());
                if info.glyph_id == 0 {
                    tracing::warn!(text = &text[start..end], "no glyph in Noto Sans CJK SC; printed as a blank box");
                }
                width += pos.x_advance as f32 / upem;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / upem,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                )
            })
            .collect();
        (glyphs, width)
    }
}

/// The regular and bold faces, read once (about 40 MB) and shared by cloning (cheap: `Arc`s).
#[derive(Clone)]
pub struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
}

impl Fonts {
    /// `dir_or_path` is a directory holding `NotoSansCJK-Regular.ttc` and `NotoSansCJK-Bold.ttc`
    /// (see [`DEFAULT_FONT_DIR`]), or one font file used for both weights (its SC face if it is
    /// a `.ttc` collection, else its first face).
    pub fn load(dir_or_path: &Path) -> anyhow::Result<Fonts> {
        if dir_or_path.is_dir() {
            Ok(Fonts {
                regular: Face::load(&dir_or_path.join(REGULAR_FILE), SC_INDEX)?,
                bold: Face::load(&dir_or_path.join(BOLD_FILE), SC_INDEX)?,
            })
        } else {
            let is_collection = dir_or_path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ttc"));
            let face = Face::load(dir_or_path, if is_collection { SC_INDEX } else { 0 })?;
            Ok(Fonts { regular: face.clone(), bold: face })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fonts_are_named() {
        let err = Fonts::load(Path::new("/nonexistent")).err().unwrap().to_string();
        assert!(err.contains("/nonexistent") && err.contains("fonts-noto-cjk"), "{err}");
        let err = Fonts::load(&std::env::temp_dir()).err().unwrap().to_string();
        assert!(err.contains(REGULAR_FILE) && err.contains("fonts-noto-cjk"), "{err}");
    }
}
