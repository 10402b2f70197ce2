//! A stored request as a teloxide call: the one place that turns a `render::Request` (what the
//! outbox holds) into the Bot API method it names. The sender and the staff group's topic
//! calls both go through it.

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    CallbackQueryId, FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, MessageId,
    ParseMode, ReactionType, ThreadId,
};

use super::render::Request;

/// Makes the call through teloxide; `thread` is the forum topic it goes to, if any.
/// Returns the id of the message it made, if it made one.
pub(super) async fn execute(bot: &Bot, request: &Request, thread: Option<i64>) -> Result<Option<i32>, RequestError> {
    let thread = thread.map(|t| ThreadId(MessageId(t as i32)));
    match request {
        Request::SendMessage { chat_id, text, parse_mode, link_preview_options, reply_markup, .. } => {
            let mut call = bot.send_message(ChatId(*chat_id), text.clone());
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            if parse_mode == "HTML" {
                call = call.parse_mode(ParseMode::Html);
            }
            if let Some(p) = link_preview_options {
                call = call.link_preview_options(LinkPreviewOptions {
                    is_disabled: p.is_disabled,
                    url: None,
                    prefer_small_media: false,
                    prefer_large_media: false,
                    show_above_text: false,
                });
            }
            if let Some(k) = reply_markup {
                let rows = k.inline_keyboard.iter().map(|row| {
                    row.iter()
                        .map(|b| InlineKeyboardButton::callback(b.text.clone(), b.callback_data.clone()))
                        .collect::<Vec<_>>()
                });
                call = call.reply_markup(InlineKeyboardMarkup::new(rows));
            }
            call.await.map(|m| Some(m.id.0))
        }
        Request::AnswerCallbackQuery { callback_query_id, text } => {
            let mut call = bot.answer_callback_query(CallbackQueryId(callback_query_id.clone()));
            if let Some(t) = text {
                call = call.text(t.clone());
            }
            call.await.map(|_| None)
        }
        Request::SendPhoto { chat_id, photo, caption, .. } => {
            let mut call = bot.send_photo(ChatId(*chat_id), InputFile::file_id(FileId(photo.clone())));
            if !caption.is_empty() {
                call = call.caption(caption.clone());
            }
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            call.await.map(|m| Some(m.id.0))
        }
        Request::SendDocument { chat_id, file_name, content } => {
            let file = InputFile::memory(content.clone().into_bytes()).file_name(file_name.clone());
            bot.send_document(ChatId(*chat_id), file).await.map(|m| Some(m.id.0))
        }
        Request::CopyMessage { chat_id, from_chat_id, message_id } => {
            bot.copy_message(ChatId(*chat_id), ChatId(*from_chat_id), MessageId(*message_id)).await.map(|m| Some(m.0))
        }
        Request::SendLocation { chat_id, latitude, longitude, .. } => {
            let mut call = bot.send_location(ChatId(*chat_id), *latitude, *longitude);
            if let Some(t) = thread {
                call = call.message_thread_id(t);
            }
            call.await.map(|m| Some(m.id.0))
        }
        Request::SetMessageReaction { chat_id, message_id, reaction } => {
            let reaction = reaction.iter().map(|r| ReactionType::Emoji { emoji: r.emoji.clone() });
            bot.set_message_reaction(ChatId(*chat_id), MessageId(*message_id)).reaction(reaction).await.map(|_| None)
        }
        Request::DeleteMessage { chat_id, message_id, .. } => match message_id {
            Some(id) => bot.delete_message(ChatId(*chat_id), MessageId(*id)).await.map(|_| None),
            None => Ok(None),
        },
        Request::EditMessageText { chat_id, message_id, text } => bot
            .edit_message_text(ChatId(*chat_id), MessageId(*message_id), text.clone())
            .parse_mode(ParseMode::Html)
            .await
            .map(|_| None),
        Request::EditMessageCaption { chat_id, message_id, caption } => bot
            .edit_message_caption(ChatId(*chat_id), MessageId(*message_id))
            .caption(caption.clone())
            .parse_mode(ParseMode::Html)
            .await
            .map(|_| None),
    }
}

/// The Bot API method a request calls, for logs and metrics.
pub(super) fn method_name(request: &Request) -> &'static str {
    match request {
        Request::SendMessage { .. } => "sendMessage",
        Request::AnswerCallbackQuery { .. } => "answerCallbackQuery",
        Request::SendPhoto { .. } => "sendPhoto",
        Request::SendLocation { .. } => "sendLocation",
        Request::CopyMessage { .. } => "copyMessage",
        Request::SendDocument { .. } => "sendDocument",
        Request::SetMessageReaction { .. } => "setMessageReaction",
        Request::DeleteMessage { .. } => "deleteMessage",
        Request::EditMessageText { .. } => "editMessageText",
        Request::EditMessageCaption { .. } => "editMessageCaption",
    }
}
