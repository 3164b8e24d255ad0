//! A customer starred or unstarred from the list: the star alone is sent
//! back to a partial update (htmx), the list to a plain form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use clientele_domain::CustomerId;

use super::{Chrome, Console, Words, render};
use crate::extract::Path;
use crate::state::AppState;

#[derive(serde::Deserialize)]
pub struct StarForm {
    csrf: String,
    starred: bool,
    #[serde(default)]
    back: String,
}

/// A row as the star sees it.
struct StarRow {
    href: String,
    name: String,
    starred: bool,
}

#[derive(Template)]
#[template(path = "star_fragment.html")]
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
) -> Response {
    let w = &console.words;
    if form.csrf != console.session.csrf {
        return super::sign_in::refused();
    }
    let by = console.caller.changed_by();
    let customer = match state.app.customer_for(CustomerId(id), &by).await {
        Ok(customer) => customer,
        Err(error) => return super::error_page(w, error),
    };
    if let Err(error) = state
        .app
        .set_favourite(customer.id, form.starred, &by)
        .await
    {
        return super::error_page(w, error);
    }
    let back = super::sign_in::safe_next(&form.back).to_owned();
    if !headers.contains_key("hx-request") {
        return Redirect::to(&back).into_response();
    }
    render(
        StatusCode::OK,
        &StarFragment {
            c: console.chrome(),
            w,
            here: back,
            row: StarRow {
                href: format!("/customers/{id}"),
                name: customer.profile.name,
                starred: form.starred,
            },
        },
    )
}
