//! The channels the shop set up in its settings: each one's provider, its
//! courier (built once per saved version, so a pool of connections lives
//! on), a test message, and the delivery reports its provider posts back.

use std::collections::BTreeMap;
use std::sync::Arc;

pub use clientele_channels::ProviderSettings;
use clientele_channels::http::report::{ReportedStatus, verify_signature};
use clientele_channels::{Courier, Envelope, SendError};
use clientele_domain::message::Channel;
use clientele_domain::{FieldError, Phone, ValidationErrors};
use clientele_store::{Delivery, KeptChannel, NewAuditEntry};
use hmac::Mac;
use serde_json::json;

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// A channel set up in the settings.
#[derive(Clone)]
pub struct SetUpChannel {
    pub channel: Channel,
    pub settings: ProviderSettings,
    pub webhook_key: String,
    pub version: i64,
    pub courier: Arc<dyn Courier>,
}

/// What a channel's provider posts to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Webhook {
    /// Delivery reports.
    Reports,
    /// What customers write.
    Inbound,
}

impl Webhook {
    pub fn as_str(self) -> &'static str {
        match self {
            Webhook::Reports => "reports",
            Webhook::Inbound => "inbound",
        }
    }
}

/// A channel saved, and whether its provider took the address customers'
/// messages are posted to (None: that address is given in the provider's
/// cabinet by hand).
#[derive(Clone)]
pub struct ChannelSaved {
    pub channel: SetUpChannel,
    pub inbound: Option<Result<(), String>>,
}

/// The channels set up, by channel.
pub(crate) type SetUp = BTreeMap<Channel, SetUpChannel>;

/// What a provider's post shows to prove it comes from the channel's
/// provider, and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Proof<'a> {
    /// The channel's key, in the post's address.
    pub key: Option<&'a str>,
    /// The hex HMAC-SHA256 of the body under the channel's key.
    pub signature: Option<&'a str>,
    /// The sender's address.
    pub client: &'a str,
}

/// What a provider's delivery report did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportsTaken {
    pub delivered: usize,
    pub failed: usize,
    /// Reports of messages we do not know or that changed already.
    pub ignored: usize,
}

/// What became of a test message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// The provider took it, under its own id when it gives one.
    Sent { provider_id: Option<String> },
    /// The provider refused it, in these words.
    Refused { answer: String },
    /// The provider could not be reached, or turned it away for now.
    Unreachable { answer: String },
}

fn settings_error(error: clientele_channels::SettingsError) -> AppError {
    AppError::Validation(ValidationErrors::one(
        format!("settings.{}", error.field()),
        "bad_setting",
        error.to_string(),
    ))
}

impl App {
    /// Where a channel's provider posts `what`, under the shop's public
    /// address; the channel's key, added as `?key=`, proves the post.
    pub fn webhook_address(&self, channel: Channel, what: Webhook) -> String {
        format!(
            "{}/api/v1/channels/{}/{}",
            self.public_url().trim_end_matches('/'),
            channel.as_str(),
            what.as_str()
        )
    }

    /// The channels set up in the settings, read again after a few
    /// seconds (another server may have changed them); a courier is built
    /// anew only for settings saved since.
    pub(crate) async fn set_up_channels(&self) -> AppResult<Arc<SetUp>> {
        if let Some(set_up) = self.channels.get() {
            return Ok(set_up);
        }
        let before = self.channels.last();
        let mut set_up = SetUp::new();
        for kept in self.db().channels().channel_settings().await? {
            let reused = before
                .as_ref()
                .and_then(|b| b.get(&kept.channel))
                .filter(|c| c.version == kept.version)
                .cloned();
            let channel = match reused {
                Some(channel) => channel,
                None => match set_up_channel(&kept) {
                    Ok(channel) => channel,
                    Err(error) => {
                        tracing::error!(channel = kept.channel.as_str(), %error,
                            "a channel's saved settings do not work; it is left out");
                        continue;
                    }
                },
            };
            set_up.insert(kept.channel, channel);
        }
        let set_up = Arc::new(set_up);
        self.channels.keep(set_up.clone());
        Ok(set_up)
    }

    /// The channels' settings, secrets masked.
    pub async fn channel_settings(&self) -> AppResult<Vec<SetUpChannel>> {
        Ok(self
            .set_up_channels()
            .await?
            .values()
            .map(|c| SetUpChannel {
                settings: c.settings.masked(),
                ..c.clone()
            })
            .collect())
    }

    /// Sets up a channel with a provider; settings that cannot work are
    /// refused by field, and a secret sent back masked keeps its value.
    #[tracing::instrument(skip(self, settings, by))]
    pub async fn save_channel(
        &self,
        channel: Channel,
        settings: ProviderSettings,
        by: &ChangedBy,
    ) -> AppResult<ChannelSaved> {
        if !settings.carries(channel.as_str()) {
            return Err(AppError::Validation(ValidationErrors::one(
                "provider",
                "wrong_provider",
                format!(
                    "the provider «{}» does not carry {}",
                    settings.provider(),
                    channel.as_str()
                ),
            )));
        }
        let before = self.set_up_channels().await?.get(&channel).cloned();
        let settings = match &before {
            Some(before) => settings.keeping_secrets(&before.settings),
            None => settings,
        };
        settings.courier().map_err(settings_error)?;
        let webhook_key = before
            .as_ref()
            .map(|b| b.webhook_key.clone())
            .unwrap_or_else(fresh_key);
        let now = self.clock().now();
        let json = serde_json::to_value(&settings)
            .map_err(|e| AppError::Unavailable(format!("settings unwritable: {e}")))?;
        self.db()
            .channels()
            .save_channel(channel, &json, &webhook_key, now)
            .await?;
        self.channels.forget();
        self.record(NewAuditEntry {
            before: before.map(|b| json!({"provider": b.settings.provider()})),
            after: Some(json!({"provider": settings.provider()})),
            ..entry(by, now, "channel.save", "channel", channel.as_str())
        })
        .await?;
        let inbound_url = self.webhook_address(channel, Webhook::Inbound);
        let inbound = settings
            .connect_inbound(&inbound_url, &webhook_key)
            .await
            .map(|connected| {
                connected.map_err(|answer| {
                    tracing::warn!(%answer, "the provider did not take the inbound address");
                    answer.to_string()
                })
            });
        let channel = self
            .set_up_channels()
            .await?
            .get(&channel)
            .map(|c| SetUpChannel {
                settings: c.settings.masked(),
                ..c.clone()
            })
            .ok_or(AppError::NotFound("channel"))?;
        Ok(ChannelSaved { channel, inbound })
    }

    /// Sends a test message over a channel to `address`, now, and says
    /// what became of it.
    #[tracing::instrument(skip(self, address, by))]
    pub async fn send_test(
        &self,
        channel: Channel,
        address: &str,
        by: &ChangedBy,
    ) -> AppResult<TestOutcome> {
        let courier = self
            .courier(channel)
            .await?
            .ok_or(AppError::NotFound("channel"))?;
        let address = address.trim();
        if address.is_empty() {
            return Err(AppError::from_field(FieldError::new(
                "address",
                "required",
                "say where the test goes",
            )));
        }
        // A phone is taken as people write it; providers get it in E.164.
        let to = match channel {
            Channel::Sms | Channel::Viber => Phone::parse(address)
                .map_err(|e| AppError::from_field(e.at("address")))?
                .as_str()
                .to_owned(),
            Channel::Email | Channel::Push | Channel::Messenger => address.to_owned(),
        };
        let now = self.clock().now();
        let envelope = Envelope {
            id: format!("test-{}", now.as_millisecond()),
            to,
            subject: "Проверка канала Clientele".into(),
            text: "Это проверочное сообщение: канал настроен и работает.".into(),
            html: None,
            unsubscribe: None,
        };
        let answer = courier.send(&envelope).await;
        self.record(NewAuditEntry {
            after: Some(json!({"sent": answer.is_ok()})),
            ..entry(by, now, "channel.test", "channel", channel.as_str())
        })
        .await?;
        Ok(match answer {
            Ok(accepted) => TestOutcome::Sent {
                provider_id: accepted.provider_id,
            },
            Err(SendError::Refused(answer)) => TestOutcome::Refused { answer },
            Err(SendError::Passing(answer)) => TestOutcome::Unreachable { answer },
        })
    }

    /// The courier of a channel: as set up in the settings, else (e-mail)
    /// as the configuration file says.
    pub(crate) async fn courier(&self, channel: Channel) -> AppResult<Option<Arc<dyn Courier>>> {
        if let Some(set_up) = self.set_up_channels().await?.get(&channel) {
            return Ok(Some(set_up.courier.clone()));
        }
        Ok(self.messaging().configured(channel))
    }

    /// The channel a provider's post names, once the post shows the
    /// channel's key: in `key` (a query parameter, for providers that cannot
    /// sign) or as a hex HMAC-SHA256 of the body in `signature`.
    /// An address that shows 100 wrong keys within a minute is refused for
    /// the rest of it, as bad credentials are.
    pub(crate) async fn proven(
        &self,
        channel: Channel,
        body: &[u8],
        proof: Proof<'_>,
    ) -> AppResult<SetUpChannel> {
        let now = std::time::Instant::now();
        if let Err(retry_after) = self.webhook_failures.check(proof.client, now) {
            return Err(AppError::TooManyAttempts { retry_after });
        }
        let (key, signature) = (proof.key, proof.signature);
        let set_up = self.set_up_channels().await?;
        let channel_set_up = set_up.get(&channel).ok_or(AppError::NotFound("channel"))?;
        let secret = channel_set_up.webhook_key.as_bytes();
        let proven = match (key, signature) {
            (Some(key), _) => same_key(secret, key),
            (None, Some(signature)) => verify_signature(secret, body, signature).is_ok(),
            (None, None) => {
                return Err(AppError::Unauthenticated(
                    "the post shows neither the channel's key nor a signature",
                ));
            }
        };
        if !proven {
            self.webhook_failures.fail(proof.client, now);
            return Err(AppError::Forbidden(
                "the channel's key or the signature is wrong".into(),
            ));
        }
        Ok(channel_set_up.clone())
    }

    /// Takes a delivery report a provider posted for `channel` (proven as
    /// [`App::proven`] says).
    #[tracing::instrument(skip(self, body, proof))]
    pub async fn take_delivery_report(
        &self,
        channel: Channel,
        body: &[u8],
        proof: Proof<'_>,
    ) -> AppResult<ReportsTaken> {
        let channel_set_up = self.proven(channel, body, proof).await?;
        let reports = channel_set_up.settings.reports(body).map_err(|error| {
            AppError::from_field(FieldError::new("body", "bad_report", error.to_string()))
        })?;
        let now = self.clock().now();
        let mut taken = ReportsTaken::default();
        for report in reports {
            let delivery = match report.status {
                ReportedStatus::Delivered => Delivery::Delivered,
                ReportedStatus::Failed(reason) => Delivery::Failed(reason),
                ReportedStatus::Pending => continue,
            };
            let found = self
                .db()
                .channels()
                .message_by_provider_id(channel, &report.provider_id)
                .await?;
            let changed = match found {
                Some((customer, id)) => {
                    self.db()
                        .channels()
                        .report_delivery(customer, id, &delivery, now)
                        .await?
                }
                None => false,
            };
            match (changed, delivery) {
                (false, _) => taken.ignored += 1,
                (true, Delivery::Delivered) => taken.delivered += 1,
                (true, Delivery::Failed(_)) => taken.failed += 1,
            }
        }
        Ok(taken)
    }
}

fn set_up_channel(kept: &KeptChannel) -> Result<SetUpChannel, String> {
    let settings: ProviderSettings =
        serde_json::from_value(kept.settings.clone()).map_err(|e| e.to_string())?;
    let courier = settings.courier().map_err(|e| e.to_string())?;
    Ok(SetUpChannel {
        channel: kept.channel,
        settings,
        webhook_key: kept.webhook_key.clone(),
        version: kept.version,
        courier,
    })
}

/// A key for a channel's reports: 24 random bytes, URL-safe.
fn fresh_key() -> String {
    use base64::Engine as _;
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares keys in constant time (through their MACs).
fn same_key(secret: &[u8], shown: &str) -> bool {
    let mac = |value: &[u8]| {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"clientele webhook key")
            .expect("HMAC takes a key of any length");
        mac.update(value);
        mac
    };
    mac(secret)
        .verify_slice(&mac(shown.as_bytes()).finalize().into_bytes())
        .is_ok()
}
