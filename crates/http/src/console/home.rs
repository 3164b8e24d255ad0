//! The home page: where a signed-in user lands.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Chrome, Console, Words, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: Chrome,
    w: &'a Words,
    may_search: bool,
}

pub async fn page(console: Console) -> Response {
    render(
        StatusCode::OK,
        &HomePage {
            c: console.chrome(),
            w: &console.words,
            may_search: console.may(
                clientele_domain::Module::Customers,
                clientele_domain::Right::View,
            ),
        },
    )
}
