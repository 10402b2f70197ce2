//! Building the lexicon from a dictionary: reading both files, numbering the lemmas, expanding
//! every word into its forms, lowercase, and choosing the order of a form's lemmas.
//!
//! It must not look for the files nor touch the cache: it turns two paths into a table.

use std::cmp::Reverse;
use std::fs;
use std::path::Path;

use super::LexiconError;
use super::hunspell::{Affixes, parse_dic};
use super::table::{Alphabet, FormTable, LemmaStore, TableBuilder};

/// Reads and expands a dictionary into its table of forms and its lemmas.
pub(super) fn build(aff: &Path, dic: &Path) -> Result<(FormTable, LemmaStore), LexiconError> {
    let aff_text = read_text(aff)?;
    let affixes = Affixes::parse(&aff_text, aff)?;
    let dic_text = read_text(dic)?;
    let entries = parse_dic(&dic_text, &affixes, dic)?;

    // Lemmas are the dictionary's words, lowercase, numbered alphabetically. A name is only a
    // name if no common word lowercases to it too.
    let lowered: Vec<String> = entries.iter().map(|e| e.word.replace("\\/", "/").to_lowercase()).collect();
    let mut lemmas: Vec<(&str, bool)> = entries
        .iter()
        .zip(&lowered)
        .map(|(e, l)| (l.as_str(), e.word.chars().next().is_some_and(char::is_uppercase)))
        .collect();
    lemmas.sort_unstable();
    lemmas.dedup_by(|next, kept| {
        next.0 == kept.0 && {
            kept.1 &= next.1;
            true
        }
    });
    let store = LemmaStore::from_sorted(lemmas.iter().map(|l| l.0));
    let proper: Vec<bool> = lemmas.iter().map(|l| l.1).collect();

    let letters = lowered.iter().flat_map(|l| l.chars()).chain(affixes.added_text().flat_map(char::to_lowercase));
    let mut builder = TableBuilder::new(Alphabet::new(letters));
    let mut lower = String::new();
    for (entry, lemma) in entries.iter().zip(&lowered) {
        let id = lemmas.binary_search_by(|l| l.0.cmp(lemma)).unwrap_or_default() as u32;
        let word = entry.word.replace("\\/", "/");
        affixes.expand(&word, &entry.flags, &mut |form| {
            if form.chars().any(char::is_uppercase) {
                lower.clear();
                lower.extend(form.chars().flat_map(char::to_lowercase));
                builder.add(&lower, id);
            } else {
                builder.add(form, id);
            }
        });
    }
    let table = builder.finish(|form, ids| prefer(form, ids, &store, &proper));
    Ok((table, store))
}

/// Orders the lemmas of one form, the preferred first: a common word before a name (the
/// dictionary capitalises names, and "вили" is both the plural of "вила" and the name "Вили"),
/// then the form itself when it is a dictionary word, then the lemma that keeps most of the
/// form's beginning (the most regular reading: работи -> работа, работя before others), then
/// the shorter, then the alphabetical first.
fn prefer(form: &str, ids: &mut [u32], store: &LemmaStore, proper: &[bool]) {
    ids.sort_by_cached_key(|&id| {
        let lemma = store.get(id).unwrap_or_default();
        let shared = form.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
        (proper.get(id as usize).copied().unwrap_or(true), lemma != form, Reverse(shared), lemma.chars().count(), id)
    });
}

/// Reads a file as UTF-8 (without a byte order mark), naming the line of a bad byte.
fn read_text(path: &Path) -> Result<String, LexiconError> {
    let bytes = fs::read(path).map_err(|source| LexiconError::Read { path: path.to_owned(), source })?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        LexiconError::malformed(path, line, "the text is not UTF-8".into())
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}
