//! Notices through the handle: the connection rule of each API, and the filters.

use scenario_model::{Api, Databag, Notice};
use scenario_pebble::{NoticeFilter, PebbleError};

use crate::support::{Fixture, api_error, strings};

fn notice(id: &str, key: &str, user_id: Option<u32>) -> Notice {
    let at = "2024-05-01T12:00:00+00:00".to_owned();
    Notice {
        key: key.into(),
        id: id.into(),
        user_id,
        notice_type: "custom".into(),
        first_occurred: at.clone(),
        last_occurred: at.clone(),
        last_repeated: at,
        occurrences: 1,
        last_data: Databag::new(),
        repeat_after: None,
        expire_after: None,
    }
}

fn fixture(api: Api) -> Fixture {
    let mut f = Fixture::new();
    f.api = api;
    f.container.notices = vec![
        notice("1", "example.com/a", None),
        notice("2", "example.com/b", Some(1000)),
    ];
    f
}

#[test]
fn filters_apply() {
    let mut f = fixture(Api::Scenario8);
    let p = f.pebble();
    let keys = strings(&["example.com/b"]);
    let filter = NoticeFilter {
        all_users: true,
        keys: Some(&keys),
        ..NoticeFilter::default()
    };
    let found = p.get_notices(filter).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "2");
    assert_eq!(p.get_notices(NoticeFilter::default()).unwrap().len(), 1);
}

#[test]
fn one_by_id() {
    let mut f = fixture(Api::Scenario8);
    let p = f.pebble();
    assert_eq!(p.get_notice("2").unwrap().key, "example.com/b");
    assert_eq!(
        p.get_notice("3").unwrap_err(),
        api_error(404, "Not Found", "cannot find notice with ID \"3\"")
    );
}

#[test]
fn disconnected_reads_fail_under_scenario_5_only() {
    let mut f = fixture(Api::Scenario5);
    f.container.can_connect = false;
    assert!(matches!(
        f.pebble().get_notice("1"),
        Err(PebbleError::Connection { .. })
    ));
    f.api = Api::Scenario8;
    assert_eq!(f.pebble().get_notice("1").unwrap().key, "example.com/a");
}
