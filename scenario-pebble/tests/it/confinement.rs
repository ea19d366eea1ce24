//! The confinement invariant: no path, `..`, symlink or mount lets a charm read, write,
//! list or remove anything outside the container root and its mounts' sources.
//!
//! Each fixture has `base/outside/secret` next to `base/root`; every test checks that the
//! charm cannot see it and that `base/outside` is unchanged afterwards.

use std::os::unix::fs::symlink;

use proptest::prelude::*;
use scenario_pebble::{FileType, PathErrorKind::*};

use crate::support::{Fixture, path_error, snapshot};

/// `base/outside` as an absolute host path, the target a hostile link would use.
fn outside(f: &Fixture) -> String {
    f.host("outside").to_string_lossy().into_owned()
}

/// Asserts nothing outside the root changed and nothing new appeared next to it.
fn assert_untouched(f: &Fixture, before: &[(std::path::PathBuf, Option<Vec<u8>>)]) {
    assert_eq!(f.outside_snapshot(), before);
    let mut top: Vec<_> = std::fs::read_dir(f.base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "src" && n != "app.conf")
        .collect();
    top.sort();
    assert!(top.iter().all(|n| n == "outside" || n == "root"), "{top:?}");
}

#[test]
fn absolute_host_paths_are_container_paths() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let secret = format!("{}/secret", outside(&f));
    let p = f.pebble();
    assert_eq!(
        p.pull(&secret).unwrap_err(),
        path_error(
            NotFound,
            &format!("stat {secret}: no such file or directory")
        )
    );
    p.push(&secret, b"pwned", true, None).unwrap();
    // It landed under the root, at the same path re-rooted.
    let rerooted = f.root().join(secret.trim_start_matches('/'));
    assert_eq!(std::fs::read(rerooted).unwrap(), b"pwned");
    assert_untouched(&f, &before);
}

#[test]
fn relative_paths_are_refused() {
    let mut f = Fixture::new();
    let p = f.pebble();
    let expected = path_error(
        GenericFileError,
        "paths must be absolute, got '../../etc/passwd'",
    );
    assert_eq!(p.pull("../../etc/passwd").unwrap_err(), expected);
    assert_eq!(
        p.push("../outside/secret", b"x", false, None).unwrap_err(),
        path_error(
            GenericFileError,
            "paths must be absolute, got '../outside/secret'"
        )
    );
}

#[test]
fn dotdot_stops_at_the_root() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let p = f.pebble();
    assert_eq!(
        p.pull("/../outside/secret").unwrap_err(),
        path_error(
            NotFound,
            "stat /../outside/secret: no such file or directory"
        )
    );
    p.push("/../outside/secret", b"pwned", true, None).unwrap();
    p.push("/a/../../../../x", b"x", false, None).unwrap();
    p.make_dir("/../../made", false, None).unwrap();
    assert_eq!(
        std::fs::read(f.root().join("outside/secret")).unwrap(),
        b"pwned"
    );
    assert!(f.root().join("x").is_file());
    assert!(f.root().join("made").is_dir());
    // `/a/../../..` is `/`.
    let listed = f.pebble().list_files("/a/../../..", None, true).unwrap();
    assert_eq!(listed[0].path, "/");
    assert_untouched(&f, &before);
}

#[test]
fn absolute_symlink_is_rerooted() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    symlink("/etc", root.join("etc_link")).unwrap();
    symlink(outside(&f), root.join("out")).unwrap();
    let p = f.pebble();
    assert_eq!(
        p.pull("/etc_link/passwd").unwrap_err(),
        path_error(NotFound, "stat /etc_link/passwd: no such file or directory")
    );
    assert_eq!(
        p.pull("/out/secret").unwrap_err(),
        path_error(NotFound, "stat /out/secret: no such file or directory")
    );
    assert!(!p.exists("/out/secret").unwrap());
    p.push("/etc_link/passwd", b"mine", true, None).unwrap();
    assert_eq!(p.pull("/etc/passwd").unwrap(), b"mine");
    assert_eq!(std::fs::read(root.join("etc/passwd")).unwrap(), b"mine");
    p.make_dir("/out/newdir", true, None).unwrap();
    assert!(
        root.join(outside(&f).trim_start_matches('/'))
            .join("newdir")
            .is_dir()
    );
    assert_untouched(&f, &before);
}

#[test]
fn relative_symlink_climbing_out_stops_at_root() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    std::fs::create_dir_all(root.join("a/b")).unwrap();
    symlink("../../../../../..", root.join("a/b/up")).unwrap();
    symlink("../outside", root.join("sibling")).unwrap();
    let p = f.pebble();
    assert_eq!(
        p.pull("/sibling/secret").unwrap_err(),
        path_error(NotFound, "stat /sibling/secret: no such file or directory")
    );
    p.push("/a/b/up/escaped", b"x", false, None).unwrap();
    assert!(root.join("escaped").is_file());
    let listed: Vec<_> = p
        .list_files("/a/b/up", None, false)
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(listed, ["a", "escaped", "sibling"]);
    assert_untouched(&f, &before);
}

#[test]
fn symlink_chain_is_followed_inside() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    symlink("b", root.join("a")).unwrap();
    symlink("/c", root.join("b")).unwrap();
    symlink("../../..", root.join("c")).unwrap();
    let p = f.pebble();
    p.push("/a/x", b"chained", false, None).unwrap();
    assert_eq!(std::fs::read(root.join("x")).unwrap(), b"chained");
    assert_eq!(p.pull("/a/x").unwrap(), b"chained");
    assert_untouched(&f, &before);
}

#[test]
fn symlink_loop_is_an_error() {
    let mut f = Fixture::new();
    let root = f.make_root();
    symlink("loop2", root.join("loop1")).unwrap();
    symlink("/loop1", root.join("loop2")).unwrap();
    symlink("self", root.join("self")).unwrap();
    let p = f.pebble();
    assert_eq!(
        p.pull("/loop1").unwrap_err(),
        path_error(
            GenericFileError,
            "open /loop1: too many levels of symbolic links"
        )
    );
    assert_eq!(
        p.push("/self/x", b"", false, None).unwrap_err(),
        path_error(
            GenericFileError,
            "open /self/x: too many levels of symbolic links"
        )
    );
    assert_eq!(
        p.list_files("/loop2", None, false).unwrap_err(),
        path_error(
            GenericFileError,
            "stat /loop2: too many levels of symbolic links"
        )
    );
    // The link itself can still be removed.
    p.remove_path("/self", false).unwrap();
    assert!(std::fs::symlink_metadata(root.join("self")).is_err());
}

#[test]
fn symlink_inside_a_mount_pointing_out_is_resolved_in_the_container() {
    let mut f = Fixture::with_mounts(&[("/data", "src")]);
    let before = f.outside_snapshot();
    let src = f.host("src");
    std::fs::create_dir(&src).unwrap();
    symlink("../outside", src.join("rel")).unwrap();
    symlink("../../../..", src.join("up")).unwrap();
    symlink(outside(&f), src.join("abs")).unwrap();
    let root = f.root();
    let p = f.pebble();
    for path in [
        "/data/rel/secret",
        "/data/abs/secret",
        "/data/up/outside/secret",
    ] {
        assert_eq!(
            p.pull(path).unwrap_err(),
            path_error(NotFound, &format!("stat {path}: no such file or directory"))
        );
    }
    // `../outside` from /data is the container's /outside, under the root.
    p.push("/data/rel/secret", b"pwned", true, None).unwrap();
    assert_eq!(
        std::fs::read(root.join("outside/secret")).unwrap(),
        b"pwned"
    );
    p.push("/data/up/top", b"", false, None).unwrap();
    assert!(root.join("top").is_file());
    assert_untouched(&f, &before);
}

#[test]
fn dotdot_out_of_a_mount_lands_in_the_root() {
    let mut f = Fixture::with_mounts(&[("/data", "src")]);
    let before = f.outside_snapshot();
    std::fs::create_dir(f.host("src")).unwrap();
    let p = f.pebble();
    p.push("/data/../../outside/secret", b"x", true, None)
        .unwrap();
    assert!(f.root().join("outside/secret").is_file());
    assert_untouched(&f, &before);
}

#[test]
fn recursive_remove_unlinks_links_without_following() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    std::fs::create_dir(root.join("d")).unwrap();
    // Host-absolute links, as a test could create them: the remove must not descend.
    symlink(outside(&f), root.join("d/to_dir")).unwrap();
    symlink(format!("{}/secret", outside(&f)), root.join("d/to_file")).unwrap();
    symlink(outside(&f), root.join("top_link")).unwrap();
    let p = f.pebble();
    let entries: Vec<_> = p
        .list_files("/d", None, false)
        .unwrap()
        .into_iter()
        .map(|i| i.file_type)
        .collect();
    assert_eq!(entries, [FileType::Symlink, FileType::Symlink]);
    p.remove_path("/d", true).unwrap();
    p.remove_path("/top_link", true).unwrap();
    assert!(!root.join("d").exists());
    assert!(std::fs::symlink_metadata(root.join("top_link")).is_err());
    assert_untouched(&f, &before);
}

#[test]
fn push_over_a_symlink_replaces_the_link() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    symlink(format!("{}/secret", outside(&f)), root.join("target")).unwrap();
    f.pebble().push("/target", b"pwned", false, None).unwrap();
    let meta = std::fs::symlink_metadata(root.join("target")).unwrap();
    assert!(meta.is_file());
    assert_untouched(&f, &before);
}

#[test]
fn make_dir_on_a_symlink_does_not_follow_it() {
    let mut f = Fixture::new();
    let before = f.outside_snapshot();
    let root = f.make_root();
    symlink(outside(&f), root.join("l")).unwrap();
    assert_eq!(
        f.pebble().make_dir("/l", false, None).unwrap_err(),
        path_error(GenericFileError, "mkdir /l: file exists")
    );
    assert_untouched(&f, &before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any path built from hostile pieces, pushed, made, listed or removed, leaves
    /// `base/outside` as it was.
    #[test]
    fn random_hostile_paths_stay_inside(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just(".."), Just("."), Just("a"), Just("up"), Just("abs"),
                Just("out"), Just("outside"), Just("secret"), Just("loop"), Just("data"),
            ],
            1..8,
        ),
        op in 0..4u8,
    ) {
        let mut f = Fixture::with_mounts(&[("/data", "src")]);
        let before = f.outside_snapshot();
        let src = f.host("src");
        std::fs::create_dir(&src).unwrap();
        symlink("../..", src.join("up")).unwrap();
        let root = f.make_root();
        std::fs::create_dir(root.join("a")).unwrap();
        symlink("../../..", root.join("a/up")).unwrap();
        symlink("/..", root.join("up")).unwrap();
        symlink(outside(&f), root.join("abs")).unwrap();
        symlink("../outside", root.join("out")).unwrap();
        symlink("loop", root.join("loop")).unwrap();
        let path = format!("/{}", pieces.join("/"));
        let p = f.pebble();
        let _ = match op {
            0 => p.push(&path, b"pwned", true, None),
            1 => p.make_dir(&path, true, None),
            2 => p.remove_path(&path, true),
            _ => p.list_files(&path, None, false).map(drop),
        };
        if let Ok(bytes) = p.pull(&path) {
            prop_assert_ne!(bytes, b"secret".to_vec());
        }
        prop_assert_eq!(f.outside_snapshot(), before);
        prop_assert_eq!(snapshot(&f.host("outside")).len(), 1);
    }
}
