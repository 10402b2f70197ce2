//! Masking personal data in citizens' text: Bulgarian personal numbers (ЕГН, ЛНЧ), IBANs,
//! phone numbers, e-mail addresses and card numbers. Used on text that goes to analytics and
//! to the dashboard's "not understood" list; staff still see the conversation as written.
//!
//! Pure and total: no IO, never panics, linear in the length of the text. It changes nothing
//! but the data it masks: Cyrillic, emoji, punctuation and spacing pass through byte for byte.
//! It must not decide what is stored or logged; that belongs to its callers.
//!
//! Each kind is recognised only as a whole token: the first and last letter or digit of a
//! match are not joined to other letters or digits, nor a number to a decimal point and more
//! digits, so part of a longer number or word is never masked. Digit groups with spaces or dashes between them are separate tokens:
//! that is how a phone or card number written in groups is found at all, and why
//! "0888 123 456 7" is a phone number followed by a 7.

use std::ops::Range;

/// A kind of personal data that `find` recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// ЕГН: the personal number of a Bulgarian citizen.
    Egn,
    /// ЛНЧ: the personal number of a foreigner.
    Lnch,
    /// An international bank account number.
    Iban,
    /// A Bulgarian phone number, or any number written with `+` and a country code.
    Phone,
    /// An e-mail address.
    Email,
    /// A payment card number.
    Card,
}

impl Kind {
    /// What replaces data of this kind. Language-neutral, so that analytics read the same
    /// whatever language the citizen wrote in.
    pub fn token(self) -> &'static str {
        match self {
            Kind::Egn => "[EGN]",
            Kind::Lnch => "[LNCH]",
            Kind::Iban => "[IBAN]",
            Kind::Phone => "[PHONE]",
            Kind::Email => "[EMAIL]",
            Kind::Card => "[CARD]",
        }
    }
}

/// Numbers published for everyone to call (the city's, the utilities', 112): not personal
/// data, so never masked. They come from the content's facts file (`locales/facts.toml`, its
/// numbers that content may state or link), not from this file: another city brings its own.
#[derive(Debug, Clone, Default)]
pub struct PublicNumbers {
    /// Each number's national digits, without the leading 0 or the country code.
    national: Vec<Vec<u8>>,
}

impl PublicNumbers {
    /// The numbers as written ("0700 17 310", "+359 2 813 0400", "112"): digits are kept, a
    /// leading `+359`, `00359` or `0` taken off.
    pub fn new<'a>(numbers: impl IntoIterator<Item = &'a str>) -> PublicNumbers {
        let national = numbers
            .into_iter()
            .map(|n| {
                let digits: Vec<u8> = n.bytes().filter(u8::is_ascii_digit).collect();
                let plus = n.trim_start().starts_with('+');
                let rest = match (plus, digits.as_slice()) {
                    (true, [b'3', b'5', b'9', rest @ ..]) | (false, [b'0', b'0', b'3', b'5', b'9', rest @ ..]) => rest,
                    (false, [b'0', rest @ ..]) => rest,
                    (_, rest) => rest,
                };
                rest.strip_prefix(b"0").unwrap_or(rest).to_vec()
            })
            .filter(|d| !d.is_empty())
            .collect();
        PublicNumbers { national }
    }

    fn contains(&self, national: &[u8]) -> bool {
        self.national.iter().any(|p| p == national)
    }
}

/// Weights of the first nine digits of an ЕГН.
const EGN_WEIGHTS: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];
/// Weights of the first nine digits of an ЛНЧ.
const LNCH_WEIGHTS: [u32; 9] = [21, 19, 17, 13, 11, 9, 7, 3, 1];

/// What may stand between the digit groups of a phone number: "(02) 987-65-43", "0888.123.456".
const PHONE_SEPARATORS: &[u8] = b" -./()";
/// What may stand between the digit groups of a card number: "4111 1111 1111 1111".
const CARD_SEPARATORS: &[u8] = b" -";

/// `text` with every piece of personal data replaced by its kind's token; `public` numbers
/// stay.
pub fn redact(text: &str, public: &PublicNumbers) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (kind, range) in find(text, public) {
        out.push_str(&text[copied..range.start]);
        out.push_str(kind.token());
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Every piece of personal data in `text`: its kind and its byte range, in order and without
/// overlaps.
pub fn find(text: &str, public: &PublicNumbers) -> Vec<(Kind, Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match longest_match(text, at, public) {
            Some((kind, range)) => {
                at = range.end;
                found.push((kind, range));
            }
            // Data starts with an ASCII byte, and in UTF-8 an ASCII byte is always a whole
            // character, so stepping byte by byte never lands inside one that matters.
            None => at += 1,
        }
    }
    found
}

/// The longest piece of personal data that starts at byte `at`. On a tie the earlier kind in
/// the list below wins: ten digits are an ЕГН if they can be, then a phone number (so a
/// mobile number is never an ЛНЧ), and only then an ЛНЧ.
fn longest_match(text: &str, at: usize, public: &PublicNumbers) -> Option<(Kind, Range<usize>)> {
    let starts = match text.as_bytes()[at] {
        b'+' | b'(' => true,
        b => b.is_ascii_alphanumeric() && !is_word(text[..at].chars().next_back()),
    };
    if !starts {
        return None;
    }
    let candidates = [
        (Kind::Egn, egn(text, at)),
        (Kind::Phone, phone(text, at, public)),
        (Kind::Lnch, lnch(text, at)),
        (Kind::Card, card(text, at)),
        (Kind::Iban, iban(text, at)),
        (Kind::Email, email(text, at)),
    ];
    let mut best: Option<(Kind, Range<usize>)> = None;
    for (kind, range) in candidates {
        if let Some(range) = range
            && best.as_ref().is_none_or(|(_, b)| range.end > b.end)
        {
            best = Some((kind, range));
        }
    }
    best
}

/// ЕГН: ten digits that start with a real date of birth and end with the right check digit.
fn egn(text: &str, at: usize) -> Option<Range<usize>> {
    let digits = ten_digits(text, at)?;
    is_egn(&digits).then_some(at..at + 10)
}

/// ЛНЧ: ten digits that pass the ЛНЧ check and are not a valid ЕГН. A phone number wins over
/// an ЛНЧ (see `longest_match`).
///
/// No context word ("ЛНЧ", "lnch", "личен номер на чужденец") is required before it. One
/// ten-digit number in ten passes this check by chance, so a case or reference number is
/// sometimes masked needlessly. We accept that: the masked text goes to analytics, where such
/// a number says nothing about what citizens ask, while an ЛНЧ left in the clear because its
/// owner wrote "my number", "ЕГН" or nothing at all, instead of the word we looked for, would
/// be a leak. When in doubt, this module masks.
fn lnch(text: &str, at: usize) -> Option<Range<usize>> {
    let digits = ten_digits(text, at)?;
    let sum: u32 = LNCH_WEIGHTS.iter().zip(digits).map(|(w, d)| w * u32::from(d)).sum();
    (sum % 10 == u32::from(digits[9]) && !is_egn(&digits)).then_some(at..at + 10)
}

/// The digits of a number of exactly ten digits, written without separators, at `at`.
fn ten_digits(text: &str, at: usize) -> Option<[u8; 10]> {
    let bytes = text.as_bytes().get(at..at + 10)?;
    if !bytes.iter().all(u8::is_ascii_digit) || !number_starts(text, at) || !number_ends(text, at + 10) {
        return None;
    }
    let mut digits = [0; 10];
    for (d, b) in digits.iter_mut().zip(bytes) {
        *d = b - b'0';
    }
    Some(digits)
}

/// Whether ten digits are an ЕГН: YYMMDD, with 20 added to the month for the 1800s and 40
/// for the 2000s, then three digits, then the check digit.
fn is_egn(digits: &[u8; 10]) -> bool {
    let pair = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let (year, month) = match pair(2) {
        m @ 1..=12 => (1900 + pair(0), m),
        m @ 21..=32 => (1800 + pair(0), m - 20),
        m @ 41..=52 => (2000 + pair(0), m - 40),
        _ => return false,
    };
    let day = pair(4);
    if day == 0 || day > days_in_month(year, month) {
        return false;
    }
    let sum: u32 = EGN_WEIGHTS.iter().zip(digits).map(|(w, &d)| w * u32::from(d)).sum();
    // A remainder of 10 is written as 0; `% 10` does exactly that and leaves 0..=9 alone.
    sum % 11 % 10 == u32::from(digits[9])
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A phone number: Bulgarian (+359, 00359 or 0, then the national number) or foreign with `+`.
/// A `(` at the start belongs to the match only if its `)` does too, so "(0888 123 456)"
/// keeps its brackets.
fn phone(text: &str, at: usize, public: &PublicNumbers) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = at;
    let paren = bytes[i] == b'(';
    if paren {
        i += 1;
    }
    let plus = bytes.get(i) == Some(&b'+');
    if plus {
        i += 1;
    }
    if !paren && !plus && !number_starts(text, at) {
        return None;
    }
    let groups = digit_groups(bytes, i, PHONE_SEPARATORS, 3, 16);
    let &(_, end) =
        groups.ends.iter().rev().find(|&&(count, end)| {
            number_ends(text, end) && is_personal_phone(&groups.digits[..count], plus, public)
        })?;
    let start = if paren && !text[at..end].contains(')') { at + 1 } else { at };
    Some(start..end)
}

/// Whether `digits` (following a `+` when `plus`) are a phone number that is not public.
fn is_personal_phone(digits: &[u8], plus: bool, public: &PublicNumbers) -> bool {
    // The national significant number: what follows the 0 of a call inside Bulgaria.
    let national = match (plus, digits) {
        // "+359 (0) 88...": people often keep the 0 after the country code.
        (true, [b'3', b'5', b'9', rest @ ..]) | (false, [b'0', b'0', b'3', b'5', b'9', rest @ ..]) => {
            rest.strip_prefix(b"0").unwrap_or(rest)
        }
        // E.164: a country code and the number, 15 digits at most.
        (true, [first, ..]) => return *first != b'0' && (8..=15).contains(&digits.len()),
        (false, [b'0', rest @ ..]) => rest,
        _ => return false,
    };
    let shaped = match national {
        // Mobile: 087, 088, 089 and seven digits.
        [b'8', b'7'..=b'9', ..] => national.len() == 9,
        // Sofia: 02 and seven digits.
        [b'2', ..] => national.len() == 8,
        // Other towns, other networks and non-geographic numbers: eight or nine digits.
        [b'1'..=b'9', ..] => (8..=9).contains(&national.len()),
        _ => false,
    };
    shaped && !public.contains(national)
}

/// A card number: 13 to 19 digits, in groups or not, that pass the Luhn check.
fn card(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    if !bytes[at].is_ascii_digit() || !number_starts(text, at) {
        return None;
    }
    let groups = digit_groups(bytes, at, CARD_SEPARATORS, 1, 19);
    let &(_, end) = groups
        .ends
        .iter()
        .rev()
        .find(|&&(count, end)| count >= 13 && number_ends(text, end) && luhn(&groups.digits[..count]))?;
    Some(at..end)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            // Every second digit from the right is doubled; a two-digit result counts as the
            // sum of its digits, which is the result less nine.
            let d = u32::from(d - b'0');
            let doubled = if i % 2 == 1 { d * 2 } else { d };
            if doubled > 9 { doubled - 9 } else { doubled }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Digits read from `at` in groups, and where each group ends.
struct Groups {
    /// The ASCII digits, without separators.
    digits: Vec<u8>,
    /// After each group: how many digits so far, and the byte just past the group.
    ends: Vec<(usize, usize)>,
}

/// Reads digit groups from `at`, with at most `max_gap` bytes of `separators` between two
/// groups, until `max_digits` digits are read or the groups stop.
fn digit_groups(bytes: &[u8], at: usize, separators: &[u8], max_gap: usize, max_digits: usize) -> Groups {
    let mut groups = Groups { digits: Vec::with_capacity(max_digits), ends: Vec::new() };
    let mut i = at;
    loop {
        let group_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() && groups.digits.len() < max_digits {
            groups.digits.push(bytes[i]);
            i += 1;
        }
        if i == group_start {
            break;
        }
        groups.ends.push((groups.digits.len(), i));
        let gap_start = i;
        while i < bytes.len() && i - gap_start < max_gap && separators.contains(&bytes[i]) {
            i += 1;
        }
        if i == gap_start || !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            break;
        }
    }
    groups
}

/// An IBAN: two letters, two check digits and the account, in upper or lower case, written
/// whole or in groups of four with single spaces, that passes the ISO 13616 mod-97 check.
fn iban(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let head = bytes.get(at..at + 4)?;
    if !(head[..2].iter().all(u8::is_ascii_alphabetic) && head[2..].iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let mut chars = Vec::with_capacity(34);
    let mut ends = Vec::new();
    let mut i = at;
    while chars.len() < 34 {
        match bytes.get(i) {
            Some(b) if b.is_ascii_alphanumeric() => {
                chars.push(b.to_ascii_uppercase());
                i += 1;
            }
            Some(b' ') if chars.len() % 4 == 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) => {
                ends.push((chars.len(), i));
                i += 1;
            }
            _ => break,
        }
    }
    ends.push((chars.len(), i));
    let &(_, end) =
        ends.iter().rev().find(|&&(count, end)| !is_word(next_char(text, end)) && is_iban(&chars[..count]))?;
    Some(at..end)
}

/// The mod-97 check of an IBAN in upper case; Bulgarian IBANs also have exactly 22 characters.
fn is_iban(chars: &[u8]) -> bool {
    if !(15..=34).contains(&chars.len()) || (chars.starts_with(b"BG") && chars.len() != 22) {
        return false;
    }
    // The first four characters move to the end; letters count as 10 (A) to 35 (Z).
    let mut rest = 0;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        rest = match c {
            b'0'..=b'9' => (rest * 10 + u32::from(c - b'0')) % 97,
            _ => (rest * 100 + u32::from(c - b'A') + 10) % 97,
        };
    }
    rest == 1
}

/// An e-mail address: local@domain.tld in ASCII. A dot or dash after it ends a sentence, not
/// the address: "пишете на ivan@abv.bg."
fn email(text: &str, at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let local = bytes[at..].iter().take(64).take_while(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(b)).count();
    if local == 0 || bytes.get(at + local) != Some(&b'@') {
        return None;
    }
    let domain_start = at + local + 1;
    let run =
        bytes[domain_start..].iter().take(253).take_while(|b| b.is_ascii_alphanumeric() || b".-".contains(b)).count();
    let mut end = domain_start + run;
    while end > domain_start && b".-".contains(&bytes[end - 1]) {
        end -= 1;
    }
    let labels: Vec<&[u8]> = bytes[domain_start..end].split(|&b| b == b'.').collect();
    let tld = labels.last()?;
    let valid = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld.len() >= 2
        && tld.iter().all(u8::is_ascii_alphabetic);
    (valid && !is_word(next_char(text, end))).then_some(at..end)
}

/// Whether a number may start at `at`: no letter or digit before it, nor a decimal point
/// after a digit ("3.1415...").
fn number_starts(text: &str, at: usize) -> bool {
    let mut before = text[..at].chars().rev();
    match before.next() {
        Some('.') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        c => !is_word(c),
    }
}

/// Whether a number may end at `end`: no letter or digit after it, nor a decimal part.
fn number_ends(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    match after.next() {
        Some('.') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        c => !is_word(c),
    }
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Letters and digits of any script make words; a match must not touch one.
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers as a facts file gives them.
    fn public() -> PublicNumbers {
        PublicNumbers::new(["112", "1302", "1303", "0700 17 310", "0800 14 800", "+359 2 813 0400"])
    }

    fn redact(text: &str) -> String {
        super::redact(text, &public())
    }

    fn find(text: &str) -> Vec<(Kind, Range<usize>)> {
        super::find(text, &public())
    }

    /// A valid ЕГН from its first nine digits: the date and the three digits after it.
    fn with_egn_check(first: &str) -> String {
        let sum: u32 = first.bytes().zip(EGN_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        format!("{first}{}", sum % 11 % 10)
    }

    /// Ten digits that pass the ЛНЧ check, from their first nine.
    fn with_lnch_check(first: &str) -> String {
        let sum: u32 = first.bytes().zip(LNCH_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        format!("{first}{}", sum % 10)
    }

    fn kinds(text: &str) -> Vec<Kind> {
        find(text).into_iter().map(|(kind, _)| kind).collect()
    }

    #[test]
    fn valid_egn_is_masked() {
        let egn = with_egn_check("750102001");
        assert_eq!(redact(&format!("ЕГН {egn}")), "ЕГН [EGN]");
        assert_eq!(kinds(&egn), [Kind::Egn]);
    }

    #[test]
    fn egn_with_wrong_checksum_is_left_alone() {
        // The right check digit for 750102001 is 8; 7 fails the ЛНЧ check as well.
        assert_eq!(with_egn_check("750102001"), "7501020018");
        assert_eq!(redact("ЕГН 7501020017"), "ЕГН 7501020017");
    }

    #[test]
    fn egn_with_impossible_date_is_left_alone() {
        // 30 February 1975 and month 13, each with the check digit its other digits ask for.
        for first in ["750230001", "751301002"] {
            let number = with_egn_check(first);
            assert_eq!(find(&number), [], "{number}");
        }
    }

    #[test]
    fn leap_day_is_a_real_date_only_in_a_leap_year() {
        assert_eq!(kinds(&with_egn_check("960229003")), [Kind::Egn]);
        assert_eq!(kinds(&with_egn_check("004229004")), [Kind::Egn]);
        // 1900 and 1901 had no 29 February.
        assert!(!kinds(&with_egn_check("000229003")).contains(&Kind::Egn));
        assert!(!kinds(&with_egn_check("010229003")).contains(&Kind::Egn));
    }

    #[test]
    fn egn_of_someone_born_in_the_2000s_is_masked() {
        let egn = with_egn_check("054115123");
        assert!(egn.starts_with('0'));
        assert_eq!(redact(&format!("синът ми, {egn}.")), "синът ми, [EGN].");
    }

    #[test]
    fn egn_of_someone_born_in_the_1800s_is_masked() {
        assert_eq!(kinds(&with_egn_check("992312004")), [Kind::Egn]);
    }

    #[test]
    fn egn_checksum_of_ten_is_written_as_zero() {
        let first = (0..1000)
            .map(|n| format!("800615{n:03}"))
            .find(|f| f.bytes().zip(EGN_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum::<u32>() % 11 == 10)
            .expect("some serial gives a remainder of 10");
        assert_eq!(kinds(&format!("{first}0")), [Kind::Egn]);
    }

    #[test]
    fn lnch_is_masked_without_a_context_word() {
        let lnch = with_lnch_check("100012345");
        assert_eq!(redact(&format!("моят номер е {lnch}")), "моят номер е [LNCH]");
    }

    #[test]
    fn lnch_is_masked_after_a_context_word() {
        let lnch = with_lnch_check("100012345");
        assert_eq!(redact(&format!("ЛНЧ: {lnch}")), "ЛНЧ: [LNCH]");
        assert_eq!(redact(&format!("my LNCH is {lnch}!")), "my LNCH is [LNCH]!");
    }

    #[test]
    fn ten_digits_failing_both_checks_are_left_alone() {
        let lnch = with_lnch_check("100012345");
        let last = (lnch.as_bytes()[9] - b'0' + 1) % 10;
        let other = format!("{}{last}", &lnch[..9]);
        assert_eq!(redact(&format!("сигнал № {other}")), format!("сигнал № {other}"));
    }

    #[test]
    fn mobile_number_passing_the_lnch_check_is_a_phone() {
        let mobile = with_lnch_check("088812345");
        assert_eq!(kinds(&mobile), [Kind::Phone]);
    }

    #[test]
    fn bulgarian_iban_is_masked_with_and_without_spaces() {
        assert_eq!(redact("IBAN: BG80 BNBG 9661 1020 3456 78, БНБ"), "IBAN: [IBAN], БНБ");
        assert_eq!(redact("IBAN: BG80BNBG96611020345678."), "IBAN: [IBAN].");
        assert_eq!(redact("iban bg80bnbg96611020345678"), "iban [IBAN]");
    }

    #[test]
    fn foreign_iban_is_masked() {
        assert_eq!(redact("DE89 3704 0044 0532 0130 00"), "[IBAN]");
        assert_eq!(redact("GB82WEST12345698765432"), "[IBAN]");
    }

    #[test]
    fn iban_with_wrong_check_is_left_alone() {
        for text in ["BG81 BNBG 9661 1020 3456 78", "BG80BNBG96611020345679", "BG80 BNBG 9661 1020 3456 7"] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn mobile_numbers_are_masked_in_several_shapes() {
        for phone in [
            "0888 123 456",
            "0888123456",
            "0888-123-456",
            "0888.123.456",
            "088 812 3456",
            "0878 12 34 56",
            "0899/123456",
        ] {
            assert_eq!(redact(&format!("тел. {phone}, вечер")), "тел. [PHONE], вечер", "{phone}");
        }
    }

    #[test]
    fn sofia_landlines_are_masked_in_several_shapes() {
        for phone in ["02 987 65 43", "02/987 65 43", "029876543", "02-987-65-43", "(02) 987 65 43"] {
            assert_eq!(redact(&format!("обадете се на {phone}")), "обадете се на [PHONE]", "{phone}");
        }
    }

    #[test]
    fn brackets_around_a_whole_number_are_kept() {
        assert_eq!(redact("Мария (0888 123 456)"), "Мария ([PHONE])");
        assert_eq!(redact("тел(02) 987 65 43"), "тел[PHONE]");
        assert_eq!(redact("(ЕГН 7501020018)"), "(ЕГН [EGN])");
    }

    #[test]
    fn international_prefixes_are_masked() {
        for phone in [
            "+359 88 812 3456",
            "+359888123456",
            "00359 88 812 3456",
            "00359888123456",
            "+359 2 987 65 43",
            "+359 (0) 888 123 456",
            "(+359 2) 987 65 43",
        ] {
            assert_eq!(redact(&format!("{phone}!")), "[PHONE]!", "{phone}");
        }
    }

    #[test]
    fn foreign_numbers_with_a_plus_are_masked() {
        assert_eq!(redact("call +44 20 7946 0958"), "call [PHONE]");
    }

    #[test]
    fn public_numbers_are_left_alone() {
        for text in [
            "При спешност: 112.",
            "Столичен общински център: 0700 17 310",
            "Безплатно: 0800 14 800",
            "070017310",
            "+359 700 17 310",
            "Пътна помощ 1302 или 1303",
            "РЗИ: 02 813 0400",
        ] {
            assert_eq!(redact(text), text);
        }
        // A number beside a public one is someone's.
        assert_eq!(redact("0700 17 311"), "[PHONE]");
        assert_eq!(super::redact("0700 17 310", &PublicNumbers::default()), "[PHONE]");
    }

    #[test]
    fn phone_followed_by_another_number_is_masked_alone() {
        assert_eq!(redact("0888 123 456 7 пъти"), "[PHONE] 7 пъти");
    }

    #[test]
    fn email_is_masked() {
        assert_eq!(redact("пишете на ivan.petrov+bot@abv.bg."), "пишете на [EMAIL].");
        assert_eq!(redact("<maria_ivanova-92@mail.sofia.bg>"), "<[EMAIL]>");
        assert_eq!(redact("0888123456@abv.bg"), "[EMAIL]");
    }

    #[test]
    fn not_quite_an_email_is_left_alone() {
        for text in ["@sofia_bot", "ivan@localhost", "a@b.c", "ivan@abv.bg5"] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn card_passing_luhn_is_masked() {
        assert_eq!(redact("карта 4111 1111 1111 1111."), "карта [CARD].");
        assert_eq!(redact("4111-1111-1111-1111"), "[CARD]");
        assert_eq!(redact("4111111111111111"), "[CARD]");
        assert_eq!(redact("Amex 3782 822463 10005"), "Amex [CARD]");
    }

    #[test]
    fn card_failing_luhn_is_left_alone() {
        assert_eq!(redact("карта 4111 1111 1111 1112"), "карта 4111 1111 1111 1112");
    }

    #[test]
    fn text_around_data_is_kept_byte_for_byte() {
        let egn = with_egn_check("750102001");
        let text = format!("Здравейте 👋! Моят ЕГН е «{egn}», а телефонът —  0888 123 456…\tБлагодаря 🙏🏽");
        assert_eq!(redact(&text), "Здравейте 👋! Моят ЕГН е «[EGN]», а телефонът —  [PHONE]…\tБлагодаря 🙏🏽");
    }

    #[test]
    fn several_kinds_in_one_message_are_masked_in_order() {
        let egn = with_egn_check("850505123");
        let text = format!(
            "Аз съм Иван, ЕГН {egn}, тел. +359 88 812 3456, ivan@abv.bg; \
             платих с 4111 1111 1111 1111 от BG80BNBG96611020345678."
        );
        assert_eq!(kinds(&text), [Kind::Egn, Kind::Phone, Kind::Email, Kind::Card, Kind::Iban]);
        assert_eq!(redact(&text), "Аз съм Иван, ЕГН [EGN], тел. [PHONE], [EMAIL]; платих с [CARD] от [IBAN].");
    }

    #[test]
    fn ranges_are_ordered_and_do_not_overlap() {
        let text = "0888123456 0888123456, (02) 987 65 43 ivan@abv.bg 4111111111111111";
        let found = find(text);
        assert_eq!(found.len(), 5);
        for pair in found.windows(2) {
            assert!(pair[0].1.end <= pair[1].1.start, "{found:?}");
        }
    }

    #[test]
    fn empty_text_stays_empty() {
        assert_eq!(redact(""), "");
        assert_eq!(find(""), []);
    }

    #[test]
    fn a_hundred_kilobytes_pass_without_panic() {
        let egn = with_egn_check("750102001");
        let chunk =
            format!("Здравей 👋 {egn} 0888 123 456 ivan@abv.bg BG80 BNBG 9661 1020 3456 78 4111 1111 1111 1111 (");
        let text = chunk.repeat(100_000 / chunk.len() + 1);
        assert!(text.len() >= 100_000);
        assert_eq!(find(&text).len(), 5 * (100_000 / chunk.len() + 1));
        for text in
            ["1".repeat(100_000), "1 ".repeat(50_000), "a.".repeat(50_000), "+(".repeat(50_000), "я".repeat(50_000)]
        {
            redact(&text);
        }
    }

    #[test]
    fn digits_inside_a_longer_number_are_not_masked() {
        let egn = with_egn_check("750102001");
        // Fourteen digits holding an ЕГН, and a mobile number, that fail the Luhn check.
        for number in [format!("{egn}1234"), format!("12{egn}12"), "08881234567890".to_string()] {
            assert!(!luhn(number.as_bytes()), "{number}");
            assert_eq!(redact(&format!("номер {number}")), format!("номер {number}"));
        }
        assert_eq!(redact("3.14159265358979 и 0888123456.5"), "3.14159265358979 и 0888123456.5");
    }

    #[test]
    fn data_inside_a_word_is_not_masked() {
        let egn = with_egn_check("750102001");
        for text in [format!("ID{egn}"), format!("{egn}abc"), "xBG80BNBG96611020345678".to_string()] {
            assert_eq!(redact(&text), text);
        }
    }
}
