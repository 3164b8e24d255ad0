//! The worker: claims the messages due, lets the domain decide each with
//! its customer as they are now, hands those that may leave to their
//! channel's courier, and records what became of every one.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use clientele_channels::{Envelope, SendError};
use clientele_domain::message::{
    Channel, Decision, MessageState, Policy, Purpose, Recipient, Sent, after_failure, cascade_at,
    decide,
};
use clientele_domain::template::Rendered;
use clientele_domain::{CampaignId, CustomerId, MessageId, StoreId, TriggerId};
use clientele_store::{Claimed, Message, Settlement};
use futures_util::StreamExt;
use jiff::SignedDuration;
use jiff::tz::TimeZone;

use crate::campaigns::terms_of;
use crate::progress::Logged;
use crate::{App, AppResult};

/// Messages claimed at once: two waves of what goes out at once. A crash
/// leaves the claimed in doubt (maybe sent, never sent again), so few are
/// claimed ahead of their send.
const BATCH: u32 = 2 * CONCURRENT as u32;
/// Customers whose messages go out at once.
const CONCURRENT: usize = 8;
/// A message `sending` for longer was cut off by a crash: a send gives up
/// long before (each courier has its timeouts).
const LEASE: SignedDuration = SignedDuration::from_mins(10);
/// Messages moved on to their next channel at once.
const CASCADE_BATCH: u32 = 1_000;
/// How often the triggers' occasions are looked for.
const TRIGGER_SCAN: Duration = Duration::from_secs(60);
/// How long the worker rests when nothing is due.
const IDLE: Duration = Duration::from_secs(1);

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub claimed: usize,
    pub sent: usize,
    pub held: usize,
    pub retried: usize,
    /// Ended without leaving: no consent, no contact, capped, expired, failed.
    pub stopped: usize,
}

impl App {
    /// Delivers what is due now: one round of up to [`BATCH`] messages.
    #[tracing::instrument(skip(self))]
    pub async fn deliver_due_messages(&self) -> AppResult<DeliveryReport> {
        let policy = self.policy().await?;
        // Until a channel is set up, messages wait in the queue (within
        // their lifetime) rather than fail for want of one.
        if policy.channels.is_empty() {
            return Ok(DeliveryReport::default());
        }
        let now = self.clock().now();
        let claimed = self.db().outbox().claim_messages(now, BATCH).await?;
        let words = self.templated_words(&claimed).await?;
        let zones = self.zones_of(&claimed).await?;
        let mut report = DeliveryReport {
            claimed: claimed.len(),
            ..DeliveryReport::default()
        };
        // A customer's messages go one after another, so that each counts
        // against the caps of the next.
        let mut by_customer: BTreeMap<CustomerId, Vec<Claimed>> = BTreeMap::new();
        for claim in claimed {
            by_customer
                .entry(claim.message.customer_id)
                .or_default()
                .push(claim);
        }
        let delivered: Vec<AppResult<Vec<(Message, Settlement)>>> =
            futures_util::stream::iter(by_customer.into_values())
                .map(|claims| {
                    let zone = claims
                        .first()
                        .and_then(|c| c.store_id)
                        .and_then(|store| zones.get(&store))
                        .unwrap_or(self.clock().zone())
                        .clone();
                    self.deliver_to_one_customer(claims, zone, &policy, &words)
                })
                .buffer_unordered(CONCURRENT)
                .collect()
                .await;
        let mut settled = Vec::with_capacity(report.claimed);
        for outcomes in delivered {
            settled.extend(outcomes?);
        }
        // One write for the round: SQLite's single writer serves the tills
        // too. A crash before it leaves the round `sending`, then
        // `interrupted`, never sent twice.
        self.db().outbox().settle_messages(&settled).await?;
        crate::measure::settled(settled.iter().map(|(_, settlement)| settlement));
        for (_, settlement) in &settled {
            match settlement {
                Settlement::Sent { .. } => report.sent += 1,
                Settlement::Held { .. } => report.held += 1,
                Settlement::Retry { .. } => report.retried += 1,
                Settlement::Stopped { .. } => report.stopped += 1,
            }
        }
        Ok(report)
    }

    /// The stores' time zones, read only when a claimed message's customer
    /// belongs to a store.
    async fn zones_of(&self, claimed: &[Claimed]) -> AppResult<HashMap<StoreId, TimeZone>> {
        if claimed.iter().all(|c| c.store_id.is_none()) {
            return Ok(HashMap::new());
        }
        self.store_zones().await
    }

    /// The words of the campaigns' and triggers' messages among `claimed`,
    /// filled in for each customer as they are now: one read of each
    /// campaign or trigger and one of its customers.
    async fn templated_words(
        &self,
        claimed: &[Claimed],
    ) -> AppResult<HashMap<MessageId, Rendered>> {
        let mut by_words: BTreeMap<Words, Vec<&Message>> = BTreeMap::new();
        for claim in claimed {
            let message = &claim.message;
            let words = match (message.campaign_id, message.trigger_id) {
                (Some(campaign), _) => Words::Campaign(campaign),
                (None, Some(trigger)) => Words::Trigger(trigger),
                (None, None) => continue,
            };
            by_words.entry(words).or_default().push(message);
        }
        let mut rendered = HashMap::new();
        for (words, messages) in by_words {
            let (record, offer) = match words {
                Words::Campaign(id) => match self.db().campaigns().campaign(id).await? {
                    Some(campaign) => (campaign.words, campaign.offer_id),
                    None => continue,
                },
                Words::Trigger(id) => {
                    let Some(trigger) = self.db().triggers().trigger(id).await? else {
                        continue;
                    };
                    match self.db().campaigns().template(trigger.template_id).await? {
                        Some(template) => (template.record, None),
                        None => continue,
                    }
                }
            };
            let terms = terms_of(&record)?;
            let customers: Vec<CustomerId> = messages.iter().map(|m| m.customer_id).collect();
            let people = self.personalised(&customers, offer).await?;
            for message in messages {
                let who = people
                    .get(&message.customer_id)
                    .cloned()
                    .unwrap_or_default();
                rendered.insert(message.id, terms.render(&who));
            }
        }
        Ok(rendered)
    }

    async fn deliver_to_one_customer(
        &self,
        claims: Vec<Claimed>,
        zone: TimeZone,
        policy: &Policy,
        words: &HashMap<MessageId, Rendered>,
    ) -> AppResult<Vec<(Message, Settlement)>> {
        let mut sent = claims
            .first()
            .map(|c| c.marketing_sent.clone())
            .unwrap_or_default();
        let mut settlements = Vec::with_capacity(claims.len());
        for claim in claims {
            let recipient = Recipient {
                email: claim.email,
                phone: claim.phone,
                device: claim.device,
                handle: claim.handle,
                consents: claim.consents,
                zone: zone.clone(),
                sent: sent.clone(),
            };
            let rendered = words.get(&claim.message.id);
            let settlement = self
                .deliver(&claim.message, rendered, &recipient, policy)
                .await?;
            if let Settlement::Sent { at, .. } = settlement
                && claim.message.source.purpose() == Purpose::Marketing
            {
                sent.push(at);
            }
            settlements.push((claim.message, settlement));
        }
        Ok(settlements)
    }

    async fn deliver(
        &self,
        message: &Message,
        rendered: Option<&Rendered>,
        recipient: &Recipient,
        policy: &Policy,
    ) -> AppResult<Settlement> {
        let now = self.clock().now();
        let sent = Sent {
            purpose: message.source.purpose(),
            channels: &message.channels,
            expires_at: message.expires_at,
        };
        let (channel, address) = match decide(&sent, recipient, policy, now) {
            Decision::Send { channel, address } => (channel, address),
            Decision::Hold { until } => return Ok(Settlement::Held { until }),
            Decision::Stop { state, reason } => {
                return Ok(Settlement::Stopped {
                    state,
                    reason: reason.into(),
                    answer: None,
                });
            }
        };
        let Some(courier) = self.courier(channel).await? else {
            return Ok(stopped(MessageState::Failed, "no_channel_set_up", None));
        };
        let envelope = self.envelope(message, rendered, channel, &address).await?;
        self.messaging().pace.turn().await;
        Ok(match courier.send(&envelope).await {
            Ok(accepted) => {
                let at = self.clock().now();
                Settlement::Sent {
                    channel,
                    address,
                    provider_id: accepted.provider_id,
                    at,
                    cascade_at: cascade_at(&message.channels, channel, at, policy.cascade_after),
                }
            }
            Err(SendError::Passing(answer)) => {
                let attempts = u32::try_from(message.attempts).unwrap_or(u32::MAX);
                match after_failure(attempts, self.clock().now(), message.expires_at) {
                    Some(at) => Settlement::Retry { at, answer },
                    None => stopped(MessageState::Failed, "tries_spent", Some(answer)),
                }
            }
            Err(SendError::Refused(answer)) => {
                stopped(MessageState::Failed, "refused", Some(answer))
            }
        })
    }

    /// The e-mail of a message: its subject (or its first line), its text
    /// and its HTML (the template's, else the text's), with the customer's
    /// way out. A campaign's message says what its template, filled in for
    /// the customer, says.
    async fn envelope(
        &self,
        message: &Message,
        rendered: Option<&Rendered>,
        channel: Channel,
        address: &str,
    ) -> AppResult<Envelope> {
        let unsubscribe = self.unsubscribe_url(message).await?;
        let body = rendered.map_or(message.body.as_str(), |r| r.text.as_str());
        let subject = rendered
            .and_then(|r| r.subject.clone())
            .or_else(|| message.subject.clone())
            .unwrap_or_else(|| first_line(body));
        if channel != Channel::Email {
            // Short messages: the text, and for marketing a way to stop.
            let marketing = message.source.purpose() == Purpose::Marketing;
            let text = match marketing {
                true => format!("{body}\nОтказ от рассылки: {unsubscribe}"),
                false => body.to_owned(),
            };
            return Ok(Envelope {
                id: format!("m{}-{}", message.customer_id, message.id),
                to: address.to_owned(),
                subject,
                text,
                html: None,
                unsubscribe: None,
            });
        }
        let footer = format!("Отписаться от этих писем: {unsubscribe}");
        let html = match rendered.and_then(|r| r.html.as_deref()) {
            Some(written) => with_footer(written, &unsubscribe),
            None => html(body, &unsubscribe),
        };
        Ok(Envelope {
            id: format!("m{}-{}", message.customer_id, message.id),
            to: address.to_owned(),
            subject,
            text: format!("{body}\n\n-- \n{footer}\n"),
            html: Some(html),
            unsubscribe: Some(unsubscribe),
        })
    }

    /// Runs the worker until the process ends: campaigns whose start came
    /// are queued, then a round, then another at once if the batch was
    /// full, else after a rest; messages left `sending` by a crash are
    /// failed once their lease passes.
    pub async fn run_outbox_forever(self) {
        let progress = Logged::default();
        let mut scanned: Option<std::time::Instant> = None;
        loop {
            if let Err(error) = self.queue_due_campaigns(&progress).await {
                tracing::error!(%error, "campaigns were not queued; tried again soon");
            }
            if scanned.is_none_or(|at| at.elapsed() >= TRIGGER_SCAN) {
                scanned = Some(std::time::Instant::now());
                match self.run_triggers().await {
                    Ok(report) if report.queued.iter().any(|(_, n)| *n > 0) => {
                        tracing::info!(?report, "triggers queued messages");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "the triggers' scan failed"),
                }
            }
            let now = self.clock().now();
            if let Some(before) = now.checked_sub(LEASE).ok()
                && let Err(error) = self.db().outbox().fail_interrupted(before).await
            {
                tracing::error!(%error, "messages cut off by a crash were not marked");
            }
            if let Err(error) = self.db().outbox().cascade_due(now, CASCADE_BATCH).await {
                tracing::error!(%error, "the cascade to next channels failed; tried again soon");
            }
            let started = std::time::Instant::now();
            let delivered = self.deliver_due_messages().await;
            crate::measure::job(
                "outbox",
                started,
                delivered.is_ok(),
                self.clock().now().as_second(),
            );
            match delivered {
                Ok(report) if report.claimed as u32 == BATCH => continue,
                Ok(report) => {
                    if report.claimed > 0 {
                        tracing::info!(?report, "messages delivered");
                    }
                }
                Err(error) => tracing::error!(%error, "the outbox round failed; tried again soon"),
            }
            tokio::time::sleep(IDLE).await;
        }
    }
}

/// Whose words a message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Words {
    Campaign(CampaignId),
    Trigger(TriggerId),
}

fn stopped(state: MessageState, reason: &str, answer: Option<String>) -> Settlement {
    Settlement::Stopped {
        state,
        reason: reason.into(),
        answer,
    }
}

/// A subject from a body: its first line, cut at 78 characters.
fn first_line(body: &str) -> String {
    let line = body
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    match line.char_indices().nth(77) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_owned(),
    }
}

/// The body as HTML paragraphs, every character of it escaped.
fn html(body: &str, unsubscribe: &str) -> String {
    let paragraphs: String = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", escape(p).replace('\n', "<br>")))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"ru\"><body>\n{paragraphs}<hr>\n<p><a href=\"{}\">Отписаться от этих писем</a></p>\n</body></html>\n",
        escape(unsubscribe)
    )
}

/// The marketer's HTML with the way out added before its body ends (or
/// after it, when it has no `</body>`).
fn with_footer(written: &str, unsubscribe: &str) -> String {
    let footer = format!(
        "<hr>\n<p><a href=\"{}\">Отписаться от этих писем</a></p>\n",
        escape(unsubscribe)
    );
    match written.to_ascii_lowercase().rfind("</body>") {
        Some(end) => format!("{}{footer}{}", &written[..end], &written[end..]),
        None => format!("{written}\n{footer}"),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_text_is_escaped_in_html() {
        let page = html(
            "<script>alert('x')</script>\n\nДо встречи & удачи",
            "https://x/u?a=1&b=2",
        );
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(page.contains("<p>До встречи &amp; удачи</p>"));
        assert!(page.contains("href=\"https://x/u?a=1&amp;b=2\""));
        assert!(!page.contains("<script>"));
    }

    #[test]
    fn a_subject_is_the_first_line_cut_short() {
        assert_eq!(first_line("\n  Привет!\nещё"), "Привет!");
        let long = "я".repeat(100);
        assert_eq!(first_line(&long).chars().count(), 78);
    }
}
