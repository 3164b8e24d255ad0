//! The staff console: server-rendered pages in Russian and English, signed
//! in by a session cookie. Every page has an access rule ([`crate::RULES`]);
//! [`admit`] checks the session and the role before a handler runs, so a
//! page shows only what the role may do and the server refuses the rest.

mod action_form;
mod assets;
mod birthdays;
mod bulk;
mod card_groups;
mod certificate_templates;
mod customer_block;
mod customer_cards;
mod customer_certificate;
mod customer_form;
mod customer_merge;
mod customer_page;
mod customer_points;
mod customer_tier;
mod customers;
mod favourite;
mod home;
mod i18n;
mod import;
mod import_columns;
mod import_runs;
mod import_uploads;
mod once;
mod print_runs;
mod program_form;
mod program_page;
mod program_preview;
mod program_tiers;
mod programs;
mod quick;
mod rates;
mod settings;
mod settings_form;
mod settings_groups;
mod settings_properties;
mod settings_roles;
mod settings_staff;
mod settings_stores;
mod settings_tills;
mod sign_in;

use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use clientele_app::audit::entry;
use clientele_domain::{Module, Right};
use clientele_store::{Principal, Session};

use crate::access::{Caller, Rule, allowed, record};
use crate::state::AppState;
pub use i18n::{LANG_COOKIE, Lang, Words};
pub use import_uploads::Uploads;
pub use once::Submitted;
pub use sign_in::SESSION_COOKIE;

/// The console's pages and files.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home::page))
        .route("/customers", get(customers::list))
        .route(
            "/customers/new",
            get(customer_form::new).post(customer_form::create),
        )
        .route("/customers/bulk", axum::routing::post(bulk::act))
        .route("/customers/{id}", get(customer_page::show))
        .route(
            "/customers/{id}/favourite",
            axum::routing::post(favourite::set),
        )
        .route("/customers/{id}/quick", get(quick::show))
        .route(
            "/customers/{id}/certificates",
            axum::routing::post(customer_certificate::issue),
        )
        .route(
            "/customers/{id}/merge",
            axum::routing::post(customer_merge::merge),
        )
        .route(
            "/customers/{id}/points",
            axum::routing::post(customer_points::give),
        )
        .route(
            "/customers/{id}/block",
            axum::routing::post(customer_block::set),
        )
        .route(
            "/customers/{id}/tier",
            axum::routing::post(customer_tier::set),
        )
        .route(
            "/customers/{id}/cards/{card_id}/replace",
            axum::routing::post(customer_cards::replace),
        )
        .route(
            "/customers/{id}/edit",
            get(customer_form::edit).post(customer_form::update),
        )
        .route("/birthdays", get(birthdays::calendar))
        .route("/birthdays/points", axum::routing::post(birthdays::give))
        .route("/settings", get(settings::index))
        .route("/assets/{file}", get(assets::serve))
        .route("/logout", axum::routing::post(sign_in::logout))
        .merge(settings::routes())
        .merge(programs::routes())
        .merge(import::routes())
        .merge(sign_in::routes())
}

/// The signed-in user as a page needs them: who, what their role may open,
/// the token their forms carry, and the language they read.
#[derive(Debug, Clone)]
pub struct Console {
    pub caller: Caller,
    pub session: Session,
    pub words: Words,
    /// The page's path and query, for the language switch to come back to.
    pub here: String,
}

impl Console {
    pub fn may(&self, module: Module, right: Right) -> bool {
        self.session.role.permissions.allows(module, right)
    }

    /// The parts every page's frame shows. The menu offers the pages that
    /// exist and the role may open (segments and reports join it with
    /// their pages).
    pub fn chrome(&self) -> Chrome {
        let nav = [
            (
                Module::Customers,
                Right::View,
                "/customers",
                "nav-customers",
            ),
            (
                Module::Customers,
                Right::View,
                "/birthdays",
                "nav-birthdays",
            ),
            (Module::Customers, Right::Edit, "/import", "nav-import"),
            (Module::Settings, Right::View, "/settings", "nav-settings"),
        ]
        .into_iter()
        .filter(|(module, right, ..)| self.may(*module, *right))
        .map(|(_, _, href, key)| NavItem {
            href,
            label: self.words.t(key),
            current: self.here == href
                || self.here.starts_with(&format!("{href}/"))
                || self.here.starts_with(&format!("{href}?")),
        })
        .collect();
        Chrome {
            lang: self.words.lang.code(),
            user: self.session.user.name.clone(),
            role: self.session.role.name.clone(),
            csrf: self.session.csrf.clone(),
            nav,
            switch_href: switch_href(&self.here, self.words.lang),
        }
    }
}

/// The frame around every signed-in page.
pub struct Chrome {
    pub lang: &'static str,
    pub user: String,
    pub role: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// This page in the other language.
    pub switch_href: String,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// The same page with `lang=` set to the other language.
fn switch_href(here: &str, lang: Lang) -> String {
    let other = match lang {
        Lang::Ru => "en",
        Lang::En => "ru",
    };
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
        .collect();
    let lang = format!("lang={other}");
    pairs.push(&lang);
    format!("{path}?{}", pairs.join("&"))
}

impl<S: Send + Sync> FromRequestParts<S> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        parts.extensions.get::<Console>().cloned().ok_or_else(|| {
            tracing::error!("a console page without its session: no access rule admitted it");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        })
    }
}

/// The language of a request: `?lang=` (remembered by a cookie), else the
/// cookie, else Russian.
pub fn language(parts_uri: &axum::http::Uri, headers: &HeaderMap) -> (Lang, bool) {
    let asked = parts_uri
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

/// Lets a console request through when its session's role allows the
/// page: without a session (or an expired one), to the sign-in page with
/// the way back; without the right, a refusal page (and an audit entry).
pub async fn admit(state: &AppState, rule: Rule, mut request: Request, next: Next) -> Response {
    let (lang, chosen) = language(request.uri(), request.headers());
    let zone = state.app.clock().zone().clone();
    let words = Words::new(lang, zone);
    let here = request
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    if request.method() != Method::GET && !sign_in::same_origin(request.headers()) {
        return sign_in::refused();
    }
    let session = match cookie(request.headers(), SESSION_COOKIE) {
        Some(secret) => state.app.session(secret).await.ok(),
        None => None,
    };
    let Some(session) = session else {
        return to_sign_in(&request, &here);
    };
    let ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let principal = Principal::User {
        user: session.user.clone(),
        role: session.role.clone(),
    };
    let scope = match state.app.scope_of(&principal).await {
        Ok(scope) => scope,
        Err(error) => return error_page(&words, error),
    };
    let caller = Caller {
        principal,
        ip,
        scope,
    };
    if allowed(rule, &caller.principal).is_err() {
        let route = format!("{} {}", request.method(), request.uri().path());
        let at = state.app.clock().now();
        record(
            state,
            entry(&caller.changed_by(), at, "access.denied", "page", &route),
        )
        .await;
        return forbidden(&words, &session.role.name);
    }
    request.extensions_mut().insert(Console {
        caller,
        session,
        words,
        here,
    });
    let mut response = next.run(request).await;
    if chosen {
        remember(&mut response, lang);
    }
    response
}

/// Keeps a language switch for the next pages (a year).
fn remember(response: &mut Response, lang: Lang) {
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// To the sign-in page, and back to `here` after it. A partial update
/// (htmx) asks the browser to go there itself.
fn to_sign_in(request: &Request, here: &str) -> Response {
    let back = if request.method() == Method::GET {
        here.to_owned()
    } else {
        // A form posted after the session ended: back to the page it was on.
        request
            .headers()
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
            .and_then(|r| r.find('/').map(|i| r[i..].to_owned()))
            .unwrap_or_else(|| "/".to_owned())
    };
    let target = format!("/login?next={}", encode(&back));
    if request.headers().contains_key("hx-request") {
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&target).into_response()
}

/// A query value, percent-encoded.
pub fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "refusal.html")]
struct RefusalPage<'a> {
    w: &'a Words,
    title: String,
    text: String,
}

fn forbidden(words: &Words, role: &str) -> Response {
    let text = words.with("forbidden-text", "role", role.to_owned().into());
    render(
        StatusCode::FORBIDDEN,
        &RefusalPage {
            w: words,
            title: words.t("forbidden-title"),
            text,
        },
    )
}

/// A use case's refusal as a page: not found, forbidden, or something of ours.
pub fn error_page(words: &Words, error: clientele_app::AppError) -> Response {
    let problem = crate::problem::ApiError::from(error);
    let status =
        StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (title, text) = match status {
        StatusCode::NOT_FOUND => (words.t("not-found-title"), words.t("not-found-text")),
        StatusCode::FORBIDDEN => (words.t("forbidden-title"), problem.detail().to_owned()),
        _ => (words.t("error-title"), problem.detail().to_owned()),
    };
    render(
        status,
        &RefusalPage {
            w: words,
            title,
            text,
        },
    )
}

/// A page rendered, or a plain error logged if its template fails. Pages
/// send their referrer to this site alone: under the API's `no-referrer`, a
/// browser would post their forms with `Origin: null`, and the origin check
/// would refuse them.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (
            status,
            [(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            )],
            Html(html),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a console page did not render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_keeps_the_page_and_its_query() {
        assert_eq!(switch_href("/customers", Lang::Ru), "/customers?lang=en");
        assert_eq!(
            switch_href("/customers?q=912&lang=ru", Lang::Ru),
            "/customers?q=912&lang=en"
        );
        assert_eq!(switch_href("/?lang=en", Lang::En), "/?lang=ru");
    }

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(
            encode("/customers?q=a b&x=1"),
            "/customers%3Fq%3Da%20b%26x%3D1"
        );
    }
}
