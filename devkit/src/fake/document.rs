//! sendDocument's files: one uploaded in the request's form (teloxide's `InputFile::memory`
//! arrives as a file part named by an `attach://` in the `document` field), one sent again by
//! the file id the fake answered with, or one Telegram fetches by URL. It keeps the files the
//! fake holds and the documents delivered, for `documents_to`. The message around a document
//! is made by `serve`, with the other deliveries.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::form::Upload;
use super::{FakeBotApi, FakeState};

/// The most a bot may upload: 50 MB. Telegram answers a bigger request with 413.
pub(super) const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// A document delivered to a chat.
pub(super) struct SentDocument {
    pub(super) chat: i64,
    pub(super) file_id: String,
    /// The caption as the bot sent it (with its markup, if any).
    pub(super) caption: Option<String>,
}

/// The file id of the document a sendDocument call sends (a new one for an upload or a URL),
/// or Telegram's refusal.
pub(super) fn document_to_send(
    s: &mut FakeState,
    body: &Value,
    uploads: &HashMap<String, Upload>,
) -> Result<String, (StatusCode, String)> {
    let document = body["document"].as_str().unwrap_or_default();
    let new_id = format!("document-{}", s.next_message_id);
    if let Some(name) = document.strip_prefix("attach://") {
        return match uploads.get(name) {
            Some(upload) if upload.bytes.is_empty() => {
                let problem = format!("the file {:?} is empty", upload.file_name);
                refuse(s, problem, "file must be non-empty")
            }
            Some(upload) => {
                s.documents.insert(new_id.clone(), upload.clone());
                Ok(new_id)
            }
            None => refuse(
                s,
                format!("document {document:?} names no file part of the form"),
                "wrong file identifier/HTTP URL specified",
            ),
        };
    }
    if document.starts_with("https://") || document.starts_with("http://") {
        // The fake downloads nothing: the file keeps the URL's last segment as its name.
        let file_name = document.rsplit('/').next().unwrap_or_default().to_string();
        s.documents.insert(new_id.clone(), Upload { file_name, bytes: Vec::new() });
        return Ok(new_id);
    }
    if s.documents.contains_key(document) {
        return Ok(document.to_string());
    }
    if s.files.contains(document) {
        return refuse(s, format!("{document:?} is a photo's file id"), "type of file mismatch");
    }
    let problem = format!("document {document:?} is no file id Telegram handed out");
    refuse(s, problem, "wrong file identifier/HTTP URL specified")
}

/// Telegram's refusal, noted as a violation.
fn refuse(s: &mut FakeState, problem: String, description: &str) -> Result<String, (StatusCode, String)> {
    s.violations.push(format!("sendDocument: {problem}"));
    Err((StatusCode::BAD_REQUEST, format!("Bad Request: {description}")))
}

/// The Document object Telegram answers with for a file it holds.
pub(super) fn document_object(file_id: &str, file: &Upload) -> Value {
    let mut document = json!({
        "file_id": file_id,
        "file_unique_id": format!("u{file_id}"),
        "mime_type": mime_type(&file.file_name),
        "file_size": file.bytes.len(),
    });
    // A file uploaded without a name shows none.
    if !file.file_name.is_empty() {
        document["file_name"] = json!(file.file_name);
    }
    document
}

/// The MIME type Telegram gives a file by its name's extension.
fn mime_type(file_name: &str) -> &'static str {
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "csv" => "text/csv",
        _ => "application/octet-stream",
    }
}

impl FakeBotApi {
    /// The documents delivered to a chat (successful sendDocument calls, in any topic or none),
    /// in order: (file name, bytes, caption as sent). A document sent again by file id shows
    /// the file it names; one sent by URL shows the URL's last segment and no bytes.
    pub fn documents_to(&self, chat: i64) -> Vec<(String, Vec<u8>, Option<String>)> {
        let s = self.inner.lock();
        let sent = s.sent_documents.iter().filter(|d| d.chat == chat);
        sent.map(|d| {
            let file = &s.documents[&d.file_id];
            (file.file_name.clone(), file.bytes.clone(), d.caption.clone())
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use teloxide::RequestError;
    use teloxide::errors::ApiError;
    use teloxide::prelude::*;
    use teloxide::types::{FileId, InputFile, ParseMode};

    use super::super::check::spec;
    use super::super::{Citizen, FakeBotApi, Fault};
    use super::{UPLOAD_LIMIT, document_object};

    const GROUP: i64 = -100_200_300;

    #[tokio::test]
    async fn a_citizens_data_file_is_uploaded_and_read_back() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, Some("bg"));
        fake.push(citizen.text("/mydata"));
        let bot = fake.bot();
        let data = br#"{"chat": 1001, "lang": "bg"}"#.to_vec();

        let sent = bot
            .send_document(ChatId(citizen.id), InputFile::memory(data.clone()).file_name("my-data.json"))
            .caption("<b>Your</b> data")
            .parse_mode(ParseMode::Html)
            .await
            .unwrap();
        let document = sent.document().expect("a document message");
        assert_eq!(document.file_name.as_deref(), Some("my-data.json"));
        assert_eq!(document.file.size as usize, data.len());
        assert_eq!(document.mime_type.as_ref().map(|m| m.essence_str()), Some("application/json"));
        assert_eq!(sent.caption(), Some("Your data"));

        // Sent again by the file id Telegram answered with, without a caption.
        let again = bot.send_document(ChatId(citizen.id), InputFile::file_id(document.file.id.clone())).await.unwrap();
        assert_eq!(again.document().map(|d| &d.file.id), Some(&document.file.id));
        assert_eq!(
            fake.documents_to(citizen.id),
            vec![
                ("my-data.json".to_string(), data.clone(), Some("<b>Your</b> data".to_string())),
                ("my-data.json".to_string(), data, None),
            ]
        );
        let recorded = fake.calls("sendDocument");
        assert_eq!(recorded[0].body["chat_id"], citizen.id, "the form's chat_id reads as a number");
        assert!(recorded[0].body["document"].as_str().is_some_and(|d| d.starts_with("attach://")));
        assert_eq!(fake.deliveries_to(citizen.id).len(), 2);
        assert!(fake.messages_to(citizen.id).is_empty());
        assert!(fake.wait_until(std::time::Duration::ZERO, |v| v.delivered_to(citizen.id) == 2).await);
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
    }

    #[tokio::test]
    async fn a_file_name_in_cyrillic_arrives_as_it_was_given() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let bot = fake.bot();
        let thread = bot.create_forum_topic(ChatId(GROUP), "Case 1").await.unwrap().thread_id;
        let name = "моите данни \"2026\".json";
        let bytes = "{\"име\": \"Мария\"}\r\n--not a boundary\r\n".as_bytes().to_vec();
        let sent = bot
            .send_document(ChatId(GROUP), InputFile::memory(bytes.clone()).file_name(name))
            .message_thread_id(thread)
            .await
            .unwrap();
        assert_eq!(sent.document().and_then(|d| d.file_name.as_deref()), Some(name));
        assert_eq!(fake.documents_to(GROUP), vec![(name.to_string(), bytes, None)]);
        assert_eq!(fake.in_topic(GROUP, thread.0.0.into()).len(), 1);
    }

    #[tokio::test]
    async fn documents_telegram_would_refuse_are_refused() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.photo("photo-1"));
        let bot = fake.bot();
        let to_citizen = |file: InputFile| bot.send_document(ChatId(citizen.id), file);

        let empty = to_citizen(InputFile::memory(Vec::new()).file_name("empty.json")).await;
        assert!(
            matches!(&empty, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Bad Request: file must be non-empty")
        );
        let photo = to_citizen(InputFile::file_id(FileId("photo-1".into()))).await;
        assert!(
            matches!(&photo, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Bad Request: type of file mismatch")
        );
        let unknown = to_citizen(InputFile::file_id(FileId("document-9".into()))).await;
        assert!(matches!(unknown, Err(RequestError::Api(ApiError::WrongFileIdOrUrl))), "{unknown:?}");
        let long = to_citizen(InputFile::memory(b"{}".to_vec()).file_name("a.json")).caption("я".repeat(1025)).await;
        assert!(long.is_err());
        assert_eq!(fake.violations().len(), 4, "{:?}", fake.violations());

        fake.fail_next("sendDocument", Fault::RetryAfter(3));
        let limited = to_citizen(InputFile::memory(b"{}".to_vec()).file_name("a.json")).await;
        assert!(matches!(limited, Err(RequestError::RetryAfter(s)) if s.seconds() == 3), "{limited:?}");
        fake.block(citizen.id);
        let blocked = to_citizen(InputFile::memory(b"{}".to_vec()).file_name("a.json")).await;
        assert!(matches!(blocked, Err(RequestError::Api(ApiError::BotBlocked))), "{blocked:?}");
        fake.unblock(citizen.id);
        to_citizen(InputFile::memory(b"{}".to_vec()).file_name("a.json")).await.unwrap();
        assert_eq!(fake.documents_to(citizen.id), vec![("a.json".to_string(), b"{}".to_vec(), None)]);
        assert_eq!(fake.deliveries_to(citizen.id).len(), 1);
    }

    #[tokio::test]
    async fn a_file_over_50_mb_is_too_large() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.text("hi"));
        let big = vec![b'x'; UPLOAD_LIMIT + 1];
        let sent = fake.bot().send_document(ChatId(citizen.id), InputFile::memory(big).file_name("big.bin")).await;
        assert!(matches!(sent, Err(RequestError::Api(ApiError::RequestEntityTooLarge))), "{sent:?}");
        assert!(fake.documents_to(citizen.id).is_empty());
        assert_eq!(fake.violations().len(), 1, "{:?}", fake.violations());
    }

    #[test]
    fn the_document_is_what_the_bot_api_describes() {
        let file = super::Upload { file_name: "my-data.json".into(), bytes: b"{}".to_vec() };
        assert_eq!(spec().check_type("Document", &document_object("document-1", &file)), Vec::<String>::new());
    }
}
