//! Checking an answer against what an ask step expects, and turning it into a slot.
//! Pure functions: the date rules take today's date as an argument.

use chrono::{Datelike, NaiveDate};

use super::flow::{Ask, Expect};
use super::places::Places;
use super::session::Slot;
use crate::nlu::normalize::normalize;

/// What the citizen gave in answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer<'a> {
    Text(&'a str),
    Choice(usize),
    Location { lat: f64, lon: f64 },
    Photo(&'a str),
    Contact(&'a str),
}

/// The slot for a fitting answer, or `None` when the question must be asked again.
pub(crate) fn check(ask: &Ask, answer: &Answer, places: &Places, today: NaiveDate) -> Option<Slot> {
    match (ask.expect, answer) {
        (Expect::Choice, Answer::Choice(i)) => choice(ask, *i),
        (Expect::Choice, Answer::Text(t)) => {
            let t = normalize(t);
            let by_number = t.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
            let by_value = ask.choices.iter().position(|c| normalize(&c.value) == t);
            by_number.or(by_value).and_then(|i| choice(ask, i))
        }
        (Expect::Text, Answer::Text(t)) => {
            let t = t.trim();
            let len = t.chars().count() as f64;
            let (min, max) = (ask.min.unwrap_or(1.0), ask.max.unwrap_or(1000.0));
            let has_content = t.chars().any(|c| c.is_alphanumeric());
            (has_content && len >= min && len <= max).then(|| Slot::Text { text: t.to_string() })
        }
        (Expect::Number, Answer::Text(t)) => {
            let value = parse_number(t)?;
            let fits = ask.min.is_none_or(|m| value >= m) && ask.max.is_none_or(|m| value <= m);
            fits.then_some(Slot::Number { value })
        }
        (Expect::Date, Answer::Text(t)) => parse_date(t, today).map(|d| Slot::Date { date: d.to_string() }),
        (Expect::Phone, Answer::Text(t) | Answer::Contact(t)) => parse_phone(t).map(|phone| Slot::Phone { phone }),
        (Expect::District | Expect::DistrictOrLocation, Answer::Text(t)) => {
            places.find(t).map(|d| Slot::District { id: d.id.clone() })
        }
        (Expect::Location | Expect::DistrictOrLocation, Answer::Location { lat, lon }) => {
            let valid = lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
            valid.then_some(Slot::Location { lat: *lat, lon: *lon })
        }
        (Expect::Photo, Answer::Photo(id)) => Some(Slot::Photo { file_id: id.to_string() }),
        _ => None,
    }
}

/// The choice that free words name ("светофарът мига" names the traffic light), when the
/// words of exactly one choice appear in `words` (see `Classifier::words`).
pub(crate) fn choice_by_words(ask: &Ask, words: &[String]) -> Option<Slot> {
    let named: Vec<usize> = (0..ask.choices.len())
        .filter(|&i| ask.choices[i].words.iter().any(|w| words.iter().any(|t| t.starts_with(w.as_str()))))
        .collect();
    match named.as_slice() {
        [i] => choice(ask, *i),
        _ => None,
    }
}

fn choice(ask: &Ask, i: usize) -> Option<Slot> {
    let c = ask.choices.get(i)?;
    Some(Slot::Choice { value: c.value.clone(), label: c.label.clone() })
}

/// `12`, `2,5`, `2.5`, `1 200`.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.replace(',', ".");
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// `25.12.2026`, `25.12` (this year), `2026-12-25`, `днес`/`today`, `утре`/`tomorrow`.
pub(crate) fn parse_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    match normalize(text).as_str() {
        "днес" | "today" | "dnes" => return Some(today),
        "утре" | "tomorrow" | "utre" => return today.succ_opt(),
        _ => {}
    }
    let lower = text.trim().to_lowercase();
    let t = lower.trim_end_matches(['г', '.', ' ']);
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['.', '/', '-']).filter(|p| !p.is_empty()).collect();
    let num = |s: &str| s.trim().parse::<u32>().ok();
    match parts.as_slice() {
        [d, m, y] => {
            let y = num(y)?;
            let y = if y < 100 { 2000 + y } else { y };
            NaiveDate::from_ymd_opt(y as i32, num(m)?, num(d)?)
        }
        [d, m] => NaiveDate::from_ymd_opt(today.year(), num(m)?, num(d)?),
        _ => None,
    }
}

/// A Bulgarian phone number, as `+359` and nine digits: `0888 123 456`, `+359 888 123 456`,
/// `00359888123456`.
pub(crate) fn parse_phone(text: &str) -> Option<String> {
    let t = text.trim();
    if !t.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let national = if t.starts_with('+') {
        digits.strip_prefix("359")?.to_string()
    } else if let Some(rest) = digits.strip_prefix("00359") {
        rest.to_string()
    } else {
        digits.strip_prefix('0')?.to_string()
    };
    (national.len() == 8 || national.len() == 9).then(|| format!("+359{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulgarian_phone_numbers_in_their_usual_shapes() {
        assert_eq!(parse_phone("0888 123 456").as_deref(), Some("+359888123456"));
        assert_eq!(parse_phone("+359 888 123 456").as_deref(), Some("+359888123456"));
        assert_eq!(parse_phone("00359888123456").as_deref(), Some("+359888123456"));
        assert_eq!(parse_phone("02 987 6543").as_deref(), Some("+35929876543"));
        assert_eq!(parse_phone("+44 20 7946 0958"), None);
        assert_eq!(parse_phone("call me"), None);
        assert_eq!(parse_phone("123"), None);
    }

    #[test]
    fn dates_in_bulgarian_and_iso_shapes() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(parse_date("25.12.2026", today), NaiveDate::from_ymd_opt(2026, 12, 25));
        assert_eq!(parse_date("25.12.2026 г.", today), NaiveDate::from_ymd_opt(2026, 12, 25));
        assert_eq!(parse_date("1.6", today), NaiveDate::from_ymd_opt(2026, 6, 1));
        assert_eq!(parse_date("2026-12-25", today), NaiveDate::from_ymd_opt(2026, 12, 25));
        assert_eq!(parse_date("утре", today), NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_eq!(parse_date("31.02.2026", today), None);
        assert_eq!(parse_date("скоро", today), None);
    }

    #[test]
    fn numbers_with_a_decimal_comma() {
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number(" 1 200 "), Some(1200.0));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("две"), None);
    }
}
