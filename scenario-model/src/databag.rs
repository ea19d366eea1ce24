//! Relation databags: the str-to-str maps each unit and app writes on a relation.

use indexmap::IndexMap;

/// One databag. Juju stores only strings; insertion order is kept for readable output.
pub type Databag = IndexMap<String, String>;

/// The databag of each remote unit, by unit id.
pub type UnitDatabags = IndexMap<u32, Databag>;
