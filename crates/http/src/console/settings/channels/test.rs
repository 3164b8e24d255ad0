//! A test message sent from a channel's page, now: the page says what
//! became of it beside the test's form (sent under the provider's id,
//! refused with the provider's answer, or the provider out of reach).

use axum::extract::State;
use clientele_app::AppError;
use serde::Deserialize;

use super::page::{Shown, Test, channel, page};
use crate::console::kit::{Console, Once, PageResult, Path, Submission};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TestForm {
    address: String,
}

pub async fn send(
    State(state): State<AppState>,
    console: Console,
    Path(raw): Path<String>,
    Submission { form, once, .. }: Submission<TestForm>,
) -> PageResult {
    let channel = channel(&raw)?;
    let by = console.caller.changed_by();
    let mut test = Test {
        token: once.token().to_owned(),
        address: form.address.clone(),
        ..Test::default()
    };
    match state.app.send_test(channel, &form.address, &by).await {
        Ok(outcome) => {
            // Whatever it came to, the message was tried: sent again, the
            // form leads to the page rather than to a second message.
            once.finish(&format!("/settings/channels/{}", channel.as_str()))
                .await;
            test.token = Once::fresh();
            test.outcome = Some(outcome);
        }
        Err(AppError::Validation(refused)) => {
            test.error = refused.0.first().map(|e| console.words.field_error(e));
        }
        Err(error) => return Err(error.into()),
    }
    let shown = Shown {
        test,
        ..Shown::fresh()
    };
    page(&state, &console, channel, None, shown).await
}
