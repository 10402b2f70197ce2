//! A real Bulgarian lexicon: every form of every word of the system's Hunspell dictionary
//! (Debian's `hunspell-bg`, from bgoffice) with its lemma, so that "жилища" is known as a
//! form of "жилище" and a Latin-typed word can be checked against real Bulgarian.
//!
//! This module owns finding the dictionary, loading it (through a cache file when one is
//! given), and answering "which lemmas has this form". The dictionary is GPL-2: it is read
//! from the system's files and never copied into this repository. The table is built at start
//! (`builder`, from `hunspell`'s rules), kept compact (`table`), and cached (`cache`).
//!
//! It must not score intents, normalise text or guess spellings: it expects a lowercase word
//! as `normalize` gives it, and candidates from `translit`.

mod alphabet;
mod builder;
mod cache;
mod filter;
mod hunspell;
#[cfg(test)]
mod system_tests;
mod table;
#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use table::{FormTable, LemmaIds, LemmaStore};

/// The environment variable naming a directory that holds `bg_BG.aff` and `bg_BG.dic`.
pub(crate) const DIR_VARIABLE: &str = "SOFIA_HUNSPELL_DIR";
/// The standard places of the system's dictionary, searched after `SOFIA_HUNSPELL_DIR`.
const SYSTEM_DIRS: &[&str] = &["/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts"];

/// Why a lexicon could not be loaded.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LexiconError {
    #[error(
        "no Bulgarian Hunspell dictionary (bg_BG.aff and bg_BG.dic) in {searched}: install it with \
         `apt-get install hunspell-bg`, or set {DIR_VARIABLE} to a directory that has them"
    )]
    NotFound { searched: String },
    #[error("{}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Malformed { path: PathBuf, line: usize, message: String },
}

impl LexiconError {
    fn malformed(path: &Path, line: usize, message: String) -> LexiconError {
        LexiconError::Malformed { path: path.to_owned(), line, message }
    }
}

/// The two files of a Hunspell dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DictionaryFiles {
    pub aff: PathBuf,
    pub dic: PathBuf,
}

impl DictionaryFiles {
    /// The system's Bulgarian dictionary: in `$SOFIA_HUNSPELL_DIR` if it is set, then in
    /// `/usr/share/hunspell`, `/usr/share/myspell` and `/usr/share/myspell/dicts`.
    pub(crate) fn find_system() -> Result<DictionaryFiles, LexiconError> {
        let mut dirs: Vec<PathBuf> =
            std::env::var_os(DIR_VARIABLE).filter(|d| !d.is_empty()).map(PathBuf::from).into_iter().collect();
        dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
        DictionaryFiles::find_in(&dirs)
    }

    /// The first directory of `dirs` that has both `bg_BG.aff` and `bg_BG.dic`.
    pub(crate) fn find_in(dirs: &[PathBuf]) -> Result<DictionaryFiles, LexiconError> {
        dirs.iter()
            .map(|dir| DictionaryFiles { aff: dir.join("bg_BG.aff"), dic: dir.join("bg_BG.dic") })
            .find(|files| files.aff.is_file() && files.dic.is_file())
            .ok_or_else(|| LexiconError::NotFound {
                searched: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
            })
    }
}

/// Where a lexicon's table came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Source {
    /// Nothing: an empty lexicon, which knows no form.
    #[default]
    Empty,
    /// Expanded from the dictionary files, with no cache asked for.
    Expanded,
    /// Read from a cache file, built earlier from the same dictionary files.
    Cache(PathBuf),
    /// Expanded because the cache was missing, stale or unreadable (`stale` says which), then
    /// written to the cache, or not (`written` says why).
    Rebuilt { cache: PathBuf, stale: String, written: Result<(), String> },
}

/// Every form of a dictionary's words, each with its lemmas.
#[derive(Default)]
pub(crate) struct Lexicon {
    table: FormTable,
    lemmas: LemmaStore,
    files: Option<DictionaryFiles>,
    source: Source,
}

/// A candidate spelling that the lexicon knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Known<'c, 'l> {
    /// Its place among the candidates, from 0.
    pub rank: usize,
    /// The candidate itself.
    pub form: &'c str,
    /// Its preferred lemma.
    pub lemma: &'l str,
}

impl Lexicon {
    /// Loads a dictionary by expanding every word of `dic` by the rules of `aff`.
    pub(crate) fn load(aff: &Path, dic: &Path) -> Result<Lexicon, LexiconError> {
        let (table, lemmas) = builder::build(aff, dic)?;
        let files = DictionaryFiles { aff: aff.to_owned(), dic: dic.to_owned() };
        Ok(Lexicon { table, lemmas, files: Some(files), source: Source::Expanded })
    }

    /// Loads a dictionary from the cache file `cache` if it was built from these very files
    /// (same paths, sizes and modification times); otherwise expands it and writes the cache
    /// again. A cache that cannot be read or written never fails the load.
    pub(crate) fn load_cached(aff: &Path, dic: &Path, cache: &Path) -> Result<Lexicon, LexiconError> {
        let files = DictionaryFiles { aff: aff.to_owned(), dic: dic.to_owned() };
        let key = cache::Key::of(aff, dic);
        let stale = match &key {
            Ok(key) => match cache::read(cache, key) {
                Ok((table, lemmas)) => {
                    return Ok(Lexicon { table, lemmas, files: Some(files), source: Source::Cache(cache.to_owned()) });
                }
                Err(why) => why,
            },
            Err(e) => e.to_string(),
        };
        let (table, lemmas) = builder::build(aff, dic)?;
        let written = match &key {
            Ok(key) => cache::write(cache, key, &table, &lemmas).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let source = Source::Rebuilt { cache: cache.to_owned(), stale, written };
        Ok(Lexicon { table, lemmas, files: Some(files), source })
    }

    /// Loads the system's dictionary (see `DictionaryFiles::find_system`), through the cache
    /// file `sofia-bot/lexicon-bg_BG.bin` in `$XDG_CACHE_HOME` or `~/.cache` when there is one.
    pub(crate) fn load_system() -> Result<Lexicon, LexiconError> {
        let files = DictionaryFiles::find_system()?;
        match default_cache_path() {
            Some(cache) => Lexicon::load_cached(&files.aff, &files.dic, &cache),
            None => Lexicon::load(&files.aff, &files.dic),
        }
    }

    /// The lemmas of a lowercase form, the preferred first; none for an unknown form.
    pub(crate) fn lemmas(&self, form: &str) -> Lemmas<'_> {
        Lemmas { ids: self.table.find(form), store: &self.lemmas }
    }

    /// The preferred lemma of a form: a common word before a name, then the form itself if it
    /// is a dictionary word, then the lemma that keeps most of the form's beginning, then the
    /// shorter, then the alphabetical first. So работи -> работа (not работя), вили -> вила
    /// (not the name Вили), блага -> блага.
    pub(crate) fn lemma(&self, form: &str) -> Option<&str> {
        self.lemmas(form).next()
    }

    /// Whether the lexicon knows a lowercase form.
    #[cfg(test)]
    pub(crate) fn contains(&self, form: &str) -> bool {
        self.table.find(form).is_some()
    }

    /// The first of several candidate spellings (such as `translit::candidates`, most likely
    /// first) that is a known form, with its preferred lemma.
    pub(crate) fn first_known<'c, S: AsRef<str>>(&self, candidates: &'c [S]) -> Option<Known<'c, '_>> {
        candidates.iter().enumerate().find_map(|(rank, candidate)| {
            let form = candidate.as_ref();
            self.lemma(form).map(|lemma| Known { rank, form, lemma })
        })
    }

    /// The number of distinct forms.
    pub(crate) fn len(&self) -> usize {
        self.table.forms as usize
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of distinct lemmas.
    pub(crate) fn lemma_count(&self) -> usize {
        self.lemmas.len()
    }

    /// The memory the lexicon holds on the heap, in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.heap_bytes() + self.lemmas.heap_bytes()
    }

    /// Every form, in the table's order (by code point), each with its lemmas.
    pub(crate) fn for_each_form(&self, mut visit: impl FnMut(&str, Lemmas<'_>)) {
        self.table.for_each(|codes, ids| {
            visit(&self.table.alphabet.decode(codes), Lemmas { ids: Some(ids), store: &self.lemmas })
        });
    }

    /// The files the lexicon was loaded from, if any.
    #[cfg(test)]
    pub(crate) fn files(&self) -> Option<&DictionaryFiles> {
        self.files.as_ref()
    }

    /// Where the table came from: expanded, or the cache, and why not the cache.
    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lexicon")
            .field("forms", &self.len())
            .field("lemmas", &self.lemma_count())
            .field("heap_bytes", &self.heap_bytes())
            .field("files", &self.files)
            .field("source", &self.source)
            .finish()
    }
}

/// The lemmas of one form, the preferred first.
#[derive(Debug, Clone)]
pub(crate) struct Lemmas<'a> {
    ids: Option<LemmaIds<'a>>,
    store: &'a LemmaStore,
}

impl<'a> Iterator for Lemmas<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let id = self.ids.as_mut()?.next()?;
        self.store.get(id)
    }
}

/// The cache file `load_system` uses: `$XDG_CACHE_HOME/sofia-bot/lexicon-bg_BG.bin`, or the
/// same under `~/.cache`; none when neither is known.
pub(crate) fn default_cache_path() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).filter(|d| d.is_absolute());
    let home = || std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h: OsString| PathBuf::from(h).join(".cache"));
    xdg.or_else(home).map(|dir| dir.join("sofia-bot").join("lexicon-bg_BG.bin"))
}

/// Loads the system's dictionary and measures it, for `sofia-bot bench`: the forms, the
/// memory, the time to expand the dictionary and to read the cache, and the time of one
/// lookup. Says what is missing when the dictionary is not installed.
pub(crate) fn describe_load() -> String {
    let files = match DictionaryFiles::find_system() {
        Ok(files) => files,
        Err(e) => return format!("lexicon: not loaded: {e}"),
    };
    let profile = if cfg!(debug_assertions) { "debug build" } else { "release build" };
    let started = Instant::now();
    let lexicon = match Lexicon::load(&files.aff, &files.dic) {
        Ok(lexicon) => lexicon,
        Err(e) => return format!("lexicon: not loaded: {e}"),
    };
    let expanded = started.elapsed();
    let mut out = format!(
        "lexicon: {} forms of {} lemmas from {}, {:.1} MB in memory ({profile})\n  expanding the dictionary: {}\n",
        lexicon.len(),
        lexicon.lemma_count(),
        files.dic.display(),
        lexicon.heap_bytes() as f64 / 1e6,
        millis(expanded),
    );
    if let Some(path) = default_cache_path() {
        // The first load makes sure the cache is there; the second is what a start costs.
        let _ = Lexicon::load_cached(&files.aff, &files.dic, &path);
        let started = Instant::now();
        let cached = Lexicon::load_cached(&files.aff, &files.dic, &path);
        let took = started.elapsed();
        match cached.as_ref().map(Lexicon::source) {
            Ok(Source::Cache(_)) => out += &format!("  reading the cache {}: {}\n", path.display(), millis(took)),
            Ok(other) => out += &format!("  cache {} not used: {other:?}\n", path.display()),
            Err(e) => out += &format!("  cache: {e}\n"),
        }
    }
    let mut sample = Vec::new();
    let step = (lexicon.len() / 20_000).max(1);
    let mut i = 0;
    lexicon.for_each_form(|form, _| {
        if i % step == 0 {
            sample.push(form.to_owned());
        }
        i += 1;
    });
    let unknown: Vec<String> = sample.iter().map(|f| format!("{f}ъщ")).collect();
    let per_lookup = |forms: &[String]| {
        let started = Instant::now();
        let found = forms.iter().filter(|f| lexicon.lemma(f).is_some()).count();
        (started.elapsed() / forms.len().max(1) as u32, found)
    };
    let (known_time, known_found) = per_lookup(&sample);
    let (unknown_time, unknown_found) = per_lookup(&unknown);
    out += &format!(
        "  lookup: {} ns a known form ({known_found}/{} found), {} ns an unknown one ({unknown_found} found)\n",
        known_time.as_nanos(),
        sample.len(),
        unknown_time.as_nanos(),
    );
    let words = ["jilishta", "avtobusite", "lekarqt", "rabotata", "kude", "registraciq", "obshtinata", "pensioniram"];
    let started = Instant::now();
    let read: Vec<String> = words
        .iter()
        .map(|w| {
            let candidates = super::translit::candidates(w, 400);
            lexicon
                .first_known(&candidates)
                .map_or_else(|| format!("{w} -> ?"), |k| format!("{w} -> {} ({})", k.form, k.lemma))
        })
        .collect();
    let per_word = started.elapsed() / words.len() as u32;
    out += &format!(
        "  reading a Latin-typed word (400 candidates, first known): {} µs: {}",
        per_word.as_micros(),
        read.join(", ")
    );
    out
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
