//! Glob patterns as bash matches them, for the shell's expansion and for `find -name`.

/// Matches a name against a glob pattern (`*`, `?`, `[…]`); quoted characters are literal.
pub(crate) fn glob_match(pattern: &[(char, bool)], name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    // Iterative matching with one backtrack point for the last `*`, linear in practice.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() {
            let (c, active) = pattern[p];
            if active && c == '*' {
                star = Some((p, n));
                p += 1;
                continue;
            }
            if active && c == '?' {
                p += 1;
                n += 1;
                continue;
            }
            if active
                && c == '['
                && let Some((matched, len)) = class_match(&pattern[p..], name[n])
            {
                if matched {
                    p += len;
                    n += 1;
                    continue;
                }
            } else if c == name[n] {
                p += 1;
                n += 1;
                continue;
            }
        }
        match star {
            Some((star_p, star_n)) => {
                p = star_p + 1;
                n = star_n + 1;
                star = Some((star_p, star_n + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|(c, active)| *active && *c == '*')
}

/// A `[…]` class at the start of `pattern`: whether `c` matches, and the class's length.
fn class_match(pattern: &[(char, bool)], c: char) -> Option<(bool, usize)> {
    let mut index = 1;
    let negate = matches!(pattern.get(index), Some(('!' | '^', _)));
    if negate {
        index += 1;
    }
    let mut matched = false;
    let mut first = true;
    while let Some(&(current, _)) = pattern.get(index) {
        if current == ']' && !first {
            return Some((matched != negate, index + 1));
        }
        first = false;
        if let (Some(('-', _)), Some(&(end, _))) = (pattern.get(index + 1), pattern.get(index + 2))
            && end != ']'
        {
            if current <= c && c <= end {
                matched = true;
            }
            index += 3;
            continue;
        }
        if current == c {
            matched = true;
        }
        index += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Vec<(char, bool)> {
        text.chars().map(|c| (c, true)).collect()
    }

    #[test]
    fn globs_match_as_bash() {
        assert!(glob_match(&pattern("*.html"), "index.html"));
        assert!(!glob_match(&pattern("*.html"), "index.htm"));
        assert!(glob_match(&pattern("in?ex.*"), "index.nginx-debian.html"));
        assert!(glob_match(&pattern("[a-c]x"), "bx"));
        assert!(!glob_match(&pattern("[!a-c]x"), "bx"));
        assert!(glob_match(&pattern("*"), ""));
        let quoted: Vec<(char, bool)> = "*".chars().map(|c| (c, false)).collect();
        assert!(!glob_match(&quoted, "x"));
        assert!(glob_match(&quoted, "*"));
    }
}
