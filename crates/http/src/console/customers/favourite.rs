//! A customer starred or unstarred from the list: the star alone is sent
//! back to a partial update (htmx), the list to a plain form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use clientele_domain::CustomerId;

use crate::console::kit::{Chrome, Console, PageResult, Path, Words, refused, render, safe_next};
use crate::state::AppState;

/// Not a one-time form: a star set twice is set. Every field is text, so
/// no body is refused before the CSRF check.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StarForm {
    csrf: String,
    /// `true` stars, anything else unstars.
    starred: String,
    back: String,
}

/// A row as the star sees it.
struct StarRow {
    href: String,
    name: String,
    starred: bool,
}

#[derive(Template)]
#[template(path = "customers/star_fragment.html")]
struct StarFragment<'a> {
    c: Chrome,
    w: &'a Words,
    here: String,
    row: StarRow,
}

pub async fn set(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<StarForm>,
) -> PageResult {
    let w = &console.words;
    if form.csrf != console.session.csrf {
        return Ok(refused());
    }
    let by = console.caller.changed_by();
    let starred = form.starred == "true";
    let customer = state.app.customer_for(CustomerId(id), &by).await?;
    state.app.set_favourite(customer.id, starred, &by).await?;
    let back = safe_next(&form.back).to_owned();
    if !headers.contains_key("hx-request") {
        return Ok(Redirect::to(&back).into_response());
    }
    Ok(render(
        StatusCode::OK,
        &StarFragment {
            c: console.chrome(),
            w,
            here: back,
            row: StarRow {
                href: format!("/customers/{id}"),
                name: customer.profile.name,
                starred,
            },
        },
    ))
}
