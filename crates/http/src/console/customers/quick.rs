//! The quick look at a ticked customer, beside the list: contacts and
//! totals, without leaving the page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::CustomerId;

use super::profile::{Figure, figures};
use crate::console::kit::{Console, PageResult, Path, Words, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "customers/quick.html")]
struct QuickLook<'a> {
    w: &'a Words,
    href: String,
    name: String,
    phone: String,
    email: String,
    blocked: bool,
    figures: Vec<Figure>,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let customer = state.app.customer_for(CustomerId(id), &by).await?;
    let loyalty = state.app.customer_loyalty(customer.id, &by).await?;
    let programs = state.app.cached_programs().await?;
    let (phone, email) = w.contacts(&customer.profile);
    Ok(render(
        StatusCode::OK,
        &QuickLook {
            w,
            href: format!("/customers/{id}"),
            name: customer.profile.name.clone(),
            phone,
            email,
            blocked: customer.profile.blocked,
            figures: figures(w, &loyalty, &programs, state.app.clock().now()),
        },
    ))
}
