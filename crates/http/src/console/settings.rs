//! The settings index: the sections the role may open, and what every
//! section's list shares (the notice after a change, the routes).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_domain::{Module, Right};
use serde::Deserialize;

use super::{
    Chrome, Console, Words, render, settings_groups, settings_properties, settings_roles,
    settings_staff, settings_stores, settings_tills,
};
use crate::state::AppState;

/// The sections' pages and forms (the index itself is routed beside the
/// other console pages).
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(settings_groups::routes())
        .merge(settings_stores::routes())
        .merge(settings_properties::routes())
        .merge(settings_staff::routes())
        .merge(settings_roles::routes())
        .merge(settings_tills::routes())
}

struct Section {
    href: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
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

/// A section's list after a change: `?done=created` and the like.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    /// What the change did, said once on the list.
    pub fn notice(&self, w: &Words) -> Option<String> {
        self.done
            .as_deref()
            .and_then(|done| w.find(&format!("settings-done-{done}")))
    }
}
