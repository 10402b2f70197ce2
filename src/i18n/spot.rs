//! Spotting phone numbers, web addresses and written values in text, and the normal forms
//! they are compared in. The facts file uses it to check that a value is what its kind says;
//! the content lint uses it to find every number and link that content says.
//!
//! It knows no fact: which values exist is the facts file's business.

/// Something spotted in a text: its byte range and how it is written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Top-level domains that make a dotted name without `https://` or `www.` a web address
/// (`sofia.bg/x`); file names such as `core.ftl` or `FACTS.md` stay words.
const DOMAINS: [&str; 15] =
    ["bg", "eu", "com", "org", "net", "info", "gov", "edu", "int", "io", "app", "online", "site", "biz", "me"];

/// Numbers of three digits or more: phone numbers (`0700 17 310`, `0700-17-310`,
/// `+359 888 123 456`), short and SMS numbers (`112`, `1302`), years.
///
/// Digits may be grouped by single spaces or hyphens. Not spotted: a number glued to a word
/// (`call112`, `fact-112`), dates and decimals and times (`25.12.2026`, `2026-12-25`, `2,50`,
/// `10:30`, `24/7`) and day ranges (`1-30`).
pub fn numbers(text: &str) -> Vec<Spot> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = digit(i) || (at(i) == Some('+') && digit(i + 1));
        if !starts || glued_before(&chars, i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while digit(j) || (at(j).is_some_and(joins_digits) && digit(j - 1) && digit(j + 1)) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        let run = &text[chars[i].0..end];
        if !glued_after(&chars, j) && run.chars().filter(char::is_ascii_digit).count() >= 3 && !date_or_range(run) {
            out.push(Spot { start: chars[i].0, end, text: run.to_string() });
        }
        i = j;
    }
    out
}

fn joins_digits(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{a0}' | '\u{202f}')
}

/// Part of a word (`call112`, `fact-112`) or of a date, decimal or time (`25.12`).
fn glued_before(chars: &[(usize, char)], i: usize) -> bool {
    let Some(&(_, prev)) = i.checked_sub(1).and_then(|p| chars.get(p)) else { return false };
    let before = i.checked_sub(2).and_then(|p| chars.get(p)).map(|c| c.1);
    prev.is_alphanumeric()
        || prev == '_'
        || prev == '$'
        || (".,:/".contains(prev) && before.is_some_and(|c| c.is_ascii_digit()))
        || (prev == '-' && before.is_some_and(char::is_alphanumeric))
}

fn glued_after(chars: &[(usize, char)], j: usize) -> bool {
    let Some(&(_, next)) = chars.get(j) else { return false };
    let after = chars.get(j + 1).map(|c| c.1);
    next.is_alphanumeric() || next == '_' || (".,:/".contains(next) && after.is_some_and(|c| c.is_ascii_digit()))
}

/// `2026-12-25` and `1-30` are a date and a range of days, not numbers to call.
fn date_or_range(run: &str) -> bool {
    if run.contains([' ', '\u{a0}', '\u{202f}']) || !run.contains('-') {
        return false;
    }
    let lens: Vec<usize> = run.split('-').map(str::len).collect();
    lens == [4, 2, 2] || (lens.len() == 2 && lens.iter().all(|&n| (1..=2).contains(&n)))
}

/// Web addresses: anything with a scheme (`https://...`), anything starting `www.`, a dotted
/// name ending in a common top-level domain (`sofia.bg`, `szp.sofia.bg/x`), and e-mail
/// addresses. Punctuation around them (`(`, `»`, a full stop) is not part of them.
pub fn web_addresses(text: &str) -> Vec<Spot> {
    let mut out = Vec::new();
    for (offset, word) in words(text) {
        let start = word.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(word.len());
        let end = word.rfind(|c: char| c.is_ascii_alphanumeric() || c == '/').map_or(start, |e| e + 1);
        if start >= end {
            continue;
        }
        let mut candidate = &word[start..end];
        let mut from = offset + start;
        if let Some(scheme_end) = candidate.find("://") {
            let scheme_start = candidate[..scheme_end].rfind(|c: char| !c.is_ascii_alphabetic()).map_or(0, |p| p + 1);
            if scheme_start == scheme_end {
                continue;
            }
            from += scheme_start;
            candidate = &candidate[scheme_start..];
        } else if !(candidate.to_ascii_lowercase().starts_with("www.") || is_host_path(candidate)) {
            continue;
        }
        out.push(Spot { start: from, end: from + candidate.len(), text: candidate.to_string() });
    }
    out
}

/// `sofia.bg`, `szp.sofia.bg/login.jsf`, `name@sofia.bg`.
fn is_host_path(s: &str) -> bool {
    let host = s.split('/').next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(user, domain)| if user.is_empty() { "" } else { domain });
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels.last().is_some_and(|tld| DOMAINS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// Words separated by whitespace, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// How two numbers are compared: their digits, and a leading `+`.
pub fn number_form(written: &str) -> String {
    let plus = if written.trim_start().starts_with('+') { "+" } else { "" };
    format!("{plus}{}", written.chars().filter(char::is_ascii_digit).collect::<String>())
}

/// How two web addresses are compared: lowercase, without the scheme, `www.` or a final `/`
/// (`https://www.nhif.bg/` and `nhif.bg` are one address; `sofia.bg/x` is another than `sofia.bg`).
pub fn web_form(written: &str) -> String {
    let lower = written.to_lowercase();
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
    let rest = rest.strip_prefix("mailto:").unwrap_or(rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_string()
}

/// Where `value` is written in `text`: ignoring case, any run of whitespace (a line break too)
/// where the value has a space, and never inside a word (`30 юни` is not in `130 юни`).
pub fn find_written(text: &str, value: &str) -> Vec<(usize, usize)> {
    let needle: Vec<char> = value.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
    let hay: Vec<(usize, char)> = text.char_indices().collect();
    let (Some(&first), Some(&last)) = (needle.first(), needle.last()) else { return Vec::new() };
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    let mut found = Vec::new();
    for start in 0..hay.len() {
        if first.is_alphanumeric() && start > 0 && hay[start - 1].1.is_alphanumeric() {
            continue;
        }
        let (mut i, mut k) = (start, 0);
        while k < needle.len() {
            if needle[k] == ' ' {
                if !hay.get(i).is_some_and(|c| c.1.is_whitespace()) {
                    break;
                }
                while hay.get(i).is_some_and(|c| c.1.is_whitespace()) {
                    i += 1;
                }
            } else if hay.get(i).is_some_and(|c| same(c.1, needle[k])) {
                i += 1;
            } else {
                break;
            }
            k += 1;
        }
        let whole = k == needle.len() && !(last.is_alphanumeric() && hay.get(i).is_some_and(|c| c.1.is_alphanumeric()));
        if whole {
            found.push((hay[start].0, hay.get(i).map_or(text.len(), |c| c.0)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(text: &str) -> Vec<String> {
        numbers(text).into_iter().map(|s| s.text).collect()
    }

    fn webs(text: &str) -> Vec<String> {
        web_addresses(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn phone_numbers_are_spotted_however_they_are_grouped() {
        assert_eq!(nums("Обадете се на 0700 1 0700."), ["0700 1 0700"]);
        assert_eq!(nums("тел.0700-17-310 или +359 888 123 456"), ["0700-17-310", "+359 888 123 456"]);
        assert_eq!(nums("SMS на 1302, после 112"), ["1302", "112"]);
        assert_eq!(nums("от 2021 г."), ["2021"]);
    }

    #[test]
    fn dates_decimals_times_ranges_and_names_are_not_numbers() {
        assert!(nums("до 25.12.2026 или 2026-12-25, 2,50 €, в 10:30, 24/7, 1-30 юни").is_empty());
        assert!(nums("emergency-call112 { $fact-112 } 2 часа, Младост 1").is_empty());
    }

    #[test]
    fn web_addresses_are_spotted_with_or_without_a_scheme() {
        assert_eq!(webs("вижте https://www.sofia.bg/bg/tax, моля"), ["https://www.sofia.bg/bg/tax"]);
        assert_eq!(webs("(kg.sofia.bg) или www.x.bg; sofia.bg/x."), ["kg.sofia.bg", "www.x.bg", "sofia.bg/x"]);
        assert_eq!(webs("пишете на info@sofia.bg"), ["info@sofia.bg"]);
        assert!(webs("core.ftl, FACTS.md, т.е. e.g. 2.5 { $fact-sofia-web }").is_empty());
    }

    #[test]
    fn forms_compare_what_a_citizen_would_dial_or_open() {
        assert_eq!(number_form("0700-17-310"), number_form("0700 17 310"));
        assert_ne!(number_form("0800 121 21"), number_form("0700 121 21"));
        assert_eq!(web_form("https://www.nhif.bg/"), web_form("nhif.bg"));
        assert_ne!(web_form("sofia.bg/x"), web_form("https://www.sofia.bg"));
    }

    #[test]
    fn written_values_are_found_across_case_and_line_breaks_but_not_inside_words() {
        assert_eq!(find_written("Old SONET09 portal", "sonet09"), [(4, 11)]);
        assert_eq!(find_written("до 30\n    юни", "30 юни").len(), 1);
        assert!(find_written("до 130 юни", "30 юни").is_empty());
        assert!(find_written("sonet090", "sonet09").is_empty());
    }
}
