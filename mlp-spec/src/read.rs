//! Typed reading of the YAML tree, recording every problem instead of stopping at the first
//! (the idea of serde_derive's `Ctxt`).

use crate::parameter::Parameter;
use crate::yaml::{Mapping, Path, Value};

/// Who will run a spec's search: `#[mlp]` compiles the sizes in, so its searches may only
/// vary run-time hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Engine {
    /// The dynamic engine (`mlp tune`, `mlp check`): any searchable key.
    #[default]
    Dynamic,
    /// A network compiled by `#[mlp]`.
    Compiled,
}

/// A problem found at a path of the document.
pub(crate) struct Issue {
    pub(crate) path: Path,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// Collects problems while the tree is read.
#[derive(Default)]
pub(crate) struct Ctx {
    pub(crate) issues: Vec<Issue>,
    /// Who the spec is read for (what its search may vary).
    pub(crate) engine: Engine,
}

impl Ctx {
    pub(crate) fn error(
        &mut self,
        path: &Path,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help = help.into();
        self.issues.push(Issue {
            path: path.clone(),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        });
    }

    /// Reads a mapping whose keys must come from `allowed`; unknown keys are reported with
    /// the closest allowed key.
    pub(crate) fn mapping<'v>(
        &mut self,
        value: &'v Value,
        path: &Path,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'v Mapping> {
        let Some(map) = value.as_mapping() else {
            self.error(
                path,
                format!(
                    "{what} must be a mapping of `key: value` pairs, found {}",
                    show(value)
                ),
                format!("allowed keys: {}", allowed.join(", ")),
            );
            return None;
        };
        self.keys(map, path, what, allowed);
        Some(map)
    }

    /// Reports every key of `map` that is not in `allowed`, with the closest allowed key.
    pub(crate) fn keys(&mut self, map: &Mapping, path: &Path, what: &str, allowed: &[&str]) {
        self.keys_with(map, path, what, allowed, |_| None);
    }

    /// [`Ctx::keys`], where `help` may give an unknown key's help instead of the closest
    /// allowed key: for a key that another library's users write, what to write here.
    pub(crate) fn keys_with(
        &mut self,
        map: &Mapping,
        path: &Path,
        what: &str,
        allowed: &[&str],
        help: impl Fn(&str) -> Option<String>,
    ) {
        for key in map.keys() {
            let Some(key) = key.as_str() else {
                self.error(
                    path,
                    format!("keys of {what} must be names, found {}", show(key)),
                    format!("allowed keys: {}", allowed.join(", ")),
                );
                continue;
            };
            if !allowed.contains(&key) {
                self.error(
                    &path.key(key),
                    format!("unknown key `{key}` in {what}"),
                    help(key).unwrap_or_else(|| suggest(key, allowed, "allowed keys")),
                );
            }
        }
    }

    /// Reports a missing required key at the mapping that lacks it.
    pub(crate) fn missing(&mut self, path: &Path, key: &str, what: &str, help: &str) {
        self.error(
            path,
            format!("missing required key `{key}` in {what}"),
            help,
        );
    }

    /// Reads a whole number of at least `min`.
    pub(crate) fn count(
        &mut self,
        value: &Value,
        path: &Path,
        name: &str,
        min: u64,
    ) -> Option<usize> {
        let number = match value {
            Value::Number(n) if n.is_u64() => n.as_u64(),
            Value::Number(n) if n.is_i64() => {
                self.error(
                    path,
                    format!("`{name}` must be at least {min}, found {n}"),
                    "",
                );
                return None;
            }
            _ => None,
        };
        let Some(number) = number else {
            self.error(
                path,
                format!("`{name}` must be a whole number, found {}", show(value)),
                format!("write a whole number such as `{name}: {}`", min.max(1)),
            );
            return None;
        };
        if number < min {
            let help = match name {
                "input" | "units" | "batch_size" => "a size of zero leaves nothing to compute",
                _ => "",
            };
            self.error(
                path,
                format!("`{name}` must be at least {min}, found {number}"),
                help,
            );
            return None;
        }
        usize::try_from(number).ok()
    }

    /// Reads a finite number satisfying `ok`, described by `expected` (such as "> 0").
    pub(crate) fn number(
        &mut self,
        value: &Value,
        path: &Path,
        name: &str,
        expected: &str,
        ok: fn(f64) -> bool,
    ) -> Option<f64> {
        let Some(number) = value.as_f64() else {
            self.error(
                path,
                format!(
                    "`{name}` must be a number {expected}, found {}",
                    show(value)
                ),
                "",
            );
            return None;
        };
        if !number.is_finite() || !ok(number) {
            self.error(
                path,
                format!(
                    "`{name}` must be a finite number {expected}, found {}",
                    show(value)
                ),
                "",
            );
            return None;
        }
        Some(number)
    }

    /// Reads `true` or `false`.
    pub(crate) fn boolean(&mut self, value: &Value, path: &Path, name: &str) -> Option<bool> {
        let found = value.as_bool();
        if found.is_none() {
            self.error(
                path,
                format!("`{name}` must be `true` or `false`, found {}", show(value)),
                "",
            );
        }
        found
    }

    /// Reads a named choice written either as `name` or as `{kind: name, ...params}`.
    /// Returns the kind and, for the mapping form, the mapping (its keys are checked by the
    /// caller, which knows each kind's parameters).
    pub(crate) fn kind<'v>(
        &mut self,
        value: &'v Value,
        path: &Path,
        what: &str,
        kinds: &[&str],
    ) -> Option<(String, Option<&'v Mapping>)> {
        let (name, name_path, params) = match value {
            Value::String(name) => (name.as_str(), path.clone(), None),
            Value::Mapping(map) => match map.get("kind") {
                Some(Value::String(name)) => (name.as_str(), path.value("kind"), Some(map)),
                Some(other) => {
                    self.error(
                        &path.value("kind"),
                        format!("the {what} kind must be a name, found {}", show(other)),
                        format!("one of: {}", kinds.join(", ")),
                    );
                    return None;
                }
                None => {
                    self.missing(
                        path,
                        "kind",
                        what,
                        &format!(
                            "write `{{kind: NAME, ...}}` with NAME one of: {}",
                            kinds.join(", ")
                        ),
                    );
                    return None;
                }
            },
            other => {
                self.error(
                    path,
                    format!(
                        "{what} must be a name or a `{{kind: ...}}` mapping, found {}",
                        show(other)
                    ),
                    format!("one of: {}", kinds.join(", ")),
                );
                return None;
            }
        };
        if !kinds.contains(&name) {
            self.error(
                &name_path,
                format!("unknown {what} `{name}`"),
                suggest(name, kinds, &plural(what)),
            );
            return None;
        }
        Some((name.to_owned(), params))
    }
}

/// The plural of a kind's name in messages ("losses", "optimizers").
fn plural(word: &str) -> String {
    if word.ends_with('s') {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// The candidate closest to `found`, if one is close enough to be what was meant.
pub(crate) fn closest<'c>(found: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(found, c), *c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// A "did you mean" help text: the closest candidate when one is close, then the full list.
pub(crate) fn suggest(found: &str, candidates: &[&str], list_name: &str) -> String {
    match closest(found, candidates) {
        Some(name) => format!(
            "did you mean `{name}`? {list_name}: {}",
            candidates.join(", ")
        ),
        None => format!("{list_name}: {}", candidates.join(", ")),
    }
}

/// A short description of a value for messages.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => quoted(s),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a mapping".to_owned(),
        Value::Tagged(tagged) => format!("a value tagged `{}`", tagged.tag),
    }
}

/// A string as a message quotes it: whole when short, else its start and its length, so that
/// a file that is not a spec (a CSV file, which YAML reads as one long string) does not fill
/// the terminal.
fn quoted(s: &str) -> String {
    const SHOWN: usize = 40;
    match s.char_indices().nth(SHOWN) {
        None => format!("`{s}`"),
        Some((end, _)) => format!("`{}...` ({} characters)", &s[..end], s.chars().count()),
    }
}

/// Every key of a mapping that is present, with its path.
pub(crate) fn field<'v>(map: &'v Mapping, path: &Path, key: &str) -> Option<(&'v Value, Path)> {
    map.get(key).map(|value| (value, path.value(key)))
}

/// Reads an optional numeric parameter of a `{kind: ...}` mapping.
pub(crate) fn param(
    ctx: &mut Ctx,
    params: Option<&Mapping>,
    path: &Path,
    key: &str,
    default: f64,
    expected: &str,
    ok: fn(f64) -> bool,
) -> Option<f64> {
    match params.and_then(|map| field(map, path, key)) {
        Some((value, at)) => ctx.number(value, &at, key, expected, ok),
        None => Some(default),
    }
}

/// Reads a required numeric parameter of a `{kind: ...}` mapping.
pub(crate) fn required_param(
    ctx: &mut Ctx,
    params: Option<&Mapping>,
    path: &Path,
    kind: &str,
    key: &str,
    expected: &str,
    ok: fn(f64) -> bool,
) -> Option<f64> {
    match params.and_then(|map| field(map, path, key)) {
        Some((value, at)) => ctx.number(value, &at, key, expected, ok),
        None => {
            ctx.missing(
                path,
                key,
                &format!("`{kind}`"),
                &format!("write `{{kind: {kind}, {key}: VALUE}}` with VALUE {expected}"),
            );
            None
        }
    }
}

/// Reads a required whole-number parameter of a `{kind: ...}` mapping.
pub(crate) fn required_count(
    ctx: &mut Ctx,
    params: Option<&Mapping>,
    path: &Path,
    kind: &str,
    key: &str,
) -> Option<usize> {
    match params.and_then(|map| field(map, path, key)) {
        Some((value, at)) => ctx.count(value, &at, key, 1),
        None => {
            ctx.missing(
                path,
                key,
                &format!("`{kind}`"),
                &format!("write `{{kind: {kind}, {key}: N}}` with N >= 1"),
            );
            None
        }
    }
}

/// The largest size accepted (the input's, a layer's width, the batch's), far above anything
/// a dense network on one core can use; it keeps sizes, parameter counts and buffers far from
/// integer overflow, and a batch's buffers, allocated before its first step, within memory.
pub(crate) const MAX_UNITS: u64 = 1 << 20;

/// Reads a size (`input`, `units`, `batch_size`): a whole number from 1 to [`MAX_UNITS`].
pub(crate) fn size(ctx: &mut Ctx, value: &Value, path: &Path, name: &str) -> Option<usize> {
    let size = ctx.count(value, path, name, 1)?;
    if size as u64 > MAX_UNITS {
        ctx.error(
            path,
            format!("`{name}` is {size}, above the largest supported size {MAX_UNITS}"),
            "",
        );
        return None;
    }
    Some(size)
}

/// Reads the parameters of a `{kind: ...}` mapping into their fields (which hold their
/// defaults), checking that it has no other keys (`torch` gives the help for a key that
/// PyTorch spells differently); `None` if any is out of range.
pub(crate) fn parameters(
    ctx: &mut Ctx,
    params: Option<&Mapping>,
    path: &Path,
    what: &str,
    fields: Vec<(Parameter, &mut f64)>,
    torch: impl Fn(&str) -> Option<String>,
) -> Option<()> {
    if let Some(map) = params {
        let allowed: Vec<&str> = std::iter::once("kind")
            .chain(fields.iter().map(|(parameter, _)| parameter.key))
            .collect();
        ctx.keys_with(map, path, what, &allowed, torch);
    }
    let mut all_read = true;
    for (parameter, field) in fields {
        let (key, expected) = (parameter.key, parameter.expected);
        match param(ctx, params, path, key, *field, expected, parameter.ok) {
            Some(value) => *field = value,
            None => all_read = false,
        }
    }
    all_read.then_some(())
}
