//! Juju version comparisons the hook tools need (the full parser is in scenario-consistency).

/// Whether `version` (such as `3.1.6` or `2.9-beta1`) is at least `major.minor`.
pub fn at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.split(['.', '-']);
    let num = |p: Option<&str>| p.and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let (ma, mi) = (num(parts.next()), num(parts.next()));
    (ma, mi) >= (major, minor)
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares_major_then_minor() {
        assert!(super::at_least("3.0", 2, 7));
        assert!(super::at_least("2.7.1", 2, 7));
        assert!(!super::at_least("2.6", 2, 7));
        assert!(super::at_least("3.1-beta1", 3, 1));
    }
}
