//! Property tests (proptest) for what reads untrusted input: Telegram updates as stored in the
//! inbox, button data, the flow loader on damaged content files, and the redaction of personal
//! data. Each holds for every input proptest generates; a failing case is shrunk and kept in
//! `tests/suite/proptest-regressions/` (commit it) to be tried first next time.

use std::path::Path;

use proptest::prelude::*;
use sofia_bot::engine::action::{Action, StaffButton};
use sofia_bot::engine::{Settings, Target};
use sofia_bot::lang::Lang;
use sofia_bot::privacy::redact::{Kind, PublicNumbers, find as find_in, redact as redact_with};

/// Text as citizens type it, and worse: Cyrillic, Latin, digits, emoji, controls, lone marks.
fn citizen_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[а-яА-Яa-zA-Z0-9 +@.,:()\\-]{0,80}",
        "[0-9 +\\-]{0,40}",
        proptest::collection::vec(
            prop_oneof![Just('🙂'), Just('\u{0301}'), Just('\u{202e}'), Just('\0'), any::<char>()],
            0..20
        )
        .prop_map(|c| c.into_iter().collect()),
    ]
}

/// An update as Telegram might send it, with any field replaced by any JSON.
fn update_json() -> impl Strategy<Value = String> {
    let text = citizen_text();
    let value = prop_oneof![
        Just(serde_json::Value::Null),
        any::<i64>().prop_map(serde_json::Value::from),
        citizen_text().prop_map(serde_json::Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
    ];
    let field = prop_oneof![
        Just("message"),
        Just("edited_message"),
        Just("callback_query"),
        Just("my_chat_member"),
        Just("chat"),
        Just("from"),
        Just("text"),
        Just("data"),
        Just("photo"),
        Just("location"),
        Just("update_id"),
    ];
    (text, any::<i64>(), any::<i32>(), field, value, any::<bool>()).prop_map(
        |(text, chat, id, field, value, private)| {
            let mut update = serde_json::json!({
                "update_id": id,
                "message": {
                    "message_id": id, "date": 1_790_000_000,
                    "chat": {"id": chat, "type": if private { "private" } else { "supergroup" }},
                    "from": {"id": chat, "is_bot": false, "first_name": "Иван", "language_code": "bg"},
                    "text": text,
                }
            });
            // One field, at the top or inside the message, becomes something else.
            if let Some(m) = update["message"].as_object_mut().filter(|_| id % 2 == 0) {
                m.insert(field.into(), value);
            } else {
                update[field] = value;
            }
            update.to_string()
        },
    )
}

/// A button action of every kind, with names as `dialogs/` allows them.
fn action() -> impl Strategy<Value = Action> {
    let name = "[a-z][a-z0-9_]{0,15}";
    let target = (name, name).prop_map(|(flow, step)| Target { flow, step });
    prop_oneof![
        target.clone().prop_map(Action::Go),
        (target.clone(), 0usize..1000).prop_map(|(at, index)| Action::Choose { at, index }),
        target.prop_map(Action::Skip),
        prop_oneof![Just(Lang::Bg), Just(Lang::En)].prop_map(Action::Lang),
        Just(Action::Menu),
        Just(Action::Human),
        any::<bool>().prop_map(Action::Resume),
        any::<bool>().prop_map(Action::Place),
        (0i64..i64::MAX, 1u8..=5).prop_map(|(case, stars)| Action::Rate { case, stars }),
        any::<bool>().prop_map(Action::Forget),
        (prop_oneof![Just(StaffButton::Take), Just(StaffButton::Close), Just(StaffButton::Reopen)], 0i64..i64::MAX)
            .prop_map(|(act, case)| Action::Staff { act, case }),
    ]
}

/// How a content file gets damaged: cut short, a line dropped, a line doubled, a byte in.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize),
    Drop(usize),
    Double(usize),
    Insert(usize, char),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::Cut),
        any::<usize>().prop_map(Damage::Drop),
        any::<usize>().prop_map(Damage::Double),
        (any::<usize>(), prop_oneof![Just('"'), Just('['), Just(']'), Just('='), Just('\n'), Just('#'), any::<char>()])
            .prop_map(|(at, c)| Damage::Insert(at, c)),
    ]
}

fn damaged(source: &str, damage: &Damage) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let boundary = |at: usize| {
        let mut at = at % (source.len() + 1);
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match *damage {
        Damage::Cut(at) => source[..boundary(at)].to_string(),
        Damage::Drop(i) => {
            let i = i % lines.len().max(1);
            lines.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| format!("{l}\n")).collect()
        }
        Damage::Double(i) => {
            let i = i % lines.len().max(1);
            lines
                .iter()
                .enumerate()
                .map(|(j, l)| if j == i { format!("{l}\n{l}\n") } else { format!("{l}\n") })
                .collect()
        }
        Damage::Insert(at, c) => {
            let at = boundary(at);
            format!("{}{c}{}", &source[..at], &source[at..])
        }
    }
}

/// Redaction with no public numbers: every number is someone's.
fn find(text: &str) -> Vec<(Kind, std::ops::Range<usize>)> {
    find_in(text, &PublicNumbers::default())
}

fn redact(text: &str) -> String {
    redact_with(text, &PublicNumbers::default())
}

fn dialogs() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dialogs"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the inbox holds, reading it never panics, and what is not a private chat is
    /// never a citizen's turn.
    #[test]
    fn any_stored_update_reads_without_a_panic(payload in update_json()) {
        use sofia_bot::channels::telegram::read::{Action as Read, read_payload};
        let read = read_payload(&payload);
        let value: serde_json::Value = serde_json::from_str(&payload).unwrap();
        if value["message"]["chat"]["type"] != "private" && value.get("callback_query").is_none_or(|c| c.is_null()) {
            prop_assert!(!matches!(read, Read::Turn { .. }), "a turn from {payload}");
        }
    }

    /// Bytes that are not even JSON read as an update that is not answered, never a panic.
    #[test]
    fn any_bytes_in_the_inbox_read_without_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = sofia_bot::channels::telegram::read::read_payload(&String::from_utf8_lossy(&bytes));
    }

    /// Every action is written within Telegram's 64 bytes and reads back as itself.
    #[test]
    fn every_action_reads_back_as_itself(action in action()) {
        let data = action.to_string();
        prop_assert!(data.len() <= 64, "{} is {} bytes", data, data.len());
        prop_assert_eq!(Action::parse(&data), Some(action));
    }

    /// Any button data parses or is refused; what parses writes back to the same data.
    #[test]
    fn any_button_data_parses_to_what_it_writes(data in prop_oneof![any::<String>(), "[gckmhlrpvfs:0-9a-z_]{0,30}"]) {
        if let Some(action) = Action::parse(&data) {
            let again = Action::parse(&action.to_string());
            prop_assert_eq!(again, Some(action));
        }
    }

    /// Redaction changes only what it masks: what it finds is in order and apart, the text
    /// between passes through byte for byte, and masking twice masks nothing more.
    #[test]
    fn redaction_masks_only_what_it_finds(text in citizen_text()) {
        let found = find(&text);
        let mut end = 0;
        for (_, range) in &found {
            prop_assert!(range.start >= end && range.end > range.start && range.end <= text.len());
            end = range.end;
        }
        let masked = redact(&text);
        let mut rebuilt = String::new();
        let mut copied = 0;
        for (kind, range) in &found {
            rebuilt.push_str(&text[copied..range.start]);
            rebuilt.push_str(kind.token());
            copied = range.end;
        }
        rebuilt.push_str(&text[copied..]);
        prop_assert_eq!(&masked, &rebuilt);
        prop_assert_eq!(redact(&masked), masked.clone());
    }

    /// A mobile number, however it is written between words, is masked.
    #[test]
    fn a_mobile_number_in_a_sentence_is_masked(
        before in "[а-яa-z ]{0,20}",
        after in "[а-яa-z ]{0,20}",
        operator in prop_oneof![Just("87"), Just("88"), Just("89"), Just("98")],
        rest in "[0-9]{7}",
        form in 0usize..4,
    ) {
        let national = format!("0{operator}{rest}");
        let written = match form {
            0 => national.clone(),
            1 => format!("+359{operator}{rest}"),
            2 => format!("{} {} {}", &national[..4], &national[4..7], &national[7..]),
            _ => format!("{}-{}-{}", &national[..4], &national[4..7], &national[7..]),
        };
        let text = format!("{before} {written} {after}");
        let kinds: Vec<Kind> = find(&text).into_iter().map(|(k, _)| k).collect();
        prop_assert_eq!(kinds, vec![Kind::Phone], "{}", text);
        prop_assert!(!redact(&text).contains(&rest));
    }
}

proptest! {
    // Each case loads the whole of dialogs/ (about 2 s in a debug build): fewer cases.
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// A damaged content file never panics the loader: it loads, or every error names a
    /// file of the folder and a line within it (0 for the file as a whole).
    #[test]
    fn a_damaged_flow_file_is_refused_at_a_line_or_loads(file in 0usize..64, damage in damage()) {
        let mut files: Vec<_> = std::fs::read_dir(dialogs()).unwrap().map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
        files.sort();
        let victim = &files[file % files.len()];
        let dir = tempfile::tempdir().unwrap();
        for f in &files {
            let source = std::fs::read_to_string(f).unwrap();
            let text = if f == victim { damaged(&source, &damage) } else { source };
            std::fs::write(dir.path().join(f.file_name().unwrap()), text).unwrap();
        }
        if let Err(errors) = sofia_bot::engine::load_flows(dir.path(), Settings::default()) {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(e.file.starts_with(dir.path()), "{e:?}");
                if e.file.is_file() {
                    let lines = std::fs::read_to_string(&e.file).unwrap().lines().count();
                    prop_assert!(e.line <= lines + 1, "{e:?} in a file of {lines} lines");
                }
            }
        }
    }
}
