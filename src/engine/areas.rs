//! The topic areas: the closed list, from `dialogs/areas.toml`, that every flow's `topic` is
//! chosen from and every reply is named with (`chat --json`, `eval`, statistics).
//!
//! The engine knows three of them by name: `human` (a person), `none` (out of scope) and the
//! topic `general` (small talk), which is not an area: its replies count as `none`. Every
//! other area is content. An area may say which label it counts as in a labelled set that
//! does not use its own name (`counts_as`), so that older sets keep their labels.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::LoadError;
use super::flow::line_of;

/// Small talk: greetings, thanks, help. A flow topic, but not an area (its area is `none`).
pub(crate) const GENERAL: &str = "general";
/// Not a request the assistant is for, or not understood.
pub(crate) const NONE: &str = "none";
/// A person: the hand-over to staff.
pub(crate) const HUMAN: &str = "human";

#[derive(Debug, Clone, Default)]
pub struct Areas {
    /// Area name to the label it counts as where a set lacks its name (itself when unset).
    counts_as: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    #[serde(default)]
    counts_as: Option<String>,
}

impl Areas {
    pub fn parse(path: &Path, source: &str) -> Result<Areas, LoadError> {
        let raw: BTreeMap<String, toml::Spanned<RawArea>> = toml::from_str(source).map_err(|e| {
            let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
            LoadError::at(path, line, e.message().trim().to_string())
        })?;
        let mut counts_as = BTreeMap::new();
        for (name, area) in &raw {
            let line = line_of(source, area.span().start);
            if name == GENERAL {
                return Err(LoadError::at(path, line, "\"general\" is small talk, not an area: leave it out"));
            }
            let to = area.get_ref().counts_as.clone().unwrap_or_else(|| name.clone());
            if !raw.contains_key(&to) {
                return Err(LoadError::at(path, line, format!("area \"{name}\" counts as unknown area \"{to}\"")));
            }
            counts_as.insert(name.clone(), to);
        }
        for required in [NONE, HUMAN] {
            if !counts_as.contains_key(required) {
                return Err(LoadError::at(path, 1, format!("the area \"{required}\" is missing: every bot needs it")));
            }
        }
        Ok(Areas { counts_as })
    }

    /// Every area, in name order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.counts_as.keys().map(String::as_str)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.counts_as.contains_key(name)
    }

    /// Whether a flow may have this topic: an area, or small talk.
    pub fn allows_topic(&self, topic: &str) -> bool {
        topic == GENERAL || self.contains(topic)
    }

    /// The label an area counts as in a set whose labels do not include the area itself.
    pub fn counts_as<'a>(&'a self, area: &'a str) -> &'a str {
        self.counts_as.get(area).map_or(area, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Result<Areas, String> {
        Areas::parse(Path::new("areas.toml"), source).map_err(|e| e.to_string())
    }

    #[test]
    fn an_area_counts_as_itself_unless_it_says_otherwise() {
        let areas = parse("none = {}\nhuman = {}\nhousing = {}\nutilities = { counts_as = \"housing\" }\n").unwrap();
        assert_eq!(areas.counts_as("utilities"), "housing");
        assert_eq!(areas.counts_as("housing"), "housing");
        assert!(areas.allows_topic("general"));
        assert!(!areas.allows_topic("parking"));
    }

    #[test]
    fn an_unknown_target_or_a_missing_none_is_reported_at_its_line() {
        let e = parse("none = {}\nhuman = {}\n\nutilities = { counts_as = \"home\" }\n").unwrap_err();
        assert_eq!(e, "areas.toml:4: area \"utilities\" counts as unknown area \"home\"");
        assert!(parse("human = {}\n").unwrap_err().contains("\"none\" is missing"));
        assert!(parse("none = {}\nhuman = {}\ngeneral = {}\n").unwrap_err().contains("small talk"));
    }
}
