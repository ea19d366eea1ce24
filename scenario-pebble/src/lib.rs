//! A mock Pebble: container filesystems confined to their root, exec mocks, layers, the
//! plan, services, checks and notices. No Python here; the runtime maps [`PebbleError`] to ops's
//! exceptions.
//!
//! The runtime builds one [`ContainerFs`] per container (its root is a host directory the
//! runtime owns) and, for each client call, a [`Pebble`] handle over the output State's
//! [`Container`](scenario_model::Container) and that filesystem.
//!
//! Invariant: no charm-given path, `..`, symlink or mount reaches a host path outside the
//! container root and its mounts' sources; the one resolver in `resolve.rs` sees to it.
//!
//! The crate needs no Python: a [`Container`](scenario_model::Container) of the model, a
//! host directory for its root, and a [`Pebble`] handle over the two are a Pebble a test
//! can drive.
//!
//! ```
//! use scenario_model::{Api, Container, Layer, ServiceStatus};
//! use scenario_pebble::{ContainerFs, Pebble, PebbleError};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let host = tempfile::tempdir()?;
//! let mut container = Container::new("workload");
//! container.can_connect = true;
//! let fs = ContainerFs::new(host.path().join("root"), &container.mounts);
//! let mut pebble = Pebble::new(&mut container, &fs, Api::Scenario8);
//!
//! // Files live under the container's root on the host; no path leaves it.
//! pebble.push("/etc/web/web.conf", b"port: 8080\n", true, None)?;
//! assert_eq!(pebble.pull("/etc/web/web.conf")?, b"port: 8080\n");
//! assert!(host.path().join("root/etc/web/web.conf").exists());
//! pebble.push("/../../escape", b"x", false, None)?;
//! assert!(host.path().join("root/escape").exists());
//!
//! // A layer, then a replan: the enabled service starts.
//! let layer: Layer = serde_json::from_value(serde_json::json!({
//!     "services": {"web": {"override": "replace", "command": "web", "startup": "enabled"}},
//! }))?;
//! pebble.add_layer("base", layer, false)?;
//! pebble.replan_services()?;
//! let services = pebble.get_services(None)?;
//! assert!(services[0].name == "web" && services[0].is_running());
//! pebble.stop_services(&["web".to_owned()])?;
//!
//! // What the charm did is in the model's container: the output State's.
//! assert_eq!(container.service_status["web"], ServiceStatus::Inactive);
//! assert!(container.layers.contains_key("base"));
//!
//! // A container that cannot connect refuses, as a unit's Pebble would.
//! container.can_connect = false;
//! let pebble = Pebble::new(&mut container, &fs, Api::Scenario8);
//! assert!(matches!(pebble.pull("/etc/web/web.conf"), Err(PebbleError::Connection { .. })));
//! # Ok(())
//! # }
//! ```

mod checks;
mod error;
mod exec;
mod file_info;
mod fs;
mod glob;
mod layer;
mod notices;
mod owners;
mod path_errors;
mod pebble;
mod plan;
mod resolve;
mod services;
mod signal;

pub use checks::check_infos;
pub use error::{PathErrorKind, PebbleError};
pub use exec::{ExecOutcome, find_exec};
pub use file_info::{FileInfo, FileType};
pub use fs::ContainerFs;
pub use notices::NoticeFilter;
pub use pebble::{Pebble, SystemInfo};
pub use plan::Plan;
pub use services::{ServiceInfo, ServiceStartup, service_infos};
pub use signal::is_signal_name;

#[cfg(test)]
mod tidy {
    //! Keeps raw filesystem access inside `fs.rs` and `resolve.rs`, so that every host
    //! path a charm influences goes through the resolver.

    const OTHER_MODULES: &[(&str, &str)] = &[
        ("checks.rs", include_str!("checks.rs")),
        ("error.rs", include_str!("error.rs")),
        ("exec.rs", include_str!("exec.rs")),
        ("file_info.rs", include_str!("file_info.rs")),
        ("glob.rs", include_str!("glob.rs")),
        ("layer.rs", include_str!("layer.rs")),
        ("notices.rs", include_str!("notices.rs")),
        ("owners.rs", include_str!("owners.rs")),
        ("path_errors.rs", include_str!("path_errors.rs")),
        ("pebble.rs", include_str!("pebble.rs")),
        ("plan.rs", include_str!("plan.rs")),
        ("services.rs", include_str!("services.rs")),
        ("signal.rs", include_str!("signal.rs")),
    ];

    #[test]
    fn raw_fs_access_only_in_fs_and_resolve() {
        let calls = [
            "fs::read",
            "fs::write",
            "fs::create",
            "fs::remove",
            "fs::metadata",
            "fs::symlink_metadata",
            "fs::set_permissions",
            "fs::rename",
            "fs::copy",
            "fs::hard_link",
            "fs::soft_link",
            "fs::canonicalize",
            "File::",
            "OpenOptions",
            "fs::symlink(",
        ];
        for (name, text) in OTHER_MODULES {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            for call in calls {
                assert!(!code.contains(call), "{name} uses {call}");
            }
        }
    }

    #[test]
    fn every_module_opens_with_a_doc_line() {
        for (name, text) in OTHER_MODULES {
            assert!(text.starts_with("//! "), "{name}");
        }
    }

    #[test]
    fn handles_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<crate::ContainerFs>();
        assert_send_sync::<crate::PebbleError>();
    }
}
