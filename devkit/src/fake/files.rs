//! Telegram's file server, as the fake plays it: getFile hands out a path for a file id the
//! fake knows, and `GET /file/bot<token>/<path>` serves that file's bytes, as teloxide's
//! `get_file` and `download_file` expect. The fake knows the photos Telegram handed out (in
//! pushed updates, in its answers, `know_file`), the documents it holds, and the files a test
//! gave bytes with `put_file`. It only reads which files exist: `serve` and `document` decide
//! that.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{FakeBotApi, FakeState, Inner, TOKEN, answer};

/// The biggest file a bot may download: 20 MB. getFile refuses a bigger one.
const DOWNLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// What the file server holds beyond the files the rest of the fake knows.
#[derive(Default)]
pub(super) struct FileServer {
    /// The bytes given with `put_file`, by file id.
    bytes: HashMap<String, Vec<u8>>,
    /// The path getFile handed out for a file id. A file keeps its path, as Telegram's stays
    /// valid for at least an hour.
    paths: HashMap<String, String>,
    /// Files served.
    downloads: usize,
}

/// A file the fake can serve: its bytes, and how getFile names it.
struct Held<'a> {
    bytes: &'a [u8],
    /// `photos` or `documents`, as Telegram files them.
    folder: &'static str,
    /// The name's extension with its dot, or "" for none.
    extension: String,
}

/// The file a file id names, if the fake knows it. Bytes given with `put_file` come first, then
/// a document's upload, then, for a photo no test gave bytes for, a small grey JPEG.
fn held<'a>(s: &'a FakeState, file_id: &str) -> Option<Held<'a>> {
    if let Some(bytes) = s.file_server.bytes.get(file_id) {
        return Some(Held { bytes, folder: "photos", extension: format!(".{}", image_kind(bytes)) });
    }
    if let Some(upload) = s.documents.get(file_id) {
        let extension = upload.file_name.rsplit_once('.').map(|(_, e)| format!(".{}", e.to_ascii_lowercase()));
        return Some(Held { bytes: &upload.bytes, folder: "documents", extension: extension.unwrap_or_default() });
    }
    s.files.contains(file_id).then(|| Held { bytes: grey_jpeg(), folder: "photos", extension: ".jpg".into() })
}

/// getFile: a File with the path to download it from, or Telegram's refusal.
pub(super) fn get_file(inner: &Inner, body: &Value) -> Result<Value, (StatusCode, String)> {
    let file_id = body["file_id"].as_str().unwrap_or_default();
    let mut s = inner.lock();
    let Some((size, folder, extension)) = held(&s, file_id).map(|h| (h.bytes.len(), h.folder, h.extension)) else {
        s.violations.push(format!("getFile: {file_id:?} is no file id Telegram handed out"));
        return Err((StatusCode::BAD_REQUEST, "Bad Request: invalid file_id".into()));
    };
    // Not the bot's mistake: it cannot know a file's size before it asks.
    if size > DOWNLOAD_LIMIT {
        return Err((StatusCode::BAD_REQUEST, "Bad Request: file is too big".into()));
    }
    let paths = &mut s.file_server.paths;
    let n = paths.len() + 1;
    let path = paths.entry(file_id.to_string()).or_insert_with(|| format!("{folder}/file_{n}{extension}")).clone();
    Ok(json!({"file_id": file_id, "file_unique_id": format!("u{file_id}"), "file_size": size, "file_path": path}))
}

/// `GET /file/bot<token>/<path>`: the bytes of the file getFile handed out this path for.
/// teloxide sends the path as one segment (`photos%2Ffile_1.jpg`); the route takes it
/// percent-decoded, so a path with plain slashes reads the same.
pub(super) async fn download(State(inner): State<Arc<Inner>>, Path((token, path)): Path<(String, String)>) -> Response {
    if token.strip_prefix("bot") != Some(TOKEN) {
        return answer(
            StatusCode::UNAUTHORIZED,
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        );
    }
    let bytes = {
        let mut s = inner.lock();
        let file_id = s.file_server.paths.iter().find(|(_, p)| **p == path).map(|(id, _)| id.clone());
        let bytes = file_id.and_then(|id| held(&s, &id).map(|h| h.bytes.to_vec()));
        match bytes {
            Some(_) => s.file_server.downloads += 1,
            None => s.violations.push(format!("download: {path:?} is no path getFile handed out")),
        }
        bytes
    };
    inner.changed.notify_waiters();
    let Some(bytes) = bytes else {
        return answer(StatusCode::NOT_FOUND, json!({"ok": false, "error_code": 404, "description": "Not Found"}));
    };
    let kind = match path.rsplit_once('.').map(|(_, e)| e) {
        Some("jpg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
}

/// The extension for an image's bytes: `png` or `webp` by their signature, else `jpg` (what
/// Telegram makes of every photo).
fn image_kind(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "webp"
    } else {
        "jpg"
    }
}

/// A 1x1 mid-grey baseline JPEG, built marker by marker: one 8x8 block whose every
/// coefficient is 0, coded with one-code Huffman tables.
pub(super) fn grey_jpeg() -> &'static [u8] {
    static JPEG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    JPEG.get_or_init(|| {
        fn segment(jpeg: &mut Vec<u8>, marker: u8, body: &[u8]) {
            jpeg.extend([0xFF, marker]);
            jpeg.extend(u16::try_from(body.len() + 2).expect("a short segment").to_be_bytes());
            jpeg.extend(body);
        }
        // One code, "0", of length 1, for the symbol 0: a DC difference of 0, or end of block.
        let one_code = |class: u8| [[class, 1].as_slice(), &[0; 15], &[0]].concat();
        let mut jpeg = vec![0xFF, 0xD8];
        // JFIF 1.1, square pixels, no thumbnail.
        segment(&mut jpeg, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        segment(&mut jpeg, 0xDB, &[[0].as_slice(), &[1; 64]].concat());
        // 8 bits, 1 row of 1 pixel, one component (id 1, no subsampling, table 0).
        segment(&mut jpeg, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        segment(&mut jpeg, 0xC4, &one_code(0x00));
        segment(&mut jpeg, 0xC4, &one_code(0x10));
        segment(&mut jpeg, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
        // The block: "0" (DC difference 0), "0" (end of block), padded with ones; then the end.
        jpeg.extend([0b0011_1111, 0xFF, 0xD9]);
        jpeg
    })
}

impl FakeBotApi {
    /// Telegram holds these bytes under this file id: getFile hands out a path for it
    /// (`photos/file_<n>.jpg`, or `.png` / `.webp` for such bytes) and the download serves
    /// them. The id is also one Telegram handed out, as `know_file`. Giving bytes again
    /// replaces them.
    pub fn put_file(&self, file_id: &str, bytes: Vec<u8>) {
        let mut s = self.inner.lock();
        s.files.insert(file_id.to_string());
        s.file_server.bytes.insert(file_id.to_string(), bytes);
    }

    /// How many files were downloaded (successful `GET /file/bot<token>/<path>`).
    pub fn downloads(&self) -> usize {
        self.inner.lock().file_server.downloads
    }
}

#[cfg(test)]
mod tests {
    use teloxide::RequestError;
    use teloxide::errors::{ApiError, DownloadError};
    use teloxide::net::Download;
    use teloxide::prelude::*;
    use teloxide::types::{FileId, InputFile};

    use super::super::check::spec;
    use super::super::{Citizen, FakeBotApi, TOKEN};
    use super::{DOWNLOAD_LIMIT, grey_jpeg};

    /// The HTTP status a failed download got.
    fn status(result: Result<(), DownloadError>) -> Option<u16> {
        match result {
            Err(DownloadError::Network(e)) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    #[tokio::test]
    async fn a_photo_from_a_citizen_is_fetched_and_downloaded() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, Some("bg"));
        fake.push(citizen.photo("photo-1"));
        let bot = fake.bot();

        let file = bot.get_file(FileId("photo-1".into())).await.unwrap();
        assert_eq!(file.path, "photos/file_1.jpg");
        assert_eq!((file.id.0.as_str(), file.unique_id.0.as_str()), ("photo-1", "uphoto-1"));
        assert_eq!(file.size as usize, grey_jpeg().len());
        let mut bytes = Vec::new();
        bot.download_file(&file.path, &mut bytes).await.unwrap();
        assert_eq!(bytes, grey_jpeg());

        // The path stays; another size of the photo gets its own.
        assert_eq!(bot.get_file(FileId("photo-1".into())).await.unwrap().path, "photos/file_1.jpg");
        assert_eq!(bot.get_file(FileId("photo-1-s".into())).await.unwrap().path, "photos/file_2.jpg");
        // A path with plain slashes, as a browser would ask for it.
        let url = format!("{}file/bot{TOKEN}/photos/file_1.jpg", fake.url());
        let plain = reqwest::get(url).await.unwrap();
        assert_eq!(plain.headers()["content-type"], "image/jpeg");
        assert_eq!(plain.bytes().await.unwrap(), grey_jpeg());

        assert_eq!(fake.downloads(), 2);
        assert_eq!(fake.calls("getFile")[0].body["file_id"], "photo-1");
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
    }

    #[tokio::test]
    async fn bytes_put_for_a_file_id_are_what_is_downloaded() {
        let fake = FakeBotApi::start().await;
        let bot = fake.bot();
        let png = b"\x89PNG\r\n\x1a\n not really the rest of a PNG".to_vec();
        fake.put_file("photo-9", png.clone());
        let file = bot.get_file(FileId("photo-9".into())).await.unwrap();
        assert_eq!((file.path.as_str(), file.size as usize), ("photos/file_1.png", png.len()));
        let mut bytes = Vec::new();
        bot.download_file(&file.path, &mut bytes).await.unwrap();
        assert_eq!(bytes, png);

        // Bytes put for a photo from an update replace the grey one; the bot may send it on.
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.photo("photo-1"));
        fake.put_file("photo-1", b"\xFF\xD8 a JPEG".to_vec());
        let file = bot.get_file(FileId("photo-1".into())).await.unwrap();
        let mut bytes = Vec::new();
        bot.download_file(&file.path, &mut bytes).await.unwrap();
        assert_eq!((file.path.as_str(), bytes.as_slice()), ("photos/file_2.jpg", &b"\xFF\xD8 a JPEG"[..]));
        bot.send_photo(ChatId(citizen.id), InputFile::file_id(FileId("photo-9".into()))).await.unwrap();
        assert_eq!(fake.downloads(), 2);
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
    }

    #[tokio::test]
    async fn a_document_the_bot_sent_is_downloaded_as_it_was_uploaded() {
        let fake = FakeBotApi::start().await;
        let citizen = Citizen::new(1001, None);
        fake.push(citizen.text("/mydata"));
        let bot = fake.bot();
        let data = br#"{"chat": 1001}"#.to_vec();
        let sent = bot
            .send_document(ChatId(citizen.id), InputFile::memory(data.clone()).file_name("My-Data.JSON"))
            .await
            .unwrap();
        let document = sent.document().expect("a document message");
        let file = bot.get_file(document.file.id.clone()).await.unwrap();
        assert_eq!(file.path, "documents/file_1.json");
        let mut bytes = Vec::new();
        bot.download_file(&file.path, &mut bytes).await.unwrap();
        assert_eq!(bytes, data);
    }

    #[tokio::test]
    async fn unknown_ids_unknown_paths_wrong_tokens_and_big_files_are_refused() {
        let fake = FakeBotApi::start().await;
        let bot = fake.bot();
        fake.put_file("photo-1", b"\xFF\xD8".to_vec());
        let path = bot.get_file(FileId("photo-1".into())).await.unwrap().path;

        let unknown = bot.get_file(FileId("photo-2".into())).await;
        assert!(
            matches!(&unknown, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Bad Request: invalid file_id"),
            "{unknown:?}"
        );
        assert_eq!(status(bot.download_file("photos/file_9.jpg", &mut Vec::new()).await), Some(404));
        assert_eq!(fake.violations().len(), 2, "{:?}", fake.violations());

        let stranger = sofia_bot::channels::telegram::bot("123456:another-token", Some(&fake.url()));
        assert_eq!(status(stranger.download_file(&path, &mut Vec::new()).await), Some(401));
        let refused = stranger.get_file(FileId("photo-1".into())).await;
        assert!(matches!(refused, Err(RequestError::Api(ApiError::InvalidToken))), "{refused:?}");

        fake.put_file("photo-3", vec![0; DOWNLOAD_LIMIT + 1]);
        let big = bot.get_file(FileId("photo-3".into())).await;
        assert!(
            matches!(&big, Err(RequestError::Api(ApiError::Unknown(d))) if d == "Bad Request: file is too big"),
            "{big:?}"
        );
        assert_eq!(fake.downloads(), 0);
        assert_eq!(fake.violations().len(), 2, "{:?}", fake.violations());
    }

    #[tokio::test]
    async fn the_file_is_what_the_bot_api_describes() {
        let fake = FakeBotApi::start().await;
        fake.know_file("photo-1");
        let file = super::get_file(&fake.inner, &serde_json::json!({"file_id": "photo-1"})).unwrap();
        assert_eq!(spec().check_type("File", &file), Vec::<String>::new());
    }

    #[test]
    fn the_grey_photo_is_a_whole_jpeg() {
        let jpeg = grey_jpeg();
        assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]) && jpeg.ends_with(&[0xFF, 0xD9]));
    }
}
