//! Juju version numbers: parsing the forms Juju prints, and ordering them as Juju and ops do.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A Juju version: `<major>.<minor>` then optionally `.<patch>` or `-<tag><patch>`, then
/// optionally `.<build>` (for example `3.1.6`, `3.1-beta1`, `3.4.2.1`).
///
/// Missing parts are 0 and a release has an empty tag, so `3.0` equals `3.0.0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JujuVersion {
    pub major: u32,
    pub minor: u32,
    /// The pre-release tag (`beta`, `rc`...), empty for a release.
    pub tag: String,
    pub patch: u32,
    pub build: u32,
}

/// Why a string is not a Juju version.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    #[error(
        "invalid juju version {input:?}: expected <major>.<minor>[.<patch>|-<tag><patch>][.<build>], such as 3.1.6, 3.1-beta1 or 3.4.2.1"
    )]
    Malformed { input: String },
}

impl JujuVersion {
    /// A release version, `<major>.<minor>.<patch>`.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        JujuVersion {
            major,
            minor,
            tag: String::new(),
            patch,
            build: 0,
        }
    }

    /// Parse a version the way Juju's and ops's pattern does:
    /// `^(\d{1,9})\.(\d{1,9})((\.|-([a-z]+))(\d{1,9}))?(\.(\d{1,9}))?$`.
    pub fn parse(input: &str) -> Result<JujuVersion, VersionError> {
        Self::parse_parts(input).ok_or_else(|| VersionError::Malformed {
            input: input.to_owned(),
        })
    }

    fn parse_parts(input: &str) -> Option<JujuVersion> {
        let mut cursor = Cursor(input);
        let major = cursor.number()?;
        cursor.literal('.')?;
        let minor = cursor.number()?;
        let mut version = JujuVersion::new(major, minor, 0);
        if cursor.literal('-').is_some() {
            // A tagged pre-release carries its patch number glued to the tag: `-beta1`.
            cursor.tag()?.clone_into(&mut version.tag);
            version.patch = cursor.number()?;
            if cursor.literal('.').is_some() {
                version.build = cursor.number()?;
            }
        } else if cursor.literal('.').is_some() {
            version.patch = cursor.number()?;
            if cursor.literal('.').is_some() {
                version.build = cursor.number()?;
            }
        }
        cursor.0.is_empty().then_some(version)
    }

    /// Whether this version is at least `major.minor`.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        *self >= JujuVersion::new(major, minor, 0)
    }
}

/// A tiny forward-only reader over the version string.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn literal(&mut self, c: char) -> Option<()> {
        self.0 = self.0.strip_prefix(c)?;
        Some(())
    }

    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a str {
        let end = self
            .0
            .bytes()
            .position(|b| !pred(b))
            .unwrap_or(self.0.len());
        let (head, tail) = self.0.split_at(end);
        self.0 = tail;
        head
    }

    /// One to nine digits, as Juju allows; that always fits a u32.
    fn number(&mut self) -> Option<u32> {
        let digits = self.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        digits.parse().ok()
    }

    fn tag(&mut self) -> Option<&'a str> {
        let tag = self.take_while(|b| b.is_ascii_lowercase());
        (!tag.is_empty()).then_some(tag)
    }
}

impl FromStr for JujuVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        JujuVersion::parse(s)
    }
}

impl Ord for JujuVersion {
    /// Juju's order: a release sorts after every pre-release of the same major.minor, and
    /// tags compare as text (`alpha` < `beta` < `rc`).
    fn cmp(&self, other: &Self) -> Ordering {
        let tag_order = match (self.tag.is_empty(), other.tag.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.tag.cmp(&other.tag),
        };
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(tag_order)
            .then(self.patch.cmp(&other.patch))
            .then(self.build.cmp(&other.build))
    }
}

impl PartialOrd for JujuVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for JujuVersion {
    /// Juju's canonical form: `3.1.6`, `3.1-beta1`, with `.<build>` only when non-zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tag.is_empty() {
            write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        } else {
            write!(
                f,
                "{}.{}-{}{}",
                self.major, self.minor, self.tag, self.patch
            )?;
        }
        if self.build > 0 {
            write!(f, ".{}", self.build)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> JujuVersion {
        JujuVersion::parse(s).unwrap()
    }

    #[test]
    fn parses_every_form_juju_prints() {
        assert_eq!(v("3.0"), JujuVersion::new(3, 0, 0));
        assert_eq!(v("3.1.6"), JujuVersion::new(3, 1, 6));
        let beta = v("3.1-beta1");
        assert_eq!((beta.tag.as_str(), beta.patch), ("beta", 1));
        let build = v("3.4.2.1");
        assert_eq!((build.patch, build.build), (2, 1));
        assert_eq!(v("2.9-rc3.7").build, 7);
    }

    #[test]
    fn rejects_what_juju_rejects() {
        for bad in [
            "",
            "3",
            "3.",
            ".1",
            "3.1.",
            "3.1-",
            "3.1-beta",
            "3.1-Beta1",
            "3.1.2.3.4",
            "v3.1",
            " 3.1",
            "3.1 ",
            "1234567890.1",
            "3.x",
        ] {
            assert!(JujuVersion::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn orders_as_juju_does() {
        assert!(v("3.1-beta1") < v("3.1"));
        assert!(v("3.1-alpha2") < v("3.1-beta1"));
        assert!(v("3.1-beta1") < v("3.1-beta2"));
        assert!(v("2.9.44") < v("3.0"));
        assert!(v("3.4.2") < v("3.4.2.1"));
        assert_eq!(v("3.0").cmp(&v("3.0.0")), Ordering::Equal);
        assert!(v("3.0").at_least(3, 0));
        assert!(!v("3.0-beta1").at_least(3, 0));
    }

    #[test]
    fn displays_in_juju_canonical_form() {
        assert_eq!(v("3.0").to_string(), "3.0.0");
        assert_eq!(v("3.1-beta1").to_string(), "3.1-beta1");
        assert_eq!(v("3.4.2.1").to_string(), "3.4.2.1");
        assert_eq!(v("3.4.2.0").to_string(), "3.4.2");
    }
}
