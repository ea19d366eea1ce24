//! File operations and each of their errors: the `pebble.PathError` kind (`not-found`,
//! `permission-denied`, `generic-file-error`) or the `APIError` each failure maps to, the
//! modes new files and directories get (0o644, 0o755), and mounts.

use scenario_pebble::{FileType, PathErrorKind::*};

use crate::support::{Fixture, api_error, mode, path_error};

// --- push / pull -------------------------------------------------------------------------

#[test]
fn push_then_pull_round_trips_with_default_mode() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/hello.txt", b"hi there", false, None).unwrap();
    assert_eq!(p.pull("/hello.txt").unwrap(), b"hi there");
    let host = f.root().join("hello.txt");
    assert_eq!(std::fs::read(&host).unwrap(), b"hi there");
    assert_eq!(mode(&host), 0o644);
}

#[test]
fn push_overwrites_and_sets_permissions() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/a", b"long content", false, None).unwrap();
    p.push("/a", b"short", false, Some(0o600)).unwrap();
    assert_eq!(p.pull("/a").unwrap(), b"short");
    assert_eq!(mode(&f.root().join("a")), 0o600);
}

#[test]
fn push_rejects_permissions_out_of_range_before_the_path() {
    let mut f = Fixture::new();
    let err = f
        .pebble()
        .push("relative", b"", false, Some(0o1000))
        .unwrap_err();
    assert_eq!(
        err,
        path_error(
            GenericFileError,
            "permissions not within 0o000 to 0o777: 0o1000"
        )
    );
}

#[test]
fn push_rejects_relative_paths() {
    let mut f = Fixture::new();
    let err = f.pebble().push("etc/x", b"", false, None).unwrap_err();
    assert_eq!(
        err,
        path_error(GenericFileError, "paths must be absolute, got 'etc/x'")
    );
}

#[test]
fn push_without_parent_is_not_found() {
    let mut f = Fixture::new();
    let err = f.pebble().push("/a/b/c.txt", b"", false, None).unwrap_err();
    assert_eq!(
        err,
        path_error(NotFound, "parent directory not found: /a/b")
    );
}

#[test]
fn push_make_dirs_creates_parents_0755() {
    let mut f = Fixture::new();
    f.pebble()
        .push("/a/b/c.txt", b"x", true, Some(0o640))
        .unwrap();
    assert_eq!(mode(&f.root().join("a")), 0o755);
    assert_eq!(mode(&f.root().join("a/b")), 0o755);
    assert_eq!(mode(&f.root().join("a/b/c.txt")), 0o640);
}

#[test]
fn push_under_a_file_is_not_a_directory() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/file", b"", false, None).unwrap();
    let expected = path_error(GenericFileError, "open /file/x.~: not a directory");
    assert_eq!(p.push("/file/x", b"", false, None).unwrap_err(), expected);
    assert_eq!(p.push("/file/x", b"", true, None).unwrap_err(), expected);
}

#[test]
fn push_onto_a_directory_fails() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.make_dir("/d", false, None).unwrap();
    assert_eq!(
        p.push("/d", b"", false, None).unwrap_err(),
        path_error(GenericFileError, "open /d: is a directory")
    );
}

#[test]
fn pull_missing_is_not_found() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().pull("/nope").unwrap_err(),
        path_error(NotFound, "stat /nope: no such file or directory")
    );
}

#[test]
fn pull_under_a_file_is_not_found() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/file", b"", false, None).unwrap();
    assert_eq!(
        p.pull("/file/x").unwrap_err(),
        path_error(NotFound, "stat /file/x: no such file or directory")
    );
}

#[test]
fn pull_directory_is_refused() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.make_dir("/d", false, None).unwrap();
    assert_eq!(
        p.pull("/d").unwrap_err(),
        path_error(GenericFileError, "can only read a regular file: \"/d\"")
    );
}

#[test]
fn pull_rejects_relative_paths() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().pull("x").unwrap_err(),
        path_error(GenericFileError, "paths must be absolute, got 'x'")
    );
}

// --- list_files --------------------------------------------------------------------------

#[test]
fn list_directory_entries_sorted_with_types() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/d/b.txt", b"12345", true, None).unwrap();
    p.make_dir("/d/a", false, Some(0o700)).unwrap();
    std::os::unix::fs::symlink("b.txt", f.root().join("d/link")).unwrap();
    let p = f.pebble();
    let infos = p.list_files("/d", None, false).unwrap();
    let summary: Vec<_> = infos
        .iter()
        .map(|i| (i.path.as_str(), i.name.as_str(), i.file_type, i.size))
        .collect();
    assert_eq!(
        summary,
        [
            ("/d/a", "a", FileType::Directory, 0),
            ("/d/b.txt", "b.txt", FileType::File, 5),
            ("/d/link", "link", FileType::Symlink, 0),
        ]
    );
    assert_eq!(infos[0].permissions, 0o700);
    assert_eq!(infos[1].permissions, 0o644);
}

#[test]
fn list_reports_owner_ids_and_names() {
    use std::os::unix::fs::MetadataExt;
    let mut f = Fixture::new();
    f.pebble().push("/f", b"", false, None).unwrap();
    let meta = std::fs::metadata(f.root().join("f")).unwrap();
    let info = &f.pebble().list_files("/f", None, false).unwrap()[0];
    assert_eq!(info.user_id, meta.uid());
    assert_eq!(info.group_id, meta.gid());
    if meta.uid() == 0 {
        assert_eq!(info.user.as_deref(), Some("root"));
    }
    assert!(info.last_modified_timestamp() > 0.0);
}

#[test]
fn list_itself_and_files() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/d/x", b"abc", true, None).unwrap();
    let itself = p.list_files("/d/", None, true).unwrap();
    assert_eq!(itself.len(), 1);
    assert_eq!(
        (itself[0].path.as_str(), itself[0].name.as_str()),
        ("/d", "d")
    );
    assert_eq!(itself[0].file_type, FileType::Directory);
    let file = p.list_files("/d/x", None, false).unwrap();
    assert_eq!((file[0].path.as_str(), file[0].size), ("/d/x", 3));
}

#[test]
fn list_root_itself_is_named_slash() {
    let mut f = Fixture::new();
    let root = f.pebble().list_files("/", None, true).unwrap();
    assert_eq!((root[0].path.as_str(), root[0].name.as_str()), ("/", "/"));
}

#[test]
fn list_with_pattern() {
    let mut f = Fixture::new();
    let p = f.pebble();
    for name in ["a.txt", "b.txt", "c.log"] {
        p.push(&format!("/{name}"), b"", false, None).unwrap();
    }
    let names = |pattern| {
        p.list_files("/", Some(pattern), false)
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names("*.txt"), ["a.txt", "b.txt"]);
    assert_eq!(names("[!a]*"), ["b.txt", "c.log"]);
    assert_eq!(names("?.log"), ["c.log"]);
}

#[test]
fn list_missing_is_api_404() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().list_files("/nope", None, false).unwrap_err(),
        api_error(404, "Not Found", "stat /nope: no such file or directory")
    );
}

#[test]
fn list_rejects_relative_paths() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().list_files("", None, false).unwrap_err(),
        path_error(GenericFileError, "paths must be absolute, got ''")
    );
}

// --- exists / is_dir ---------------------------------------------------------------------

#[test]
fn exists_and_is_dir() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/d/f", b"", true, None).unwrap();
    assert!(p.exists("/d").unwrap());
    assert!(p.exists("/d/f").unwrap());
    assert!(!p.exists("/d/g").unwrap());
    assert!(!p.exists("/d/f/under-file").unwrap());
    assert!(p.is_dir("/d").unwrap());
    assert!(!p.is_dir("/d/f").unwrap());
    assert!(!p.is_dir("/missing").unwrap());
    assert!(p.is_dir("/").unwrap());
}

#[test]
fn a_symlink_to_a_directory_is_a_directory() {
    let mut f = Fixture::new();
    f.pebble().make_dir("/real", false, None).unwrap();
    std::os::unix::fs::symlink("/real", f.root().join("alias")).unwrap();
    // Dangling links do not exist, as with Pebble's stat.
    std::os::unix::fs::symlink("/gone", f.root().join("dangling")).unwrap();
    let p = f.pebble();
    assert!(p.is_dir("/alias").unwrap());
    assert!(!p.exists("/dangling").unwrap());
}

// --- make_dir ----------------------------------------------------------------------------

#[test]
fn make_dir_default_and_given_modes() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.make_dir("/d", false, None).unwrap();
    p.make_dir("/e", false, Some(0o700)).unwrap();
    assert_eq!(mode(&f.root().join("d")), 0o755);
    assert_eq!(mode(&f.root().join("e")), 0o700);
}

#[test]
fn make_dir_without_parent_is_not_found() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().make_dir("/a/b", false, None).unwrap_err(),
        path_error(NotFound, "parent directory not found: /a/b")
    );
}

#[test]
fn make_dir_with_parents() {
    let mut f = Fixture::new();
    f.pebble().make_dir("/a/b/c", true, Some(0o750)).unwrap();
    assert_eq!(mode(&f.root().join("a")), 0o750);
    assert_eq!(mode(&f.root().join("a/b/c")), 0o750);
}

#[test]
fn make_dir_existing() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.make_dir("/d", false, None).unwrap();
    assert_eq!(
        p.make_dir("/d", false, None).unwrap_err(),
        path_error(GenericFileError, "mkdir /d: file exists")
    );
    p.make_dir("/d", true, None).unwrap();
}

#[test]
fn make_dir_under_a_file() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/file", b"", false, None).unwrap();
    let expected = path_error(GenericFileError, "mkdir /file/sub: not a directory");
    assert_eq!(p.make_dir("/file/sub", false, None).unwrap_err(), expected);
    assert_eq!(
        p.make_dir("/file/sub/deeper", true, None).unwrap_err(),
        path_error(GenericFileError, "mkdir /file/sub/deeper: not a directory")
    );
}

#[test]
fn make_dir_permission_and_path_checks() {
    let mut f = Fixture::new();
    let p = f.pebble();
    assert_eq!(
        p.make_dir("/d", false, Some(0o4755)).unwrap_err(),
        path_error(
            GenericFileError,
            "permissions not within 0o000 to 0o777: 0o4755"
        )
    );
    assert_eq!(
        p.make_dir("d", false, None).unwrap_err(),
        path_error(GenericFileError, "paths must be absolute, got 'd'")
    );
}

// --- remove_path -------------------------------------------------------------------------

#[test]
fn remove_file_and_empty_dir() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/f", b"", false, None).unwrap();
    p.make_dir("/d", false, None).unwrap();
    p.remove_path("/f", false).unwrap();
    p.remove_path("/d", false).unwrap();
    assert!(!f.root().join("f").exists());
    assert!(!f.root().join("d").exists());
}

#[test]
fn remove_missing() {
    let mut f = Fixture::new();
    let p = f.pebble();
    assert_eq!(
        p.remove_path("/nope", false).unwrap_err(),
        path_error(NotFound, "remove /nope: no such file or directory")
    );
    p.remove_path("/nope", true).unwrap();
}

#[test]
fn remove_non_empty_dir_needs_recursive() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/d/e/f", b"", true, None).unwrap();
    assert_eq!(
        p.remove_path("/d", false).unwrap_err(),
        path_error(
            GenericFileError,
            "cannot remove non-empty directory without recursive=True"
        )
    );
    p.remove_path("/d", true).unwrap();
    assert!(!f.root().join("d").exists());
}

#[test]
fn remove_root_is_refused() {
    let mut f = Fixture::new();
    let p = f.pebble();
    p.push("/f", b"", false, None).unwrap();
    assert_eq!(
        p.remove_path("/", true).unwrap_err(),
        path_error(GenericFileError, "remove /: device or resource busy")
    );
    assert!(f.root().join("f").exists());
}

#[test]
fn remove_rejects_relative_paths() {
    let mut f = Fixture::new();
    assert_eq!(
        f.pebble().remove_path("f", true).unwrap_err(),
        path_error(GenericFileError, "paths must be absolute, got 'f'")
    );
}

// --- mounts ------------------------------------------------------------------------------

#[test]
fn directory_mount_reads_and_writes_the_src() {
    let mut f = Fixture::with_mounts(&[("/srv/data", "src")]);
    std::fs::create_dir(f.host("src")).unwrap();
    std::fs::write(f.host("src/pre.txt"), "from the test").unwrap();
    let written = f.host("src/new/file");
    let p = f.pebble();
    assert_eq!(p.pull("/srv/data/pre.txt").unwrap(), b"from the test");
    p.push("/srv/data/new/file", b"charm", true, None).unwrap();
    assert_eq!(std::fs::read(&written).unwrap(), b"charm");
    assert!(p.is_dir("/srv/data").unwrap());
    let names: Vec<_> = p
        .list_files("/srv/data", None, false)
        .unwrap()
        .into_iter()
        .map(|i| i.path)
        .collect();
    assert_eq!(names, ["/srv/data/new", "/srv/data/pre.txt"]);
}

#[test]
fn file_mount_reads_and_writes_the_src() {
    let mut f = Fixture::with_mounts(&[("/etc/app.conf", "app.conf")]);
    let src = f.host("app.conf");
    std::fs::write(&src, "a=1").unwrap();
    let p = f.pebble();
    assert_eq!(p.pull("/etc/app.conf").unwrap(), b"a=1");
    p.push("/etc/app.conf", b"a=2", false, None).unwrap();
    assert_eq!(std::fs::read(&src).unwrap(), b"a=2");
    assert_eq!(
        p.make_dir("/etc/app.conf", false, None).unwrap_err(),
        path_error(GenericFileError, "mkdir /etc/app.conf: file exists")
    );
}

#[test]
fn mount_points_show_in_their_parent_listing() {
    let mut f = Fixture::with_mounts(&[("/srv/data", "src"), ("/srv/app.conf", "app.conf")]);
    std::fs::create_dir(f.host("src")).unwrap();
    std::fs::write(f.host("app.conf"), "12").unwrap();
    let p = f.pebble();
    p.push("/srv/other", b"", false, None).unwrap();
    let entries: Vec<_> = p
        .list_files("/srv", None, false)
        .unwrap()
        .into_iter()
        .map(|i| (i.name, i.file_type, i.size))
        .collect();
    assert_eq!(
        entries,
        [
            ("app.conf".to_owned(), FileType::File, 2),
            ("data".to_owned(), FileType::Directory, 0),
            ("other".to_owned(), FileType::File, 0),
        ]
    );
    assert!(p.exists("/srv/app.conf").unwrap());
}

#[test]
fn a_file_mounted_alone_can_be_removed_and_its_source_stays() {
    let mut f = Fixture::with_mounts(&[("/etc/certs/server.crt", "cert")]);
    let source = f.host("cert");
    std::fs::write(&source, "foo").unwrap();
    let p = f.pebble();
    p.show_mounts().unwrap();
    assert!(p.exists("/etc/certs/server.crt").unwrap());
    p.remove_path("/etc/certs/server.crt", false).unwrap();
    assert!(!p.exists("/etc/certs/server.crt").unwrap());
    // What the charm writes there afterwards lands in the container, not in the source.
    p.push("/etc/certs/server.crt", b"new", false, None)
        .unwrap();
    assert_eq!(p.pull("/etc/certs/server.crt").unwrap(), b"new");
    assert_eq!(std::fs::read(&source).unwrap(), b"foo");
    // Again, recursively: the same path, now the container's own file.
    p.remove_path("/etc/certs/server.crt", true).unwrap();
    assert!(!p.exists("/etc/certs/server.crt").unwrap());
    assert!(source.exists());
}

#[test]
fn mount_points_and_their_parents_cannot_be_removed() {
    let mut f = Fixture::with_mounts(&[("/srv/data", "src")]);
    std::fs::create_dir(f.host("src")).unwrap();
    std::fs::write(f.host("src/keep"), "").unwrap();
    let p = f.pebble();
    assert_eq!(
        p.remove_path("/srv/data", true).unwrap_err(),
        path_error(
            GenericFileError,
            "remove /srv/data: device or resource busy"
        )
    );
    assert_eq!(
        p.remove_path("/srv", true).unwrap_err(),
        path_error(GenericFileError, "remove /srv: device or resource busy")
    );
    assert_eq!(
        p.remove_path("/srv", false).unwrap_err(),
        path_error(
            GenericFileError,
            "cannot remove non-empty directory without recursive=True"
        )
    );
    assert!(f.host("src/keep").exists());
    // Inside the mount, files are removed from the src as usual.
    f.pebble().remove_path("/srv/data/keep", false).unwrap();
    assert!(!f.host("src/keep").exists());
}
