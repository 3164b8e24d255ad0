//! Segments: the customers a rule selects in SQL are exactly those the
//! domain's reference semantics select from the same customers' facts,
//! for hundreds of generated rules over every field.

use std::collections::{BTreeMap, BTreeSet};

use clientele_domain::points::Shortfall;
use clientele_domain::posting::LotTerms;
use clientele_domain::pricing::{self, Basket, BasketLine, Pricing};
use clientele_domain::returns::ReturnRequest;
use clientele_domain::segment::{
    Facts, Field, HeldTier, NewSegment, Purchase, PurchaseLine, RawRule, Rule, Schedule,
    SegmentKind, SegmentSize, members,
};
use clientele_domain::{
    ConsentKind, Customer, CustomerChanges, CustomerId, CustomerRules, PropertyDefinition,
    Quantity, StoreId,
};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::loyalty::{Shop, return_of, shop};
use super::{add_store, define_property};
use crate::area::TillKey;
use crate::{
    CommitOutcome, Database, DbError, NewCustomerRecord, NewTier, ReceiptCommit, ReceiptCustomer,
    ReturnOutcome, RuleContext,
};

/// A small deterministic source of draws (splitmix64).
pub(super) struct Draws(pub(super) u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn int(&mut self, low: i64, high: i64) -> i64 {
        low + i64::try_from(self.below(u64::try_from(high - low + 1).unwrap())).unwrap()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap()]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SKUS: [(&str, &str); 5] = [
    ("milk", "dairy"),
    ("kefir", "dairy"),
    ("bread", "bakery"),
    ("apple", "produce"),
    ("soap", "household"),
];

/// The shop's day, on the wall clock: tiers set by hand count from now.
pub(super) fn today() -> Date {
    Timestamp::now().to_zoned(TimeZone::UTC).date()
}

fn noon(days_ago: i64) -> Timestamp {
    let day = today() - jiff::Span::new().days(days_ago);
    day.at(12, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .unwrap()
        .timestamp()
}

/// What the scenario wrote for one customer, beside what is read back.
#[derive(Default)]
pub(super) struct Written {
    pub(super) purchases: Vec<Purchase>,
}

pub async fn segment_rules_select_whom_the_domain_does(db: &dyn Database) {
    let shop = shop(db).await;
    let region = add_store(db, "R", "region", None).await.id;
    let city = add_store(db, "RC", "city", Some(region)).await.id;
    let north = add_store(db, "N1", "store", Some(city)).await.id;
    let south = add_store(db, "S2", "store", Some(region)).await.id;
    let stores = [shop.store, north, south];
    let properties = marketers_properties(db).await;
    let groups = [
        db.directory().default_customer_group().await.unwrap().id,
        db.directory()
            .create_customer_group("Оптовики", noon(500))
            .await
            .unwrap()
            .id,
    ];
    let gold = db
        .programs()
        .create_tier(
            shop.program.id,
            &NewTier {
                name: "Золото".into(),
                threshold_minor: 10_000_000,
                earn_rate_bp: None,
                discount_bp: None,
            },
            noon(1),
        )
        .await
        .unwrap()
        .id;

    let mut draws = Draws(15);
    let mut written: BTreeMap<CustomerId, Written> = BTreeMap::new();
    let mut receipt_no = 0;
    for n in 0..40 {
        let customer = register_one(db, &mut draws, n, &properties, &groups, &stores).await;
        let mut mine = Written::default();
        for _ in 0..draws.below(5) {
            receipt_no += 1;
            let purchase = buy(db, &shop, &mut draws, customer.id, receipt_no, &stores).await;
            mine.purchases.push(purchase);
        }
        written.insert(customer.id, mine);
    }
    let chosen: Vec<CustomerId> = written.keys().copied().step_by(4).collect();
    db.set_tier(&chosen, Some(gold), None).await.unwrap();

    let facts = facts_of(db, &written, &stores_paths(db).await).await;
    let context = rule_context(db, &properties).await;
    let segments = db.segments();
    let mut nonempty = 0;
    for case in 0..300 {
        let json = rule_json(
            &mut draws,
            &FIELDS,
            3,
            &groups,
            &stores,
            &[region, city],
            gold,
        );
        let raw: RawRule = serde_json::from_value(json.clone()).unwrap();
        let rule = Rule::parse(&raw, &properties)
            .unwrap_or_else(|e| panic!("case {case}: {json} does not parse: {e:?}"));
        let expected = members(&rule, &facts, today());
        let found: BTreeSet<CustomerId> = segments
            .matching(&rule, &context)
            .await
            .unwrap_or_else(|e| panic!("case {case}: {json}: {e}"))
            .into_iter()
            .collect();
        assert_eq!(found, expected, "case {case}: {json}");
        let count = segments.count_matching(&rule, &context).await.unwrap();
        assert_eq!(
            count,
            i64::try_from(expected.len()).unwrap(),
            "case {case}: {json}"
        );
        if !expected.is_empty() && expected.len() < facts.len() {
            nonempty += 1;
        }
    }
    // The generated rules tell customers apart, not only all or none.
    assert!(nonempty > 100, "only {nonempty} rules split the customers");
}

/// The marketer's own properties the customers' profiles draw on.
pub(super) async fn marketers_properties(db: &dyn Database) -> Vec<PropertyDefinition> {
    define_property(db, "vision", "number", &[]).await;
    define_property(db, "pet", "choice", &["кошка", "собака"]).await;
    db.directory().property_definitions().await.unwrap()
}

/// What rules are read by today, with the shop's stores and `properties`.
pub(super) async fn rule_context(
    db: &dyn Database,
    properties: &[PropertyDefinition],
) -> RuleContext {
    RuleContext {
        today: today(),
        zone: TimeZone::UTC,
        subtrees: subtrees(db).await,
        properties: properties.to_vec(),
        within: None,
    }
}

pub(super) async fn register_one(
    db: &dyn Database,
    draws: &mut Draws,
    n: usize,
    properties: &[PropertyDefinition],
    groups: &[clientele_domain::CustomerGroupId],
    stores: &[StoreId],
) -> Customer {
    let today = today();
    let birth = match n {
        0 => Some(Date::new(2000, 2, 29).unwrap()),
        1 => Some(today - jiff::Span::new().years(30)),
        2 => Some(today - jiff::Span::new().years(30) + jiff::Span::new().days(1)),
        _ if draws.chance(80) => {
            Some(Date::new(1950, 1, 1).unwrap() + jiff::Span::new().days(draws.int(0, 20_000)))
        }
        _ => None,
    };
    let consent = |kind: &str, granted| clientele_domain::customer::ConsentInput {
        kind: kind.into(),
        granted,
        source: None,
    };
    let mut consents = Vec::new();
    if draws.chance(60) {
        consents.push(consent("sms", draws.chance(70)));
    }
    if draws.chance(60) {
        consents.push(consent("email", draws.chance(70)));
    }
    let mut property_values = Vec::new();
    if draws.chance(50) {
        let vision = *draws.pick(&["-1.5", "0", "0.25", "2", "3.75"]);
        property_values.push(("vision".to_owned(), Some(vision.to_owned())));
    }
    if draws.chance(50) {
        let pet = *draws.pick(&["кошка", "собака"]);
        property_values.push(("pet".to_owned(), Some(pet.to_owned())));
    }
    let input = CustomerChanges {
        name: Some(format!("Покупатель {n}")),
        phone: draws
            .chance(70)
            .then(|| Some(format!("+7916{:07}", 1_000_000 + n))),
        email: draws
            .chance(40)
            .then(|| Some(format!("buyer{n}@example.com"))),
        gender: Some(
            draws
                .chance(85)
                .then(|| (*draws.pick(&["female", "male"])).to_owned()),
        ),
        birth_date: Some(birth.map(|d| d.to_string())),
        group_id: Some(*draws.pick(groups)),
        status: Some((*draws.pick(&["active", "active", "incomplete"])).to_owned()),
        channel: Some((*draws.pick(&["console", "pos", "web"])).to_owned()),
        store_id: Some(draws.chance(80).then(|| *draws.pick(stores))),
        consents,
        properties: property_values,
        ..CustomerChanges::default()
    };
    let rules = CustomerRules {
        properties,
        default_group: groups[0],
        today,
        now: Timestamp::now(),
        source: "test",
    };
    let profile = input.into_new(&rules).expect("a valid customer");
    db.create_customer(&NewCustomerRecord {
        profile,
        created_at: noon(draws.int(0, 700)),
    })
    .await
    .unwrap()
}

/// Commits a receipt of a few lines some days ago, sometimes returns part
/// or all of it, and answers it as the domain sees it.
pub(super) async fn buy(
    db: &dyn Database,
    shop: &Shop,
    draws: &mut Draws,
    customer: CustomerId,
    no: u32,
    stores: &[StoreId],
) -> Purchase {
    let days_ago = draws.int(0, 400);
    let at = noon(days_ago);
    let store = *draws.pick(stores);
    let lines: Vec<BasketLine> = (0..draws.int(1, 3))
        .map(|_| {
            let (sku, category) = *draws.pick(&SKUS);
            let units = draws.int(1, 3);
            let price = draws.int(1, 50) * 1000;
            BasketLine {
                sku: sku.into(),
                name: sku.into(),
                category: draws.chance(90).then(|| category.to_owned()),
                quantity: Quantity::from_milli(units * 1000).unwrap(),
                price_minor: price,
                amount_minor: price * units,
            }
        })
        .collect();
    let basket = Basket::parse(lines.clone()).unwrap();
    let pricing = Pricing {
        program: &shop.program,
        tier: None,
        points_available: None,
    };
    let calculation = pricing::price(&basket, pricing, 0).unwrap();
    let expires_at = draws
        .chance(60)
        .then(|| at + SignedDuration::from_hours(24 * draws.int(1, 120)));
    let receipt_id = format!("SEG-{no}");
    let commit = ReceiptCommit {
        till_id: shop.till,
        store_id: store,
        receipt_id: receipt_id.clone(),
        request_hash: receipt_id.clone().into_bytes(),
        created_at: at,
        committed_at: at,
        customer: Some(ReceiptCustomer {
            customer_id: customer,
            card_id: None,
            accrual: LotTerms {
                usable_from: at,
                expires_at,
            },
            tier_ladder: vec![],
            tier_since: None,
        }),
        lines: lines.clone(),
        calculation: calculation.clone(),
        shortfall: Shortfall::Refuse,
        hold_id: None,
        certificates: Vec::new(),
        frame: Vec::new(),
        offers: Vec::new(),
        local_date: at.to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    let outcome = db.commit_receipt(commit).await.unwrap();
    assert!(
        matches!(outcome, CommitOutcome::Committed(_)),
        "{outcome:?}"
    );
    let mut spent = calculation.total_minor - calculation.discount_minor;
    let mut returned = vec![0_i64; lines.len()];
    if draws.chance(30) {
        let key = db
            .receipt(shop.till, &receipt_id)
            .await
            .unwrap()
            .unwrap()
            .reference();
        let request = if draws.chance(40) {
            ReturnRequest::Whole
        } else {
            ReturnRequest::Lines(vec![(1, Quantity::from_milli(1000).unwrap())])
        };
        let mut back = return_of(shop, key, &format!("X-{no}"), request);
        back.at = at + SignedDuration::from_hours(1);
        let ReturnOutcome::Returned(done) = db.return_receipt(back).await.unwrap() else {
            panic!("the return of {receipt_id} went through");
        };
        for line in &done.lines {
            spent -= line.refund_minor + line.points_returned;
            returned[line.line as usize - 1] += line.quantity_milli;
        }
    }
    Purchase {
        on: at.to_zoned(TimeZone::UTC).date(),
        store_path: Vec::new(),
        spent_minor: spent,
        lines: lines
            .iter()
            .zip(returned)
            .map(|(line, back)| {
                let quantity = line.quantity.milli();
                PurchaseLine {
                    sku: line.sku.clone(),
                    category: line.category.clone(),
                    quantity_milli: quantity - back,
                    amount_minor: line.amount_minor - line.amount_minor * back / quantity,
                }
            })
            .collect(),
    }
    .at_store(store)
}

trait AtStore {
    fn at_store(self, store: StoreId) -> Self;
}

impl AtStore for Purchase {
    /// The store alone; its ancestors are filled in once all are known.
    fn at_store(mut self, store: StoreId) -> Purchase {
        self.store_path = vec![store];
        self
    }
}

/// Each store's path: itself and its ancestors, nearest first.
pub(super) async fn stores_paths(db: &dyn Database) -> BTreeMap<StoreId, Vec<StoreId>> {
    let stores = db.directory().stores().await.unwrap();
    let parent: BTreeMap<StoreId, Option<StoreId>> =
        stores.iter().map(|s| (s.id, s.parent_id)).collect();
    stores
        .iter()
        .map(|store| {
            let mut path = vec![store.id];
            while let Some(Some(up)) = parent.get(path.last().unwrap()) {
                path.push(*up);
            }
            (store.id, path)
        })
        .collect()
}

/// Each store with every store under it (itself included).
pub(super) async fn subtrees(db: &dyn Database) -> BTreeMap<StoreId, Vec<StoreId>> {
    let paths = stores_paths(db).await;
    let mut under: BTreeMap<StoreId, Vec<StoreId>> = BTreeMap::new();
    for (store, path) in &paths {
        for node in path {
            under.entry(*node).or_default().push(*store);
        }
    }
    under
}

pub(super) async fn facts_of(
    db: &dyn Database,
    written: &BTreeMap<CustomerId, Written>,
    paths: &BTreeMap<StoreId, Vec<StoreId>>,
) -> Vec<(CustomerId, Facts)> {
    let mut all = Vec::new();
    for (id, mine) in written {
        let customer = db.customer(*id).await.unwrap().unwrap();
        let loyalty = db.customer_loyalty(*id, Timestamp::now()).await.unwrap();
        let ledger = db.history().ledger(*id, None, 1000).await.unwrap();
        let profile = &customer.profile;
        let local = |at: Timestamp| at.to_zoned(TimeZone::UTC).date();
        let purchases = mine
            .purchases
            .iter()
            .cloned()
            .map(|mut purchase| {
                purchase.store_path = paths[&purchase.store_path[0]].clone();
                purchase
            })
            .collect();
        let facts = Facts {
            gender: profile.gender,
            birth_date: profile.birth_date,
            group_id: profile.group_id,
            status: profile.status,
            tier: loyalty.tier_id.map(|id| HeldTier { id, since: today() }),
            store_path: profile
                .store_id
                .map(|store| paths[&store].clone())
                .unwrap_or_default(),
            channel: profile.channel,
            created_on: local(customer.created_at),
            consents: ConsentKind::ALL
                .into_iter()
                .filter(|kind| profile.consents.0.get(kind).is_some_and(|c| c.granted))
                .collect(),
            has_phone: profile.phone.is_some(),
            has_email: profile.email.is_some(),
            properties: profile.properties.clone(),
            balance_points: ledger.iter().map(|entry| entry.points).sum(),
            points_expire_on: loyalty
                .account
                .lots
                .iter()
                .filter(|lot| lot.remaining > 0)
                .filter_map(|lot| lot.expires_at.map(local))
                .collect(),
            purchases,
            rfm: None,
        };
        all.push((*id, facts));
    }
    all
}

/// Every field a rule may test.
pub(super) const FIELDS: [&str; 29] = [
    "gender",
    "age",
    "days_to_birthday",
    "group_id",
    "status",
    "tier_id",
    "tier_since_days",
    "store_id",
    "channel",
    "created_days_ago",
    "consent_sms",
    "consent_email",
    "has_phone",
    "has_email",
    "property_vision",
    "property_pet",
    "balance_points",
    "points_expiring_within_days",
    "purchases_count",
    "spent_minor",
    "average_receipt_minor",
    "first_purchase_days_ago",
    "last_purchase_days_ago",
    "bought",
    "bought_minor",
    "stores_visited",
    "purchase_store_id",
    "rfm_recency",
    "rfm_group",
];

/// Whether the domain lets a field take a period (purchase history).
pub(super) fn takes_period(field: &str) -> bool {
    Field::parse(field, &[]).is_ok_and(|field| field.takes_period())
}

/// A random rule of at most `depth` levels over `fields`.
pub(super) fn rule_json(
    draws: &mut Draws,
    fields: &[&str],
    depth: u32,
    groups: &[clientele_domain::CustomerGroupId],
    stores: &[StoreId],
    nodes: &[StoreId],
    tier: clientele_domain::TierId,
) -> Value {
    if depth > 1 && draws.chance(35) {
        let parts: Vec<Value> = (0..draws.int(1, 3))
            .map(|_| rule_json(draws, fields, depth - 1, groups, stores, nodes, tier))
            .collect();
        return match draws.below(3) {
            0 => json!({"all": parts}),
            1 => json!({"any": parts}),
            _ => json!({"not": parts[0]}),
        };
    }
    let field = *draws.pick(fields);
    let all_stores: Vec<i64> = stores.iter().chain(nodes).map(|s| s.0).collect();
    let value = |draws: &mut Draws| -> Value {
        match field {
            "gender" => json!(draws.pick(&["female", "male"])),
            "age" => json!(draws.int(0, 90)),
            "days_to_birthday" => json!(draws.int(0, 365)),
            "group_id" => json!(draws.pick(groups).0),
            "status" => json!(draws.pick(&["active", "incomplete", "archived"])),
            "tier_id" => json!(tier.0),
            "tier_since_days" => json!(draws.int(0, 3)),
            "store_id" | "purchase_store_id" => json!(draws.pick(&all_stores)),
            "channel" => json!(draws.pick(&["console", "pos", "web"])),
            "created_days_ago" | "first_purchase_days_ago" | "last_purchase_days_ago" => {
                json!(draws.int(0, 720))
            }
            "consent_sms" | "consent_email" | "has_phone" | "has_email" => {
                json!(draws.chance(50))
            }
            "property_vision" => json!(draws.pick(&["-1", "0", "0.25", "2", "4"])),
            "property_pet" => json!(draws.pick(&["кошка", "собака"])),
            "balance_points" => json!(draws.int(0, 3000)),
            "points_expiring_within_days" => json!(draws.int(0, 120)),
            "purchases_count" => json!(draws.int(0, 4)),
            "spent_minor" | "bought_minor" => json!(draws.int(0, 200) * 1000),
            "average_receipt_minor" => json!(draws.int(0, 100) * 1000),
            "bought" => json!(draws.int(0, 6)),
            "stores_visited" => json!(draws.int(0, 3)),
            "rfm_recency" => json!(draws.int(1, 5)),
            _ => json!(draws.pick(&["champions", "lost"])),
        }
    };
    let properties_known: Vec<PropertyDefinition> = Vec::new();
    let parsed = Field::parse(field, &properties_known);
    let ops: Vec<&str> = match parsed {
        Ok(field) => field.ops().iter().map(|op| op.as_str()).collect(),
        // A property's ops depend on its kind: the number's and the choice's.
        Err(_) if field == "property_vision" => {
            vec![
                "eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "exists",
            ]
        }
        Err(_) => vec!["eq", "ne", "in", "exists"],
    };
    let op = *draws.pick(&ops);
    let mut condition = json!({"field": field, "op": op});
    match op {
        "exists" => condition["value"] = json!(draws.chance(50)),
        "in" => {
            let values: Vec<Value> = (0..draws.int(1, 3)).map(|_| value(draws)).collect();
            condition["value"] = json!(values);
        }
        "between" => {
            let (a, b) = (value(draws), value(draws));
            let ordered = match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) if x > y => vec![b, a],
                (None, None) => {
                    let (x, y): (f64, f64) = (
                        a.as_str().unwrap().parse().unwrap(),
                        b.as_str().unwrap().parse().unwrap(),
                    );
                    if x > y { vec![b, a] } else { vec![a, b] }
                }
                _ => vec![a, b],
            };
            condition["value"] = json!(ordered);
        }
        _ => condition["value"] = value(draws),
    }
    if takes_period(field) && draws.chance(60) {
        condition["period_days"] = json!(*draws.pick(&[1, 7, 30, 90, 365]));
    }
    if field == "bought" || field == "bought_minor" {
        if draws.chance(60) {
            condition["skus"] = json!([draws.pick(&SKUS).0]);
        }
        if draws.chance(60) || condition.get("skus").is_none() {
            condition["categories"] = json!([draws.pick(&SKUS).1]);
        }
    }
    condition
}

pub async fn segments_keep_members_and_their_history(db: &dyn Database) {
    let segments = db.segments();
    let rule = |json: Value| {
        let raw: RawRule = serde_json::from_value(json).unwrap();
        Rule::parse(&raw, &[]).unwrap()
    };
    let women = NewSegment {
        name: "Покупательницы".into(),
        kind: SegmentKind::Dynamic,
        rules: Some(rule(
            json!({"field": "gender", "op": "eq", "value": "female"}),
        )),
        schedule: Some(Schedule::Daily { hour: 4 }),
    };
    let created = segments
        .create_segment(&women, None, noon(2))
        .await
        .unwrap();
    assert_eq!(
        (
            created.name.as_str(),
            created.size,
            created.computed_at,
            created.version
        ),
        ("Покупательницы", 0, None, 1)
    );
    assert_eq!(created.rules, women.rules);
    assert_eq!(created.schedule, Some(Schedule::Daily { hour: 4 }));
    let taken = segments.create_segment(&women, None, noon(2)).await;
    assert!(
        matches!(taken, Err(DbError::Conflict { field: "name", .. })),
        "{taken:?}"
    );

    let mut customers = Vec::new();
    for n in 0..3 {
        let input = CustomerChanges {
            name: Some(format!("Участница {n}")),
            ..CustomerChanges::default()
        };
        let (properties, default_group) = super::rules_of(db).await;
        let rules = CustomerRules {
            properties: &properties,
            default_group,
            today: today(),
            now: Timestamp::now(),
            source: "test",
        };
        let profile = input.into_new(&rules).unwrap();
        let record = NewCustomerRecord {
            profile,
            created_at: noon(3),
        };
        customers.push(db.create_customer(&record).await.unwrap().id);
    }
    let first = SegmentSize {
        computed_at: noon(1),
        size: 2,
        entered: 2,
        left: 0,
        took_ms: 12,
    };
    segments
        .record_recompute(created.id, &customers[..2], &[], &first)
        .await
        .unwrap();
    let second = SegmentSize {
        computed_at: noon(0),
        size: 2,
        entered: 1,
        left: 1,
        took_ms: 9,
    };
    segments
        .record_recompute(created.id, &customers[2..], &customers[..1], &second)
        .await
        .unwrap();
    assert_eq!(segments.members(created.id).await.unwrap(), customers[1..]);
    // The till reads a customer's segments with them.
    for (n, &customer) in customers.iter().enumerate() {
        let read = db
            .customer_at_till(TillKey::Id(customer), noon(0), Some(&[]))
            .await;
        let standing = read.unwrap().unwrap().standing.unwrap();
        assert_eq!(standing.segments.contains(&created.id), n > 0);
    }
    assert_eq!(
        segments.size_history(created.id, 10).await.unwrap(),
        [second, first]
    );
    let read = segments.segment(created.id).await.unwrap().unwrap();
    assert_eq!(
        (read.size, read.computed_at, read.took_ms),
        (2, Some(noon(0)), Some(9))
    );

    let weekly = NewSegment {
        name: "Постоянные".into(),
        schedule: Some(Schedule::Weekly {
            weekday: 5,
            hour: 6,
        }),
        ..women.clone()
    };
    let updated = segments
        .update_segment(created.id, &weekly, 1, noon(0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((updated.name.as_str(), updated.version), ("Постоянные", 2));
    assert_eq!(updated.schedule, weekly.schedule);
    let stale = segments
        .update_segment(created.id, &women, 1, noon(0))
        .await;
    assert!(matches!(stale, Err(DbError::StaleVersion)), "{stale:?}");
    assert_eq!(
        segments.segments().await.unwrap().len(),
        1,
        "one segment is kept"
    );
    assert!(segments.delete_segment(created.id).await.unwrap());
    assert!(!segments.delete_segment(created.id).await.unwrap());
    assert!(segments.segment(created.id).await.unwrap().is_none());
    assert!(segments.members(created.id).await.unwrap().is_empty());
}
