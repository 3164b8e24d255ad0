//! The frame around every signed-in page: who is signed in, the menu of
//! what their role may open, the language switch; a page rendered, and
//! the data its script reads.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use clientele_app::Session;
use clientele_domain::{Module, Right};

use super::words::{Lang, Words};
use crate::access::Caller;

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
    /// exist and the role may open.
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
            (Module::Segments, Right::View, "/segments", "nav-segments"),
            (Module::Segments, Right::View, "/offers", "nav-offers"),
            (
                Module::Campaigns,
                Right::View,
                "/campaigns",
                "nav-campaigns",
            ),
            (Module::Campaigns, Right::View, "/triggers", "nav-triggers"),
            (
                Module::Campaigns,
                Right::View,
                "/templates",
                "nav-templates",
            ),
            (Module::Campaigns, Right::View, "/messages", "nav-messages"),
            (Module::Campaigns, Right::View, "/chats", "nav-chats"),
            (Module::Reports, Right::View, "/reports", "nav-reports"),
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
            role: self.words.role(&self.session.role),
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

/// JSON safe inside a `<script>` element: no `<` to close it early.
pub fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_data_cannot_close_its_script_element() {
        let json = script_json(&serde_json::json!({"label": "</script><b>"}));
        assert!(!json.contains('<'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["label"], "</script><b>");
    }

    #[test]
    fn the_language_switch_keeps_the_page_and_its_query() {
        assert_eq!(switch_href("/customers", Lang::Ru), "/customers?lang=en");
        assert_eq!(
            switch_href("/customers?q=912&lang=ru", Lang::Ru),
            "/customers?q=912&lang=en"
        );
        assert_eq!(switch_href("/?lang=en", Lang::En), "/?lang=ru");
    }
}
