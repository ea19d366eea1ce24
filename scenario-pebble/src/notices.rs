//! Notices: `get_notices` with Pebble's filters, and `get_notice` by id, over the
//! container's `notices`.

use scenario_model::{Container, Notice};

use crate::error::PebbleError;

/// The filters of `get_notices`, as Pebble applies them (all must match).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoticeFilter<'a> {
    /// Every user's notices (`users=NoticesUsers.ALL` in ops 3, `select=NoticesSelect.ALL`
    /// in ops 2), instead of those the requesting user may see.
    pub all_users: bool,
    /// Notices of this user and public ones (a notice with no user).
    pub user_id: Option<u32>,
    /// Notices of any of these types (`custom`, `change-update`, ...).
    pub types: Option<&'a [String]>,
    /// Notices with any of these keys.
    pub keys: Option<&'a [String]>,
}

/// The uid the charm asks as: Pebble runs the charm's requests as root.
const REQUESTING_USER: u32 = 0;

/// The container's notices that match `filter`, in the State's order (ops sorts them by
/// `last_repeated`, as Pebble does, once they are datetimes).
pub fn notices<'c>(
    container: &'c Container,
    filter: NoticeFilter<'_>,
) -> Result<Vec<&'c Notice>, PebbleError> {
    if filter.all_users && filter.user_id.is_some() {
        return Err(PebbleError::api(
            400,
            "cannot use both \"users\" and \"user_id\"",
        ));
    }
    let user = if filter.all_users {
        None
    } else {
        Some(filter.user_id.unwrap_or(REQUESTING_USER))
    };
    Ok(container
        .notices
        .iter()
        .filter(|n| user.is_none_or(|u| n.user_id.is_none_or(|owner| owner == u)))
        .filter(|n| filter.types.is_none_or(|t| t.contains(&n.notice_type)))
        .filter(|n| filter.keys.is_none_or(|k| k.contains(&n.key)))
        .collect())
}

/// The notice with this id.
pub fn notice<'c>(container: &'c Container, id: &str) -> Result<&'c Notice, PebbleError> {
    container
        .notices
        .iter()
        .find(|n| n.id == id)
        .ok_or_else(|| PebbleError::api(404, format!("cannot find notice with ID \"{id}\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(id: &str, key: &str, notice_type: &str, user_id: Option<u32>) -> Notice {
        Notice {
            key: key.to_owned(),
            id: id.to_owned(),
            user_id,
            notice_type: notice_type.to_owned(),
            first_occurred: "2024-01-01T00:00:00+00:00".to_owned(),
            last_occurred: "2024-01-01T00:00:00+00:00".to_owned(),
            last_repeated: "2024-01-01T00:00:00+00:00".to_owned(),
            occurrences: 1,
            last_data: scenario_model::Databag::new(),
            repeat_after: None,
            expire_after: None,
        }
    }

    fn container() -> Container {
        let mut c = Container::new("c");
        c.notices = vec![
            notice("1", "example.com/a", "custom", None),
            notice("2", "example.com/b", "custom", Some(1000)),
            notice("3", "example.com/c", "change-update", Some(0)),
        ];
        c
    }

    fn ids(found: &[&Notice]) -> Vec<String> {
        found.iter().map(|n| n.id.clone()).collect()
    }

    fn strings(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn by_default_the_requesting_users_and_public_notices() {
        let c = container();
        assert_eq!(
            ids(&notices(&c, NoticeFilter::default()).unwrap()),
            ["1", "3"]
        );
        let theirs = NoticeFilter {
            user_id: Some(1000),
            ..NoticeFilter::default()
        };
        assert_eq!(ids(&notices(&c, theirs).unwrap()), ["1", "2"]);
        let all = NoticeFilter {
            all_users: true,
            ..NoticeFilter::default()
        };
        assert_eq!(ids(&notices(&c, all).unwrap()), ["1", "2", "3"]);
    }

    #[test]
    fn types_and_keys_must_all_match() {
        let c = container();
        let types = strings(&["custom"]);
        let keys = strings(&["example.com/b", "example.com/c"]);
        let filter = NoticeFilter {
            all_users: true,
            types: Some(&types),
            keys: Some(&keys),
            ..NoticeFilter::default()
        };
        assert_eq!(ids(&notices(&c, filter).unwrap()), ["2"]);
    }

    #[test]
    fn all_users_and_a_user_conflict() {
        let filter = NoticeFilter {
            all_users: true,
            user_id: Some(1),
            ..NoticeFilter::default()
        };
        let err = notices(&container(), filter).unwrap_err();
        assert_eq!(err.api_body().unwrap()["status-code"], 400);
    }

    #[test]
    fn one_notice_by_id() {
        let c = container();
        assert_eq!(super::notice(&c, "2").unwrap().key, "example.com/b");
        let err = super::notice(&c, "9").unwrap_err();
        assert_eq!(err.to_string(), "cannot find notice with ID \"9\"");
    }
}
