//! SMS, Viber and push through a provider's HTTP API: one request a message,
//! described by an [`HttpTemplate`]; [`presets`] write it for known providers.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::envelope::{Accepted, Courier, Envelope};
use crate::error::{SendError, SettingsError};

mod fcm;
mod pattern;
pub mod presets;
mod reply;
pub mod report;
pub mod telegram;
mod template;

pub use fcm::Fcm;
pub use template::{ContentType, Expect, Header, HttpTemplate, Method, Secrets};

use pattern::{Encoding, Values};
use template::Compiled;

/// How long one request may take, connecting and reading the answer included.
const TIMEOUT: Duration = Duration::from_secs(15);
/// The most of an answer read; a provider's answer to one message is small.
const BODY_MAX: usize = 64 * 1024;

/// A provider reached over HTTP. Make one per settings and share it: it keeps
/// its connections.
pub struct HttpProvider {
    compiled: Compiled,
    secrets: Secrets,
    client: reqwest::Client,
    timeout: Duration,
}

/// Names the host and the secrets, never their values.
impl fmt::Debug for HttpProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpProvider")
            .field("method", &self.compiled.method)
            .field("host", &self.compiled.host)
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A delivery that failed, with the HTTP status when there was an answer.
struct Failed {
    error: SendError,
    status: Option<StatusCode>,
}

impl HttpProvider {
    /// Checks the template against the secrets (every placeholder known, the
    /// URL, headers and JSON body well formed); contacts nobody.
    pub fn new(template: HttpTemplate, secrets: Secrets) -> Result<HttpProvider, SettingsError> {
        let compiled = template.compile(&secrets)?;
        Ok(HttpProvider {
            compiled,
            secrets,
            client: client()?,
            timeout: TIMEOUT,
        })
    }

    /// Another limit than 15 s for each request.
    pub fn with_timeout(mut self, timeout: Duration) -> HttpProvider {
        self.timeout = timeout;
        self
    }

    /// Sends `envelope`, with `bearer` as the Authorization when given.
    async fn exchange(
        &self,
        envelope: &Envelope,
        bearer: Option<&str>,
    ) -> Result<Accepted, Failed> {
        let early = |error| Failed {
            error,
            status: None,
        };
        let to_digits = envelope.to.strip_prefix('+').unwrap_or(&envelope.to);
        if self.compiled.needs_phone
            && (to_digits.is_empty() || !to_digits.bytes().all(|b| b.is_ascii_digit()))
        {
            // The number itself stays out: errors end up in logs.
            return Err(early(SendError::Refused(
                "the recipient is not a phone number in E.164 form (+ and digits)".to_owned(),
            )));
        }
        let values = Values {
            to: &envelope.to,
            to_digits,
            text: &envelope.text,
            subject: &envelope.subject,
            id: &envelope.id,
            secrets: &self.secrets,
        };
        let request = self.request(&values, bearer).map_err(early)?;

        let host = &self.compiled.host;
        let response = request
            .send()
            .await
            .map_err(|e| early(SendError::Passing(describe(host, self.timeout, e))))?;
        let status = response.status();
        let failed = |error| Failed {
            error,
            status: Some(status),
        };
        let body = match read_body(response).await {
            Ok(body) => body,
            // It may have been sent: no second try.
            Err(e) if status.is_success() => {
                return Err(failed(SendError::Refused(format!(
                    "{host} accepted ({status}) but its answer broke off: {}",
                    describe(host, self.timeout, e)
                ))));
            }
            Err(_) => Vec::new(),
        };
        reply::judge(&self.compiled, &values, status, &body).map_err(failed)
    }

    fn request(
        &self,
        values: &Values<'_>,
        bearer: Option<&str>,
    ) -> Result<reqwest::RequestBuilder, SendError> {
        let compiled = &self.compiled;
        let url = reqwest::Url::parse(&compiled.url.render_url(values))
            .map_err(|e| SendError::Refused(format!("this message makes no usable URL: {e}")))?;
        let mut request = self
            .client
            .request(compiled.method.clone(), url)
            .timeout(self.timeout);
        for (name, value) in &compiled.headers {
            let value =
                HeaderValue::from_str(&value.render(values, Encoding::Raw)).map_err(|_| {
                    SendError::Refused(format!(
                        "the header {name} cannot carry this message's values"
                    ))
                })?;
            request = request.header(name, value);
        }
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        if let Some((body, kind)) = &compiled.body {
            let (encoding, mime) = match kind {
                ContentType::Json => (Encoding::Json, "application/json"),
                _ => (Encoding::Url, "application/x-www-form-urlencoded"),
            };
            if !compiled
                .headers
                .iter()
                .any(|(name, _)| name == CONTENT_TYPE)
            {
                request = request.header(CONTENT_TYPE, mime);
            }
            request = request.body(body.render(values, encoding));
        }
        Ok(request)
    }
}

#[async_trait::async_trait]
impl Courier for HttpProvider {
    async fn send(&self, envelope: &Envelope) -> Result<Accepted, SendError> {
        self.exchange(envelope, None).await.map_err(|f| f.error)
    }
}

fn client() -> Result<reqwest::Client, SettingsError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("clientele/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| SettingsError::HttpClient(e.to_string()))
}

/// Reads at most [`BODY_MAX`] bytes of the answer.
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = BODY_MAX - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == BODY_MAX {
            break;
        }
    }
    Ok(body)
}

/// What went wrong on the wire, without the URL (its query may hold a key).
fn describe(host: &str, timeout: Duration, error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        return format!("{host} did not answer within {} s", timeout.as_secs_f32());
    }
    let mut cause: &dyn std::error::Error = &error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    if error.is_connect() {
        format!("could not connect to {host}: {cause}")
    } else {
        format!("the exchange with {host} failed: {cause}")
    }
}
