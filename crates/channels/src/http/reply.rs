//! Reads the provider's answer: accepted (with its id), worth another try,
//! or refused.

use reqwest::StatusCode;
use serde_json::Value;

use super::pattern::{Encoding, Pattern, Values};
use super::template::Compiled;
use crate::envelope::Accepted;
use crate::error::SendError;

/// The most of the provider's answer quoted in an error.
const SNIPPET_MAX: usize = 200;
/// The most of a provider's id kept.
const PROVIDER_ID_MAX: usize = 200;

pub(super) fn judge(
    compiled: &Compiled,
    values: &Values<'_>,
    status: StatusCode,
    body: &[u8],
) -> Result<Accepted, SendError> {
    let host = &compiled.host;
    if status.is_success() {
        return judge_success(compiled, values, body);
    }
    let said = || {
        serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|json| found(&json, compiled.error.as_ref(), values))
            .map_or_else(|| snippet(body), |reason| truncate(&reason, SNIPPET_MAX))
    };
    let code = status.as_u16();
    if status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
    {
        return Err(SendError::Passing(format!(
            "{host} answered {code}: {}",
            said()
        )));
    }
    // Our credentials, not the message: it goes once the settings are mended.
    if status == StatusCode::UNAUTHORIZED {
        return Err(SendError::Passing(format!(
            "{host} refused our credentials (401): {}",
            said()
        )));
    }
    // Redirects are not followed (a POST would turn into a GET): the URL in
    // the settings is out of date.
    if status.is_redirection() {
        return Err(SendError::Passing(format!(
            "{host} answered {code}, a redirect: correct the URL in the settings"
        )));
    }
    Err(SendError::Refused(format!(
        "{host} refused the message ({code}): {}",
        said()
    )))
}

fn judge_success(
    compiled: &Compiled,
    values: &Values<'_>,
    body: &[u8],
) -> Result<Accepted, SendError> {
    let host = &compiled.host;
    let reads_json = compiled.message_id.is_some()
        || compiled.ok_when.is_some()
        || compiled.passing_when.is_some()
        || compiled.error.is_some();
    if !reads_json {
        return Ok(Accepted { provider_id: None });
    }
    // From here on the provider may have sent the message: whatever is amiss
    // refuses it rather than risk sending it twice.
    let json: Value = serde_json::from_slice(body).map_err(|_| {
        SendError::Refused(format!(
            "{host} answered something that is not JSON: {}",
            snippet(body)
        ))
    })?;
    if let Some((pointer, one_of)) = &compiled.passing_when
        && holds(&json, pointer, one_of, values)
    {
        return Err(SendError::Passing(format!(
            "{host} turned the request away for now: {}",
            snippet(body)
        )));
    }
    if let Some(reason) = found(&json, compiled.error.as_ref(), values) {
        return Err(SendError::Refused(format!(
            "{host} refused the message: {}",
            truncate(&reason, SNIPPET_MAX)
        )));
    }
    if let Some((pointer, one_of)) = &compiled.ok_when
        && !holds(&json, pointer, one_of, values)
    {
        return Err(SendError::Refused(format!(
            "{host} did not say it accepted the message ({} is not {}): {}",
            pointer.render(values, Encoding::Pointer),
            one_of.join(" or "),
            snippet(body)
        )));
    }
    let provider_id = match &compiled.message_id {
        None => None,
        Some(pointer) => Some(found(&json, Some(pointer), values).ok_or_else(|| {
            SendError::Refused(format!(
                "{host} gave no message id at {}: {}",
                pointer.render(values, Encoding::Pointer),
                snippet(body)
            ))
        })?),
    };
    Ok(Accepted {
        provider_id: provider_id.map(|id| truncate(&id, PROVIDER_ID_MAX)),
    })
}

fn holds(json: &Value, pointer: &Pattern, one_of: &[String], values: &Values<'_>) -> bool {
    found(json, Some(pointer), values).is_some_and(|value| one_of.contains(&value))
}

/// The text at `pointer`, when there is some.
fn found(json: &Value, pointer: Option<&Pattern>, values: &Values<'_>) -> Option<String> {
    let pointer = pointer?.render(values, Encoding::Pointer);
    json.pointer(&pointer)
        .and_then(json_text)
        .filter(|text| !text.is_empty())
}

/// A JSON scalar as text: strings as they are, numbers and booleans as written.
pub(super) fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The start of an answer on one line, for an error a person reads.
pub(super) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        "(an empty answer)".to_owned()
    } else {
        truncate(&line, SNIPPET_MAX)
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", s[..end].trim_end()),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_one_short_line() {
        assert_eq!(
            snippet(b"  <html>\n  <b>Bad</b>\r\n</html> "),
            "<html> <b>Bad</b> </html>"
        );
        assert_eq!(snippet(b""), "(an empty answer)");
        let long = "я".repeat(300);
        assert_eq!(snippet(long.as_bytes()).chars().count(), SNIPPET_MAX + 1);
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn scalars_read_as_text() {
        assert_eq!(json_text(&serde_json::json!(12)), Some("12".to_owned()));
        assert_eq!(json_text(&serde_json::json!("ab")), Some("ab".to_owned()));
        assert_eq!(json_text(&serde_json::json!(true)), Some("true".to_owned()));
        assert_eq!(json_text(&serde_json::json!({"a": 1})), None);
    }
}
