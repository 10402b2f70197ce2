//! Understanding citizens' text: normalising it (Cyrillic, Latin-typed Bulgarian, English),
//! telling the language, and scoring it against the example phrases of every intent.
//!
//! Pure and deterministic; it knows Bulgarian and English, not any city. What it learns comes
//! from the examples and patterns in `dialogs/`.

pub mod normalize;
pub mod skeleton;
pub mod stem;
pub mod translit;

use std::collections::{HashMap, HashSet};

use crate::engine::Intent;
use crate::lang::Lang;
use normalize::{Script, normalize, script_of, tokens};
use stem::{stem, stem_en};

/// Common words that say a Latin-typed message is English, beyond the examples' own words.
const ENGLISH_WORDS: &str = "a an the i you he she it we they me my your our their is are was were be been am do does did \
    done have has had can could would should will shall may might must not no yes to of in on at for from with without by \
    about into over under after before and or but if so because what where when who whom which why how much many some any \
    this that these those there here please thanks thank hello hi hey good bad need want get got go going know tell help \
    find pay buy make way time day week month year new old just also only very more less way who's what's where's i'm \
    don't can't doesn't isn't it's there's near next my mine up down out off again still already";

/// Common Bulgarian words as typed in Latin letters, beyond the examples' own words.
const BULGARIAN_LATIN_WORDS: &str = "i da ne na za se si ot do po s v vav vuv kak kade kude kyde kakvo koga kolko zashto \
    zasto moga mozhe moje trqbva tryabva ima nqma nyama iskam iskame moje li az ti toi tq nie vie te mi mu q go \
    tova tuk tam sega veche oshte o6te molq molya blagodarq mersi zdravei zdraveite dobur den";

/// What the classifier made of a text.
#[derive(Debug, Clone, Default)]
pub struct Understanding {
    /// The language the text is clearly written in, if it says.
    pub lang: Option<Lang>,
    /// The text has letters or digits at all (not only emoji, marks or spaces).
    pub has_content: bool,
    /// A guard intent (danger to life) that fired.
    pub guard: Option<usize>,
    /// Intents whose pattern matched (their scores already count it).
    pub patterns: Vec<usize>,
    /// Every intent with a score above zero, best first.
    pub ranked: Vec<(usize, f32)>,
}

/// Intent scores from TF-IDF vectors of the examples: a nearest-example score blended with
/// the intent's centroid, so that one lucky example and a broad topic both count.
#[derive(Debug, Default)]
pub struct Classifier {
    feature_ids: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Per feature: (example, weight) for every example that has it.
    postings: Vec<Vec<(u32, f32)>>,
    example_intent: Vec<usize>,
    /// Per intent: its normalised centroid as (feature, weight).
    centroids: Vec<HashMap<u32, f32>>,
    patterns: Vec<(usize, regex_lite::Regex)>,
    guards: HashSet<usize>,
    intent_count: usize,
    lexicon: Lexicon,
    /// Skeletons of place-name words, left out of the features.
    places: HashSet<String>,
    /// The IDF of a feature no example has.
    max_idf: f32,
}

/// Words seen in each language, for telling the language and reading Latin-typed Bulgarian.
#[derive(Debug, Default)]
struct Lexicon {
    /// Normalised Cyrillic words of the Bulgarian examples.
    bg_words: HashSet<String>,
    /// Their stems.
    bg_stems: HashSet<String>,
    /// Latin tokens of the Bulgarian (Latin-typed) examples.
    bg_latin: HashSet<String>,
    /// Tokens of the English examples and common English words.
    en_words: HashSet<String>,
    /// Latin tokens already read (a cache; it changes no result).
    readings: std::sync::Mutex<HashMap<String, Option<String>>>,
}

/// Candidates tried per Latin token when reading it as Bulgarian: exactly, and stemmed.
const CANDIDATES: usize = 400;
const STEMMED_CANDIDATES: usize = 120;
/// The reading cache is emptied when it grows past this many tokens.
const MAX_READINGS: usize = 100_000;
/// How much the nearest example counts against the intent's centroid (tuned with `eval --cv`).
const NEAREST_WEIGHT: f32 = 0.5;
/// How much words unknown to every example lengthen a message's vector.
const UNKNOWN_WEIGHT: f32 = 0.5;
/// What a matching pattern adds to its intent's score.
const PATTERN_BOOST: f32 = 0.5;

impl Lexicon {
    fn build<'a>(intents: impl Iterator<Item = &'a Intent> + Clone) -> Lexicon {
        let mut lx = Lexicon::default();
        lx.en_words.extend(ENGLISH_WORDS.split_whitespace().map(str::to_string));
        lx.bg_latin.extend(BULGARIAN_LATIN_WORDS.split_whitespace().map(str::to_string));
        for intent in intents {
            for (lang, examples) in &intent.examples {
                for e in examples {
                    let n = normalize(e);
                    for t in tokens(&n) {
                        match (lang, script_of(t)) {
                            (Lang::Bg, Script::Cyrillic) => {
                                lx.bg_stems.insert(stem(t));
                                lx.bg_words.insert(t.to_string());
                            }
                            (Lang::Bg, Script::Latin) => {
                                lx.bg_latin.insert(t.to_string());
                            }
                            (Lang::En, Script::Latin) => {
                                lx.en_words.insert(t.to_string());
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        lx
    }

    /// The Cyrillic word a Latin token most likely stands for, if the lexicon knows one.
    /// Readings are remembered: the same few hundred words come back all day.
    fn read_latin(&self, token: &str) -> Option<String> {
        if let Some(hit) = self.readings.lock().ok().and_then(|m| m.get(token).cloned()) {
            return hit;
        }
        let cands = translit::candidates(token, CANDIDATES);
        let reading = match cands.iter().find(|c| self.bg_words.contains(c.as_str())) {
            Some(c) => Some(c.clone()),
            None => cands.into_iter().take(STEMMED_CANDIDATES).find(|c| self.bg_stems.contains(&stem(c))),
        };
        if let Ok(mut m) = self.readings.lock() {
            if m.len() >= MAX_READINGS {
                m.clear();
            }
            m.insert(token.to_string(), reading.clone());
        }
        reading
    }

    /// Bulgarian or English, when the Latin tokens clearly say which.
    fn latin_language(&self, toks: &[&str]) -> Option<Lang> {
        let (mut bg, mut en) = (0, 0);
        for t in toks.iter().filter(|t| t.chars().any(|c| c.is_ascii_alphabetic())) {
            let in_en = self.en_words.contains(*t) || self.en_words.contains(&stem_en(t));
            let in_bg = self.bg_latin.contains(*t) || (!in_en && self.read_latin(t).is_some());
            match (in_bg, in_en) {
                (true, false) => bg += 1,
                (false, true) => en += 1,
                _ => {}
            }
        }
        match bg.cmp(&en) {
            std::cmp::Ordering::Greater => Some(Lang::Bg),
            std::cmp::Ordering::Less => Some(Lang::En),
            std::cmp::Ordering::Equal => None,
        }
    }
}

impl Classifier {
    /// Builds the classifier from intents, numbered in the order given. Words of `places`
    /// (skeletons, see `skeleton`) carry no topic and are left out.
    pub fn build<'a>(intents: impl Iterator<Item = &'a Intent> + Clone, places: HashSet<String>) -> Classifier {
        let lexicon = Lexicon::build(intents.clone());
        let mut c = Classifier { lexicon, places, ..Classifier::default() };
        let mut raw: Vec<(usize, Vec<(u32, f32)>)> = Vec::new();
        // Document frequency counts intents, not examples: a word that every example of one
        // intent uses ("kindergarten") is that intent's best evidence, not a common word.
        let mut df: Vec<u32> = Vec::new();
        let mut seen_in: Vec<usize> = Vec::new();
        for (i, intent) in intents.enumerate() {
            c.intent_count = i + 1;
            if intent.guard {
                c.guards.insert(i);
            }
            // One regular expression per intent: one pass over the text instead of one per
            // pattern (the emergency guard alone has over a hundred).
            if !intent.patterns.is_empty() {
                let joined =
                    intent.patterns.iter().map(|p| format!("(?:{})", p.as_str())).collect::<Vec<_>>().join("|");
                match regex_lite::Regex::new(&joined) {
                    Ok(re) => c.patterns.push((i, re)),
                    Err(_) => c.patterns.extend(intent.patterns.iter().map(|p| (i, p.clone()))),
                }
            }
            for e in intent.examples.values().flatten() {
                let feats = c.features(&normalize(e));
                let mut ids = Vec::with_capacity(feats.len());
                for (f, w) in feats {
                    let next = c.feature_ids.len() as u32;
                    let id = *c.feature_ids.entry(f).or_insert(next);
                    if id as usize >= df.len() {
                        df.push(0);
                        seen_in.push(usize::MAX);
                    }
                    if seen_in[id as usize] != i {
                        seen_in[id as usize] = i;
                        df[id as usize] += 1;
                    }
                    ids.push((id, w));
                }
                raw.push((i, ids));
            }
        }
        let n = c.intent_count as f32;
        c.idf = df.iter().map(|&d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0).collect();
        c.max_idf = (n + 1.0).ln() + 1.0;
        c.postings = vec![Vec::new(); c.idf.len()];
        c.centroids = vec![HashMap::new(); c.intent_count];
        for (e, (intent, ids)) in raw.into_iter().enumerate() {
            let v = c.weigh(ids);
            for &(f, w) in &v {
                c.postings[f as usize].push((e as u32, w));
                *c.centroids[intent].entry(f).or_insert(0.0) += w;
            }
            c.example_intent.push(intent);
        }
        for centroid in &mut c.centroids {
            let norm = centroid.values().map(|w| w * w).sum::<f32>().sqrt().max(f32::EPSILON);
            centroid.values_mut().for_each(|w| *w /= norm);
        }
        c
    }

    /// Reads a text: its language, a guard or pattern that fired, and every intent's score.
    pub fn understand(&self, text: &str) -> Understanding {
        let norm = normalize(text);
        let toks = tokens(&norm);
        let has_content = norm.chars().any(char::is_alphanumeric);
        let lang = language(&norm, &toks, &self.lexicon);
        let q = self.query(&norm);
        let mut max_sim = vec![0.0f32; self.intent_count];
        let mut sims: HashMap<u32, f32> = HashMap::new();
        for &(f, w) in &q {
            for &(e, ew) in &self.postings[f as usize] {
                *sims.entry(e).or_insert(0.0) += w * ew;
            }
        }
        for (e, s) in sims {
            let i = self.example_intent[e as usize];
            max_sim[i] = max_sim[i].max(s);
        }
        let mut scores: Vec<f32> = (0..self.intent_count)
            .map(|i| {
                let centroid: f32 = q.iter().map(|(f, w)| w * self.centroids[i].get(f).copied().unwrap_or(0.0)).sum();
                NEAREST_WEIGHT * max_sim[i] + (1.0 - NEAREST_WEIGHT) * centroid
            })
            .collect();
        let mut guard = None;
        let mut patterns = Vec::new();
        for (i, p) in &self.patterns {
            if !p.is_match(&norm) {
                continue;
            }
            if self.guards.contains(i) {
                guard = guard.or(Some(*i));
            } else if scores[*i] < PATTERN_BOOST {
                // A pattern counts strongly for its intent, once, but does not silence the
                // examples of the others: "first grade without an address registration" is
                // still about school.
                scores[*i] += PATTERN_BOOST;
                patterns.push(*i);
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores.into_iter().enumerate().filter(|(_, s)| *s > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Understanding { lang, has_content, guard, patterns, ranked }
    }

    /// The weighted, normalised vector of a text, with features unknown to the examples dropped.
    /// Words no example has still count in the length of the vector: a message that is
    /// mostly about something else scores low, instead of being judged on its one known word.
    fn query(&self, norm: &str) -> Vec<(u32, f32)> {
        let mut known = Vec::new();
        let mut unknown_sq = 0.0f32;
        for (f, w) in self.features(norm) {
            match self.feature_ids.get(&f) {
                Some(&id) => known.push((id, w)),
                None => unknown_sq += (w * self.max_idf).powi(2),
            }
        }
        let (mut v, len) = self.weigh_with_length(known);
        let share = len / (len * len + UNKNOWN_WEIGHT * unknown_sq).sqrt().max(f32::EPSILON);
        v.iter_mut().for_each(|(_, w)| *w *= share);
        v
    }

    /// Applies IDF, merges repeated features and normalises to unit length.
    fn weigh(&self, ids: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
        self.weigh_with_length(ids).0
    }

    /// `weigh`, also returning the length before normalising.
    fn weigh_with_length(&self, ids: Vec<(u32, f32)>) -> (Vec<(u32, f32)>, f32) {
        let mut merged: HashMap<u32, f32> = HashMap::new();
        for (id, w) in ids {
            *merged.entry(id).or_insert(0.0) += w * self.idf.get(id as usize).copied().unwrap_or(1.0);
        }
        let norm = merged.values().map(|w| w * w).sum::<f32>().sqrt().max(f32::EPSILON);
        (merged.into_iter().map(|(id, w)| (id, w / norm)).collect(), norm)
    }

    /// The features of a normalised text: Bulgarian stems and prefixes (also read from Latin
    /// typing), English stems, and raw Latin tokens. Numbers carry no topic and are left out.
    fn features(&self, norm: &str) -> Vec<(String, f32)> {
        let mut out = Vec::new();
        for t in tokens(norm) {
            if t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
                continue;
            }
            if !self.places.is_empty() && self.places.contains(&skeleton::skeleton(t)) {
                continue;
            }
            match script_of(t) {
                Script::Cyrillic | Script::Mixed => cyrillic_features(t, &mut out),
                Script::Latin => {
                    out.push((format!("l:{t}"), 0.6));
                    out.push((format!("e:{}", stem_en(t)), 0.6));
                    // An English word is not read as Bulgarian unless Bulgarians type it too.
                    let english = self.lexicon.en_words.contains(t) && !self.lexicon.bg_latin.contains(t);
                    if !english && let Some(c) = self.lexicon.read_latin(t) {
                        cyrillic_features(&c, &mut out);
                    }
                }
                Script::None => {}
            }
        }
        out
    }
}

fn cyrillic_features(word: &str, out: &mut Vec<(String, f32)>) {
    out.push((format!("w:{}", stem(word)), 1.0));
    let chars: Vec<char> = word.chars().collect();
    if chars.len() >= 5 {
        out.push((format!("p:{}", chars[..5].iter().collect::<String>()), 0.5));
    }
}

/// Cyrillic is Bulgarian; Latin text is Bulgarian or English when its words say so.
fn language(norm: &str, toks: &[&str], lexicon: &Lexicon) -> Option<Lang> {
    let cyr = norm.chars().filter(|c| matches!(c, 'а'..='я')).count();
    let lat = norm.chars().filter(char::is_ascii_alphabetic).count();
    if cyr > 0 && cyr >= lat {
        return Some(Lang::Bg);
    }
    if lat == 0 {
        return None;
    }
    lexicon.latin_language(toks)
}
