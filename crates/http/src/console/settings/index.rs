//! The settings index: the sections the role may open.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_domain::{Module, Right};

use crate::console::kit::{Chrome, Console, Words, render};

struct Section {
    href: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "settings/index.html")]
struct SettingsPage<'a> {
    c: Chrome,
    w: &'a Words,
    sections: Vec<Section>,
}

pub async fn index(console: Console) -> Response {
    let sections = [
        (Module::Settings, "/settings/groups", "settings-groups"),
        (Module::Settings, "/settings/stores", "settings-stores"),
        (
            Module::Settings,
            "/settings/properties",
            "settings-properties",
        ),
        (Module::Programs, "/settings/cards", "settings-cards"),
        (Module::Programs, "/settings/programs", "settings-programs"),
        (
            Module::Programs,
            "/settings/certificates",
            "settings-certificates",
        ),
        (Module::Staff, "/settings/staff", "settings-staff"),
        (Module::Staff, "/settings/tills", "settings-tills"),
        (Module::Settings, "/settings/channels", "settings-channels"),
    ]
    .into_iter()
    .filter(|(module, ..)| console.may(*module, Right::View))
    .map(|(_, href, key)| Section {
        href,
        label: console.words.t(key),
    })
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
