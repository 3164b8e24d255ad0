//! The console's cookies: the session, and the language a switch chose.

use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::Response;

use super::words::{LANG_COOKIE, Lang};

/// The session's cookie: the secret the store keeps the SHA-256 of.
pub const SESSION_COOKIE: &str = "clientele_session";

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The language of a request: `?lang=` (remembered by a cookie), else the
/// cookie, else Russian. `true` when the query chose it.
pub fn language(uri: &Uri, headers: &HeaderMap) -> (Lang, bool) {
    let asked = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse);
    match asked {
        Some(lang) => (lang, true),
        None => (
            cookie(headers, LANG_COOKIE)
                .and_then(Lang::parse)
                .unwrap_or_default(),
            false,
        ),
    }
}

/// Keeps a language switch for the next pages (a year).
pub fn remember(response: &mut Response, lang: Lang) {
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
