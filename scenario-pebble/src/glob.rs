//! The fnmatch-style patterns `list_files` filters names with: `*`, `?` and `[...]`.
//!
//! Python's `fnmatch` (what ops's testing client used) negates a class with `[!...]`;
//! Go's `path.Match` (what real Pebble uses) with `[^...]`. Both are accepted, so a
//! pattern means the same here as in either. An unclosed `[` is a literal, as in fnmatch.

/// True when `name` matches `pattern` in full.
pub(crate) fn fnmatch(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (mut p, mut n) = (0, 0);
    // Where the last `*` was, and how much of the name it has eaten so far: on a
    // mismatch we let it eat one more character and retry (classic wildcard backtracking).
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if let Some(next) = step(&pattern, p, name[n]) {
            match next {
                Token::Star => {
                    star = Some((p + 1, n));
                    p += 1;
                }
                Token::Matched(after) => {
                    p = after;
                    n += 1;
                }
            }
            continue;
        }
        match star {
            Some((after_star, eaten)) => {
                p = after_star;
                n = eaten + 1;
                star = Some((after_star, eaten + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

enum Token {
    Star,
    /// The character matched; the pattern continues at this index.
    Matched(usize),
}

/// Tries the pattern token at `p` against `c`; `None` when it does not match.
fn step(pattern: &[char], p: usize, c: char) -> Option<Token> {
    match pattern.get(p)? {
        '*' => Some(Token::Star),
        '?' => Some(Token::Matched(p + 1)),
        '[' => match class(pattern, p) {
            Some((members, negated, end)) => {
                (members_contain(&members, c) != negated).then_some(Token::Matched(end))
            }
            None => (c == '[').then_some(Token::Matched(p + 1)),
        },
        &literal => (c == literal).then_some(Token::Matched(p + 1)),
    }
}

/// Parses the class starting at `pattern[start] == '['`: its members, whether it is
/// negated, and the index after its `]`. `None` when it is never closed.
fn class(pattern: &[char], start: usize) -> Option<(Vec<char>, bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(pattern.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let first = i;
    // A `]` right after the opening is a member, not the end.
    if pattern.get(i) == Some(&']') {
        i += 1;
    }
    while pattern.get(i)? != &']' {
        i += 1;
    }
    Some((pattern[first..i].to_vec(), negated, i + 1))
}

fn members_contain(members: &[char], c: char) -> bool {
    let mut i = 0;
    while i < members.len() {
        if i + 2 < members.len() && members[i + 1] == '-' {
            if (members[i]..=members[i + 2]).contains(&c) {
                return true;
            }
            i += 3;
        } else {
            if members[i] == c {
                return true;
            }
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn wildcards() {
        assert!(fnmatch("*", ""));
        assert!(fnmatch("*", "anything"));
        assert!(fnmatch("*.txt", "a.txt"));
        assert!(!fnmatch("*.txt", "a.txt.bak"));
        assert!(fnmatch("a*b*c", "aXXbYYc"));
        assert!(fnmatch("a*b*c", "abbbc"));
        assert!(!fnmatch("a*b*c", "acb"));
        assert!(fnmatch("?.py", "x.py"));
        assert!(!fnmatch("?.py", "xy.py"));
        assert!(fnmatch("exact", "exact"));
        assert!(!fnmatch("exact", "exactly"));
    }

    #[test]
    fn classes() {
        assert!(fnmatch("[abc].txt", "b.txt"));
        assert!(!fnmatch("[abc].txt", "d.txt"));
        assert!(fnmatch("[a-c]x", "cx"));
        assert!(fnmatch("[!a-c]x", "dx"));
        assert!(fnmatch("[^a-c]x", "dx"));
        assert!(!fnmatch("[!a-c]x", "ax"));
        assert!(fnmatch("[]]", "]"));
        assert!(fnmatch("[a-]", "-"));
        // Unclosed: a literal bracket.
        assert!(fnmatch("[ab", "[ab"));
        assert!(!fnmatch("[ab", "a"));
    }
}
