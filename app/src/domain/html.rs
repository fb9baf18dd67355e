//! HTML written as one string, for the part of a page that is rebuilt whole at each change (the search results):
//! the browser parses it natively instead of the WASM creating each node across the JavaScript boundary, and the
//! server writes it without going through the view tree. Text and attribute values are escaped here (html-escape,
//! as Leptos does); attributes are always double-quoted.

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

    /// Text content: `&`, `<` and `>` escaped (as Leptos escapes text, with the same crate).
    pub fn text(&mut self, text: &str) -> &mut Self {
        html_escape::encode_text_to_string(text, &mut self.0);
        self
    }

    /// The value of a double-quoted attribute: `&`, `"`, `<` and `>` escaped.
    pub fn attr(&mut self, value: &str) -> &mut Self {
        html_escape::encode_double_quoted_attribute_to_string(value, &mut self.0);
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
