//! The settings index: the sections the role may open.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_domain::{Module, Right};

use super::{Chrome, Console, Words, render};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage<'a> {
    c: Chrome,
    w: &'a Words,
    sections: Vec<String>,
}

pub async fn index(console: Console) -> Response {
    let sections = [
        (Module::Settings, "settings-groups"),
        (Module::Settings, "settings-stores"),
        (Module::Settings, "settings-properties"),
        (Module::Programs, "settings-cards"),
        (Module::Programs, "settings-programs"),
        (Module::Programs, "settings-certificates"),
        (Module::Staff, "settings-staff"),
        (Module::Staff, "settings-tills"),
    ]
    .into_iter()
    .filter(|(module, _)| console.may(*module, Right::View))
    .map(|(_, key)| console.words.t(key))
    .collect();
    render(
        StatusCode::OK,
        &SettingsPage {
            c: console.chrome(),
            w: &console.words,
            sections,
        },
    )
}
