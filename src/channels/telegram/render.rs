//! What the bot sends, as Bot API requests: the rendered replies become sendMessage bodies
//! (HTML parse mode, every text escaped, split under Telegram's 4096 limit, buttons laid out
//! for a phone), an acknowledgement that a message was passed on to staff becomes a reaction
//! on that message (setMessageReaction), and a pressed button gets its answerCallbackQuery.
//! Pure functions: no IO.
//!
//! A `Request` is what the outbox stores (JSON with a `method` field and the Bot API fields),
//! and what the sender turns back into a teloxide call.

use serde::{Deserialize, Serialize};

use crate::assistant::{Outgoing, Shown};
use crate::engine::Msg;
use crate::i18n::Locales;
use crate::lang::Lang;
use crate::privacy::export::DataFile;
use crate::staff::desk::StaffPost;

/// Telegram's limit on a message, in UTF-16 code units after entity parsing.
pub const MAX_TEXT: usize = 4096;
/// At most this many buttons side by side.
pub const MAX_PER_ROW: usize = 8;
/// Buttons in one message; a longer list continues in further messages.
pub const MAX_BUTTONS: usize = 30;
/// A row whose labels add up to more than this (in characters) is shown one button per row.
const ROW_WIDTH: usize = 36;
/// The text of a message that only continues the buttons of the one before.
const CONTINUED: &str = "…";
/// The reaction that marks a citizen's message passed on to staff: "✍" (writing hand, U+270D,
/// as Telegram's list of reactions spells it, without a variation selector). It says "noted"
/// without liking or disliking what was reported, which 👍 or ❤ would.
pub const PASSED_ON: &str = "\u{270D}";

/// A Bot API request the bot makes, as the outbox stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method")]
pub enum Request {
    #[serde(rename = "sendMessage")]
    SendMessage {
        chat_id: i64,
        /// Already escaped for HTML parse mode.
        text: String,
        parse_mode: String,
        /// Answers carry official links; a preview card of the first would crowd a phone screen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link_preview_options: Option<PreviewOptions>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_markup: Option<Keyboard>,
        /// For the staff group: the case whose forum topic it goes to (the sender finds or
        /// opens the topic). Not a Bot API field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<i64>,
    },
    #[serde(rename = "sendPhoto")]
    SendPhoto {
        chat_id: i64,
        /// A file id Telegram gave the bot.
        photo: String,
        caption: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<i64>,
    },
    /// A file for the citizen (their data), uploaded with the request.
    #[serde(rename = "sendDocument")]
    SendDocument { chat_id: i64, file_name: String, content: String },
    /// A staff member's photo or file, copied from the staff group to the citizen.
    #[serde(rename = "copyMessage")]
    CopyMessage { chat_id: i64, from_chat_id: i64, message_id: i32 },
    #[serde(rename = "sendLocation")]
    SendLocation {
        chat_id: i64,
        latitude: f64,
        longitude: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        case: Option<i64>,
    },
    /// A reaction on a citizen's message: it was passed on to staff.
    #[serde(rename = "setMessageReaction")]
    SetMessageReaction { chat_id: i64, message_id: i32, reaction: Vec<Reaction> },
    #[serde(rename = "answerCallbackQuery")]
    AnswerCallbackQuery {
        callback_query_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Takes back a post that carried the words of a citizen who erased their data (see
    /// `withdraw`): deleted, or where Telegram refuses (after 48 hours), edited to `notice`.
    #[serde(rename = "deleteMessage")]
    DeleteMessage {
        chat_id: i64,
        /// `None` while it is the post of outbox row `row`, not yet sent when the erasure
        /// committed: the sender looks up the message it became, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<i32>,
        /// Not a Bot API field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row: Option<i64>,
        /// The edit to make instead, as `EditMessageText` or `EditMessageCaption` with no
        /// message id; `None` for a post that has no text (a location). Not a Bot API field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instead: Option<Box<Request>>,
    },
    #[serde(rename = "editMessageText")]
    EditMessageText { chat_id: i64, message_id: i32, text: String },
    #[serde(rename = "editMessageCaption")]
    EditMessageCaption { chat_id: i64, message_id: i32, caption: String },
}

impl Request {
    /// The request as the outbox stores it.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Whether it counts against Telegram's message rate (a callback answer does not; a
    /// reaction is counted, to be safe: Telegram documents no rate of its own for it).
    pub fn is_message(&self) -> bool {
        !matches!(self, Request::AnswerCallbackQuery { .. })
    }

    /// The case whose forum topic it goes to, if any.
    pub fn case(&self) -> Option<i64> {
        match self {
            Request::SendMessage { case, .. }
            | Request::SendPhoto { case, .. }
            | Request::SendLocation { case, .. } => *case,
            Request::AnswerCallbackQuery { .. }
            | Request::CopyMessage { .. }
            | Request::SendDocument { .. }
            | Request::SetMessageReaction { .. }
            | Request::DeleteMessage { .. }
            | Request::EditMessageText { .. }
            | Request::EditMessageCaption { .. } => None,
        }
    }

    /// For a deletion Telegram refused, the edit to make instead, for the same message.
    pub fn instead(&self) -> Option<Request> {
        let Request::DeleteMessage { message_id: Some(id), instead: Some(edit), .. } = self else { return None };
        let mut edit = (**edit).clone();
        if let Request::EditMessageText { message_id, .. } | Request::EditMessageCaption { message_id, .. } = &mut edit
        {
            *message_id = *id;
        }
        Some(edit)
    }
}

/// The request that takes back a post in the staff group (sent as `method`): deletes message
/// `message_id`, or the message outbox row `row` becomes, and where that is refused edits its
/// text or caption to `notice` (plain text).
pub fn withdraw(group: i64, message_id: Option<i64>, row: Option<i64>, method: &str, notice: &str) -> Request {
    let text = teloxide::utils::html::escape(notice);
    let instead = match method {
        "sendMessage" => Some(Request::EditMessageText { chat_id: group, message_id: 0, text }),
        "sendPhoto" => Some(Request::EditMessageCaption { chat_id: group, message_id: 0, caption: text }),
        _ => None,
    };
    Request::DeleteMessage {
        chat_id: group,
        message_id: message_id.map(|m| m as i32),
        row,
        instead: instead.map(Box::new),
    }
}

/// `withdraw` as an outbox payload, for the store's erasure (`store::Withdraw`).
pub fn withdraw_payload(group: i64, message_id: Option<i64>, row: Option<i64>, method: &str, notice: &str) -> String {
    withdraw(group, message_id, row, method, notice).to_payload()
}

/// A reaction, as the Bot API's ReactionTypeEmoji.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reaction {
    #[serde(rename = "type")]
    pub kind: String,
    pub emoji: String,
}

impl Reaction {
    pub fn emoji(emoji: &str) -> Reaction {
        Reaction { kind: "emoji".into(), emoji: emoji.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewOptions {
    pub is_disabled: bool,
}

/// An inline keyboard: rows of buttons that send their data back when pressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyboard {
    pub inline_keyboard: Vec<Vec<KeyButton>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyButton {
    pub text: String,
    pub callback_data: String,
}

/// The answer to a pressed button: it stops the spinner on the citizen's phone.
pub fn answer_callback(callback_query_id: &str) -> Request {
    Request::AnswerCallbackQuery { callback_query_id: callback_query_id.to_string(), text: None }
}

/// Adds `next` to `request` when both are plain texts (no buttons) to the same case's topic
/// and together fit one message: how posts that queued up behind the staff group's rate go
/// out as one. False, and nothing changed, otherwise.
pub fn merge_into(request: &mut Request, next: &Request) -> bool {
    let (
        Request::SendMessage { chat_id, text, reply_markup: None, case: Some(case), .. },
        Request::SendMessage { chat_id: next_chat, text: next_text, reply_markup: None, case: Some(next_case), .. },
    ) = (&mut *request, next)
    else {
        return false;
    };
    // The escaped text is longer than what Telegram counts after parsing: a safe bound.
    if chat_id != next_chat || case != next_case || utf16_len(text) + 2 + utf16_len(next_text) > MAX_TEXT {
        return false;
    }
    text.push_str("\n\n");
    text.push_str(next_text);
    true
}

/// Posts in the staff group, each for its case's forum topic.
pub fn staff_posts(group: i64, posts: &[StaffPost]) -> Vec<Request> {
    let mut out = Vec::new();
    for post in posts {
        let case = Some(post.case().id());
        match post {
            StaffPost::Text { text, buttons, .. } => {
                let mut page = keyboard_pages(buttons).into_iter().next();
                let mut texts = split_text(text, MAX_TEXT);
                let last = texts.pop().unwrap_or_default();
                for t in texts {
                    out.push(for_case(send(group, &t, None), case));
                }
                out.push(for_case(send(group, &last, page.take()), case));
            }
            StaffPost::Photo { file_id, caption, .. } => out.push(Request::SendPhoto {
                chat_id: group,
                photo: file_id.clone(),
                caption: caption.chars().take(1024).collect(),
                case,
            }),
            StaffPost::Location { lat, lon, .. } => {
                out.push(Request::SendLocation { chat_id: group, latitude: *lat, longitude: *lon, case })
            }
        }
    }
    out
}

/// Everything a citizen's turn sends, in order: the answer to a pressed button (`callback`),
/// the replies, and the files (their data). `message` is the citizen's message the turn
/// answers, if it was one.
pub fn turn_requests(
    chat_id: i64,
    message: Option<i32>,
    callback: Option<&str>,
    replies: &[Outgoing],
    files: &[DataFile],
) -> Vec<Request> {
    let files =
        files.iter().map(|f| Request::SendDocument { chat_id, file_name: f.name.clone(), content: f.content.clone() });
    callback.map(answer_callback).into_iter().chain(messages(chat_id, message, replies)).chain(files).collect()
}

/// The requests for a turn's replies, in order: sendMessage for each, and for an
/// acknowledgement that the citizen's message was passed on, a reaction on that message
/// (`message`), or its text when there is no message to mark.
pub fn messages(chat_id: i64, message: Option<i32>, replies: &[Outgoing]) -> Vec<Request> {
    let mut out = Vec::new();
    for reply in replies {
        if let (true, Some(message_id)) = (reply.ack, message) {
            out.push(Request::SetMessageReaction { chat_id, message_id, reaction: vec![Reaction::emoji(PASSED_ON)] });
            continue;
        }
        let mut texts = split_text(&reply.text, MAX_TEXT);
        let mut pages = keyboard_pages(&reply.buttons);
        let first_page = if pages.is_empty() { None } else { Some(pages.remove(0)) };
        let last = texts.pop().unwrap_or_default();
        for t in texts {
            out.push(send(chat_id, &t, None));
        }
        out.push(send(chat_id, &last, first_page));
        for page in pages {
            out.push(send(chat_id, CONTINUED, Some(page)));
        }
    }
    out
}

fn for_case(mut request: Request, for_case: Option<i64>) -> Request {
    if let Request::SendMessage { case, .. } = &mut request {
        *case = for_case;
    }
    request
}

fn send(chat_id: i64, text: &str, keyboard: Option<Keyboard>) -> Request {
    // Telegram refuses an empty or blank text.
    let text = if text.trim().is_empty() { CONTINUED } else { text };
    Request::SendMessage {
        chat_id,
        text: teloxide::utils::html::escape(text),
        parse_mode: "HTML".into(),
        link_preview_options: Some(PreviewOptions { is_disabled: true }),
        reply_markup: keyboard,
        case: None,
    }
}

/// Length as Telegram counts it: UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Splits a text into pieces of at most `max` UTF-16 units: between paragraphs where it can,
/// else between lines, else between words, else anywhere (never inside a character).
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let text = text.trim_end();
    if utf16_len(text) <= max {
        return vec![text.to_string()];
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while utf16_len(rest) > max {
        let cut = cut_at(rest, max);
        let (head, tail) = rest.split_at(cut);
        let head = head.trim_end();
        if !head.is_empty() {
            pieces.push(head.to_string());
        }
        rest = tail.trim_start_matches(['\n', ' ']);
    }
    if !rest.trim().is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// The byte index to cut `text` at so that the head holds at most `max` UTF-16 units.
fn cut_at(text: &str, max: usize) -> usize {
    // The longest prefix that fits, ending on a character boundary.
    let mut units = 0;
    let mut fits = 0;
    for (i, c) in text.char_indices() {
        if units + c.len_utf16() > max {
            break;
        }
        units += c.len_utf16();
        fits = i + c.len_utf8();
    }
    let head = &text[..fits];
    for sep in ["\n\n", "\n", " "] {
        if let Some(i) = head.rfind(sep) {
            // A cut in the first tenth would leave a tiny piece; look for a coarser boundary.
            if i > fits / 10 {
                return i;
            }
        }
    }
    fits.max(text.chars().next().map_or(0, char::len_utf8))
}

/// Lays out the buttons for a phone and pages a very long list: rows of at most 8, a row that
/// would not fit the width shown one per row, at most `MAX_BUTTONS` per message. A button
/// whose data Telegram would refuse (not 1-64 bytes) is left out.
pub fn keyboard_pages(rows: &[Vec<Shown>]) -> Vec<Keyboard> {
    let mut laid: Vec<Vec<KeyButton>> = Vec::new();
    for row in rows {
        let buttons: Vec<KeyButton> = row
            .iter()
            .filter(|b| {
                let ok = valid_data(&b.data);
                if !ok {
                    tracing::warn!(bytes = b.data.len(), "a button's data is not 1-64 bytes; left out");
                }
                ok && !b.label.trim().is_empty()
            })
            .map(|b| KeyButton { text: b.label.clone(), callback_data: b.data.clone() })
            .collect();
        for chunk in buttons.chunks(MAX_PER_ROW) {
            // Each button takes its label and about three characters of padding.
            let width: usize = chunk.iter().map(|b| b.text.chars().count() + 3).sum();
            if chunk.len() > 1 && width > ROW_WIDTH + 3 {
                laid.extend(chunk.iter().map(|b| vec![b.clone()]));
            } else {
                laid.push(chunk.to_vec());
            }
        }
    }
    let mut pages = Vec::new();
    let mut page: Vec<Vec<KeyButton>> = Vec::new();
    let mut count = 0;
    for row in laid {
        if count + row.len() > MAX_BUTTONS && !page.is_empty() {
            pages.push(Keyboard { inline_keyboard: std::mem::take(&mut page) });
            count = 0;
        }
        count += row.len();
        page.push(row);
    }
    if !page.is_empty() {
        pages.push(Keyboard { inline_keyboard: page });
    }
    pages
}

/// callback_data as Telegram takes it: 1-64 bytes.
pub fn valid_data(data: &str) -> bool {
    (1..=64).contains(&data.len())
}

/// The commands the shell answers, in the order of Telegram's command menu. What each says
/// there is the content's: the message `cmd-<name>` of each locale (`check` requires it).
pub const COMMANDS: [&str; 11] =
    ["start", "menu", "help", "language", "human", "cases", "privacy", "mydata", "forget", "cancel", "reset"];

/// The command menu for a language (`setMyCommands`): each command with its `cmd-<name>`
/// message, cut to Telegram's 256 characters. A command without one is left out.
pub fn command_menu(locales: &Locales, lang: Lang) -> Vec<(String, String)> {
    COMMANDS
        .iter()
        .filter_map(|name| {
            let id = format!("cmd-{name}");
            let text = if locales.has(lang, &id) { locales.render(lang, &Msg::new(&id)) } else { String::new() };
            let text: String = text.trim().chars().take(256).collect();
            (!text.is_empty()).then(|| (name.to_string(), text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(label: &str, data: &str) -> Shown {
        Shown { label: label.into(), data: data.into() }
    }

    #[test]
    fn a_long_answer_is_split_between_paragraphs() {
        let para = "а".repeat(3000);
        let text = format!("{para}\n\n{para}\n\n{para}");
        let pieces = split_text(&text, MAX_TEXT);
        assert_eq!(pieces.len(), 3);
        assert!(pieces.iter().all(|p| p == &para));
    }

    #[test]
    fn a_text_without_breaks_is_split_on_character_boundaries_in_utf16_units() {
        let text = "😀".repeat(3000); // 6000 UTF-16 units
        let pieces = split_text(&text, MAX_TEXT);
        assert!(pieces.iter().all(|p| utf16_len(p) <= MAX_TEXT));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn every_text_is_escaped_for_html() {
        let out = messages(
            1,
            None,
            &[Outgoing {
                text: "a < b & c > d <b>".into(),
                buttons: vec![],
                lang: Lang::Bg,
                flow: None,
                step: None,
                area: "none".into(),
                ack: false,
            }],
        );
        let Request::SendMessage { text, .. } = &out[0] else { panic!() };
        assert_eq!(text, "a &lt; b &amp; c &gt; d &lt;b&gt;");
    }

    #[test]
    fn long_labels_go_one_per_row_and_short_ones_share_a_row() {
        let pages = keyboard_pages(&[
            vec![shown("Меню", "m"), shown("Говорете със служител", "h")],
            vec![shown("Транспорт и паркиране в града", "a"), shown("Жилище и квартал, ремонти", "b")],
        ]);
        let rows: Vec<usize> = pages[0].inline_keyboard.iter().map(Vec::len).collect();
        assert_eq!(rows, vec![2, 1, 1]);
    }

    #[test]
    fn a_row_has_at_most_eight_and_a_message_at_most_thirty_buttons() {
        let row: Vec<Shown> = (0..10).map(|i| shown(&i.to_string(), &format!("d{i}"))).collect();
        let pages = keyboard_pages(&[row]);
        assert_eq!(pages[0].inline_keyboard.iter().map(Vec::len).collect::<Vec<_>>(), vec![8, 2]);
        let many: Vec<Vec<Shown>> =
            (0..70).map(|i| vec![shown(&format!("район {i}"), &format!("c:x:y:{i}"))]).collect();
        let pages = keyboard_pages(&many);
        assert_eq!(pages.len(), 3);
        assert!(pages.iter().all(|p| p.inline_keyboard.iter().flatten().count() <= MAX_BUTTONS));
    }

    #[test]
    fn button_data_over_64_bytes_is_left_out() {
        let pages = keyboard_pages(&[
            vec![shown("ok", "g:a:b")],
            vec![shown("too long", &"ж".repeat(33))],
            vec![shown("empty", "")],
        ]);
        let data: Vec<&str> = pages[0].inline_keyboard.iter().flatten().map(|b| b.callback_data.as_str()).collect();
        assert_eq!(data, vec!["g:a:b"]);
    }

    #[test]
    fn plain_posts_to_one_case_merge_and_others_do_not() {
        let post = |case: i64, text: &str, buttons: bool| {
            let buttons = if buttons { vec![vec![shown("Поемам", "s:t:1")]] } else { vec![] };
            let case = crate::staff::cases::CaseRef::from_id(case);
            staff_posts(-100, &[StaffPost::Text { case, text: text.into(), buttons }]).remove(0)
        };
        let mut first = post(1, "a", false);
        assert!(merge_into(&mut first, &post(1, "b", false)));
        assert!(!merge_into(&mut first, &post(2, "c", false)), "another case");
        assert!(!merge_into(&mut first, &post(1, "d", true)), "a post with buttons");
        assert!(!merge_into(&mut first, &post(1, &"е".repeat(MAX_TEXT), false)), "too long together");
        let Request::SendMessage { text, .. } = &first else { panic!() };
        assert_eq!(text, "a\n\nb");
    }

    #[test]
    fn a_message_passed_on_is_marked_with_a_reaction_and_otherwise_told() {
        let ack = Outgoing {
            text: "✍ Предадох го на служителя.".into(),
            buttons: vec![],
            lang: Lang::Bg,
            flow: Some("cases".into()),
            step: None,
            area: "human".into(),
            ack: true,
        };
        let marked = messages(7, Some(42), std::slice::from_ref(&ack));
        assert_eq!(
            marked[0].to_payload(),
            r#"{"method":"setMessageReaction","chat_id":7,"message_id":42,"reaction":[{"type":"emoji","emoji":"✍"}]}"#
        );
        let told = messages(7, None, &[ack]);
        assert!(matches!(&told[0], Request::SendMessage { text, .. } if text.contains("Предадох")));
    }

    #[test]
    fn the_outbox_payload_names_the_bot_api_method() {
        let json = answer_callback("77").to_payload();
        assert_eq!(json, r#"{"method":"answerCallbackQuery","callback_query_id":"77"}"#);
        let back: Request = serde_json::from_str(&json).unwrap();
        assert_eq!(back, answer_callback("77"));
    }

    #[test]
    fn command_names_are_valid_for_set_my_commands() {
        for name in COMMANDS {
            assert!(
                name.len() <= 32 && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            );
        }
    }
}
