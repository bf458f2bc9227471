//! Pages of an answer, as the Price List API gives them: at most `MaxResults` items, and a
//! `NextToken` while more remain. The token is opaque to the client; here it holds where the
//! next page starts and a digest of the question, so a token is refused for another question
//! (`InvalidNextTokenException`) instead of paging through the wrong list.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::filter::invalid;
use crate::error::AwsError;

/// How many items a page may hold: the operation's default and its most.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub default: usize,
    pub most: usize,
}

/// One page of `items`, and the token of the next if there is one. `question` is what the
/// items answer (the service code and filters, say): a token is good for that question only.
pub fn page<T>(
    items: Vec<T>,
    question: &str,
    token: Option<&str>,
    max_results: Option<i64>,
    limit: Limit,
) -> Result<(Vec<T>, Option<String>), AwsError> {
    let size = match max_results {
        None => limit.default,
        Some(wanted) => usize::try_from(wanted)
            .ok()
            .filter(|wanted| (1..=limit.most).contains(wanted))
            .ok_or_else(|| {
                invalid(&format!(
                    "MaxResults must be between 1 and {}, not {wanted}",
                    limit.most
                ))
            })?,
    };
    let digest = digest(question);
    let start = match token.filter(|token| !token.is_empty()) {
        None => 0,
        Some(token) => read(token, &digest)
            .filter(|start| *start < items.len())
            .ok_or_else(|| {
                AwsError::client(
                    "InvalidNextTokenException",
                    "The pagination token is invalid. Try again without a pagination token.",
                )
            })?,
    };
    let end = start.saturating_add(size).min(items.len());
    let next = (end < items.len()).then(|| write(end, &digest));
    let page = items.into_iter().skip(start).take(end - start).collect();
    Ok((page, next))
}

fn digest(question: &str) -> String {
    hex::encode(&Sha256::digest(question.as_bytes())[..12])
}

fn write(start: usize, digest: &str) -> String {
    STANDARD.encode(format!("{start}:{digest}"))
}

fn read(token: &str, digest: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(token).ok()?).ok()?;
    let (start, for_digest) = text.split_once(':')?;
    (for_digest == digest).then_some(())?;
    start.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit {
        default: 100,
        most: 100,
    };

    #[test]
    fn pages_follow_one_another_to_the_end() {
        let items: Vec<u32> = (0..7).collect();
        let mut seen = Vec::new();
        let mut token = None;
        loop {
            let (page, next) =
                page(items.clone(), "q", token.as_deref(), Some(3), LIMIT).expect("page");
            assert!(page.len() <= 3);
            seen.extend(page);
            match next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn bad_tokens_and_sizes_are_refused() {
        let items: Vec<u32> = (0..7).collect();
        let (_, next) = page(items.clone(), "q", None, Some(3), LIMIT).expect("page");
        let next = next.expect("more");
        let other = page(items.clone(), "other", Some(&next), Some(3), LIMIT);
        assert_eq!(
            other.expect_err("other question").code,
            "InvalidNextTokenException"
        );
        for token in ["garbage", "bm9wZQ==", &STANDARD.encode("99:x")] {
            let refused = page(items.clone(), "q", Some(token), None, LIMIT);
            assert_eq!(refused.expect_err("bad").code, "InvalidNextTokenException");
        }
        for size in [0, -1, 101, i64::MAX] {
            let refused = page(items.clone(), "q", None, Some(size), LIMIT);
            assert_eq!(refused.expect_err("size").code, "InvalidParameterException");
        }
    }
}
