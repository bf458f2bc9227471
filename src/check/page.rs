//! The pictures of a web page: its `<img src>` addresses, resolved against the page's own
//! address the way a browser resolves them.
//!
//! A check cannot pick an attribute out of HTML with JMESPath, and a regular expression over
//! the markup is fooled by comments, quotes and character references. html5ever's tokenizer
//! reads tags as a browser does; the tree builder is not needed to find start tags.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde_json::{Value, json};

/// One `<img>` of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The `src` attribute as written in the page.
    pub src: String,
    /// The absolute address a browser would fetch, when `src` resolves to one.
    pub url: Option<url::Url>,
}

impl Image {
    /// As a check's JSON shows it: `src`, and `url`, `scheme`, `host`, `path` once resolved.
    pub fn to_json(&self) -> Value {
        match &self.url {
            Some(url) => json!({
                "src": self.src,
                "url": url.as_str(),
                "scheme": url.scheme(),
                "host": url.host_str().unwrap_or_default(),
                "path": url.path(),
            }),
            None => json!({ "src": self.src }),
        }
    }
}

/// The page's `<img>` elements that have a `src`, in document order, resolved against `base`
/// (the page's address).
pub fn images(html: &str, base: &str) -> Vec<Image> {
    let base = url::Url::parse(base).ok();
    let sink = ImgSources::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    // The sink never asks to stop, so the whole input is read in one call.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer
        .sink
        .sources
        .take()
        .into_iter()
        .map(|src| {
            let url = base
                .as_ref()
                .map_or_else(|| url::Url::parse(&src), |base| base.join(&src))
                .ok();
            Image { src, url }
        })
        .collect()
}

/// Collects the `src` of every `<img>` start tag.
#[derive(Default)]
struct ImgSources {
    sources: RefCell<Vec<String>>,
}

impl TokenSink for ImgSources {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let TagToken(tag) = token
            && tag.kind == StartTag
            && tag.name.as_ref() == "img"
            && let Some(src) = tag
                .attrs
                .iter()
                .find(|attr| attr.name.local.as_ref() == "src")
        {
            // Browsers strip leading and trailing white space from URLs.
            let src = src.value.trim();
            if !src.is_empty() {
                self.sources.borrow_mut().push(src.to_string());
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<String> {
        images(
            html,
            "http://ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com/",
        )
        .into_iter()
        .map(|image| image.url.map(|url| url.to_string()).unwrap_or(image.src))
        .collect()
    }

    #[test]
    fn absolute_relative_and_protocol_relative_sources_resolve() {
        assert_eq!(
            urls(
                r#"<img src="https://d111.cloudfront.net/cat.svg"><IMG SRC='/me.png'>
                   <img alt=x src=//d222.cloudfront.net/a%20b.svg width=200>"#
            ),
            [
                "https://d111.cloudfront.net/cat.svg",
                "http://ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com/me.png",
                "http://d222.cloudfront.net/a%20b.svg",
            ]
        );
    }

    #[test]
    fn comments_attributes_and_other_tags_are_not_images() {
        assert_eq!(
            urls(
                r#"<!-- <img src="http://old.example/x.png"> -->
                   <p data-src="/nope.png">an &lt;img src="/text.png"&gt; in text</p>
                   <img alt="no source"><img src="  "><img src="/yes.svg?v=2&amp;w=1">"#
            ),
            ["http://ec2-3-35-1-2.ap-northeast-2.compute.amazonaws.com/yes.svg?v=2&w=1"]
        );
    }

    #[test]
    fn the_json_names_the_host() {
        let found = images(
            "<img src=https://cat-images-1.s3.amazonaws.com/cat.svg>",
            "http://example.com/",
        );
        assert_eq!(
            found[0].to_json(),
            json!({
                "src": "https://cat-images-1.s3.amazonaws.com/cat.svg",
                "url": "https://cat-images-1.s3.amazonaws.com/cat.svg",
                "scheme": "https",
                "host": "cat-images-1.s3.amazonaws.com",
                "path": "/cat.svg",
            })
        );
        // A source that names no address a browser could fetch keeps its `src` only.
        assert_eq!(
            images("<img src=http://>", "not a url")[0].to_json(),
            json!({ "src": "http://" })
        );
    }
}
