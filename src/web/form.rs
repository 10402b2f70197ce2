//! Forms and query strings as staff send them, read strictly: percent-encoding that does not
//! decode to UTF-8 is refused (400), never stored as replacement characters; a body over the
//! console's limit is refused (413); each field is read with its own limit in characters
//! (422). It checks no token and no session: see `extract`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};

use super::error::WebError;

/// The largest body the console takes: room for the longest fields, percent-encoded.
pub(super) const MAX_BODY: usize = 64 * 1024;

/// Limits per field, in characters.
pub(super) mod limit {
    /// An answer, a note or a closing note: Telegram splits longer texts, staff should not.
    pub(crate) const TEXT: usize = 4000;
    pub(crate) const CANNED_TITLE: usize = 100;
    pub(crate) const NAME: usize = 64;
    pub(crate) const PASSWORD: usize = super::super::auth::MAX_PASSWORD;
    pub(crate) const SEARCH: usize = 200;
    /// A filter value, a language, an id, an action.
    pub(crate) const SHORT: usize = 64;
}

/// The fields of a form or a query string; the last of repeated names wins.
#[derive(Debug, Clone, Default)]
pub(super) struct Fields(HashMap<String, String>);

impl Fields {
    /// Reads `application/x-www-form-urlencoded` text.
    pub(super) fn parse(bytes: &[u8]) -> Result<Fields, WebError> {
        let mut fields = HashMap::new();
        for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &b""[..]),
            };
            fields.insert(decode(name)?, decode(value)?);
        }
        Ok(Fields(fields))
    }

    /// A field as sent, if it was.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A field, trimmed, empty when absent; refused when longer than `max` characters.
    pub(super) fn text(&self, name: &'static str, max: usize) -> Result<String, WebError> {
        let value = self.get(name).unwrap_or_default().trim();
        if value.chars().count() > max {
            return Err(WebError::TooLong { field: name, max });
        }
        Ok(value.to_string())
    }

    /// A field as typed (not trimmed), cut to `max` characters: to show a refused form again.
    pub(super) fn typed(&self, name: &str, max: usize) -> String {
        self.get(name).unwrap_or_default().chars().take(max).collect()
    }
}

/// Percent-decodes one name or value (`+` is a space) and requires UTF-8.
fn decode(raw: &[u8]) -> Result<String, WebError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or(WebError::NotUtf8)?;
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| WebError::NotUtf8)
}

/// A posted form, read strictly (no token checked: the login form checks its own).
#[derive(Debug, Clone)]
pub(super) struct Form(pub Fields);

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim() == "application/x-www-form-urlencoded"));
        if !is_form {
            return Err(WebError::NotAForm);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| WebError::TooLarge)?;
        Ok(Form(Fields::parse(&bytes)?))
    }
}

/// The query string, read strictly.
#[derive(Debug, Clone, Default)]
pub(super) struct Query(pub Fields);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        Ok(Query(Fields::parse(parts.uri.query().unwrap_or_default().as_bytes())?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_decode_percent_and_plus_and_refuse_what_is_not_utf8() {
        let f = Fields::parse(b"text=%D0%97%D0%B4%D1%80%D0%B0%D0%B2%D0%B5%D0%B9+%26+bye&empty=&flag").unwrap();
        assert_eq!(f.get("text"), Some("Здравей & bye"));
        assert_eq!(f.get("empty"), Some(""));
        assert_eq!(f.get("flag"), Some(""));
        assert!(matches!(Fields::parse(b"text=%FF%FE"), Err(WebError::NotUtf8)));
        assert!(matches!(Fields::parse(b"text=%D0"), Err(WebError::NotUtf8)));
        assert!(matches!(Fields::parse(b"text=%G1"), Err(WebError::NotUtf8)));
        assert!(matches!(Fields::parse(b"text=\xff"), Err(WebError::NotUtf8)));
    }

    #[test]
    fn a_field_longer_than_its_limit_is_refused_by_name() {
        let f = Fields::parse("title=  абв  ".as_bytes()).unwrap();
        assert_eq!(f.text("title", 3).unwrap(), "абв");
        assert!(matches!(f.text("title", 2), Err(WebError::TooLong { field: "title", max: 2 })));
        assert_eq!(f.text("missing", 2).unwrap(), "");
    }
}
