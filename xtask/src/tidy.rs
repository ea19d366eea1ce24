//! Tidy checks run by `cargo test`: the layering of the crates, module headers, and no
//! `unsendable` pyclass.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::process::Command;

    /// The rank of each crate: a crate may depend only on crates of a lower rank.
    const RANKS: [(&str, u8); 5] = [
        ("scenario-model", 0),
        ("scenario-consistency", 1),
        ("scenario-pebble", 1),
        ("scenario-runtime", 2),
        ("scenario-py", 3),
    ];

    fn metadata() -> serde_json::Value {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--offline",
            ])
            .current_dir(crate::python::root())
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
    }

    #[test]
    fn crates_depend_only_on_lower_layers() {
        let ranks: BTreeMap<&str, u8> = RANKS.into_iter().collect();
        let meta = metadata();
        let mut violations = Vec::new();
        for package in meta["packages"].as_array().expect("packages") {
            let name = package["name"].as_str().unwrap_or_default();
            let Some(rank) = ranks.get(name) else {
                continue;
            };
            for dep in package["dependencies"].as_array().into_iter().flatten() {
                let dep_name = dep["name"].as_str().unwrap_or_default();
                if let Some(dep_rank) = ranks.get(dep_name) {
                    if dep_rank >= rank {
                        violations.push(format!(
                            "{name} (layer {rank}) depends on {dep_name} (layer {dep_rank})"
                        ));
                    }
                }
            }
        }
        assert!(
            violations.is_empty(),
            "layering violations:\n{}",
            violations.join("\n")
        );
    }

    #[test]
    fn pyo3_stays_out_of_the_pure_crates() {
        let meta = metadata();
        for package in meta["packages"].as_array().expect("packages") {
            let name = package["name"].as_str().unwrap_or_default();
            if !["scenario-model", "scenario-consistency", "scenario-pebble"].contains(&name) {
                continue;
            }
            for dep in package["dependencies"].as_array().into_iter().flatten() {
                let dep_name = dep["name"].as_str().unwrap_or_default();
                assert!(
                    !dep_name.starts_with("pyo3") && dep_name != "pythonize",
                    "{name} must not use {dep_name}"
                );
            }
        }
    }

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && !name.to_string_lossy().starts_with('.') {
                    rust_files(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The repo's Rust files (relative paths) whose text matches `pred`.
    fn rust_files_where(pred: impl Fn(&str) -> bool) -> Vec<String> {
        let root = crate::python::root();
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        files
            .iter()
            .filter(|f| pred(&std::fs::read_to_string(f).unwrap_or_default()))
            .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
            .collect()
    }

    /// pyo3 panics when an `unsendable` object is used or freed on another thread than
    /// the one that made it, and a charm's threads (or the collector) do both.
    #[test]
    fn no_pyclass_is_unsendable() {
        // Each `#[pyclass(...)]` attribute, however it is wrapped.
        let unsendable = rust_files_where(|text| {
            text.split("#[pyclass").skip(1).any(|rest| {
                rest.split(']')
                    .next()
                    .is_some_and(|attr| attr.contains("unsendable"))
            })
        });
        assert!(
            unsendable.is_empty(),
            "unsendable pyclasses in:\n{}",
            unsendable.join("\n")
        );
    }

    #[test]
    fn every_module_says_what_it_owns() {
        let missing = rust_files_where(|text| !text.trim_start().starts_with("//!"));
        assert!(
            missing.is_empty(),
            "files without a `//!` header:\n{}",
            missing.join("\n")
        );
    }
}
