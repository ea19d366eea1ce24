//! Placeholder crate root; filled in by its own issue.
