//! Scheduled work inside `serve`: each job runs at most once per slot,
//! whatever restarts and however many servers share the database (the slot
//! is claimed in the store first).

use clientele_domain::posting::{LedgerKind, LotTerms};
use clientele_domain::trigger::{Occasion, TriggerKind};
use std::time::Duration;

use clientele_domain::message::MessageSource;
use clientele_domain::{BirthdayRange, CustomerFilter, CustomerId, MonthDay, Program, SortOrder};
use clientele_store::{CustomerQuery, MessageDraft, PointsAdjustment};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::{App, AppError, AppResult};

/// How often `serve` looks for due work.
pub const TICK: Duration = Duration::from_secs(60);
/// Customers written off per transaction by the expiry job.
const EXPIRY_BATCH: u32 = 500;

/// Customers given points per transaction by the birthday and referral jobs.
const GRANT_BATCH: usize = 1000;

/// Points a scheduled job gives.
struct Grant {
    points: i64,
    kind: LedgerKind,
    comment: String,
    message: Option<MessageDraft>,
}

/// What one look for due work did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Whether this call ran the hour's expiry (another may have).
    pub expiry_ran: bool,
    /// Customers whose expired points were written off.
    pub expired_customers: u32,
    /// Customers given their birthday points.
    pub birthdays: u32,
    /// Referrers rewarded for a referred customer's first purchase.
    pub referrals: u32,
    /// Customers whose tier was recomputed from their spend of the period.
    pub tiers_recomputed: u64,
    /// Customers given RFM scores (once a day).
    pub rfm_scored: usize,
    /// Dynamic segments recomputed on their schedule.
    pub segments_recomputed: u32,
    /// Store days whose figures grew by what was committed since.
    pub store_days: usize,
    /// The closed month whose whole chain's figures were kept again (one
    /// a pass at most).
    pub month_kept: Option<Date>,
}

impl App {
    /// Runs what is due now and not yet claimed: the expiry of points once
    /// an hour (the shop's hour).
    pub async fn run_due_jobs(&self) -> AppResult<JobReport> {
        let now = self.clock().now();
        let hour = now
            .to_zoned(self.clock().zone().clone())
            .strftime("%Y-%m-%dT%H")
            .to_string();
        let mut report = JobReport::default();
        if self.db().jobs().claim_slot("expiry", &hour, now).await? {
            report.expiry_ran = true;
            loop {
                let done = self.db().expire_points(now, EXPIRY_BATCH).await?;
                report.expired_customers += done;
                if done < EXPIRY_BATCH {
                    break;
                }
            }
            tracing::info!(
                customers = report.expired_customers,
                "expired points written off"
            );
        }
        let programs = self.cached_programs().await?;
        if let Some(program) = programs.iter().find(|p| p.is_default) {
            let today = self.clock().today();
            if program.rules.birthday_points > 0
                && self
                    .db()
                    .jobs()
                    .claim_slot("birthdays", &today.to_string(), now)
                    .await?
            {
                report.birthdays = self.birthday_points(program, today, now).await?;
                tracing::info!(customers = report.birthdays, "birthday points given");
            }
            if program.rules.referral_points > 0 {
                report.referrals = self.referral_rewards(program, now).await?;
            }
            if program.rules.tier_period_days > 0
                && self
                    .db()
                    .jobs()
                    .claim_slot("tiers", &today.to_string(), now)
                    .await?
            {
                report.tiers_recomputed = self.recompute_tiers(program, now).await?;
                tracing::info!(customers = report.tiers_recomputed, "tiers recomputed");
            }
        }
        // RFM first: the day's segments may be ruled by it.
        let today = self.clock().today().to_string();
        if self.db().jobs().claim_slot("rfm", &today, now).await? {
            report.rfm_scored = self.recompute_rfm(&crate::progress::Silent).await?;
        }
        report.segments_recomputed = self.recompute_due_segments().await?;
        report.store_days = self.roll_up_day_figures().await?.store_days;
        report.month_kept = self.keep_month_figures().await?;
        Ok(report)
    }

    /// Gives the program's birthday points to everyone whose birthday is
    /// the program's number of days ahead, each once a year (a slot per
    /// customer and year, so a second server or a restart gives nothing twice).
    async fn birthday_points(
        &self,
        program: &Program,
        today: Date,
        now: Timestamp,
    ) -> AppResult<u32> {
        let rules = &program.rules;
        let day = today
            .checked_add(jiff::Span::new().days(rules.birthday_days_before))
            .map_err(|e| AppError::Unavailable(format!("no such day: {e}")))?;
        let on = MonthDay {
            month: day.month(),
            day: day.day(),
        };
        // Those born on 29 February celebrate on the 28th in other years.
        let to = if (on.month, on.day) == (2, 28) && !day.in_leap_year() {
            MonthDay { month: 2, day: 29 }
        } else {
            on
        };
        let mut due = Vec::new();
        let mut query = CustomerQuery {
            filter: CustomerFilter {
                birthday: Some(BirthdayRange { from: on, to }),
                ..CustomerFilter::default()
            },
            order: SortOrder::default(),
            limit: 1000,
            after: None,
        };
        loop {
            let page = self.db().list_customers(&query).await?;
            for customer in &page.items {
                let takes_part = !customer.profile.blocked && customer.merged_into.is_none();
                let slot = format!("{}:{}", customer.id, day.year());
                if takes_part && self.db().jobs().claim_slot("birthday", &slot, now).await? {
                    due.push(customer.id);
                }
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        // The birthday trigger's words, when it is on, else the program's.
        let message = match self.active_trigger(TriggerKind::Birthday).await? {
            Some(trigger) => Some(MessageDraft {
                channels: trigger.channels,
                trigger_id: Some(trigger.id),
                occasion: Some(Occasion::Birthday { year: day.year() }.key()),
                ..MessageDraft::new(MessageSource::Birthday, String::new())
            }),
            None => Some(rules.birthday_message.clone())
                .filter(|m| !m.trim().is_empty())
                .map(|body| MessageDraft::new(MessageSource::Birthday, body)),
        };
        let grant = Grant {
            points: rules.birthday_points,
            kind: LedgerKind::Birthday,
            comment: format!("день рождения {}", day.year()),
            message,
        };
        self.grant(program, &due, &grant, now).await?;
        Ok(due.len() as u32)
    }

    /// Gives every customer the tier their spend over the program's period
    /// reaches (a tier set by hand holds until its date), a range of
    /// customers per statement so tills are not held up long.
    async fn recompute_tiers(&self, program: &Program, now: Timestamp) -> AppResult<u64> {
        const RANGE: i64 = 10_000;
        let since = now - jiff::SignedDuration::from_hours(24 * program.rules.tier_period_days);
        let Some(last) = self.db().jobs().last_customer_id().await? else {
            return Ok(0);
        };
        let ladder: Vec<_> = program
            .tiers
            .iter()
            .map(|t| (t.threshold_minor, t.id))
            .collect();
        let mut done = 0;
        let mut from = 1;
        while from <= last.0 {
            let ids = (CustomerId(from), CustomerId(from + RANGE - 1));
            done += self.db().recompute_tiers(&ladder, since, now, ids).await?;
            from += RANGE;
        }
        Ok(done)
    }

    /// Rewards referrers whose referred customers have bought, once each.
    async fn referral_rewards(&self, program: &Program, now: Timestamp) -> AppResult<u32> {
        let mut rewarded = 0;
        for (customer, referrer) in self.db().jobs().referrals_due(GRANT_BATCH as u32).await? {
            if self
                .db()
                .jobs()
                .claim_slot("referral", &customer.to_string(), now)
                .await?
            {
                let grant = Grant {
                    points: program.rules.referral_points,
                    kind: LedgerKind::Referral,
                    comment: format!("за приглашённого покупателя {customer}"),
                    message: None,
                };
                self.grant(program, &[referrer], &grant, now).await?;
                rewarded += 1;
            }
        }
        Ok(rewarded)
    }

    /// Gives points from a scheduled job (usable at once, expiring as the
    /// program's do), in batches.
    async fn grant(
        &self,
        program: &Program,
        customers: &[CustomerId],
        grant: &Grant,
        now: Timestamp,
    ) -> AppResult<()> {
        let lot = LotTerms {
            usable_from: now,
            expires_at: program.given_lot_times(now),
        };
        for batch in customers.chunks(GRANT_BATCH) {
            let outcome = self
                .db()
                .adjust_points(&PointsAdjustment {
                    customer_ids: batch.to_vec(),
                    points: grant.points,
                    comment: grant.comment.clone(),
                    message: grant.message.clone(),
                    kind: grant.kind,
                    author: None,
                    lot,
                    at: now,
                })
                .await?;
            if !matches!(outcome, clientele_store::AdjustOutcome::Done(_)) {
                tracing::error!(
                    ?outcome,
                    kind = grant.kind.as_str(),
                    "scheduled points were not given"
                );
            }
        }
        Ok(())
    }

    /// Looks for due work every [`TICK`] until the process ends.
    pub async fn run_jobs_forever(self) {
        let mut ticks = tokio::time::interval(TICK);
        loop {
            ticks.tick().await;
            let started = std::time::Instant::now();
            let ran = self.run_due_jobs().await;
            crate::measure::job(
                "scheduled",
                started,
                ran.is_ok(),
                self.clock().now().as_second(),
            );
            if let Err(error) = ran {
                tracing::error!(%error, "scheduled work failed; it is tried again next slot");
            }
        }
    }
}
