//! The console's one error type. Every refusal and failure of a page or an action is a
//! `WebError`; as a response it has a status and a body (English text, which the `pages`
//! layer replaces by a page in the staff member's language). Store and template errors are
//! logged here, without any citizen's words, and shown as a short apology.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::engine::Arg;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No valid session: the browser goes to the login page.
    #[error("sign in first")]
    SignIn,
    /// Above the account's role, or a form without its session's token.
    #[error("this is not allowed for your account, or the form has expired")]
    Forbidden,
    /// A state-changing request sent from another site.
    #[error("this request did not come from the console's own pages")]
    CrossOrigin,
    /// No such thing: the Fluent id says what (`web-no-such-case`, ...).
    #[error("not found")]
    NotFound(&'static str),
    /// Something required is missing, or a value is not one the console offers.
    #[error("something required is missing")]
    Missing,
    /// Text that is not UTF-8, or percent-encoding that is not valid.
    #[error("the request is not valid UTF-8")]
    NotUtf8,
    /// A field longer than its limit (characters).
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    /// A body larger than the console takes.
    #[error("the request is too large")]
    TooLarge,
    /// Request headers larger than the console takes.
    #[error("the request's headers are too large")]
    HeadersTooLarge,
    /// A POST that is not a form.
    #[error("the request is not a form")]
    NotAForm,
    /// No page here, or not with this method.
    #[error("there is no such page")]
    NoPage(StatusCode),
    /// Telegram would not give the photo, or it is too large.
    #[error("the photo cannot be shown")]
    Photo(StatusCode),
    #[error("the database could not be read or written")]
    Store(#[from] StoreError),
    #[error("the page could not be rendered")]
    Render(String),
}

/// What the error page shows: a status and a Fluent id with its arguments. Put in the
/// response's extensions for the layer that renders error pages.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::SignIn => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::CrossOrigin => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Missing | WebError::NotUtf8 => StatusCode::BAD_REQUEST,
            WebError::TooLong { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            WebError::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::NoPage(status) | WebError::Photo(status) => *status,
            WebError::Store(_) | WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The Fluent id of the message, and its arguments.
    pub fn page(&self) -> ErrorPage {
        let (id, args) = match self {
            WebError::SignIn => ("web-login", vec![]),
            WebError::Forbidden => ("web-forbidden", vec![]),
            WebError::CrossOrigin => ("web-cross-origin", vec![]),
            WebError::NotFound(id) => (*id, vec![]),
            WebError::Missing => ("web-empty", vec![]),
            WebError::NotUtf8 => ("web-not-utf8", vec![]),
            WebError::TooLong { field, max } => {
                ("web-too-long", vec![("field", Arg::Msg(label(field).into())), ("max", Arg::Number(*max as f64))])
            }
            WebError::TooLarge => ("web-too-large", vec![]),
            WebError::HeadersTooLarge => ("web-headers-too-large", vec![]),
            WebError::NotAForm => ("web-not-a-form", vec![]),
            WebError::NoPage(_) => ("web-no-page", vec![]),
            WebError::Photo(_) => ("web-no-photo", vec![]),
            WebError::Store(_) | WebError::Render(_) => ("web-failed", vec![]),
        };
        ErrorPage { id, args }
    }
}

/// The Fluent id of a field's label, to name it in a message.
fn label(field: &str) -> &'static str {
    match field {
        "text" => "web-field-text",
        "title" => "web-canned-title",
        "body" => "web-canned-body",
        "name" => "web-name",
        "password" => "web-password",
        "q" => "web-search",
        _ => "web-field-other",
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match &self {
            WebError::SignIn => return Redirect::to("/login").into_response(),
            WebError::Store(e) => tracing::error!(error = %e, "the console could not use the store"),
            WebError::Render(e) => tracing::error!(error = %e, "a console page could not be rendered"),
            _ => {}
        }
        let mut response = (self.status(), self.to_string()).into_response();
        response.extensions_mut().insert(self.page());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_but_the_redirect_has_a_body_and_a_page() {
        let all = [
            WebError::Forbidden,
            WebError::CrossOrigin,
            WebError::NotFound("web-no-such-case"),
            WebError::Missing,
            WebError::NotUtf8,
            WebError::TooLong { field: "text", max: 10 },
            WebError::TooLarge,
            WebError::HeadersTooLarge,
            WebError::NotAForm,
            WebError::NoPage(StatusCode::NOT_FOUND),
            WebError::Photo(StatusCode::BAD_GATEWAY),
            WebError::Render("x".into()),
        ];
        for e in all {
            let status = e.status();
            let r = e.into_response();
            assert_eq!(r.status(), status);
            assert!(r.extensions().get::<ErrorPage>().is_some());
        }
        assert_eq!(WebError::SignIn.into_response().headers()["location"], "/login");
    }
}
