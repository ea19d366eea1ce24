//! Which values fit which declared type: Juju's config option types and the JSON schema
//! types of action params, matched against `scenario_model::Value` variants.

use scenario_model::Value;

/// A config option type Juju knows (plus Scenario's historical aliases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    String,
    Int,
    Float,
    Boolean,
    /// A secret URI; Juju 3.4 and later.
    Secret,
}

impl ConfigType {
    /// The type a config.yaml `type:` names; `integer` and `number` are Scenario's aliases
    /// for `int` and `float`.
    pub fn parse(name: &str) -> Option<ConfigType> {
        Some(match name {
            "string" => ConfigType::String,
            "int" | "integer" => ConfigType::Int,
            "float" | "number" => ConfigType::Float,
            "boolean" => ConfigType::Boolean,
            "secret" => ConfigType::Secret,
            _ => return None,
        })
    }

    /// Whether `value` is of this type. Juju accepts an int for a float option, but a bool
    /// is not an int (unlike Python's `isinstance`).
    pub fn accepts(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (ConfigType::String | ConfigType::Secret, Value::Str(_))
                | (ConfigType::Int, Value::Int(_))
                | (ConfigType::Float, Value::Int(_) | Value::Float(_))
                | (ConfigType::Boolean, Value::Bool(_))
        )
    }

    /// Whether the original libraries took `value`: they checked with `isinstance`, for
    /// which a bool is an int, and they had no int-for-float leniency.
    pub fn python_accepts(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (ConfigType::String | ConfigType::Secret, Value::Str(_))
                | (ConfigType::Int, Value::Int(_) | Value::Bool(_))
                | (ConfigType::Float, Value::Float(_))
                | (ConfigType::Boolean, Value::Bool(_))
        )
    }

    /// The Python type to pass, for messages.
    pub fn python_name(self) -> &'static str {
        match self {
            ConfigType::String => "str",
            ConfigType::Int => "int",
            ConfigType::Float => "float (or int)",
            ConfigType::Boolean => "bool",
            ConfigType::Secret => "str holding a secret URI",
        }
    }
}

/// Whether `value` is a secret URI as ops[testing] checks it: `secret:` then 20 lowercase
/// letters or digits (Juju's xid), then the end (Python's `$` also allows one final newline).
pub fn is_secret_uri(value: &str) -> bool {
    let value = value.strip_suffix('\n').unwrap_or(value);
    value.strip_prefix("secret:").is_some_and(|id| {
        id.len() == 20
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// The JSON schema types an action param can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    Integer,
    Number,
    Array,
    Object,
    Null,
}

impl ParamType {
    pub fn parse(name: &str) -> Option<ParamType> {
        Some(match name {
            "string" => ParamType::String,
            "boolean" => ParamType::Boolean,
            "integer" => ParamType::Integer,
            "number" => ParamType::Number,
            "array" => ParamType::Array,
            "object" => ParamType::Object,
            "null" => ParamType::Null,
            _ => return None,
        })
    }

    /// Whether `value` validates against this JSON schema type. As in JSON schema, a bool is
    /// neither an integer nor a number, and an integer is a number.
    pub fn accepts(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (ParamType::String, Value::Str(_))
                | (ParamType::Boolean, Value::Bool(_))
                | (ParamType::Integer, Value::Int(_))
                | (ParamType::Number, Value::Int(_) | Value::Float(_))
                | (ParamType::Array, Value::List(_) | Value::Tuple(_))
                | (ParamType::Object, Value::Dict(_))
                | (ParamType::Null, Value::None)
        )
    }

    /// Whether the original libraries took `value`: they checked with `isinstance` against
    /// int, `numbers.Number` and `collections.abc.Sequence`, which a bool, a bool, and a str
    /// or bytes pass.
    pub fn python_accepts(self, value: &Value) -> bool {
        self.accepts(value)
            || matches!(
                (self, value),
                (ParamType::Integer | ParamType::Number, Value::Bool(_))
                    | (ParamType::Array, Value::Str(_) | Value::Bytes(_))
            )
    }

    /// The Python type to pass, for messages.
    pub fn python_name(self) -> &'static str {
        match self {
            ParamType::String => "str",
            ParamType::Boolean => "bool",
            ParamType::Integer => "int",
            ParamType::Number => "int or float",
            ParamType::Array => "list",
            ParamType::Object => "dict",
            ParamType::Null => "None",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_types_follow_juju() {
        let float = ConfigType::parse("float").unwrap();
        assert!(float.accepts(&Value::Int(1)));
        assert!(float.accepts(&Value::Float(1.5)));
        assert!(!float.accepts(&Value::Bool(true)));
        let int = ConfigType::parse("int").unwrap();
        assert!(!int.accepts(&Value::Bool(true)));
        assert!(!int.accepts(&Value::Float(1.0)));
        assert_eq!(ConfigType::parse("integer"), Some(ConfigType::Int));
        assert_eq!(ConfigType::parse("number"), Some(ConfigType::Float));
        assert_eq!(ConfigType::parse("attrs"), None);
    }

    #[test]
    fn secret_uris_need_a_twenty_character_id() {
        assert!(is_secret_uri("secret:cjpdr5rp5bce8ts4spe0"));
        assert!(is_secret_uri("secret:cjpdr5rp5bce8ts4spe0\n"));
        assert!(!is_secret_uri("secret:cjpdr5rp5bce8ts4spe"));
        assert!(!is_secret_uri("secret:cjpdr5rp5bce8ts4spe0x"));
        assert!(!is_secret_uri("secret:CJPDR5RP5BCE8TS4SPE0"));
        assert!(!is_secret_uri("cjpdr5rp5bce8ts4spe0"));
        assert!(!is_secret_uri("secret://uuid/cjpdr5rp5bce8ts4spe0"));
    }

    #[test]
    fn python_isinstance_is_looser() {
        let int = ConfigType::Int;
        assert!(int.python_accepts(&Value::Bool(true)));
        assert!(!ConfigType::Float.python_accepts(&Value::Int(1)));
        assert!(ParamType::Number.python_accepts(&Value::Bool(true)));
        assert!(ParamType::Array.python_accepts(&Value::from("abc")));
        assert!(!ParamType::Object.python_accepts(&Value::List(vec![])));
    }

    #[test]
    fn param_types_follow_json_schema() {
        assert!(ParamType::Number.accepts(&Value::Int(3)));
        assert!(!ParamType::Integer.accepts(&Value::Bool(false)));
        assert!(ParamType::Array.accepts(&Value::Tuple(vec![])));
        assert!(!ParamType::Array.accepts(&Value::Str("abc".into())));
        assert!(ParamType::Object.accepts(&Value::str_dict([("a", Value::Int(1))])));
        assert_eq!(ParamType::parse("str"), None);
    }
}
