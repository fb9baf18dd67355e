//! A small PDF writer for CERES' letters: A4 pages of text in the standard Helvetica fonts with WinAnsi encoding,
//! so French text prints and can be extracted (copy, search, screen readers). No images, no embedded fonts.

use std::fmt::Write as _;

/// A4 in points.
pub const WIDTH: f32 = 595.28;
pub const HEIGHT: f32 = 841.89;

#[derive(Clone, Copy)]
pub enum Font {
    Regular,
    Bold,
}

/// Text laid out top-down on one page.
pub struct Page {
    ops: String,
    y: f32,
}

impl Default for Page {
    fn default() -> Self {
        Page { ops: String::new(), y: HEIGHT - 60.0 }
    }
}

/// The WinAnsi (Windows-1252) byte of a character; characters outside it become '?'.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        'Œ' => 0x8C,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        'œ' => 0x9C,
        'Ÿ' => 0x9F,
        '\u{202f}' => 0xA0,
        _ => b'?',
    }
}

/// A PDF literal string: parentheses and backslashes escaped, non-ASCII bytes as octal escapes.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for b in text.chars().map(win_ansi) {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// Rough width of a text in Helvetica (average glyph width), to wrap lines.
fn approx_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * size * 0.5
}

impl Page {
    pub fn text_at(&mut self, x: f32, y: f32, font: Font, size: f32, text: &str) {
        let f = match font {
            Font::Regular => "F1",
            Font::Bold => "F2",
        };
        let _ = writeln!(self.ops, "BT /{f} {size} Tf {x:.2} {y:.2} Td {} Tj ET", literal(text));
    }

    /// A paragraph at the left margin, wrapped to the text width, then a gap.
    pub fn paragraph(&mut self, font: Font, size: f32, text: &str) {
        let max = WIDTH - 2.0 * 60.0;
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if approx_width(&candidate, size) > max && !line.is_empty() {
                self.line(font, size, &line);
                line = word.to_owned();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            self.line(font, size, &line);
        }
        self.y -= size * 0.6;
    }

    /// One line at the left margin.
    pub fn line(&mut self, font: Font, size: f32, text: &str) {
        self.text_at(60.0, self.y, font, size, text);
        self.y -= size * 1.35;
    }

    /// The vertical position of the next line.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    pub fn rule(&mut self) {
        let _ = writeln!(self.ops, "0.5 w 60 {:.2} m {:.2} {:.2} l S", self.y, WIDTH - 60.0, self.y);
        self.y -= 14.0;
    }
}

/// Assembles pages into a PDF file.
pub fn document(title: &str, pages: &[Page]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = pages.len();
    // 1 catalog, 2 pages tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then (page, content) pairs.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".into());
    objects.push(format!("<< /Title {} /Producer (CERES) >>", literal(title)));
    for (i, page) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            7 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{}endstream", page.ops.len(), page.ops));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(tail, "{o:010} 00000 n ");
    }
    let _ =
        write!(tail, "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_encoded_in_win_ansi_and_escaped() {
        assert_eq!(literal("Éditer (le) courrier"), "(\\311diter \\(le\\) courrier)");
        assert_eq!(literal("« à » œ"), "(\\253 \\340 \\273 \\234)");
    }

    #[test]
    fn a_document_has_a_consistent_cross_reference_table() {
        let mut p = Page::default();
        p.line(Font::Bold, 12.0, "Bonjour");
        let pdf = document("Essai", &[p]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(pdf[startxref..].starts_with(b"xref"));
        assert!(text.contains("(Bonjour) Tj"));
    }
}
