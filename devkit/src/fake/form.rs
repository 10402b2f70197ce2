//! Reading a multipart/form-data body as Telegram does: text parts and file parts (a part with
//! a `filename`), byte for byte, so a file need not be UTF-8. It knows the syntax only: what the
//! fields mean (their types, `attach://`) is read in `check` and where the method is served.

use std::collections::HashMap;

use serde_json::Value;

/// A form as the fake reads it.
pub(super) struct Form {
    /// The fields as a JSON object, each read as the API types it. A file uploaded straight
    /// into a field (a part `document` with a file name) reads as `attach://document`, the way
    /// teloxide names its uploads, so the methods see one kind of reference.
    pub(super) body: Value,
    /// The files uploaded in it, by part name.
    pub(super) uploads: HashMap<String, Upload>,
}

/// A file as it arrived in a form part.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Upload {
    /// The name the sender gave it (teloxide sends "" when the bot gives none).
    pub(super) file_name: String,
    pub(super) bytes: Vec<u8>,
}

/// One part of a form.
pub(super) struct Part<'a> {
    pub(super) name: String,
    /// The file name, for a file part.
    pub(super) file_name: Option<String>,
    pub(super) content: &'a [u8],
}

/// The parts of a multipart body in order, or None if it does not parse.
pub(super) fn parts<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
    let delimiter = format!("\r\n--{boundary}");
    let delimiter = delimiter.as_bytes();
    // The first delimiter has no line break before it when the body opens with it (reqwest's
    // do); anything before it is a preamble to skip.
    let mut rest = match body.strip_prefix(&delimiter[2..]) {
        Some(rest) => rest,
        None => &body[find(body, delimiter)? + delimiter.len()..],
    };
    let mut parts = Vec::new();
    // The last delimiter ends in "--".
    while !rest.starts_with(b"--") {
        let part = rest.strip_prefix(b"\r\n")?;
        let end = find(part, delimiter)?;
        let head_end = find(&part[..end], b"\r\n\r\n")?;
        let params = disposition(std::str::from_utf8(&part[..head_end]).ok()?)?;
        let param = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        parts.push(Part { name: param("name")?, file_name: param("filename"), content: &part[head_end + 4..end] });
        rest = &part[end + delimiter.len()..];
    }
    Some(parts)
}

/// The parameters of a part's `Content-Disposition: form-data; name="x"; filename="y"`, keys
/// in lowercase.
fn disposition(head: &str) -> Option<Vec<(String, String)>> {
    let line = head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case("content-disposition").then_some(value)
    })?;
    let mut rest = line.trim_start().strip_prefix("form-data")?.trim_start();
    let mut params = Vec::new();
    while let Some(param) = rest.strip_prefix(';') {
        let (key, value) = param.split_once('=')?;
        let (value, after) = match value.trim_start().strip_prefix('"') {
            Some(quoted) => unquote(quoted)?,
            None => {
                let end = value.find(';').unwrap_or(value.len());
                (value[..end].trim().to_string(), &value[end..])
            }
        };
        params.push((key.trim().to_ascii_lowercase(), value));
        rest = after.trim_start();
    }
    rest.is_empty().then_some(params)
}

/// A quoted string's value, from just after its opening quote, and what follows its closing
/// quote. A backslash keeps the next character as it is (reqwest writes `\"` and `\\`).
fn unquote(s: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &s[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_file_parts_are_read_byte_for_byte() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-100123\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"abc\"; filename=\"\xd0\xb4\xd0\xb0\xd0\xbd\xd0\xbd\xd0\xb8 \\\"1\\\".json\"\r\n\
            Content-Type: application/octet-stream\r\n\r\n\xff\x00\r\n--X\r\n\
            --XyZ--\r\n";
        let parts = parts(body, "XyZ").expect("the form parses");
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].file_name.as_deref(), parts[0].content),
            ("chat_id", None, &b"-100123"[..])
        );
        assert_eq!(parts[1].name, "abc");
        assert_eq!(parts[1].file_name.as_deref(), Some("данни \"1\".json"));
        assert_eq!(parts[1].content, b"\xff\x00\r\n--X");
        assert!(super::parts(b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "XyZ").is_none());
    }
}
