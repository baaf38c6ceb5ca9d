//! A YAML document as a tree of spanned nodes, and the reader that checks a record's shape
//! against it field by field.
//!
//! serde's derive stops at the first unknown key or wrong type, so one typo hid every other
//! problem of a record. Reading the tree instead, each field is taken on its own: an unknown
//! key, a list where text belongs and `gdpr: yes` are three diagnostics, and every field that
//! has the right shape still reaches `validate`'s rules. No value's type is guessed from its
//! spelling: a scalar that YAML would read as a number or a boolean keeps its source text.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::diag::Diagnostic;

use super::yaml::{self, Embedded, Spanned};

/// One node of a YAML document.
#[derive(Debug, Clone)]
pub enum Node {
    /// A scalar YAML reads as text, plain or quoted.
    Text(String),
    /// A plain scalar YAML reads as a boolean.
    Bool(bool),
    /// A plain scalar YAML reads as a number (`1.10`): its text is read from the file.
    Number,
    /// No value, `~` or `null`.
    Null,
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl Node {
    /// What the node is, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Node::Text(_) | Node::Number => "a single value",
            Node::Bool(_) => "a boolean",
            Node::Null => "nothing",
            Node::List(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<String>, Spanned<Node>>()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// The entries of one mapping, with the name its fields are known by in messages.
pub struct Mapping<'n> {
    entries: &'n [(Spanned<String>, Spanned<Node>)],
    /// `developer.` for the fields of `developer`; empty at the top level.
    prefix: String,
}

impl<'n> Mapping<'n> {
    /// The value of `key`; `None` when it is absent or null (`validate` tells a key written
    /// without a value from a missing one by the line).
    fn get(&self, key: &str) -> Option<&'n Spanned<Node>> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v.value, Node::Null))
    }
}

/// Reads a record's tree field by field, collecting every shape problem.
pub struct Reader<'a> {
    doc: &'a Embedded<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(doc: &'a Embedded<'a>) -> Self {
        Reader {
            doc,
            diagnostics: Vec::new(),
        }
    }

    fn range<T>(&self, node: &Spanned<T>) -> Range<usize> {
        yaml::range_of(self.doc, &node.referenced)
    }

    /// The source text of a scalar YAML did not read as text: `1.10` stays `1.10`.
    fn source_text(&self, node: &Spanned<Node>) -> String {
        let span = node.referenced.span();
        let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) else {
            return self.doc.yaml[self.range(node).start - self.doc.offset..]
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
        };
        let start = start as usize;
        self.doc
            .yaml
            .get(start..start + len as usize)
            .unwrap_or_default()
            .to_string()
    }

    fn wrong_type(&mut self, field: &str, node: &Spanned<Node>, expected: &str, example: &str) {
        let range = self.range(node);
        let found = node.value.kind();
        self.diagnostics.push(
            Diagnostic::error(
                "yaml-type",
                format!("`{field}` must be {expected}, not {found}"),
            )
            .at(self.doc.file, range, format!("expected {expected}"))
            .with_help(format!("write it as the content format shows: {example}")),
        );
    }

    /// `node` as a mapping of the `known` fields: anything else is a `yaml-type` error, and
    /// each unknown key an `unknown-field` error with the closest known one.
    pub fn mapping<'n>(
        &mut self,
        field: &str,
        node: &'n Spanned<Node>,
        known: &[&str],
        example: &str,
    ) -> Option<Mapping<'n>> {
        let Node::Map(entries) = &node.value else {
            self.wrong_type(field, node, "a mapping of fields", example);
            return None;
        };
        let prefix = match field {
            "" => String::new(),
            field => format!("{field}."),
        };
        for (key, _) in entries {
            if known.contains(&key.value.as_str()) {
                continue;
            }
            let help = match yaml::suggest(&key.value, known) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("expected one of: {}", known.join(", ")),
            };
            let range = self.range(key);
            self.diagnostics.push(
                Diagnostic::error(
                    "unknown-field",
                    format!("unknown field `{prefix}{}`", key.value),
                )
                .at(self.doc.file, range, "not a field here")
                .with_help(help),
            );
        }
        Some(Mapping { entries, prefix })
    }

    /// A field of `map` holding one value, kept as its text.
    pub fn text(&mut self, map: &Mapping, key: &str) -> Option<Spanned<String>> {
        let node = map.get(key)?;
        self.scalar(&format!("{}{key}", map.prefix), node)
    }

    fn scalar(&mut self, field: &str, node: &Spanned<Node>) -> Option<Spanned<String>> {
        let text = match &node.value {
            Node::Text(text) => text.clone(),
            Node::Bool(_) | Node::Number => self.source_text(node),
            Node::Null | Node::List(_) | Node::Map(_) => {
                let example = format!("`{}: some text`", field.rsplit('.').next().unwrap_or(field));
                self.wrong_type(field, node, "a single value (text)", &example);
                return None;
            }
        };
        Some(Spanned::new(text, node.referenced, node.defined))
    }

    /// A field of `map` holding a list; a single value or a mapping is a `yaml-type` error.
    pub fn list<'n>(&mut self, map: &Mapping<'n>, key: &str) -> &'n [Spanned<Node>] {
        match map.get(key) {
            None => &[],
            Some(Spanned {
                value: Node::List(items),
                ..
            }) => items,
            Some(node) => {
                let example = format!("`{key}: [first, second]` or one `- item` per line");
                self.wrong_type(&format!("{}{key}", map.prefix), node, "a list", &example);
                &[]
            }
        }
    }

    /// A field of `map` holding a list of single values.
    pub fn texts(&mut self, map: &Mapping, key: &str) -> Vec<Spanned<String>> {
        let field = format!("{}{key}", map.prefix);
        self.list(map, key)
            .iter()
            .filter_map(|item| self.scalar(&field, item))
            .collect()
    }

    /// A field of `map` holding `true` or `false`.
    pub fn boolean(&mut self, map: &Mapping, key: &str) -> Option<bool> {
        let node = map.get(key)?;
        let field = format!("{}{key}", map.prefix);
        match &node.value {
            Node::Bool(value) => Some(*value),
            Node::Text(text) if is_yaml_1_1_boolean(text) => {
                let range = self.range(node);
                self.diagnostics.push(
                    Diagnostic::error("yaml-boolean", format!("`{text}` is not a boolean"))
                        .at(self.doc.file, range, "expected true or false")
                        .with_help(format!("use true/false: YAML 1.1 words such as yes, no, on and off are ambiguous, so `{field}` takes only true or false")),
                );
                None
            }
            _ => {
                self.wrong_type(&field, node, "true or false", &format!("`{key}: true`"));
                None
            }
        }
    }

    /// A field of `map` holding a mapping, with its own known fields.
    pub fn nested<'n>(
        &mut self,
        map: &Mapping<'n>,
        key: &str,
        known: &[&str],
        example: &str,
    ) -> Option<(&'n Spanned<Node>, Mapping<'n>)> {
        let node = map.get(key)?;
        let field = format!("{}{key}", map.prefix);
        let mapping = self.mapping(&field, node, known, example)?;
        Some((node, mapping))
    }
}

/// The words YAML 1.1 read as booleans, which YAML 1.2 and marketgen read as text.
fn is_yaml_1_1_boolean(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read(yaml: &str) -> (Option<Spanned<String>>, Vec<Diagnostic>) {
        let doc = Embedded {
            file: Path::new("c.yaml"),
            file_text: yaml,
            offset: 0,
            yaml,
        };
        let root: Spanned<Node> = yaml::parse(&doc).unwrap();
        let mut reader = Reader::new(&doc);
        let map = reader.mapping("", &root, &["version", "tags"], "").unwrap();
        let version = reader.text(&map, "version");
        reader.texts(&map, "tags");
        (version, reader.diagnostics)
    }

    #[test]
    fn scalars_keep_their_source_text() {
        for written in ["1.10", "1.0", "007", "true", "NO", "0x1F", "1e3"] {
            let (version, problems) = read(&format!("version: {written}\n"));
            assert_eq!(version.unwrap().value, written);
            assert!(problems.is_empty());
        }
    }

    #[test]
    fn every_shape_problem_is_reported_and_the_rest_still_read() {
        let (version, problems) = read("tags: orders\nversoin: 1.0.0\nversion: 2.0.0\n");
        assert_eq!(version.unwrap().value, "2.0.0");
        let codes: Vec<&str> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["unknown-field", "yaml-type"]);
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `version`?"));
    }
}
