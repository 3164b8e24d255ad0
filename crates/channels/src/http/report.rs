//! What providers post back later: whether a message reached the phone. Each
//! preset's provider has its own shape; [`ReportTemplate`] reads others. FCM
//! posts no delivery reports (only its BigQuery export has them), so it has
//! no parser here.
//!
//! The parsers read bodies only; answering the provider (SMS.ru wants `100`
//! in the answer, the others any 200) is the web server's work.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use super::reply::json_text;

/// One message's fate as the provider tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The id the provider gave when it took the message
    /// ([`crate::Accepted::provider_id`]).
    pub provider_id: String,
    pub status: ReportedStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportedStatus {
    Delivered,
    /// Will not be delivered, with the provider's reason.
    Failed(String),
    /// On its way; a later report settles it.
    Pending,
}

/// A report that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("the report is not JSON: {0}")]
    NotJson(String),
    #[error("the report lacks {0:?}")]
    Missing(String),
    #[error("the report's status {0:?} is not one the provider documents")]
    UnknownStatus(String),
    #[error("the report holds no delivery status")]
    Empty,
    #[error("this provider sends no delivery reports")]
    NotSent,
}

/// A signature that does not prove the report came from the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature is not a hex HMAC-SHA256")]
    Malformed,
    #[error("the signature does not match the report")]
    Mismatch,
}

/// Checks `header_value`, the hex HMAC-SHA256 of `body` under `secret`
/// (a `sha256=` prefix is allowed), in constant time.
pub fn verify_signature(
    secret: &[u8],
    body: &[u8],
    header_value: &str,
) -> Result<(), SignatureError> {
    let hex = header_value.trim();
    let hex = hex.strip_prefix("sha256=").unwrap_or(hex);
    let expected = decode_hex(hex).ok_or(SignatureError::Malformed)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SignatureError::Mismatch)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

/// SMS.ru's callback (<https://sms.ru/api/callback>): a form of `data[N]`
/// entries, each lines of `sms_status`, the sms_id, the status code and a
/// time. Codes: 100–102 on the way, 103 delivered, 110 read (Viber), 104–108
/// and 150 not delivered. Entries of other kinds are skipped.
pub fn sms_ru(body: &[u8]) -> Result<Vec<DeliveryReport>, ReportError> {
    let mut reports = Vec::new();
    for (key, value) in form_urlencoded::parse(body) {
        if !key.starts_with("data[") {
            continue;
        }
        let mut lines = value.lines().map(str::trim);
        if lines.next() != Some("sms_status") {
            continue;
        }
        let id = lines.next().filter(|id| !id.is_empty());
        let id = id.ok_or_else(|| ReportError::Missing("sms_id".to_owned()))?;
        let code = lines
            .next()
            .ok_or_else(|| ReportError::Missing("status".to_owned()))?;
        let failed = |why: &str| ReportedStatus::Failed(format!("SMS.ru status {code}: {why}"));
        let status = match code {
            "100" | "101" | "102" => ReportedStatus::Pending,
            "103" | "110" => ReportedStatus::Delivered,
            "104" => failed("its lifetime ran out"),
            "105" => failed("deleted by the operator"),
            "106" => failed("the phone failed"),
            "107" => failed("not delivered for an unknown reason"),
            "108" => failed("rejected"),
            "150" => failed("no route to this number"),
            other => return Err(ReportError::UnknownStatus(other.to_owned())),
        };
        reports.push(DeliveryReport {
            provider_id: id.to_owned(),
            status,
        });
    }
    non_empty(reports)
}

/// SMSC.ru's status callback (<https://smsc.ru/api/http/miscellaneous/callback/>):
/// a form with `id`, `phone`, `status` and `err`. Statuses
/// (<https://smsc.ru/api/http/status_messages/statuses/>): -1 and 0 on the
/// way, 1 delivered, 2 read, 4 link followed; -3, 3, 20, 22–25 not delivered.
pub fn smsc(body: &[u8]) -> Result<Vec<DeliveryReport>, ReportError> {
    let fields: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.trim())
            .ok_or_else(|| ReportError::Missing(name.to_owned()))
    };
    let id = field("id")?;
    let code = field("status")?;
    let err = field("err")
        .map(|e| format!(" (error {e})"))
        .unwrap_or_default();
    let failed = |why: &str| ReportedStatus::Failed(format!("SMSC status {code}: {why}{err}"));
    let status = match code {
        "-1" | "0" => ReportedStatus::Pending,
        "1" | "2" | "4" => ReportedStatus::Delivered,
        "-3" => failed("the message is not found"),
        "3" => failed("its lifetime ran out"),
        "20" => failed("cannot be delivered"),
        "22" => failed("a wrong number"),
        "23" => failed("prohibited"),
        "24" => failed("not enough money on the account"),
        "25" => failed("the number is unavailable"),
        other => return Err(ReportError::UnknownStatus(other.to_owned())),
    };
    Ok(vec![DeliveryReport {
        provider_id: id.to_owned(),
        status,
    }])
}

/// Infobip's delivery reports, Viber's included
/// (<https://www.infobip.com/docs/api/channels/viber/viber-business-messages/receive-viber-delivery-reports>):
/// `{"results":[{"messageId":…,"status":{"groupName":…,"name":…,"description":…},"error":{…}}]}`.
/// Groups: DELIVERED; PENDING and ACCEPTED on the way; UNDELIVERABLE, EXPIRED
/// and REJECTED not delivered.
pub fn infobip(body: &[u8]) -> Result<Vec<DeliveryReport>, ReportError> {
    let json: Value =
        serde_json::from_slice(body).map_err(|e| ReportError::NotJson(e.to_string()))?;
    let results = json
        .pointer("/results")
        .and_then(Value::as_array)
        .ok_or_else(|| ReportError::Missing("results".to_owned()))?;
    let text = |item: &Value, pointer: &str| item.pointer(pointer).and_then(json_text);
    let reports = results
        .iter()
        .map(|item| {
            let provider_id = text(item, "/messageId")
                .ok_or_else(|| ReportError::Missing("messageId".to_owned()))?;
            let group = text(item, "/status/groupName")
                .ok_or_else(|| ReportError::Missing("status.groupName".to_owned()))?;
            let status = match group.as_str() {
                "DELIVERED" => ReportedStatus::Delivered,
                "PENDING" | "ACCEPTED" => ReportedStatus::Pending,
                "UNDELIVERABLE" | "EXPIRED" | "REJECTED" => {
                    let why = [text(item, "/status/name"), text(item, "/error/description")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": ");
                    ReportedStatus::Failed(format!("Infobip {group}: {why}"))
                }
                _ => return Err(ReportError::UnknownStatus(group)),
            };
            Ok(DeliveryReport {
                provider_id,
                status,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    non_empty(reports)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// One JSON object, or an array of them.
    Json,
    /// `application/x-www-form-urlencoded`, one report.
    Form,
}

/// Where another provider's reports keep the id and the status: JSON pointers
/// (`/messageId`) for json, field names for form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportTemplate {
    pub format: ReportFormat,
    pub id: String,
    pub status: String,
    /// Status values that mean delivered.
    pub delivered: Vec<String>,
    /// Status values that mean it will not be; any other value is pending.
    pub failed: Vec<String>,
    /// Where the reason for a failure is, when the provider gives one.
    #[serde(default)]
    pub reason: Option<String>,
}

impl ReportTemplate {
    pub fn parse(&self, body: &[u8]) -> Result<Vec<DeliveryReport>, ReportError> {
        match self.format {
            ReportFormat::Json => {
                let json: Value = serde_json::from_slice(body)
                    .map_err(|e| ReportError::NotJson(e.to_string()))?;
                let items: Vec<&Value> = match &json {
                    Value::Array(items) => items.iter().collect(),
                    one => vec![one],
                };
                let reports = items
                    .into_iter()
                    .map(|item| self.read(|pointer| item.pointer(pointer).and_then(json_text)))
                    .collect::<Result<Vec<_>, _>>()?;
                non_empty(reports)
            }
            ReportFormat::Form => {
                let fields: Vec<(String, String)> =
                    form_urlencoded::parse(body).into_owned().collect();
                let report = self.read(|name| {
                    fields
                        .iter()
                        .find(|(key, _)| key == name)
                        .map(|(_, value)| value.clone())
                })?;
                Ok(vec![report])
            }
        }
    }

    fn read(&self, field: impl Fn(&str) -> Option<String>) -> Result<DeliveryReport, ReportError> {
        let found = |name: &str| field(name).filter(|value| !value.is_empty());
        let provider_id = found(&self.id).ok_or_else(|| ReportError::Missing(self.id.clone()))?;
        let status =
            found(&self.status).ok_or_else(|| ReportError::Missing(self.status.clone()))?;
        let status = if self.delivered.contains(&status) {
            ReportedStatus::Delivered
        } else if self.failed.contains(&status) {
            ReportedStatus::Failed(self.reason.as_deref().and_then(found).unwrap_or(status))
        } else {
            ReportedStatus::Pending
        };
        Ok(DeliveryReport {
            provider_id,
            status,
        })
    }
}

fn non_empty(reports: Vec<DeliveryReport>) -> Result<Vec<DeliveryReport>, ReportError> {
    if reports.is_empty() {
        Err(ReportError::Empty)
    } else {
        Ok(reports)
    }
}
