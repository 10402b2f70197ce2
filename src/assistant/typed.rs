//! What a typed text may stand for besides itself: the label of a button on offer or its
//! number, a word that means the menu ("меню", "menu", "начало", ...), a yes or a no to the
//! shell's own confirmation (erasing one's data), and a rating typed as a digit or as its
//! label. Pure functions: no IO.
//!
//! The words are content, not code: `menu-words` in `locales/*/core.ftl`, `forget-yes-words`
//! and `forget-no-words` in `locales/*/privacy.ftl`, each a list separated by commas. Both
//! languages' lists count in either language: a citizen writing Bulgarian may type "menu".

use crate::engine::action::Action;
use crate::engine::{self, Button, Flows, Input, Msg, Session};
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::nlu::normalize::normalize;
use crate::staff::cases::{Case, Status};

/// Longer than any button label or menu word.
const MAX_LABEL_CHARS: usize = 64;

/// The messages that hold typed words, for the lint.
pub const WORD_LISTS: &[&str] = &["menu-words", "forget-yes-words", "forget-no-words"];

/// Reads a typed text as the button it stands for, if it stands for one:
/// - a word that means the menu, always (it reaches the assistant even while a case takes the
///   citizen's messages);
/// - exactly the label of a button on offer;
/// - a yes or a no while the shell's erasure question is on offer;
/// - the number of a button on offer (1, 2, ...), when no question of a form is open (a
///   question may want a number itself) or the buttons on offer are the shell's own (a
///   confirmation, a rating), which are the question.
pub fn press_typed_button(input: Input, session: &Session, flows: &Flows, locales: &Locales) -> Input {
    let Input::Text { text } = &input else { return input };
    // Labels and words are a few words: a longer text is a question, and rendering every
    // label to compare with it would be wasted work on every message.
    if text.chars().count() > MAX_LABEL_CHARS {
        return input;
    }
    let typed = normalize(text);
    if typed.is_empty() {
        return input;
    }
    if says(locales, "menu-words", &typed) {
        return press(&Action::Menu);
    }
    if session.offered.is_empty() {
        return input;
    }
    let label_of = |b: &Button| normalize(&locales.render(session.lang, &b.label));
    if let Some(b) = session.offered.iter().find(|b| label_of(b) == typed) {
        return Input::Button { data: b.data.clone() };
    }
    let offers = |a: &Action| session.offered.iter().any(|b| b.data == a.to_string());
    for (yes, words) in [(true, "forget-yes-words"), (false, "forget-no-words")] {
        if offers(&Action::Forget(yes)) && says(locales, words, &typed) {
            return press(&Action::Forget(yes));
        }
    }
    if let Ok(n) = typed.parse::<usize>() {
        let asking = session
            .at
            .as_ref()
            .and_then(|t| flows.step_at(t))
            .is_some_and(|s| matches!(s.kind, engine::StepKind::Ask(_)));
        let shells = session.offered.iter().any(|b| Action::parse(&b.data).is_some_and(|a| a.is_shell()));
        if (!asking || shells) && (1..=session.offered.len()).contains(&n) {
            return Input::Button { data: session.offered[n - 1].data.clone() };
        }
    }
    input
}

/// A rating typed after staff closed the case and asked for one: a digit from 1 to 5 or a
/// rating button's label ("5 ⭐"), whatever buttons the assistant offered since. The data of
/// the button it stands for.
pub fn typed_rating(case: &Case, input: &Input, locales: &Locales) -> Option<String> {
    let Input::Text { text } = input else { return None };
    if case.status != Status::Resolved || case.rating.is_some() || text.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let typed = normalize(text);
    let stars = (1..=5u8).find(|n| {
        typed == n.to_string() || typed == normalize(&locales.render(case.lang, &Msg::new(&format!("btn-rate-{n}"))))
    })?;
    Some(Action::Rate { case: case.id(), stars }.to_string())
}

fn press(action: &Action) -> Input {
    Input::Button { data: action.to_string() }
}

/// Whether the typed text (normalised) is one of the words of the list `id`, in any language.
fn says(locales: &Locales, id: &str, typed: &str) -> bool {
    Lang::ALL.into_iter().any(|lang| words(locales, lang, id).any(|w| w == typed))
}

/// The words of a list, normalised.
fn words(locales: &Locales, lang: Lang, id: &str) -> impl Iterator<Item = String> {
    let list = if locales.has(lang, id) { locales.render(lang, &Msg::new(id)) } else { String::new() };
    list.split(',').map(normalize).filter(|w| !w.is_empty()).collect::<Vec<_>>().into_iter()
}
