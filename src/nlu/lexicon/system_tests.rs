//! The lexicon on the system's dictionary (Debian's `hunspell-bg`). These tests fail, never
//! skip, when it is not installed: CI installs it, and so must a developer.

use std::sync::OnceLock;

use super::*;
use crate::nlu::translit;

/// The system's dictionary, expanded once for all the tests of this run.
fn system() -> &'static Lexicon {
    static SYSTEM: OnceLock<Lexicon> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let files = DictionaryFiles::find_system().unwrap_or_else(|e| panic!("{e}"));
        Lexicon::load(&files.aff, &files.dic).unwrap_or_else(|e| panic!("{e} (try `apt-get install hunspell-bg`)"))
    })
}

#[test]
fn the_system_dictionary_knows_inflected_forms() {
    let lexicon = system();
    for (form, lemma) in [
        ("жилища", "жилище"),
        ("автобусите", "автобус"),
        ("лекарят", "лекар"),
        ("пенсионира", "пенсионирам"),
        ("работата", "работа"),
        ("болници", "болница"),
        ("градините", "градина"),
        ("училища", "училище"),
        ("улиците", "улица"),
        ("спирката", "спирка"),
        ("глоби", "глоба"),
        ("документите", "документ"),
        ("социалната", "социален"),
        ("паркирането", "паркиране"),
        ("софия", "софия"),
    ] {
        assert_eq!(lexicon.lemma(form), Some(lemma), "{form}");
        assert!(lexicon.contains(form), "{form}");
    }
}

#[test]
fn the_system_dictionary_keeps_every_lemma_of_a_form() {
    let lexicon = system();
    let lemmas: Vec<&str> = lexicon.lemmas("работи").collect();
    assert_eq!(lemmas, ["работа", "работя"]);
    assert!(lexicon.lemmas("пенсионирам").eq(["пенсионирам"]));
    assert_eq!(lexicon.lemmas("фейсбукът").count(), 0);
    assert!(!lexicon.contains("жилищата1"));
}

#[test]
fn the_system_dictionary_is_large_and_compact() {
    let lexicon = system();
    assert!(lexicon.len() > 800_000, "{} forms", lexicon.len());
    assert!(lexicon.lemma_count() > 70_000, "{} lemmas", lexicon.lemma_count());
    assert!(lexicon.heap_bytes() < 16_000_000, "{} bytes", lexicon.heap_bytes());
}

#[test]
fn latin_typed_words_find_their_dictionary_form() {
    let lexicon = system();
    for (latin, form, lemma) in [
        ("jilishta", "жилища", "жилище"),
        ("avtobusite", "автобусите", "автобус"),
        ("lekarqt", "лекарят", "лекар"),
        ("rabotata", "работата", "работа"),
        ("bolnicata", "болницата", "болница"),
    ] {
        let candidates = translit::candidates(latin, 400);
        let known = lexicon.first_known(&candidates).unwrap_or_else(|| panic!("{latin}: nothing known"));
        assert_eq!((known.form, known.lemma), (form, lemma), "{latin}");
    }
}

#[test]
fn a_cache_of_the_system_dictionary_gives_the_same_answers() {
    let lexicon = system();
    let files = lexicon.files().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lexicon.bin");
    let key = cache::Key::of(&files.aff, &files.dic).unwrap();
    cache::write(&path, &key, &lexicon.table, &lexicon.lemmas).unwrap();
    let (table, lemmas) = cache::read(&path, &key).unwrap();
    let cached = Lexicon { table, lemmas, files: None, source: Source::Cache(path) };
    assert_eq!(cached.len(), lexicon.len());
    let mut checked = 0;
    let mut i = 0;
    lexicon.for_each_form(|form, lemmas| {
        i += 1;
        if i % 11 == 0 {
            assert!(cached.lemmas(form).eq(lemmas), "{form}");
            checked += 1;
        }
    });
    assert!(checked > 70_000);
}
