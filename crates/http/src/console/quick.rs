//! The quick look at a ticked customer, beside the list: contacts and
//! totals, without leaving the page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_domain::CustomerId;

use super::customer_page::{Figure, figures};
use super::{Console, Words, render};
use crate::extract::Path;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "quick.html")]
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
) -> Response {
    let w = &console.words;
    let by = console.caller.changed_by();
    let customer = match state.app.customer_for(CustomerId(id), &by).await {
        Ok(customer) => customer,
        Err(error) => return super::error_page(w, error),
    };
    let (loyalty, programs) = match (
        state.app.customer_loyalty(customer.id, &by).await,
        state.app.cached_programs().await,
    ) {
        (Ok(loyalty), Ok(programs)) => (loyalty, programs),
        (Err(error), _) | (_, Err(error)) => return super::error_page(w, error),
    };
    let (phone, email) = w.contacts(&customer.profile);
    render(
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
    )
}
