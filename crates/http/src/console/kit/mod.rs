//! What every console page is made with, and uses no page: the frame
//! around a page (menu, language switch), the gate that admits a session,
//! the one error type a handler returns, typed forms with their CSRF check
//! and one-time token, extractors whose refusals are pages, the words of
//! each language, cookies, figures as people type them, channels in their
//! order, workbooks to download, and the console's own files.
//!
//! A page handler takes what it needs and returns a [`PageResult`]; a use
//! case's error goes up with `?` and the gate renders it (404, 403, 409…)
//! in the reader's language with the menu; a malformed id is the not-found
//! page:
//!
//! ```text
//! pub async fn show(State(state): State<AppState>, console: Console, Path(id): Path<i64>)
//!     -> PageResult {
//!     let customer = state.app.customer_for(CustomerId(id), &console.caller.changed_by()).await?;
//!     Ok(render(StatusCode::OK, &CustomerPage { c: console.chrome(), w: &console.words, .. }))
//! }
//! ```
//!
//! A form is a serde type (`#[serde(default)]`, repeated fields as a
//! `Vec`, a tick-box as an `Option`). [`Submission`] reads it, refuses it
//! without the session's CSRF token, and claims its one-time token: the
//! [`Once`] guard. `once.done(target)` records where the work led (a second
//! sending of the form goes there too, on any server of the database);
//! dropped unfinished — a refusal shown again, a `?`, any early return —
//! the guard frees the token for the corrected sending:
//!
//! ```text
//! #[derive(Default, Deserialize)]
//! #[serde(default)]
//! pub struct BlockForm { action: String, reason: String }
//!
//! pub async fn set(State(state): State<AppState>, console: Console, Path(id): Path<i64>,
//!     Submission { form, once, typed }: Submission<BlockForm>) -> PageResult {
//!     if form.reason.trim().is_empty() {
//!         let errors = BTreeMap::from([("reason".into(), console.words.t("error-required"))]);
//!         // Shown again with what was typed and the same token, freed on return.
//!         return page(&state, &console, id, ActionForm::refused(0, &once, typed, errors)).await;
//!     }
//!     state.app.update_customer(/* … */).await?;
//!     Ok(once.done(&format!("/customers/{id}?done=blocked")).await)
//! }
//! ```

mod admit;
mod assets;
mod cookies;
mod download;
mod errors;
mod excerpt;
mod forms;
mod frame;
mod numbers;
mod once;
mod orders;
mod paths;
mod points;
mod upload;
mod words;

pub use admit::{admit, restarting, unknown};
pub use assets::serve as asset;
pub use cookies::{SESSION_COOKIE, cookie, language, remember};
pub use download::workbook;
pub use errors::{PageError, PageResult};
pub use excerpt::first_line;
pub use forms::{ActionForm, Button, Choice, Submission, encode, refused, safe_next, same_origin};
pub use frame::{Chrome, Console, render, script_json};
pub use numbers::{Reader, hundredths, money_field, percent, percent_field};
pub use once::Once;
pub use orders::{in_order, order_value, orders};
pub use paths::{Path, Query};
pub use points::{PointsForm, Refused, give_points};
pub use upload::{FileRefusal, SentFile, Upload};
pub use words::{Lang, Words};
