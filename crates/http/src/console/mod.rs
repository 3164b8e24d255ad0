//! The staff console: server-rendered pages in Russian and English, signed
//! in by a session cookie. Each area (customers, birthdays, segments,
//! offers, templates, campaigns, triggers, messages, chats, reports, settings,
//! programs, import, sign-in, home) is a folder or file of its own with
//! its own routes; they share only the [`kit`], which uses no page. Every page has an access
//! rule ([`crate::RULES`]); the kit's gate checks the session and the role
//! before a handler runs, so a page shows only what the role may do and the
//! server refuses the rest.

mod birthdays;
mod campaigns;
mod chats;
mod customers;
mod home;
mod import;
mod kit;
mod messages;
mod offers;
mod programs;
mod reports;
mod segments;
mod settings;
mod sign_in;
mod templates;
mod triggers;
mod unsubscribe;

use axum::routing::get;

pub use kit::{restarting, unknown};

use crate::state::AppState;

/// The console's pages and files, behind the gate.
pub fn routes(state: AppState) -> axum::Router<AppState> {
    axum::Router::new()
        .route("/assets/{file}", get(kit::asset))
        .merge(home::routes())
        .merge(customers::routes())
        .merge(birthdays::routes())
        .merge(settings::routes())
        .merge(programs::routes())
        .merge(segments::routes())
        .merge(offers::routes())
        .merge(templates::routes())
        .merge(campaigns::routes())
        .merge(triggers::routes())
        .merge(messages::routes())
        .merge(chats::routes())
        .merge(reports::routes())
        .merge(import::routes())
        .merge(sign_in::routes())
        .merge(unsubscribe::routes())
        .route_layer(axum::middleware::from_fn_with_state(state, kit::admit))
}

#[cfg(test)]
mod tests {
    /// No file of the web layer reaches back to itself through `use`
    /// lines: the areas lean on the kit, the kit on nothing of theirs.
    #[test]
    fn the_web_layer_has_no_import_cycle() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let graph = crate::imports::graph(&root);
        assert!(graph.len() > 40, "the sources were not found: {graph:?}");
        if let Some(cycle) = crate::imports::cycle(&graph) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }

    /// The kit uses no page, and no page (a module with a handler, `pub
    /// async fn`) is used by another: what pages share lives in the kit or
    /// in a shared module of their area.
    #[test]
    fn pages_lean_on_the_kit_and_their_areas_shared_modules_only() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let graph = crate::imports::graph(&root);
        for (module, used) in &graph {
            if module.starts_with("console::kit") {
                for target in used {
                    assert!(
                        !target.starts_with("console::") || target.starts_with("console::kit"),
                        "the kit's {module} uses {target}"
                    );
                }
            }
            let pages = used
                .iter()
                .filter(|t| t.starts_with("console::") && !t.starts_with("console::kit"));
            for target in pages {
                let file = crate::imports::file_of(&root, target);
                let source = std::fs::read_to_string(&file).unwrap_or_default();
                let is_mod = file.ends_with("mod.rs");
                assert!(
                    is_mod || !source.contains("pub async fn "),
                    "{module} uses the page {target}"
                );
            }
        }
    }
}
