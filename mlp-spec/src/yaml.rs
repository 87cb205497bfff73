//! The only module that talks to the YAML library.
//!
//! `serde_yaml` is dtolnay's archived crate under its maintained continuation `yaml_serde`
//! (renamed in `Cargo.toml`). It gives a document tree without positions, and a position
//! on every error. Validation walks the tree and records a [`Path`] for each problem; the
//! position of a path is then found by [`locate`], which replays the document and stops
//! with a marker error exactly at that node, so the library reports where it was. Only
//! spec files with errors pay for the replay.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
pub(crate) use serde_yaml::{Mapping, Value};

use crate::error::{Location, SpecError};

/// A step from a node to one of its children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The value under a mapping key.
    Value(String),
    /// The key itself (to point at a misspelt key rather than its value).
    Key(String),
    /// An element of a sequence.
    Index(usize),
}

/// The way from the document root to a node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Path(Vec<Step>);

impl Path {
    pub(crate) fn root() -> Self {
        Path(Vec::new())
    }

    pub(crate) fn value(&self, key: &str) -> Path {
        self.push(Step::Value(key.to_owned()))
    }

    pub(crate) fn key(&self, key: &str) -> Path {
        self.push(Step::Key(key.to_owned()))
    }

    pub(crate) fn index(&self, index: usize) -> Path {
        self.push(Step::Index(index))
    }

    fn push(&self, step: Step) -> Path {
        let mut steps = self.0.clone();
        steps.push(step);
        Path(steps)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for step in &self.0 {
            match step {
                Step::Value(key) | Step::Key(key) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Step::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// Parses a YAML document into a tree.
pub(crate) fn parse(source: &str) -> Result<Value, SpecError> {
    // A byte-order mark, which some Windows editors write first, is no part of the document
    // (the YAML library took it for the start of a second one).
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    serde_yaml::from_str(source).map_err(|error| {
        let location = error.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        });
        let text = error.to_string();
        // The library appends " at line L column C"; the location is reported separately.
        let message = match text.find(" at line ") {
            Some(cut) => text[..cut].to_owned(),
            None => text,
        };
        // The library points at the mapping that holds a duplicated key; point at the
        // key's second occurrence instead, which is the one to remove.
        if let Some(key) = duplicated_key(&message) {
            return SpecError {
                location: second_occurrence(source, key).or(location),
                message: format!("the key `{key}` appears twice"),
                help: Some(format!("keep one `{key}:` and remove the other")),
            };
        }
        // Integers beyond 64 bits are valid YAML, but no setting can hold one; the library
        // names the type it could not read them into, which says nothing to a user.
        if let Some((key, number)) = oversized_integer(&message) {
            return SpecError {
                location,
                message: format!("`{key}` is {number}, beyond the 64-bit integers a spec can hold"),
                help: Some(format!("write a smaller value for `{key}`")),
            };
        }
        // YAML indents with spaces only; the library's message for a tab names no tab.
        if let Some(Location { line, column }) = location.filter(|&l| char_at(source, l) == Some('\t')) {
            return SpecError {
                location,
                message: format!("a tab indents line {line}, and YAML indents with spaces only"),
                help: Some(format!(
                    "replace the tab at column {column} with spaces, as many as the lines around it use"
                )),
            };
        }
        SpecError {
            location,
            message: format!("invalid YAML: {message}"),
            help: Some("check the indentation and the `key: value` syntax near this place".into()),
        }
    })
}

/// The character of `source` at a 1-based location.
fn char_at(source: &str, location: Location) -> Option<char> {
    let line = source.lines().nth(location.line.checked_sub(1)?)?;
    line.chars().nth(location.column.checked_sub(1)?)
}

/// The key of yaml_serde's "duplicate entry with key \"K\"" message.
fn duplicated_key(message: &str) -> Option<&str> {
    message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')
}

/// The key path and the number of yaml_serde's "KEY: invalid type: integer `N` as u128"
/// (`i128` for a negative `N`).
fn oversized_integer(message: &str) -> Option<(&str, &str)> {
    let (key, rest) = message.split_once(": invalid type: integer `")?;
    let (number, rest) = rest.split_once('`')?;
    (rest.starts_with(" as u128") || rest.starts_with(" as i128")).then_some((key, number))
}

/// Where `key:` is written the second time in the text (a line that starts with it, after
/// indentation and an optional `- `).
fn second_occurrence(source: &str, key: &str) -> Option<Location> {
    source
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let trimmed = line.trim_start();
            let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
            let rest = trimmed.strip_prefix(key)?;
            rest.trim_start().starts_with(':').then(|| Location {
                line: index + 1,
                column: line.len() - trimmed.len() + 1,
            })
        })
        .nth(1)
}

const MARKER: &str = "\u{1}mlp-locate-marker";

/// Finds where the node at `path` starts in `source`.
pub(crate) fn locate(source: &str, path: &Path) -> Option<Location> {
    let deserializer = serde_yaml::Deserializer::from_str(source);
    let seek = Seek { path: &path.0 };
    match seek.deserialize(deserializer) {
        Ok(()) => None,
        Err(error) if error.to_string().contains(MARKER) => error.location().map(|l| Location {
            line: l.line(),
            column: l.column(),
        }),
        Err(_) => None,
    }
}

struct Seek<'p> {
    path: &'p [Step],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.path.first() {
            None => deserializer.deserialize_any(Hit),
            Some(Step::Index(_)) => deserializer.deserialize_seq(self),
            Some(_) => deserializer.deserialize_map(self),
        }
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping or a sequence")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (wanted, at_key) = match &self.path[0] {
            Step::Value(key) => (key.as_str(), false),
            Step::Key(key) => (key.as_str(), true),
            Step::Index(_) => return Ok(()),
        };
        while let Some(found) = map.next_key_seed(KeySeek { wanted, at_key })? {
            if found {
                return map.next_value_seed(Seek {
                    path: &self.path[1..],
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Step::Index(wanted) = self.path[0] else {
            return Ok(());
        };
        for _ in 0..wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek {
            path: &self.path[1..],
        })?;
        Ok(())
    }
}

/// Reads one mapping key; answers whether it is the wanted one, or stops there when the key
/// itself is the target.
struct KeySeek<'k> {
    wanted: &'k str,
    at_key: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeek<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeek<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match (key == self.wanted, self.at_key) {
            (true, true) => Err(E::custom(MARKER)),
            (found, _) => Ok(found),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.visit_str("null")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// Stops with the marker at whatever node it is given.
struct Hit;

impl<'de> Visitor<'de> for Hit {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(MARKER))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(MARKER))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(MARKER))
    }
}

/// Serialises a value to YAML text.
pub(crate) fn to_string<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain data structs with string keys cannot fail.
    serde_yaml::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "input: 4\nlayers:\n  - units: 16\n    activation: relu\n  - {units: 3, activation: softmax}\nloss: mse\n";

    fn at(path: Path) -> Option<(usize, usize)> {
        locate(DOC, &path).map(|l| (l.line, l.column))
    }

    #[test]
    fn locates_values_keys_and_elements() {
        let root = Path::root();
        assert_eq!(at(root.value("input")), Some((1, 8)));
        assert_eq!(at(root.key("loss")), Some((6, 1)));
        assert_eq!(at(root.value("loss")), Some((6, 7)));
        let layer0 = root.value("layers").index(0);
        assert_eq!(at(layer0.value("activation")), Some((4, 17)));
        let layer1 = root.value("layers").index(1);
        assert_eq!(at(layer1.value("activation")), Some((5, 28)));
        assert_eq!(at(layer1.key("units")), Some((5, 6)));
        assert_eq!(at(root.value("missing")), None);
    }

    #[test]
    fn a_duplicated_key_is_reported_where_it_repeats() {
        let error = parse("input: 4\nlayers: []\ninput: 5\n").unwrap_err();
        assert_eq!(error.message, "the key `input` appears twice");
        assert_eq!(error.location, Some(Location { line: 3, column: 1 }));
    }

    #[test]
    fn an_integer_beyond_64_bits_names_its_key() {
        for number in ["100000000000000000000", "-100000000000000000000"] {
            let error = parse(&format!("training:\n  epochs: {number}\n")).unwrap_err();
            assert_eq!(
                error.message,
                format!(
                    "`training.epochs` is {number}, beyond the 64-bit integers a spec can hold"
                )
            );
            assert_eq!(
                error.location,
                Some(Location {
                    line: 2,
                    column: 11
                })
            );
        }
    }

    #[test]
    fn a_tab_that_indents_is_named_and_a_byte_order_mark_is_not_read() {
        let error = parse("optimizer:\n  kind: sgd\n\tlr: 0.1\n").unwrap_err();
        assert_eq!(
            (error.location, error.message.as_str()),
            (
                Some(Location { line: 3, column: 1 }),
                "a tab indents line 3, and YAML indents with spaces only"
            )
        );
        assert_eq!(
            parse("\u{feff}input: 4\nloss: mse\n").unwrap(),
            parse("input: 4\nloss: mse\n").unwrap()
        );
        // A tab between a key and its value is YAML's own white space.
        assert!(parse("input:\t4\n").is_ok());
    }

    #[test]
    fn syntax_errors_carry_a_location() {
        let error = parse("input: 4\nlayers: [\n").unwrap_err();
        assert!(error.location.is_some());
        assert!(
            error.message.starts_with("invalid YAML: "),
            "{}",
            error.message
        );
    }
}
