//! The campaign's form as it renders, for its handlers: blank, or refused
//! with each error beside its field and what was typed kept. Its pickers
//! are built from what exists (templates, segments, offers) and the
//! kit's orders of channels; the chosen template is shown in a line.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_app::AppError;

use super::draft::Draft;
use crate::console::kit::{Choice, Chrome, Console, Words, first_line, orders, render};
use crate::state::AppState;

/// The characters of a template's text its line shows.
const LINE: usize = 100;

/// A template as the picker offers it: its name, and a line of what it
/// says.
struct Offered {
    id: String,
    name: String,
    line: String,
}

/// What the pickers offer.
pub struct Pickers {
    templates: Vec<Offered>,
    segments: Vec<(String, String)>,
    offers: Vec<(String, String)>,
}

impl Pickers {
    pub(super) async fn load(state: &AppState, w: &Words) -> Result<Pickers, AppError> {
        let templates = (state.app.templates().await?.into_iter())
            .map(|kept| {
                let words = kept.record;
                let line = [
                    w.t(&format!("template-locale-{}", words.locale.as_str())),
                    words.subject.unwrap_or_default(),
                    first_line(&words.body, LINE),
                ];
                Offered {
                    id: kept.id.0.to_string(),
                    name: words.name,
                    line: (line.into_iter())
                        .filter(|part| !part.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                }
            })
            .collect();
        let segments = (state.app.segments().await?.into_iter())
            .map(|s| (s.id.0.to_string(), s.name))
            .collect();
        let offers = (state.app.offers().await?.into_iter())
            .map(|kept| (kept.offer.id.0.to_string(), kept.offer.terms.name))
            .collect();
        Ok(Pickers {
            templates,
            segments,
            offers,
        })
    }
}

#[derive(Template)]
#[template(path = "campaigns/editor.html")]
struct EditorPage<'a> {
    c: Chrome,
    w: &'a Words,
    token: String,
    draft: Draft,
    templates: Vec<Choice>,
    /// The chosen template's line.
    template_line: Option<String>,
    segments: Vec<Choice>,
    orders: Vec<Choice>,
    offers: Vec<Choice>,
    /// The channels set up to send, in words.
    set_up: String,
    errors: BTreeMap<String, String>,
}

impl EditorPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

fn choices(first: (String, String), list: &[(String, String)], chosen: &str) -> Vec<Choice> {
    std::iter::once(&first)
        .chain(list)
        .map(|(value, label)| Choice {
            chosen: value == chosen,
            value: value.clone(),
            label: label.clone(),
        })
        .collect()
}

/// The form with `draft` as typed and what was refused beside it.
pub fn editor(
    state: &AppState,
    console: &Console,
    pickers: &Pickers,
    draft: Draft,
    token: String,
    errors: BTreeMap<String, String>,
) -> Response {
    let w = &console.words;
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let chosen = pickers.templates.iter().find(|t| t.id == draft.template_id);
    let mut templates = vec![Choice {
        value: String::new(),
        label: w.t("campaign-template-pick"),
        chosen: chosen.is_none(),
    }];
    templates.extend(pickers.templates.iter().map(|t| Choice {
        value: t.id.clone(),
        label: t.name.clone(),
        chosen: t.id == draft.template_id,
    }));
    let set_up = state.app.channels_set_up();
    let page = EditorPage {
        c: console.chrome(),
        w,
        token,
        templates,
        template_line: chosen.map(|t| t.line.clone()),
        segments: choices(
            (String::new(), w.t("campaign-audience-everyone")),
            &pickers.segments,
            &draft.segment_id,
        ),
        orders: orders(w, &draft.channels),
        offers: choices(
            (String::new(), w.t("campaign-offer-none")),
            &pickers.offers,
            &draft.offer_id,
        ),
        set_up: match set_up.is_empty() {
            true => w.t("campaign-set-up-none"),
            false => {
                let names: Vec<String> = (set_up.iter())
                    .map(|c| w.t(&format!("message-channel-{}", c.as_str())))
                    .collect();
                w.with("campaign-set-up", "channels", names.join(", ").into())
            }
        },
        draft,
        errors,
    };
    render(status, &page)
}
