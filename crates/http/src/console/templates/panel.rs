//! The preview beside the form: what the template says to a made-up
//! customer, or to a real one found by phone, card or name (several found,
//! the marketer picks one); nothing is kept or sent. What it refuses in
//! the texts is said beside their fields.

use std::collections::BTreeMap;

use clientele_app::AppError;
use clientele_app::customers::ListParams;
use clientele_domain::template::Rendered;
use clientele_domain::{CustomerId, FieldError, Module, Right};

use super::draft::{Draft, beside};
use crate::console::kit::Console;
use crate::state::AppState;

/// The fields a preview speaks of: the name is the form's business.
pub const TEXTS: [&str; 4] = ["locale", "subject", "body", "html"];

/// Customers offered to pick from when a search finds several.
const CANDIDATES: usize = 5;

/// A customer the search found, to pick.
pub struct Candidate {
    pub id: i64,
    pub name: String,
    /// Their phone or e-mail, to tell namesakes apart.
    pub contact: String,
}

#[derive(Default)]
pub struct Panel {
    /// Whom the preview is for, in words, and their page when real.
    pub whom: String,
    pub href: Option<String>,
    pub rendered: Option<Rendered>,
    /// Why nothing is shown.
    pub message: Option<String>,
    /// What is wrong with the customer asked for.
    pub customer_error: Option<String>,
    pub candidates: Vec<Candidate>,
    /// The search found more than those offered.
    pub more: bool,
    /// The customer picked and the search they were picked from, sent
    /// again with the form until the search changes.
    pub picked: Option<(i64, String)>,
    /// The texts' refusals, beside their fields.
    pub errors: BTreeMap<String, String>,
}

/// Whom the preview is for.
enum Whom {
    MadeUp,
    Real(CustomerId),
    /// The search named nobody, or several: the panel says so.
    Undecided,
}

/// The preview of `draft` as typed.
pub(super) async fn panel(
    state: &AppState,
    console: &Console,
    draft: &Draft,
) -> Result<Panel, AppError> {
    let w = &console.words;
    let mut panel = Panel::default();
    if draft.body.trim().is_empty() {
        panel.message = Some(w.t("template-preview-empty"));
        return Ok(panel);
    }
    let mut input = draft.input();
    input.name = "preview".into();
    if let Err(refused) = input.validate() {
        let texts: Vec<FieldError> = (refused.0.into_iter())
            .filter(|e| TEXTS.contains(&e.field.as_str()))
            .collect();
        panel.errors = beside(w, &texts);
        panel.message = Some(w.t("template-preview-refused"));
        return Ok(panel);
    }
    let by = console.caller.changed_by();
    let customer = match whom(state, console, draft, &mut panel).await? {
        Whom::Undecided => return Ok(panel),
        Whom::MadeUp => {
            panel.whom = w.t("template-preview-made-up");
            None
        }
        Whom::Real(id) => match state.app.customer_for(id, &by).await {
            Ok(customer) => {
                panel.whom = w.with("template-preview-for", "name", customer.profile.name.into());
                panel.href = Some(format!("/customers/{}", id.0));
                Some(id)
            }
            Err(AppError::NotFound(_)) => {
                panel.customer_error = Some(w.t("template-preview-nobody"));
                return Ok(panel);
            }
            Err(AppError::Forbidden(_)) => {
                panel.customer_error = Some(w.t("template-preview-not-yours"));
                return Ok(panel);
            }
            Err(error) => return Err(error),
        },
    };
    let preview = state.app.preview_template(input, customer, &by).await?;
    panel.rendered = Some(preview.rendered);
    Ok(panel)
}

/// The customer the form asks for: one picked (and still searched for),
/// `№id`, or the one a search finds; nobody asked for, the made-up one.
/// A role that may not see customers previews for the made-up one alone.
async fn whom(
    state: &AppState,
    console: &Console,
    draft: &Draft,
    panel: &mut Panel,
) -> Result<Whom, AppError> {
    let w = &console.words;
    if !console.may(Module::Customers, Right::View) {
        return Ok(Whom::MadeUp);
    }
    let named = draft.customer.trim();
    let picked = match draft.choose.trim().parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) if draft.picked_for.trim() == named => draft.pick.trim().parse().ok(),
        Err(_) => None,
    };
    if let Some(id) = picked {
        panel.picked = Some((id, named.to_owned()));
        return Ok(Whom::Real(CustomerId(id)));
    }
    if named.is_empty() {
        return Ok(Whom::MadeUp);
    }
    // `№123` or `#123` names a customer by number; anything else is searched for.
    if let Some(id) = named.strip_prefix('№').or_else(|| named.strip_prefix('#')) {
        if let Ok(id) = id.trim().parse() {
            return Ok(Whom::Real(CustomerId(id)));
        }
        panel.customer_error = Some(w.t("template-preview-nobody"));
        return Ok(Whom::Undecided);
    }
    let params = ListParams {
        filter: vec![("q".to_owned(), named.to_owned())],
        limit: Some((CANDIDATES + 1).to_string()),
        scope: console.caller.scope.clone(),
        ..ListParams::default()
    };
    let found = match state.app.list_customers(&params).await {
        Ok((page, _)) => page.items,
        Err(AppError::Validation(_)) => Vec::new(),
        Err(error) => return Err(error),
    };
    match found.as_slice() {
        [] => {
            panel.customer_error = Some(w.t("template-preview-nobody"));
            Ok(Whom::Undecided)
        }
        [one] => Ok(Whom::Real(one.id)),
        several => {
            panel.more = several.len() > CANDIDATES;
            panel.candidates = (several.iter().take(CANDIDATES))
                .map(|customer| {
                    let (phone, email) = w.contacts(&customer.profile);
                    Candidate {
                        id: customer.id.0,
                        name: customer.profile.name.clone(),
                        contact: if phone.is_empty() { email } else { phone },
                    }
                })
                .collect();
            Ok(Whom::Undecided)
        }
    }
}
