//! HTML written as one string, for the part of a page that is rebuilt whole at each change (the search results):
//! the browser parses it natively instead of the WASM creating each node across the JavaScript boundary, and the
//! server writes it without going through the view tree. Text and attribute values are escaped here; attributes
//! are always double-quoted.

/// A growing HTML string. `raw` takes markup written in the code, never data; data goes through `text` or `attr`.
#[derive(Debug, Default)]
pub struct Html(String);

impl Html {
    pub fn with_capacity(capacity: usize) -> Self {
        Self(String::with_capacity(capacity))
    }

    /// Markup as it is: only literals of the program.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text content: `&`, `<` and `>` escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.escaped(text, |b| matches!(b, b'&' | b'<' | b'>'))
    }

    /// The value of a double-quoted attribute: `&`, `"`, `<` and `>` escaped.
    pub fn attr(&mut self, value: &str) -> &mut Self {
        self.escaped(value, |b| matches!(b, b'&' | b'"' | b'<' | b'>'))
    }

    fn escaped(&mut self, s: &str, special: impl Fn(u8) -> bool) -> &mut Self {
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            if special(b) {
                self.0.push_str(&s[start..i]);
                self.0.push_str(match b {
                    b'&' => "&amp;",
                    b'<' => "&lt;",
                    b'>' => "&gt;",
                    _ => "&quot;",
                });
                start = i + 1;
            }
        }
        self.0.push_str(&s[start..]);
        self
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Html;

    #[test]
    fn text_and_attributes_are_escaped_and_markup_is_not() {
        let mut h = Html::default();
        h.raw("<a href=\"").attr("/x?a=1&b=\"2\"<>").raw("\">").text("<script>alert('1') & \"2\"</script>").raw("</a>");
        assert_eq!(
            h.into_string(),
            "<a href=\"/x?a=1&amp;b=&quot;2&quot;&lt;&gt;\">&lt;script&gt;alert('1') &amp; \"2\"&lt;/script&gt;</a>"
        );
    }

    #[test]
    fn text_without_anything_to_escape_and_multibyte_text_are_kept_whole() {
        let mut h = Html::with_capacity(8);
        h.text("Établissements — Région « Île-de-France »").attr("été");
        assert_eq!(h.into_string(), "Établissements — Région « Île-de-France »été");
    }
}
