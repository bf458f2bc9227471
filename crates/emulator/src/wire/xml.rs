//! A small XML writer for responses: elements are written in one pass into one string, text is
//! escaped, nothing is built as a tree first (responses are large only in DescribeInstances,
//! and this keeps it fast).

use std::fmt::{Display, Write};

/// An XML document being written.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
}

impl Xml {
    pub fn new() -> Xml {
        let mut out = String::with_capacity(1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Xml { out }
    }

    /// `<name attrs>…</name>`, with the contents written by `body`.
    pub fn element(&mut self, name: &str, body: impl FnOnce(&mut Xml)) -> &mut Xml {
        self.element_with(name, &[], body)
    }

    /// Like [`Xml::element`], with attributes.
    pub fn element_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        body: impl FnOnce(&mut Xml),
    ) -> &mut Xml {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        body(self);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// `<name>text</name>`.
    pub fn leaf(&mut self, name: &str, text: impl Display) -> &mut Xml {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.value(text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// Text directly inside the current element (the items of a list of strings).
    pub fn value(&mut self, text: impl Display) -> &mut Xml {
        let start = self.out.len();
        let _ = write!(self.out, "{text}");
        if self.out[start..].contains(['<', '>', '&', '"', '\'']) {
            let raw = self.out.split_off(start);
            escape_into(&mut self.out, &raw);
        }
        self
    }

    /// A leaf written only when there is a value.
    pub fn opt(&mut self, name: &str, text: Option<impl Display>) -> &mut Xml {
        if let Some(text) = text {
            self.leaf(name, text);
        }
        self
    }

    /// `<name><item>…</item>…</name>`, the EC2 shape of a list.
    pub fn set<T>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Xml, T),
    ) -> &mut Xml {
        self.list(name, "item", items, |xml, item| each(xml, item))
    }

    /// `<name><member>…</member>…</name>`, the awsQuery shape of a list.
    pub fn members<T>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Xml, T),
    ) -> &mut Xml {
        self.list(name, "member", items, |xml, item| each(xml, item))
    }

    fn list<T>(
        &mut self,
        name: &str,
        item_name: &str,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Xml, T),
    ) -> &mut Xml {
        self.element(name, |xml| {
            for item in items {
                xml.element(item_name, |xml| each(xml, item));
            }
        })
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_escaped_elements() {
        let mut xml = Xml::new();
        xml.element_with("R", &[("xmlns", "urn:x")], |x| {
            x.leaf("name", "a<b & 'c'");
            x.opt("none", None::<&str>);
            x.set("ids", ["i-1", "i-2"], |x, id| {
                x.leaf("id", id);
            });
            x.leaf("count", 3);
        });
        assert_eq!(
            xml.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"urn:x\"><name>a&lt;b &amp; &apos;c&apos;</name><ids><item><id>i-1</id></item><item><id>i-2</id></item></ids><count>3</count></R>"
        );
    }
}
