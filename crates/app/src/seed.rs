//! Filling a database with the demo world: groups, stores, properties and as
//! many customers as asked, in batches. Running it again adds more customers
//! and reuses what exists.

use clientele_domain::posting::LedgerKind;
use std::collections::{HashMap, HashSet};

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::certificate::NewCertificateTemplate;
use clientele_domain::store::StoreInput;
use clientele_domain::{CustomerFilter, CustomerGroupInput, CustomerId, SortOrder, StoreId};
use clientele_domain::{ProgramKind, ProgramRules};
use clientele_store::{
    AdjustOutcome, CardQuery, CustomerBatch, CustomerQuery, NewCard, NewTier, PointsAdjustment,
    WriteOutcome,
};
use serde_json::json;

use crate::audit::{ChangedBy, customer_entry};
use crate::certificates::Holders;
use crate::demo::{
    DemoWorld, Mix, demo_customer, demo_groups, demo_properties, demo_store_refs, demo_stores,
};
use crate::demo_receipts::ReceiptsReport;
use crate::progress::Progress;
use crate::{App, AppError, AppResult};

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
const DEMO_CARD_GROUP: &str = "Дисконтные карты";

/// Customers with a card, per mille.
const WITH_CARD: usize = 700;
/// Cards written per transaction.
const CARD_BATCH: usize = 5_000;
/// Name, face value (minor units), days valid, spent in parts, and the
/// customers given one, per mille.
const DEMO_CERTIFICATES: &[(&str, i64, i64, bool, usize)] = &[
    ("Подарочный сертификат на 1 000 ₽", 100_000, 365, true, 20),
    ("Подарочный сертификат на 3 000 ₽", 300_000, 180, false, 5),
];
/// Certificates of the first template sold to whoever brings them.
const DEMO_BEARER_CERTIFICATES: u32 = 25;
/// Points by hand (hundredths), why, and the customers given them, per mille.
const DEMO_POINTS_BY_HAND: &[(i64, &str, usize)] = &[
    (
        30_000,
        "Компенсация: заказ не привезли к обещанному дню",
        30,
    ),
    (100_000, "Подарок за отзыв о магазине", 10),
];
/// Sets each part's draws apart from the others'.
const CARD_SEED: u64 = 0xC4D5_0000_0000_0001;
const CERTIFICATE_SEED: u64 = 0xCE27_0000_0000_0002;
const POINTS_SEED: u64 = 0x9017_0000_0000_0003;

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

/// How big a demo shop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoShop {
    pub customers: u64,
    /// Receipts of the last year.
    pub receipts: u64,
}

/// What filling a demo shop wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopReport {
    pub customers: SeedReport,
    /// Cards bound to customers.
    pub cards: u64,
    pub receipts: ReceiptsReport,
    /// Gift certificates issued, to customers and to the bearer.
    pub certificates: u64,
    /// Customers given points by hand.
    pub points_by_hand: u64,
    pub marketing: crate::demo_offers::MarketingReport,
}

/// Whether the customer with `id` is among `per_mille` of them, drawn by
/// `seed`: the same customers every time.
fn drawn(id: CustomerId, seed: u64, per_mille: usize) -> bool {
    Mix(id.0 as u64 ^ seed).chance(per_mille)
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

    /// A shop with a history: the demo customers, cards bound to most of
    /// them, a year of receipts priced and committed as the tills would,
    /// gift certificates and points given by hand. Deterministic: the same
    /// sizes make the same shop (certificate codes aside, which are secret).
    pub async fn seed_demo_shop(
        &self,
        shop: DemoShop,
        progress: &dyn Progress,
    ) -> AppResult<ShopReport> {
        let customers = self.seed_demo(shop.customers, progress).await?;
        let cards = self.seed_demo_cards(progress).await?;
        let receipts = self.seed_demo_receipts(shop.receipts, progress).await?;
        let certificates = self.seed_demo_certificates(progress).await?;
        let points_by_hand = self.seed_demo_points(progress).await?;
        let marketing = self.seed_demo_marketing(progress).await?;
        // The reports read figures the server keeps a minute behind: the
        // shop opens with its year in them.
        self.roll_up_quiet_database(progress).await?;
        progress.finish();
        Ok(ShopReport {
            customers,
            cards,
            receipts,
            certificates,
            points_by_hand,
            marketing,
        })
    }

    /// A card of the demo group for most customers without one, numbered
    /// after the last card issued, bound from the start (as the registration
    /// desk gives them).
    async fn seed_demo_cards(&self, progress: &dyn Progress) -> AppResult<u64> {
        let group = self
            .db()
            .programs()
            .card_groups()
            .await?
            .into_iter()
            .find(|group| group.name == DEMO_CARD_GROUP)
            .ok_or(AppError::NotFound("demo card group"))?;
        let held = self.card_holders().await?;
        let owners: Vec<CustomerId> = self
            .all_customer_ids()
            .await?
            .into_iter()
            .filter(|&id| drawn(id, CARD_SEED, WITH_CARD) && !held.contains(&id))
            .collect();
        progress.start("demo cards", owners.len() as u64);
        let mut written = 0;
        for chunk in owners.chunks(CARD_BATCH) {
            let first = self.next_card_number().await?;
            let cards: Vec<NewCard> = chunk
                .iter()
                .zip(first..)
                .map(|(&customer, number)| NewCard {
                    barcode: Barcode::ean13(number),
                    symbology: Symbology::Ean13,
                    group_id: group.id,
                    customer_id: Some(customer),
                    valid_from: None,
                    valid_to: None,
                })
                .collect();
            written += self
                .db()
                .create_cards(&cards, self.clock().now())
                .await?
                .len() as u64;
            progress.advance(chunk.len() as u64);
        }
        Ok(written)
    }

    /// The customers who hold a card already.
    async fn card_holders(&self) -> AppResult<HashSet<CustomerId>> {
        const PAGE: u32 = 10_000;
        let mut holders = HashSet::new();
        let mut after = None;
        loop {
            let query = CardQuery {
                after,
                limit: PAGE,
                ..Default::default()
            };
            let page = self.db().card_reads().cards(&query).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            holders.extend(page.iter().filter_map(|card| card.customer_id));
        }
        Ok(holders)
    }

    /// The demo's certificate templates, each issued to a few customers, and
    /// some of the first sold to the bearer.
    async fn seed_demo_certificates(&self, progress: &dyn Progress) -> AppResult<u64> {
        let demo = ChangedBy::system("demo");
        let customers = self.all_customer_ids().await?;
        progress.start("demo certificates", DEMO_CERTIFICATES.len() as u64);
        let existing = self.certificate_templates().await?;
        let mut issued = 0;
        for (position, &(name, face_value_minor, valid_days, partial_use, per_mille)) in
            DEMO_CERTIFICATES.iter().enumerate()
        {
            let template = match existing.iter().find(|t| t.name == name) {
                Some(template) => template.clone(),
                None => {
                    let template = NewCertificateTemplate {
                        name: name.into(),
                        face_value_minor,
                        valid_days,
                        partial_use,
                    };
                    self.create_certificate_template(template, &demo).await?
                }
            };
            let seed = CERTIFICATE_SEED + position as u64;
            let holders: Vec<CustomerId> = customers
                .iter()
                .copied()
                .filter(|&id| drawn(id, seed, per_mille))
                .take(crate::certificates::MAX_ISSUE)
                .collect();
            if !holders.is_empty() {
                issued += self
                    .issue_certificates(template.id, Holders::Customers(holders), &demo)
                    .await?
                    .len() as u64;
            }
            if position == 0 {
                let bearer = Holders::Bearer(DEMO_BEARER_CERTIFICATES);
                issued += self
                    .issue_certificates(template.id, bearer, &demo)
                    .await?
                    .len() as u64;
            }
            progress.advance(1);
        }
        Ok(issued)
    }

    /// Points by hand for a few customers, as staff give them (a reason
    /// each, usable at once, expiring as the default program's points do),
    /// each in the audit log.
    async fn seed_demo_points(&self, progress: &dyn Progress) -> AppResult<u64> {
        let demo = ChangedBy::system("demo");
        let customers = self.all_customer_ids().await?;
        progress.start("demo points by hand", DEMO_POINTS_BY_HAND.len() as u64);
        let mut given = 0;
        for (position, &(points, comment, per_mille)) in DEMO_POINTS_BY_HAND.iter().enumerate() {
            let seed = POINTS_SEED + position as u64;
            let chosen: Vec<CustomerId> = customers
                .iter()
                .copied()
                .filter(|&id| drawn(id, seed, per_mille))
                .collect();
            for chunk in chosen.chunks(crate::points::MAX_CUSTOMERS) {
                let now = self.clock().now();
                let adjustment = PointsAdjustment {
                    customer_ids: chunk.to_vec(),
                    points,
                    comment: comment.into(),
                    message: None,
                    kind: LedgerKind::Manual,
                    author: None,
                    lot: self.given_lot(now).await?,
                    at: now,
                };
                match self.db().adjust_points(&adjustment).await? {
                    AdjustOutcome::Done(_) => {}
                    refused => {
                        return Err(AppError::Conflict {
                            message: format!("demo points by hand were refused: {refused:?}"),
                            field: None,
                            existing_customer: None,
                        });
                    }
                }
                for &customer in chunk {
                    let change = (None, json!({"points": points, "comment": comment}));
                    self.record(customer_entry(
                        &demo,
                        now,
                        "points.adjust",
                        customer,
                        change,
                    ))
                    .await?;
                }
                given += chunk.len() as u64;
            }
            progress.advance(1);
        }
        Ok(given)
    }

    /// The demo's bonus program with its tiers, a card group and a print
    /// run of blank cards, unless a program exists already.
    async fn demo_program(&self, demo: &ChangedBy) -> AppResult<()> {
        if !self.db().programs().list_programs().await?.is_empty() {
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
            .create_card_group(DEMO_CARD_GROUP, program.id, demo)
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
                .directory()
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
            let id = match self.db().directory().store_by_code(node.code).await? {
                Some(store) => store.id,
                None => {
                    let input = StoreInput {
                        code: node.code.into(),
                        name: node.name.clone(),
                        kind: Some(node.kind.as_str().into()),
                        parent_id: node.parent_code.and_then(|code| ids.get(code).copied()),
                        address: node.address.clone(),
                        time_zone: node.time_zone.map(str::to_owned),
                    };
                    self.create_store(input, &demo).await?.id
                }
            };
            ids.insert(node.code, id);
        }
        let existing = self.db().directory().property_definitions().await?;
        for input in demo_properties() {
            if !existing.iter().any(|p| p.name.as_str() == input.name) {
                self.create_property_definition(input, &demo).await?;
            }
        }
        self.demo_program(&demo).await?;
        Ok(DemoWorld {
            groups,
            stores: demo_store_refs(|code| ids.get(code).copied()),
            properties: self.db().directory().property_definitions().await?,
            now: self.clock().now(),
        })
    }
}
