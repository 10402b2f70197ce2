//! A loose Latin skeleton of a word or phrase, in which Cyrillic and every common Latin typing
//! of Bulgarian meet: for matching names (districts, estates), never for showing.

use super::normalize::normalize;

/// Reduces Cyrillic and every common Latin typing of Bulgarian to one loose Latin form, so
/// that "Люлин", "lyulin" and "lulin" meet, and "Възраждане" meets "vuzrajdane". It is lossy
/// on purpose: it only has to tell a few dozen place names apart.
pub(crate) fn skeleton(text: &str) -> String {
    let norm = normalize(text);
    let mut latin = String::with_capacity(norm.len());
    for c in norm.chars() {
        let s = match c {
            'а' | 'ъ' | 'у' => "a",
            'я' => "ia",
            'ю' => "iu",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ж' | 'з' | 'с' => "s",
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'т' => "t",
            'ф' => "f",
            'х' => "h",
            'ц' | 'ч' => "c",
            'ш' => "s",
            'щ' => "st",
            'ь' => "",
            c if c.is_ascii_alphanumeric() || c == ' ' => {
                latin.push(c);
                continue;
            }
            c if c.is_whitespace() => " ",
            _ => " ",
        };
        latin.push_str(s);
    }
    // Latin typing conventions, longest first.
    const RULES: [(&str, &str); 18] = [
        ("sht", "st"),
        ("6t", "st"),
        ("zh", "s"),
        ("ch", "c"),
        ("sh", "s"),
        ("ts", "c"),
        ("tz", "c"),
        ("kh", "h"),
        ("ya", "ia"),
        ("ja", "ia"),
        ("yu", "iu"),
        ("ju", "iu"),
        ("4", "c"),
        ("6", "s"),
        ("q", "ia"),
        ("w", "v"),
        ("x", "h"),
        ("j", "s"),
    ];
    let mut words = Vec::new();
    for word in latin.split_whitespace() {
        let has_letters = word.chars().any(|c| c.is_ascii_alphabetic());
        let mut w = word.to_string();
        if has_letters {
            for (from, to) in RULES {
                w = w.replace(from, to);
            }
            // ъ is typed as a, u or y; y also stands for й.
            w = w.replace(['z'], "s").replace("iu", "\u{1}").replace('u', "a").replace('\u{1}', "iu").replace('y', "i");
        }
        words.push(w);
    }
    words.join(" ")
}
