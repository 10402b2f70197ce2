//! Understanding citizens' text: normalising it (Cyrillic, Latin-typed Bulgarian, English),
//! telling the language, and scoring it against the example phrases of every intent.
//!
//! Pure and deterministic; it knows Bulgarian and English, not any city. What it learns comes
//! from the examples and patterns in `dialogs/`.

pub(crate) mod lexicon;
pub(crate) mod normalize;
mod patterns;
pub(crate) mod skeleton;
pub(crate) mod stem;
pub(crate) mod translit;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::lang::Lang;
use normalize::{Script, normalize, script_of, tokens};
use stem::{stem, stem_en};

/// An intent as the classifier learns it: its example phrases by language, the patterns that
/// match it outright, and whether it is a guard (danger to life), which needs its patterns or
/// a sure score. The engine's intents are learned through this, so understanding knows no
/// flow.
pub trait Learn {
    fn examples(&self) -> &BTreeMap<Lang, Vec<String>>;
    fn patterns(&self) -> &[regex_lite::Regex];
    fn is_guard(&self) -> bool;
}

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

/// The system's Bulgarian dictionary (Debian's `hunspell-bg`), loaded once per process.
/// Without it understanding works from the examples alone, and a warning says what is missing.
pub(crate) fn system_lexicon() -> &'static lexicon::Lexicon {
    static LEXICON: std::sync::OnceLock<lexicon::Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| match lexicon::Lexicon::load_system() {
        Ok(l) => {
            tracing::info!(forms = l.len(), source = ?l.source(), "Bulgarian dictionary loaded");
            l
        }
        Err(e) => {
            tracing::warn!(
                error = %e,
                "no Bulgarian dictionary: inflected and Latin-typed words are read from the examples only"
            );
            lexicon::Lexicon::default()
        }
    })
}

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
    patterns: patterns::Patterns,
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
    /// Lemmas (by the dictionary) of the Bulgarian examples' words.
    bg_lemmas: HashSet<String>,
    /// The language's dictionary: every form with its lemma (may be empty).
    dictionary: Option<&'static lexicon::Lexicon>,
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
/// How much a word's lemma counts beside its stem (1.0).
const LEMMA_WEIGHT: f32 = 1.0;
/// What a matching pattern adds to its intent's score.
const PATTERN_BOOST: f32 = 0.5;

impl Lexicon {
    fn build<'a, I: Learn + 'a>(
        intents: impl Iterator<Item = &'a I> + Clone,
        dictionary: &'static lexicon::Lexicon,
    ) -> Lexicon {
        let mut lx = Lexicon { dictionary: Some(dictionary), ..Lexicon::default() };
        lx.en_words.extend(ENGLISH_WORDS.split_whitespace().map(str::to_string));
        lx.bg_latin.extend(BULGARIAN_LATIN_WORDS.split_whitespace().map(str::to_string));
        for intent in intents {
            for (lang, examples) in intent.examples() {
                for e in examples {
                    let n = normalize(e);
                    for t in tokens(&n) {
                        match (lang, script_of(t)) {
                            (Lang::Bg, Script::Cyrillic) => {
                                lx.bg_stems.insert(stem(t));
                                lx.bg_words.insert(t.to_string());
                                lx.bg_lemmas.extend(dictionary.lemmas(t).map(str::to_string));
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
        // An example's own word first; then a real word whose lemma an example has ("lekarqt"
        // is лекарят, a form of лекар); then a shared stem; then any real word, so that a word
        // no example has is read as itself rather than as a look-alike.
        let dict = self.dictionary.filter(|d| !d.is_empty());
        let reading = cands
            .iter()
            .find(|c| self.bg_words.contains(c.as_str()))
            .or_else(|| {
                let mut likely = cands.iter().take(STEMMED_CANDIDATES);
                dict.and_then(|d| likely.find(|c| d.lemmas(c).any(|l| self.bg_lemmas.contains(l))))
            })
            .or_else(|| cands.iter().take(STEMMED_CANDIDATES).find(|c| self.bg_stems.contains(&stem(c))))
            .or_else(|| dict.and_then(|d| d.first_known(&cands).map(|k| &cands[k.rank])))
            .cloned();
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
    pub fn build<'a, I: Learn + 'a>(
        intents: impl Iterator<Item = &'a I> + Clone,
        places: HashSet<String>,
    ) -> Classifier {
        let lexicon = Lexicon::build(intents.clone(), system_lexicon());
        let mut c = Classifier { lexicon, places, ..Classifier::default() };
        let mut raw: Vec<(usize, Vec<(u32, f32)>)> = Vec::new();
        // Document frequency counts intents, not examples: a word that every example of one
        // intent uses ("kindergarten") is that intent's best evidence, not a common word.
        let mut df: Vec<u32> = Vec::new();
        let mut seen_in: Vec<usize> = Vec::new();
        let mut pattern_lists = Vec::new();
        for (i, intent) in intents.enumerate() {
            c.intent_count = i + 1;
            if intent.is_guard() {
                c.guards.insert(i);
            }
            pattern_lists.push((i, intent.patterns().to_vec()));
            for e in intent.examples().values().flatten() {
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
        c.patterns = patterns::Patterns::build(pattern_lists);
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
        for i in self.patterns.matching(&norm) {
            if self.guards.contains(&i) {
                guard = guard.or(Some(i));
            } else if scores[i] < PATTERN_BOOST {
                // A pattern counts strongly for its intent, once, but does not silence the
                // examples of the others: "first grade without an address registration" is
                // still about school.
                scores[i] += PATTERN_BOOST;
                patterns.push(i);
            }
        }
        let mut ranked: Vec<(usize, f32)> = scores.into_iter().enumerate().filter(|(_, s)| *s > 0.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        Understanding { lang, has_content, guard, patterns, ranked }
    }

    /// The words of a text as the engine matches them against words named in content (a
    /// choice's words): each normalised token, and for a Latin-typed Bulgarian word also its
    /// Cyrillic reading.
    pub fn words(&self, text: &str) -> Vec<String> {
        let norm = normalize(text);
        let mut out = Vec::new();
        for t in tokens(&norm) {
            out.push(t.to_string());
            if script_of(t) == Script::Latin
                && let Some(c) = self.lexicon.read_latin(t)
            {
                out.push(c);
            }
        }
        out
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
                Script::Cyrillic | Script::Mixed => self.cyrillic_features(t, &mut out),
                Script::Latin => {
                    out.push((format!("l:{t}"), 0.6));
                    out.push((format!("e:{}", stem_en(t)), 0.6));
                    // An English word is not read as Bulgarian unless Bulgarians type it too.
                    let english = self.lexicon.en_words.contains(t) && !self.lexicon.bg_latin.contains(t);
                    if !english && let Some(c) = self.lexicon.read_latin(t) {
                        self.cyrillic_features(&c, &mut out);
                    }
                }
                Script::None => {}
            }
        }
        out
    }
}

impl Classifier {
    /// A Bulgarian word's features: its stem, its lemma by the dictionary (so that жилища and
    /// жилище, автобусите and автобус meet), and its first five letters.
    fn cyrillic_features(&self, word: &str, out: &mut Vec<(String, f32)>) {
        out.push((format!("w:{}", stem(word)), 1.0));
        if let Some(lemma) = self.lexicon.dictionary.and_then(|d| d.lemma(word)) {
            out.push((format!("m:{lemma}"), LEMMA_WEIGHT));
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.len() >= 5 {
            out.push((format!("p:{}", chars[..5].iter().collect::<String>()), 0.5));
        }
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

/// Words that open a question, in Bulgarian (both scripts) and English.
const QUESTION_WORDS: &[&str] = &[
    "как",
    "къде",
    "кога",
    "колко",
    "какво",
    "какви",
    "какъв",
    "каква",
    "кой",
    "коя",
    "кои",
    "кое",
    "защо",
    "дали",
    "kak",
    "kude",
    "kade",
    "kyde",
    "koga",
    "kolko",
    "kakvo",
    "kakvi",
    "kakuv",
    "kakva",
    "koi",
    "koq",
    "koya",
    "zashto",
    "zasto",
    "dali",
    "how",
    "where",
    "when",
    "what",
    "who",
    "which",
    "why",
    "whom",
    "whose",
];
/// Verbs that open a question when "ли" follows them ("има ли", "мога ли").
const LI_WORDS: &[&str] = &["ли", "li"];
/// English auxiliaries that open a question ("can I", "do I", "is there").
const EN_AUXILIARIES: &[&str] = &["can", "could", "do", "does", "is", "are", "should", "may", "will", "would"];

/// Whether a text asks something, rather than tells: a question mark, a question word at the
/// start, "ли" second ("има ли ..."), or an English auxiliary first ("can I ...").
pub(crate) fn is_question(text: &str) -> bool {
    if text.contains('?') {
        return true;
    }
    let norm = normalize(text);
    let toks = tokens(&norm);
    let first = toks.first().copied().unwrap_or_default();
    QUESTION_WORDS.contains(&first)
        || EN_AUXILIARIES.contains(&first)
        || toks.get(1).is_some_and(|t| LI_WORDS.contains(t))
        || toks.iter().take(4).any(|t| QUESTION_WORDS.contains(t) && !EN_AUXILIARIES.contains(t))
}

#[cfg(test)]
mod question_tests {
    use super::is_question;

    #[test]
    fn questions_in_each_style_are_told_from_statements() {
        for q in [
            "Как да подам сигнал за дупка",
            "ima li telefon",
            "kude e buroto",
            "can I pay online",
            "здравейте, къде да платя",
        ] {
            assert!(is_question(q), "{q}");
        }
        for s in ["лампата пред вход Б не свети от три дни", "padna klon vurhu kolata", "the bins are full again"]
        {
            assert!(!is_question(s), "{s}");
        }
    }
}

/// Phrases that join a second request to a first ("... и също ...", "... and also ...").
const JOINERS: &[&str] = &[
    " и също ",
    " а също ",
    " и още ",
    " също така ",
    " още нещо ",
    " и освен това ",
    " i sushto ",
    " a sushto ",
    " i oshte ",
    " i o6te ",
    " oshte neshto ",
    " o6te ne6to ",
    " and also ",
    " also ",
    " another thing ",
];

/// A second question joined by "and" and a question word ("... и къде е бюрото", "... and
/// where is ..."): split before the question word, which stays with the second part.
const AND_THEN: &[(&str, &[&str])] = &[
    (" и ", &["къде", "кой", "коя", "кое", "кои", "как", "кога", "колко", "има ли", "мога ли", "трябва ли"]),
    (" i ", &["kude", "kyde", "kade", "koi", "koq", "koe", "kak", "koga", "kolko", "ima li", "moga li", "trqbva li"]),
    (" and ", &["where", "who", "which", "how", "when", "what", "is there", "can i", "do i"]),
];

/// Where the next joiner starts in `text`, and how many bytes of it to drop.
fn next_joiner(text: &str) -> Option<(usize, usize)> {
    let plain = JOINERS.iter().filter_map(|j| text.find(j).map(|at| (at, j.len())));
    let and_then = AND_THEN.iter().flat_map(|(and, words)| {
        words.iter().filter_map(move |w| text.find(&format!("{and}{w} ")).map(|at| (at, and.len() - 1)))
    });
    plain.chain(and_then).min()
}

/// The parts of a message that may each be a request of their own: split at question and
/// exclamation marks, semicolons, new lines, a full stop before a capital letter, and the
/// phrases that join a second request to a first. Parts without letters are left out.
pub(crate) fn clauses(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        // Not after an abbreviation ("бул. Витоша", "ж.к. Младост", "St. Nedelya").
        let word_before = chars[..i].iter().rev().take_while(|c| c.is_alphabetic()).count();
        let full_stop = c == '.'
            && word_before > 3
            && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase());
        if matches!(c, '?' | '!' | ';' | '\n') || full_stop {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    let mut out = Vec::new();
    for part in parts {
        let mut rest = format!(" {} ", part.to_lowercase());
        while let Some((at, len)) = next_joiner(&rest) {
            out.push(rest[..at].to_string());
            rest = format!(" {}", &rest[at + len..]);
        }
        out.push(rest);
    }
    out.into_iter().map(|p| p.trim().to_string()).filter(|p| p.chars().any(char::is_alphabetic)).collect()
}

#[cfg(test)]
mod clause_tests {
    use super::clauses;

    #[test]
    fn two_requests_are_told_apart_and_abbreviations_are_not_split() {
        assert_eq!(
            clauses("Здравейте, искам да питам за паркинга в синя зона и също как да си сменя личния лекар"),
            vec!["здравейте, искам да питам за паркинга в синя зона", "как да си сменя личния лекар"]
        );
        assert_eq!(clauses("kolko e bileta? i kude se plashta danuk"), vec!["kolko e bileta", "kude se plashta danuk"]);
        assert_eq!(
            clauses("къде се плаща данък сгради и кой автобус ходи до летището"),
            vec!["къде се плаща данък сгради", "кой автобус ходи до летището"]
        );
        assert_eq!(
            clauses("how do I pay the car tax and where is the labour office"),
            vec!["how do i pay the car tax", "where is the labour office"]
        );
        // "и" before anything but a question word joins, not splits.
        assert_eq!(clauses("боклук и плъхове пред блока"), vec!["боклук и плъхове пред блока"]);
        assert_eq!(clauses("дупка на бул. Витоша пред бл. 5"), vec!["дупка на бул. витоша пред бл. 5"]);
        assert_eq!(clauses("Has the bin been emptied?! 😡"), vec!["has the bin been emptied"]);
    }
}
