//! The districts (and housing estates) that a `district` question accepts, from
//! `dialogs/places.toml`, and finding one in what a citizen typed, in either script.

use std::path::Path;

use serde::Deserialize;

use super::LoadError;
use super::flow::line_of;
use crate::lang::Lang;
use crate::nlu::skeleton::skeleton;

/// One district, with every way of writing it reduced to a loose Latin skeleton.
#[derive(Debug, Clone)]
pub struct District {
    pub id: String,
    pub bg: String,
    pub en: String,
    keys: Vec<String>,
}

impl District {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Bg => &self.bg,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Places {
    pub districts: Vec<District>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    #[serde(default)]
    district: Vec<RawDistrict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    id: String,
    bg: String,
    en: String,
    #[serde(default)]
    spellings: Vec<String>,
    #[serde(default)]
    estates: Vec<String>,
}

impl Places {
    pub fn parse(path: &Path, source: &str) -> Result<Places, LoadError> {
        let raw: RawPlaces = toml::from_str(source).map_err(|e| {
            let line = e.span().map(|s| line_of(source, s.start)).unwrap_or(1);
            LoadError::at(path, line, e.message().trim().to_string())
        })?;
        let districts = raw
            .district
            .into_iter()
            .map(|d| {
                let mut keys: Vec<String> = [&d.bg, &d.en]
                    .into_iter()
                    .chain(&d.spellings)
                    .chain(&d.estates)
                    .map(|s| skeleton(s))
                    .filter(|k| !k.is_empty())
                    .collect();
                // Longest first, so that "mladost 1" is tried before "mladost".
                keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
                keys.dedup();
                District { id: d.id, bg: d.bg, en: d.en, keys }
            })
            .collect();
        Ok(Places { districts })
    }

    /// Every word of every place name, as skeletons: understanding leaves them out, so that a
    /// district named in one topic's examples does not pull other messages to that topic.
    pub fn words(&self) -> std::collections::HashSet<String> {
        self.districts
            .iter()
            .flat_map(|d| d.keys.iter())
            .flat_map(|k| k.split(' '))
            .filter(|w| w.chars().any(|c| c.is_alphabetic()))
            .map(str::to_string)
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&District> {
        self.districts.iter().find(|d| d.id == id)
    }

    /// The district named in `text`, by its name, a known spelling or one of its estates.
    /// The longest matching name wins, so an estate beats a shorter district name inside it.
    pub fn find(&self, text: &str) -> Option<&District> {
        let hay = format!(" {} ", skeleton(text));
        self.districts
            .iter()
            .filter_map(|d| d.keys.iter().find(|k| hay.contains(&format!(" {k} "))).map(|k| (k.len(), d)))
            .max_by_key(|(len, _)| *len)
            .map(|(_, d)| d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        let src = r#"
[[district]]
id = "lyulin"
bg = "Люлин"
en = "Lyulin"
spellings = ["lulin"]
estates = ["Захарна фабрика"]

[[district]]
id = "vazrazhdane"
bg = "Възраждане"
en = "Vazrazhdane"

[[district]]
id = "mladost"
bg = "Младост"
en = "Mladost"
estates = ["Младост 1"]
"#;
        Places::parse(Path::new("places.toml"), src).unwrap()
    }

    #[test]
    fn both_scripts_and_common_spellings_find_the_district() {
        let p = places();
        for text in
            ["Люлин", "в люлин 5", "lyulin", "ljulin", "LULIN", "vuzrajdane", "ж.к. Младост 1", "zaharna fabrika"]
        {
            assert!(p.find(text).is_some(), "{text} not found");
        }
        assert_eq!(p.find("vazrajdane").unwrap().id, "vazrazhdane");
        assert!(p.find("в центъра").is_none());
        assert!(p.find("в банката").is_none());
        assert!(p.find("").is_none());
    }
}
