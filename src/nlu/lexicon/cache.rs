//! The lexicon's cache file: the built table written to disk, so that a start reads it in a
//! few milliseconds instead of expanding the dictionary again.
//!
//! A cache is keyed by the paths, sizes and modification times of the `.aff` and `.dic` it was
//! built from, and ends with a checksum of everything before it. A cache that does not match,
//! or that cannot be read, is simply not used: this module reports why, and the caller builds
//! the table again. It must not decide where the cache lives, nor fail a start.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

use super::table::{Alphabet, FormTable, LemmaStore};

const MAGIC: &[u8; 8] = b"SOFIALEX";
/// Bumped whenever the layout of the file or of the table changes.
const VERSION: u32 = 1;

/// What a cache must match: the two files it was built from, as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Key(Vec<u8>);

impl Key {
    /// The key of the current `.aff` and `.dic`.
    pub(super) fn of(aff: &Path, dic: &Path) -> io::Result<Key> {
        let mut key = Vec::new();
        for path in [aff, dic] {
            let meta = fs::metadata(path)?;
            let modified = meta.modified()?.duration_since(UNIX_EPOCH).unwrap_or_default();
            let name = path.to_string_lossy();
            key.extend_from_slice(&(name.len() as u32).to_le_bytes());
            key.extend_from_slice(name.as_bytes());
            key.extend_from_slice(&meta.len().to_le_bytes());
            key.extend_from_slice(&modified.as_secs().to_le_bytes());
            key.extend_from_slice(&modified.subsec_nanos().to_le_bytes());
        }
        Ok(Key(key))
    }
}

/// Writes the table to `path`, through a temporary file beside it so that a reader never
/// sees half a cache.
pub(super) fn write(path: &Path, key: &Key, table: &FormTable, lemmas: &LemmaStore) -> io::Result<()> {
    let mut out =
        Vec::with_capacity(table.bytes.len() + lemmas.text.len() + 4 * (table.blocks.len() + lemmas.ends.len()) + 4096);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    section(&mut out, &key.0);
    let chars: Vec<u32> = table.alphabet.chars().iter().map(|&c| c as u32).collect();
    section(&mut out, &words(&chars));
    out.extend_from_slice(&table.forms.to_le_bytes());
    section(&mut out, &table.bytes);
    section(&mut out, &words(&table.blocks));
    section(&mut out, lemmas.text.as_bytes());
    section(&mut out, &words(&lemmas.ends));
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());

    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let result = fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(&out))
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Reads a cache back, if it is one, of this version, built from these files, and whole.
pub(super) fn read(path: &Path, key: &Key) -> Result<(FormTable, LemmaStore), String> {
    let data = fs::read(path).map_err(|e| e.to_string())?;
    let (body, sum) = data.split_at_checked(data.len().saturating_sub(8)).ok_or("too short")?;
    if body.get(..8) != Some(MAGIC.as_slice()) {
        return Err("not a lexicon cache".into());
    }
    let mut reader = Reader { data: &body[8..] };
    if reader.u32()? != VERSION {
        return Err("built by another version".into());
    }
    if reader.section()? != key.0.as_slice() {
        return Err("built from other dictionary files".into());
    }
    if u64::from_le_bytes(sum.try_into().map_err(|_| "too short")?) != checksum(body) {
        return Err("damaged (checksum)".into());
    }
    let chars = from_words(reader.section()?)?.into_iter().map(|c| char::from_u32(c).ok_or("bad character"));
    let alphabet = Alphabet::new(chars.collect::<Result<Vec<char>, _>>()?);
    let forms = reader.u32()?;
    let bytes = reader.section()?.to_vec();
    let blocks = from_words(reader.section()?)?;
    let text = String::from_utf8(reader.section()?.to_vec()).map_err(|_| "lemmas are not UTF-8")?;
    let ends = from_words(reader.section()?)?;
    let table = FormTable { alphabet, bytes, blocks, forms, filter: Default::default() };
    let lemmas = LemmaStore { text, ends };
    let ends_sound = lemmas.ends.windows(2).all(|w| w[0] <= w[1])
        && lemmas.ends.last().is_none_or(|&e| e as usize == lemmas.text.len())
        && lemmas.ends.iter().all(|&e| lemmas.text.is_char_boundary(e as usize));
    if !table.is_sound() || !ends_sound || !reader.data.is_empty() {
        return Err("inconsistent".into());
    }
    let table = table.with_filter();
    Ok((table, lemmas))
}

fn section(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn words(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn from_words(bytes: &[u8]) -> Result<Vec<u32>, String> {
    if !bytes.len().is_multiple_of(4) {
        return Err("a list of numbers has a broken length".into());
    }
    Ok(bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect())
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let (head, rest) = self.data.split_at_checked(n).ok_or("truncated")?;
        self.data = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "truncated")?))
    }

    fn section(&mut self) -> Result<&'a [u8], String> {
        let len = u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| "truncated")?);
        self.take(usize::try_from(len).map_err(|_| "truncated")?)
    }
}

/// A fast 64-bit checksum, eight bytes at a time (FxHash's mixing): it catches a damaged or
/// truncated file, not a forged one.
fn checksum(data: &[u8]) -> u64 {
    const SEED: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash = data.len() as u64;
    let mut chunks = data.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
    for &byte in chunks.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
    }
    hash
}
