//! What every console page is made with, and uses no page: the frame
//! around a page (menu, language switch), the gate that admits a session,
//! the one error type a handler returns, typed forms with their CSRF check
//! and one-time token, extractors whose refusals are pages, the words of
//! each language, cookies, figures as people type them, and the console's
//! own files.
//!
//! A page handler:
//!
//! ```text
//! pub async fn show(State(state): State<AppState>, console: Console, Path(id): Path<i64>)
//!     -> PageResult {
//!     let customer = state.app.customer_for(CustomerId(id), &console.caller.changed_by()).await?;
//!     Ok(render(StatusCode::OK, &CustomerPage { c: console.chrome(), .. }))
//! }
//! ```
//!
//! A form: `Submission<F>` reads `F` (serde, repeated fields as a `Vec`),
//! refuses a form without the session's CSRF token, and claims the form's
//! one-time token; `once.done(target)` records where the work led, and a
//! guard dropped unfinished (a refusal, `?`) frees its token.

mod admit;
mod assets;
mod cookies;
mod errors;
mod forms;
mod frame;
mod numbers;
mod once;
mod paths;
mod points;
mod words;

pub use admit::{admit, unknown};
pub use assets::serve as asset;
pub use cookies::{SESSION_COOKIE, cookie, language, remember};
pub use errors::{PageError, PageResult};
pub use forms::{ActionForm, Button, Submission, encode, refused, safe_next, same_origin};
pub use frame::{Chrome, Console, render};
pub use numbers::{Reader, money_field, percent, percent_field};
pub use once::Once;
pub use paths::{Path, Query};
pub use points::{PointsForm, Refused, give_points};
pub use words::{Lang, Words};
