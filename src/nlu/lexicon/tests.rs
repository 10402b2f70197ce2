//! The lexicon on a tiny dictionary written for these tests: expansion, several lemmas for
//! one form, errors at their line, and the cache.

use std::fs;
use std::path::PathBuf;

use super::*;

const AFF: &str = "\
SET UTF-8
TRY аеиоу
# Nouns: автобус, автобуса, автобусът, автобуси, автобусите.
SFX A Y 4
SFX A 0 а .
SFX A 0 ът [^аеиоуя]
SFX A 0 и .
SFX A 0 ите .

# Neuter nouns in -ще: жилища, жилищата, жилището.
SFX B Y 3
SFX B е а ще
SFX B е ата ще
SFX B 0 то е

# Feminine nouns in -а: работи, работата; the same form twice.
SFX N Y 3
SFX N а и а
SFX N а ата а
SFX N 0 та а

# Verbs in -я after a consonant: работи, работят, работех.
SFX V Y 3
SFX V я и [^аеиоу]я
SFX V я ят [^аеиоу]я
SFX V я ех я
";

const DIC: &str = "9\nавтобус/A\nжилище/B\nработа/N\nработя/V\nВили\nвила/N\nкафе/A\nброя/V\nполе/B\n";

/// Writes a dictionary into a fresh directory; returns the directory and both paths.
fn dictionary(aff: &str, dic: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (aff_path, dic_path) = (dir.path().join("bg_BG.aff"), dir.path().join("bg_BG.dic"));
    fs::write(&aff_path, aff).unwrap();
    fs::write(&dic_path, dic).unwrap();
    (dir, aff_path, dic_path)
}

fn tiny() -> (tempfile::TempDir, Lexicon) {
    let (dir, aff, dic) = dictionary(AFF, DIC);
    let lexicon = Lexicon::load(&aff, &dic).unwrap();
    (dir, lexicon)
}

fn lemmas<'a>(lexicon: &'a Lexicon, form: &str) -> Vec<&'a str> {
    lexicon.lemmas(form).collect()
}

#[test]
fn forms_are_found_with_their_lemma() {
    let (_dir, lexicon) = tiny();
    assert_eq!(lexicon.lemma("автобусите"), Some("автобус"));
    assert_eq!(lexicon.lemma("автобусът"), Some("автобус"));
    assert_eq!(lexicon.lemma("жилища"), Some("жилище"));
    assert_eq!(lexicon.lemma("жилището"), Some("жилище"));
    assert_eq!(lexicon.lemma("работят"), Some("работя"));
    assert_eq!(lexicon.lemma("работата"), Some("работа"));
    assert_eq!(lexicon.lemma("жилище"), Some("жилище"));
}

#[test]
fn conditions_and_strips_keep_rules_where_they_belong() {
    let (_dir, lexicon) = tiny();
    // "ът" needs a consonant before it: кафе takes "а" and "и" but not "ът".
    assert_eq!(lexicon.lemma("кафеите"), Some("кафе"));
    assert!(!lexicon.contains("кафеът"));
    // "е" becomes "а" only after "щ": жилища, but not пола from поле, which keeps "то".
    assert!(!lexicon.contains("пола"));
    assert_eq!(lexicon.lemma("полето"), Some("поле"));
    // "я" becomes "ят" only after a consonant, "ех" after any "я": броех, not броят.
    assert_eq!(lexicon.lemma("броех"), Some("броя"));
    assert!(!lexicon.contains("броят"));
    assert!(!lexicon.contains("бри"));
}

#[test]
fn a_form_of_two_lemmas_gives_both_the_common_word_first() {
    let (_dir, lexicon) = tiny();
    assert_eq!(lemmas(&lexicon, "работи"), ["работа", "работя"]);
    // Вили is a name in the dictionary: the plural of вила comes first.
    assert_eq!(lemmas(&lexicon, "вили"), ["вила", "вили"]);
    assert_eq!(lexicon.lemma("вили"), Some("вила"));
}

#[test]
fn names_are_lowercased_and_unknown_forms_have_no_lemma() {
    let (_dir, lexicon) = tiny();
    assert!(lexicon.contains("вили"));
    assert!(!lexicon.contains("Вили"));
    assert_eq!(lemmas(&lexicon, "котка"), Vec::<&str>::new());
    assert_eq!(lexicon.lemma(""), None);
    assert!(!lexicon.contains("автобусит"));
}

#[test]
fn every_form_is_counted_once() {
    let (_dir, lexicon) = tiny();
    let mut forms = Vec::new();
    lexicon.for_each_form(|form, lemmas| forms.push((form.to_owned(), lemmas.count())));
    assert_eq!(lexicon.len(), forms.len());
    // автобус 5, жилище 4, работа 3 (работата twice), работя 3 more (работи is shared), Вили 1,
    // вила 2 more (вили is shared), кафе 4, броя 2, поле 2.
    assert_eq!(lexicon.len(), 5 + 4 + 3 + 3 + 1 + 2 + 4 + 2 + 2);
    assert_eq!(lexicon.lemma_count(), 9);
    assert!(forms.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(forms.contains(&("работи".to_owned(), 2)));
    assert!(lexicon.heap_bytes() > 0);
}

#[test]
fn the_first_known_candidate_is_found_with_its_lemma() {
    let (_dir, lexicon) = tiny();
    let candidates = ["автубуси", "автобуси", "автобусите"].map(String::from);
    let known = lexicon.first_known(&candidates).unwrap();
    assert_eq!((known.rank, known.form, known.lemma), (1, "автобуси", "автобус"));
    assert_eq!(lexicon.first_known(&["куща", "къща"]), None);
    let latin = crate::nlu::translit::candidates("jilishtata", 400);
    assert_eq!(lexicon.first_known(&latin).map(|k| k.lemma), Some("жилище"));
}

#[test]
fn a_malformed_line_is_reported_with_its_file_and_line() {
    let (dir, aff, dic) = dictionary(&AFF.replace("SFX V я ят [^аеиоу]я", "SFX V я ят [^аеиоу"), DIC);
    let error = Lexicon::load(&aff, &dic).unwrap_err().to_string();
    let line = AFF.lines().position(|l| l.starts_with("SFX V я ят")).unwrap() + 1;
    let expected = format!("{}:{line}: condition \"[^аеиоу\" opens a [ that it does not close", aff.display());
    assert_eq!(error, expected);

    fs::write(&aff, format!("FLAG num\n{AFF}")).unwrap();
    let error = Lexicon::load(&aff, &dic).unwrap_err().to_string();
    assert!(error.starts_with(&format!("{}:5: ", aff.display())), "{error}");

    fs::write(&aff, "FLAG long\n").unwrap();
    fs::write(&dic, "2\nавтобус/Aa\nжилище/B\n").unwrap();
    let error = Lexicon::load(&aff, &dic).unwrap_err().to_string();
    assert_eq!(error, format!("{}:3: long flags come in pairs of characters, found \"B\"", dic.display()));

    fs::write(&dic, "автобус\n").unwrap();
    let error = Lexicon::load(&aff, &dic).unwrap_err().to_string();
    assert_eq!(error, format!("{}:1: expected the number of words, found \"автобус\"", dic.display()));
    drop(dir);
}

#[test]
fn a_missing_file_is_named() {
    let (dir, aff, _dic) = dictionary(AFF, DIC);
    let missing = dir.path().join("none.dic");
    let error = Lexicon::load(&aff, &missing).unwrap_err().to_string();
    assert!(error.starts_with(&format!("{}: ", missing.display())), "{error}");
}

#[test]
fn no_dictionary_says_which_package_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let error = DictionaryFiles::find_in(&[dir.path().to_owned()]).unwrap_err().to_string();
    assert!(error.contains("apt-get install hunspell-bg"), "{error}");
    assert!(error.contains(&dir.path().display().to_string()), "{error}");
    let (found_dir, aff, dic) = dictionary(AFF, DIC);
    let found = DictionaryFiles::find_in(&[dir.path().to_owned(), found_dir.path().to_owned()]).unwrap();
    assert_eq!(found, DictionaryFiles { aff, dic });
}

fn same_answers(a: &Lexicon, b: &Lexicon) {
    for form in ["автобусите", "работи", "вили", "жилища", "котка"] {
        assert_eq!(lemmas(a, form), lemmas(b, form), "{form}");
    }
    assert_eq!(a.len(), b.len());
}

#[test]
fn the_cache_is_written_then_read() {
    let (dir, aff, dic) = dictionary(AFF, DIC);
    let cache = dir.path().join("cache").join("lexicon.bin");
    let built = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    assert!(matches!(built.source(), Source::Rebuilt { written: Ok(()), .. }), "{:?}", built.source());
    let read = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    assert_eq!(read.source(), &Source::Cache(cache.clone()));
    same_answers(&built, &read);
    assert_eq!(read.heap_bytes(), built.heap_bytes());
}

#[test]
fn a_changed_dictionary_rebuilds_the_cache() {
    let (dir, aff, dic) = dictionary(AFF, DIC);
    let cache = dir.path().join("lexicon.bin");
    Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    fs::write(&dic, format!("{DIC}котка/N\n")).unwrap();
    let rebuilt = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    let Source::Rebuilt { stale, written, .. } = rebuilt.source() else { panic!("{:?}", rebuilt.source()) };
    assert_eq!((stale.as_str(), written), ("built from other dictionary files", &Ok(())));
    assert_eq!(rebuilt.lemma("котката"), Some("котка"));
    assert!(matches!(Lexicon::load_cached(&aff, &dic, &cache).unwrap().source(), Source::Cache(_)));
}

#[test]
fn a_damaged_cache_is_rebuilt() {
    let (dir, aff, dic) = dictionary(AFF, DIC);
    let cache = dir.path().join("lexicon.bin");
    let built = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    let mut bytes = fs::read(&cache).unwrap();
    let middle = bytes.len() - 20;
    bytes[middle] ^= 0x5a;
    fs::write(&cache, &bytes).unwrap();
    let rebuilt = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    assert!(matches!(rebuilt.source(), Source::Rebuilt { stale, .. } if stale == "damaged (checksum)"));
    same_answers(&built, &rebuilt);
    for cut in [0, 5, 40, bytes.len() / 2] {
        fs::write(&cache, &bytes[..cut]).unwrap();
        let rebuilt = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
        assert!(matches!(rebuilt.source(), Source::Rebuilt { .. }), "{cut}");
        same_answers(&built, &rebuilt);
    }
}

#[test]
fn an_unwritable_cache_directory_still_loads() {
    let (dir, aff, dic) = dictionary(AFF, DIC);
    // A directory cannot be made under a plain file, even by root.
    let blocker = dir.path().join("file");
    fs::write(&blocker, "").unwrap();
    let cache = blocker.join("sofia-bot").join("lexicon.bin");
    let lexicon = Lexicon::load_cached(&aff, &dic, &cache).unwrap();
    assert!(matches!(lexicon.source(), Source::Rebuilt { written: Err(_), .. }), "{:?}", lexicon.source());
    assert_eq!(lexicon.lemma("жилища"), Some("жилище"));
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
}

#[test]
fn an_empty_lexicon_knows_nothing() {
    let lexicon = Lexicon::default();
    assert!(lexicon.is_empty());
    assert_eq!(lexicon.lemma("жилища"), None);
    assert_eq!(lexicon.source(), &Source::Empty);
    assert!(format!("{lexicon:?}").contains("forms: 0"));
}
