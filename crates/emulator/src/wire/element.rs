//! An XML document kept as a tree: what CloudFront's REST-XML requests carry.
//!
//! A distribution's configuration is a large document whose every field the learner may send
//! back with `update-distribution`; keeping the tree (rather than a struct of the few fields
//! the edge reads) returns exactly what was given, plus CloudFront's defaults.

use serde::{Deserialize, Serialize};

use super::xml::Xml;

/// Larger documents than any real configuration are refused before parsing.
pub const MAX_DOCUMENT: usize = 1024 * 1024;
/// Deep nesting is refused too: real configurations are a few levels deep.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Element {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Element>,
}

impl Element {
    /// A text element, `<name>text</name>`.
    pub fn leaf(name: &str, text: impl ToString) -> Element {
        Element {
            name: name.to_string(),
            text: text.to_string(),
            children: Vec::new(),
        }
    }

    /// An element of elements.
    pub fn node(name: &str, children: Vec<Element>) -> Element {
        Element {
            name: name.to_string(),
            text: String::new(),
            children,
        }
    }

    /// Parses a request body; a DTD (and so any entity expansion) is refused.
    pub fn parse(body: &[u8]) -> Result<Element, String> {
        if body.len() > MAX_DOCUMENT {
            return Err("the document is too large".into());
        }
        let text =
            std::str::from_utf8(body).map_err(|_| "the document is not UTF-8".to_string())?;
        let document = roxmltree::Document::parse(text).map_err(|error| error.to_string())?;
        from_node(document.root_element(), 0)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.children.iter_mut().find(|child| child.name == name)
    }

    /// The text at a path of child names, e.g. `["DefaultCacheBehavior", "TargetOriginId"]`.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        let mut at = self;
        for name in path {
            at = at.child(name)?;
        }
        Some(at.text.as_str())
    }

    /// The elements of a CloudFront list: `<Name><Quantity/><Items><Item/>…</Items></Name>`.
    pub fn items(&self) -> &[Element] {
        self.child("Items")
            .map_or(&[], |items| items.children.as_slice())
    }

    /// Adds `default` unless a child of that name is there.
    pub fn ensure(&mut self, default: Element) {
        if self.child(&default.name).is_none() {
            self.children.push(default);
        }
    }

    /// Replaces the child of that name, or adds it.
    pub fn set(&mut self, element: Element) {
        match self.child_mut(&element.name) {
            Some(existing) => *existing = element,
            None => self.children.push(element),
        }
    }

    /// Writes the element (its children, or its text) into a document.
    pub fn write(&self, x: &mut Xml) {
        if self.children.is_empty() {
            x.leaf(&self.name, &self.text);
        } else {
            x.element(&self.name, |x| self.write_children(x));
        }
    }

    pub fn write_children(&self, x: &mut Xml) {
        for child in &self.children {
            child.write(x);
        }
    }
}

fn from_node(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<Element, String> {
    if depth > MAX_DEPTH {
        return Err("the document is nested too deeply".into());
    }
    let children = node
        .children()
        .filter(|child| child.is_element())
        .map(|child| from_node(child, depth + 1))
        .collect::<Result<Vec<_>, _>>()?;
    let text = if children.is_empty() {
        node.children()
            .filter_map(|child| child.text())
            .collect::<String>()
            .trim()
            .to_string()
    } else {
        String::new()
    };
    Ok(Element {
        name: node.tag_name().name().to_string(),
        text,
        children,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_round_trips_through_the_tree() {
        let body = br#"<?xml version="1.0"?><A xmlns="urn:x"><B>one &amp; two</B><C><D>1</D><D>2</D></C><E/></A>"#;
        let tree = Element::parse(body).expect("parse");
        assert_eq!(tree.text_at(&["B"]), Some("one & two"));
        assert_eq!(tree.child("C").map(|c| c.children.len()), Some(2));
        let mut x = Xml::new();
        tree.write(&mut x);
        assert!(
            x.finish()
                .ends_with("<A><B>one &amp; two</B><C><D>1</D><D>2</D></C><E></E></A>")
        );
    }

    #[test]
    fn hostile_documents_are_refused() {
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>"#;
        assert!(Element::parse(bomb).is_err());
        assert!(Element::parse(b"<a><b></a>").is_err());
        assert!(Element::parse(b"\xff\xfe").is_err());
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(Element::parse(deep.as_bytes()).is_err());
    }
}
