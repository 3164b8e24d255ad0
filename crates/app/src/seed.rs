//! Filling a database with the demo world: groups, stores, properties and as
//! many customers as asked, in batches. Running it again adds more customers
//! and reuses what exists.

use std::collections::HashMap;

use clientele_domain::store::StoreInput;
use clientele_domain::{CustomerFilter, CustomerGroupInput, SortOrder, StoreId};
use clientele_domain::{ProgramKind, ProgramRules};
use clientele_store::{CustomerBatch, CustomerQuery, NewTier, WriteOutcome};

use crate::audit::ChangedBy;
use crate::demo::{
    DemoWorld, demo_customer, demo_groups, demo_properties, demo_store_refs, demo_stores,
};
use crate::progress::Progress;
use crate::{App, AppResult};

/// Customers written per transaction.
const BATCH: u64 = 25_000;

const DEMO_PROGRAM: &str = "Бонусная программа";
/// Name, spend from which it applies (minor units), earn rate.
const DEMO_TIERS: &[(&str, i64, i64)] = &[
    ("Серебро", 0, 300),
    ("Золото", 5_000_000, 500),
    ("Платина", 15_000_000, 700),
];
const DEMO_BLANK_CARDS: u32 = 100;

/// 3 % back (more in higher tiers), up to half a receipt payable with
/// points, tobacco and alcohol excluded, points usable after a day and kept
/// for a year, tiers by lifetime spend; 300 points three days before the
/// birthday, 200 to whoever referred a customer who buys.
fn demo_rules() -> ProgramRules {
    ProgramRules {
        kind: ProgramKind::Bonus,
        earn_rate_bp: 300,
        max_payable_share_bp: 5000,
        discount_bp: 0,
        excluded_categories: vec!["tobacco".into(), "alcohol".into()],
        excluded_skus: vec![],
        min_price_minor: 100,
        accrual_delay_days: 1,
        expiry_days: 365,
        tier_period_days: 0,
        birthday_points: 30_000,
        birthday_days_before: 3,
        birthday_message: "С днём рождения! Дарим 300 бонусов.".into(),
        referral_points: 20_000,
    }
}

/// What a demo run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub customers: u64,
    pub skipped: u64,
}

impl App {
    /// Whether the database has no customers yet.
    pub async fn is_empty(&self) -> AppResult<bool> {
        let all = CustomerQuery {
            filter: CustomerFilter::default(),
            order: SortOrder::default(),
            limit: 1,
            after: None,
        };
        Ok(self.db().list_customers(&all).await?.items.is_empty())
    }

    pub async fn seed_demo(
        &self,
        customers: u64,
        progress: &dyn Progress,
    ) -> AppResult<SeedReport> {
        let world = self.demo_world().await?;
        let all = CustomerQuery {
            filter: CustomerFilter::default(),
            order: SortOrder::default(),
            limit: 1,
            after: None,
        };
        let first = self.db().count_customers(&all, None).await?;
        progress.start("demo customers", customers);
        let mut report = SeedReport {
            customers: 0,
            skipped: 0,
        };
        let world = std::sync::Arc::new(world);
        let generate = |range: std::ops::Range<u64>| {
            let world = world.clone();
            // Made on another thread while the previous batch is written.
            tokio::task::spawn_blocking(move || {
                range.map(|i| demo_customer(i, &world)).collect::<Vec<_>>()
            })
        };
        // Demo data into an empty base is one load (see `CustomerLoad`).
        let mut load = match first {
            0 => self.db().begin_customer_load().await?,
            _ => None,
        };
        let end = first + customers;
        let mut next = (first < end).then(|| generate(first..(first + BATCH).min(end)));
        let mut index = first;
        while let Some(pending) = next.take() {
            let inserts = pending.await.expect("demo generation does not panic");
            let batch_end = index + inserts.len() as u64;
            if batch_end < end {
                next = Some(generate(batch_end..(batch_end + BATCH).min(end)));
            }
            if let Some(load) = load.as_mut() {
                report.customers += load.insert(&inserts).await?.len() as u64;
            } else {
                let batch = CustomerBatch {
                    inserts,
                    updates: Vec::new(),
                    at: self.clock().now(),
                };
                for outcome in self.db().write_customers(&batch).await? {
                    match outcome {
                        WriteOutcome::Inserted(_) | WriteOutcome::Updated(_) => {
                            report.customers += 1
                        }
                        WriteOutcome::Skipped { .. } => report.skipped += 1,
                    }
                }
            }
            progress.advance(batch_end - index);
            index = batch_end;
        }
        if let Some(load) = load {
            progress.start("building indexes", 1);
            load.finish().await?;
            progress.advance(1);
        }
        self.db().refresh_statistics().await?;
        progress.finish();
        Ok(report)
    }

    /// The demo's bonus program with its tiers, a card group and a print
    /// run of blank cards, unless a program exists already.
    async fn demo_program(&self, demo: &ChangedBy) -> AppResult<()> {
        if !self.db().programs().await?.is_empty() {
            return Ok(());
        }
        let program = self
            .create_program(DEMO_PROGRAM, demo_rules(), true, demo)
            .await?;
        for (name, threshold_minor, earn_rate_bp) in DEMO_TIERS {
            let tier = NewTier {
                name: (*name).into(),
                threshold_minor: *threshold_minor,
                earn_rate_bp: Some(*earn_rate_bp),
                discount_bp: None,
            };
            self.create_tier(program.id, tier, demo).await?;
        }
        let group = self
            .create_card_group("Дисконтные карты", program.id, demo)
            .await?;
        self.print_run(group.id, DEMO_BLANK_CARDS, demo).await?;
        Ok(())
    }

    /// Creates what is missing of the demo groups, stores and properties.
    async fn demo_world(&self) -> AppResult<DemoWorld> {
        let demo = ChangedBy::system("demo");
        let mut groups = Vec::new();
        for name in demo_groups() {
            let existing = self
                .db()
                .customer_groups()
                .await?
                .into_iter()
                .find(|g| g.name == name);
            groups.push(match existing {
                Some(group) => group.id,
                None => {
                    self.create_customer_group(CustomerGroupInput { name: name.into() }, &demo)
                        .await?
                        .id
                }
            });
        }
        let mut ids: HashMap<&str, StoreId> = HashMap::new();
        for node in demo_stores() {
            let id = match self.db().store_by_code(node.code).await? {
                Some(store) => store.id,
                None => {
                    let input = StoreInput {
                        code: node.code.into(),
                        name: node.name.clone(),
                        kind: Some(node.kind.as_str().into()),
                        parent_id: node.parent_code.and_then(|code| ids.get(code).copied()),
                        address: node.address.clone(),
                    };
                    self.create_store(input, &demo).await?.id
                }
            };
            ids.insert(node.code, id);
        }
        let existing = self.db().property_definitions().await?;
        for input in demo_properties() {
            if !existing.iter().any(|p| p.name.as_str() == input.name) {
                self.create_property_definition(input, &demo).await?;
            }
        }
        self.demo_program(&demo).await?;
        Ok(DemoWorld {
            groups,
            stores: demo_store_refs(|code| ids.get(code).copied()),
            properties: self.db().property_definitions().await?,
            now: self.clock().now(),
        })
    }
}
