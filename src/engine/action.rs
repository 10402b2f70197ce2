//! What a button does: one typed action, written into a button's data and read back in one
//! place. Telegram carries the data as `callback_data` (at most 64 bytes), the console as
//! the number or label typed; both come back here.
//!
//! The engine acts on the dialogue's own actions; the shell's (ratings, erasure, staff) are
//! carried here too so that every button has one format, and the engine leaves them alone.

use std::fmt;

use super::Target;
use crate::lang::Lang;

/// A button's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Go to a step (a menu button): `g:flow:step`.
    Go(Target),
    /// Answer the question at `at` with its choice `index`: `c:flow:step:index`.
    Choose { at: Target, index: usize },
    /// Skip the optional question at `at`: `k:flow:step`.
    Skip(Target),
    /// Speak this language from now on: `l:bg`.
    Lang(Lang),
    /// The main menu: `m`.
    Menu,
    /// A person: `h`.
    Human,
    /// Go back to the form left for a moment (`r:c`), or leave it (`r:n`).
    Resume(bool),
    /// The location given is right after all (`p:y`), or will be sent again (`p:n`).
    Place(bool),
    /// The shell's: rate case `case` with `stars` from 1 to 5: `v:case:stars`.
    Rate { case: i64, stars: u8 },
    /// The shell's: erase my data (`f:y`), or do not (`f:n`).
    Forget(bool),
    /// The shell's, in the staff group: take (`s:t:case`), close (`s:c:case`), reopen
    /// (`s:o:case`) a case.
    Staff { act: StaffButton, case: i64 },
}

/// What a button on a case's card in the staff group does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffButton {
    Take,
    Close,
    Reopen,
}

impl Action {
    /// Reads a button's data; `None` for data this version never writes (an old button).
    pub fn parse(data: &str) -> Option<Action> {
        let parts: Vec<&str> = data.split(':').collect();
        let at = |flow: &str, step: &str| Target { flow: flow.to_string(), step: step.to_string() };
        let yes_no = |p: &str| match p {
            "y" | "c" => Some(true),
            "n" => Some(false),
            _ => None,
        };
        Some(match parts.as_slice() {
            ["g", flow, step] => Action::Go(at(flow, step)),
            ["c", flow, step, i] => Action::Choose { at: at(flow, step), index: i.parse().ok()? },
            ["k", flow, step] => Action::Skip(at(flow, step)),
            ["l", code] => Action::Lang(Lang::parse(code)?),
            ["m"] => Action::Menu,
            ["h"] => Action::Human,
            ["r", p] => Action::Resume(yes_no(p)?),
            ["p", p] => Action::Place(yes_no(p)?),
            ["v", case, stars] => {
                let stars: u8 = stars.parse().ok().filter(|s| (1..=5).contains(s))?;
                Action::Rate { case: case.parse().ok()?, stars }
            }
            ["f", p] => Action::Forget(yes_no(p)?),
            ["s", act, case] => {
                let act = match *act {
                    "t" => StaffButton::Take,
                    "c" => StaffButton::Close,
                    "o" => StaffButton::Reopen,
                    _ => return None,
                };
                Action::Staff { act, case: case.parse().ok()? }
            }
            _ => return None,
        })
    }

    /// Whether the shell, not the engine, answers this action.
    pub fn is_shell(&self) -> bool {
        matches!(self, Action::Rate { .. } | Action::Forget(_) | Action::Staff { .. })
    }
}

/// The button data: short ASCII, within Telegram's 64 bytes for the names `dialogs/` allows.
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yn = |b: bool| if b { "y" } else { "n" };
        match self {
            Action::Go(t) => write!(f, "g:{}:{}", t.flow, t.step),
            Action::Choose { at, index } => write!(f, "c:{}:{}:{index}", at.flow, at.step),
            Action::Skip(t) => write!(f, "k:{}:{}", t.flow, t.step),
            Action::Lang(l) => write!(f, "l:{}", l.code()),
            Action::Menu => write!(f, "m"),
            Action::Human => write!(f, "h"),
            Action::Resume(go_on) => write!(f, "r:{}", if *go_on { "c" } else { "n" }),
            Action::Place(right) => write!(f, "p:{}", yn(*right)),
            Action::Rate { case, stars } => write!(f, "v:{case}:{stars}"),
            Action::Forget(yes) => write!(f, "f:{}", yn(*yes)),
            Action::Staff { act, case } => {
                let a = match act {
                    StaffButton::Take => "t",
                    StaffButton::Close => "c",
                    StaffButton::Reopen => "o",
                };
                write!(f, "s:{a}:{case}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_the_data_it_writes() {
        let t = Target { flow: "housing".into(), step: "category".into() };
        for a in [
            Action::Go(t.clone()),
            Action::Choose { at: t.clone(), index: 3 },
            Action::Skip(t),
            Action::Lang(Lang::En),
            Action::Menu,
            Action::Human,
            Action::Resume(true),
            Action::Resume(false),
            Action::Place(true),
            Action::Place(false),
            Action::Rate { case: 202600000123, stars: 5 },
            Action::Forget(true),
            Action::Forget(false),
            Action::Staff { act: StaffButton::Close, case: 202600000007 },
        ] {
            assert_eq!(Action::parse(&a.to_string()), Some(a.clone()), "{a}");
        }
    }

    #[test]
    fn data_this_version_never_writes_is_no_action() {
        for data in ["", "x", "g:housing", "c:a:b:x", "l:de", "v:1:9", "v:x:3", "s:z:1", "f:maybe", "m:m", "🙂"] {
            assert_eq!(Action::parse(data), None, "{data:?}");
        }
    }
}
