//! Push through Firebase Cloud Messaging: the HTTP v1 preset plus the OAuth2
//! access token it needs, got from a service account (RFC 7523 JWT bearer
//! grant, <https://developers.google.com/identity/protocols/oauth2/service-account#httprest>).

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::pattern::percent_encode;
use super::{HttpProvider, describe, presets, read_body, reply::snippet};
use crate::envelope::{Accepted, Courier, Envelope};
use crate::error::{SendError, SettingsError};

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// Google accepts assertions valid for at most an hour.
const ASSERTION_LIFETIME: u64 = 3600;
/// The longest a token is kept, whatever the token service says.
const TOKEN_LIFETIME_MAX: u64 = 3600;
/// A token is renewed this long before it expires, so none dies in flight.
const RENEW_BEFORE: Duration = Duration::from_secs(120);

/// The fields of a service-account key file (JSON) that we use.
#[derive(Deserialize)]
struct ServiceAccount {
    project_id: String,
    client_email: String,
    private_key: String,
    #[serde(default)]
    private_key_id: Option<String>,
    #[serde(default)]
    token_uri: Option<String>,
}

struct Token {
    value: String,
    until: Instant,
}

/// Push to one device through FCM HTTP v1. Make one per service account and
/// share it: the access token is kept until shortly before it expires.
pub struct Fcm {
    provider: HttpProvider,
    project_id: String,
    client_email: String,
    key_id: Option<String>,
    key: RsaKeyPair,
    token_uri: reqwest::Url,
    token: Mutex<Option<Token>>,
}

/// Never prints the key or the token.
impl fmt::Debug for Fcm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fcm")
            .field("project_id", &self.project_id)
            .field("client_email", &self.client_email)
            .field("token_uri", &self.token_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl Fcm {
    /// Reads a service-account key file (JSON, as the Firebase console gives
    /// it) and checks its private key; contacts nobody. `base` replaces
    /// `https://fcm.googleapis.com`.
    pub fn new(service_account_json: &str, base: Option<&str>) -> Result<Fcm, SettingsError> {
        let bad = SettingsError::BadServiceAccount;
        let account: ServiceAccount = serde_json::from_str(service_account_json)
            .map_err(|e| bad(format!("it is not a service-account key file: {e}")))?;
        let key = RsaKeyPair::from_pkcs8(&pkcs8_der(&account.private_key).map_err(bad)?)
            .map_err(|e| bad(format!("its private_key is not an RSA key: {e}")))?;
        let token_uri = account.token_uri.as_deref().unwrap_or(DEFAULT_TOKEN_URI);
        let token_uri = reqwest::Url::parse(token_uri)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| bad(format!("its token_uri {token_uri:?} is not an http(s) URL")))?;
        let provider = presets::fcm(&account.project_id, base).provider()?;
        Ok(Fcm {
            provider,
            project_id: account.project_id,
            client_email: account.client_email,
            key_id: account.private_key_id,
            key,
            token_uri,
            token: Mutex::new(None),
        })
    }

    /// Another limit than 15 s for each request, the token's included.
    pub fn with_timeout(mut self, timeout: Duration) -> Fcm {
        self.provider = self.provider.with_timeout(timeout);
        self
    }

    /// The cached token, or a new one.
    async fn access_token(&self) -> Result<String, SendError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.until) {
            return Ok(token.value.clone());
        }
        let token = self.fetch_token().await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Every failure here is ours or Google's, never the message's: it passes.
    async fn fetch_token(&self) -> Result<Token, SendError> {
        let host = self.token_uri.host_str().unwrap_or_default();
        let timeout = self.provider.timeout;
        let form = format!(
            "grant_type={}&assertion={}",
            percent_encode(GRANT_TYPE),
            self.assertion()?
        );
        let response = self
            .provider
            .client
            .post(self.token_uri.clone())
            .timeout(timeout)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| SendError::Passing(describe(host, timeout, e)))?;
        let status = response.status();
        let body = read_body(response)
            .await
            .map_err(|e| SendError::Passing(describe(host, timeout, e)))?;
        if !status.is_success() {
            return Err(SendError::Passing(format!(
                "{host} gave no access token for the service account ({status}): {}",
                snippet(&body)
            )));
        }
        #[derive(Deserialize)]
        struct Answer {
            access_token: String,
            expires_in: u64,
        }
        let answer: Answer = serde_json::from_slice(&body).map_err(|_| {
            SendError::Passing(format!(
                "{host} answered something that is not an access token: {}",
                snippet(&body)
            ))
        })?;
        // Google's last an hour; a longer promise is not believed.
        let lifetime = Duration::from_secs(answer.expires_in.min(TOKEN_LIFETIME_MAX));
        Ok(Token {
            value: answer.access_token,
            until: Instant::now() + lifetime - RENEW_BEFORE.min(lifetime / 2),
        })
    }

    /// The signed JWT that asks for a token (RS256).
    fn assertion(&self) -> Result<String, SendError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
        if let Some(key_id) = &self.key_id {
            header["kid"] = key_id.as_str().into();
        }
        let claims = serde_json::json!({
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": self.token_uri.as_str(),
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
        });
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| {
                SendError::Passing("could not sign the access-token request".to_owned())
            })?;
        Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

#[async_trait::async_trait]
impl Courier for Fcm {
    async fn send(&self, envelope: &Envelope) -> Result<Accepted, SendError> {
        let token = self.access_token().await?;
        match self.provider.exchange(envelope, Some(&token)).await {
            Ok(accepted) => Ok(accepted),
            Err(failed) => {
                if failed.status == Some(StatusCode::UNAUTHORIZED) {
                    // Revoked or expired early: the next try gets a fresh one
                    // (unless another send already did).
                    let mut cached = self.token.lock().await;
                    if cached.as_ref().is_some_and(|t| t.value == token) {
                        *cached = None;
                    }
                }
                Err(failed.error)
            }
        }
    }
}

/// The DER inside a `-----BEGIN PRIVATE KEY-----` PEM block.
fn pkcs8_der(pem: &str) -> Result<Vec<u8>, String> {
    let begin = "-----BEGIN PRIVATE KEY-----";
    let end = "-----END PRIVATE KEY-----";
    let inside = pem
        .split_once(begin)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(inside, _)| inside)
        .ok_or("its private_key is not a PKCS#8 PEM block (BEGIN PRIVATE KEY)")?;
    let base64: String = inside.split_whitespace().collect();
    STANDARD
        .decode(base64)
        .map_err(|e| format!("its private_key is not valid base64: {e}"))
}
