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
    /// Where the city is: a location pin farther than this from its centre is questioned.
    pub city: Option<City>,
}

/// The city as a circle on the map, generous enough to hold all of it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    /// Latitude and longitude of the centre.
    pub centre: [f64; 2],
    pub radius_km: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    #[serde(default)]
    district: Vec<RawDistrict>,
    city: Option<City>,
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
        Ok(Places { districts, city: raw.city })
    }

    /// Whether a location pin lies outside the city (false when no city is described).
    pub fn outside(&self, lat: f64, lon: f64) -> bool {
        let Some(city) = self.city else { return false };
        // The haversine distance on a sphere of the Earth's mean radius.
        let (la1, lo1) = (city.centre[0].to_radians(), city.centre[1].to_radians());
        let (la2, lo2) = (lat.to_radians(), lon.to_radians());
        let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
        let km = 2.0 * 6371.0 * h.sqrt().asin();
        km > city.radius_km
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

/// Words that make the place name after them a street's name ("бул. Витоша" is a boulevard,
/// not the district Витоша).
const STREET_WORDS: &[&str] =
    &["бул", "ул", "улица", "булевард", "площад", "пл", "bul", "ul", "blvd", "boulevard", "street", "str", "st"];
/// Words after which a place name is where something is ("в Лозенец", "in Lozenets").
const IN_WORDS: &[&str] = &["в", "във", "кв", "жк", "v", "vav", "vuv", "kv", "jk", "zhk", "in"];

impl Places {
    /// A district named inside a longer message ("дупка на Витоша в Лозенец"): a name after
    /// "в"/"in" wins over others, a longer name over a shorter one, and a name that follows a
    /// street word ("бул.", "ul.") is a street, not a district.
    pub fn find_in_message(&self, text: &str) -> Option<&District> {
        let words: Vec<String> = skeleton(text).split(' ').map(str::to_string).collect();
        let street: Vec<String> = STREET_WORDS.iter().map(|w| skeleton(w)).collect();
        let inside: Vec<String> = IN_WORDS.iter().map(|w| skeleton(w)).collect();
        let mut best: Option<((bool, usize), &District)> = None;
        for d in &self.districts {
            for k in &d.keys {
                let key: Vec<&str> = k.split(' ').collect();
                for start in 0..words.len() {
                    let end = start + key.len();
                    if end > words.len() || words[start..end].iter().zip(&key).any(|(w, k)| w != k) {
                        continue;
                    }
                    let before = start.checked_sub(1).map(|i| words[i].as_str());
                    if before.is_some_and(|b| street.iter().any(|s| s == b)) {
                        continue;
                    }
                    let after_in = before.is_some_and(|b| inside.iter().any(|s| s == b));
                    let rank = (after_in, k.len());
                    if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                        best = Some((rank, d));
                    }
                }
            }
        }
        best.map(|(_, d)| d)
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

    #[test]
    fn a_district_inside_a_message_prefers_the_one_after_in_and_skips_street_names() {
        let src = "[[district]]\nid = \"vitosha\"\nbg = \"Витоша\"\nen = \"Vitosha\"\n\n[[district]]\nid = \"lozenets\"\nbg = \"Лозенец\"\nen = \"Lozenets\"\n";
        let p = Places::parse(Path::new("places.toml"), src).unwrap();
        assert_eq!(p.find_in_message("дупка на Витоша в Лозенец").unwrap().id, "lozenets");
        assert!(p.find_in_message("дупка на бул. Витоша пред блока").is_none());
        assert_eq!(p.find_in_message("dupka v vitosha").unwrap().id, "vitosha");
        assert!(p.find_in_message("дупка на пътя").is_none());
    }

    #[test]
    fn a_pin_is_outside_the_city_beyond_its_radius() {
        let src = "[city]\ncentre = [42.6977, 23.3219]\nradius_km = 30\n";
        let p = Places::parse(Path::new("places.toml"), src).unwrap();
        assert!(!p.outside(42.6506, 23.3794), "Mladost is in Sofia");
        assert!(p.outside(42.1354, 24.7453), "Plovdiv is not");
        assert!(!Places::default().outside(0.0, 0.0), "no city described, nothing questioned");
    }
}
