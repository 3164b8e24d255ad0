//! One suite of behaviour every engine must show, run by each engine's tests
//! against a fresh database: `clientele_store::conformance_tests!(factory)`.

use clientele_domain::customer::CustomerRules;
use clientele_domain::property::PropertyInput;
use clientele_domain::store::StoreInput;
use clientele_domain::{
    CustomerChanges, CustomerFilter, CustomerGroupId, CustomerInput, CustomerStatus, SortField,
    SortOrder,
};
use jiff::Timestamp;
use jiff::civil::date;

mod addresses;
mod campaigns;
mod customer_page;
mod loyalty;
mod merged_segments;
mod offers;
mod outbox;
mod rfm;
mod search;
mod segments;

pub use addresses::*;
pub use campaigns::*;
pub use customer_page::*;
pub use loyalty::*;
pub use merged_segments::*;
pub use offers::*;
pub use outbox::*;
pub use rfm::*;
pub use search::*;
pub use segments::*;

use crate::{
    CustomerBatch, CustomerKeys, CustomerQuery, Database, DbError, DbResult, NewCustomerRecord,
    WriteOutcome,
};

/// Generates one `#[tokio::test]` per scenario; `$factory` is an async
/// expression giving a fresh, migrated `Box<dyn Database>` (or `None` to
/// skip loudly when the engine is not available).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::conformance_tests!(@each $factory;
            default_group_exists, customer_round_trip, duplicates_name_the_holder,
            stale_writes_are_refused, unique_values_move_with_their_customers,
            filters_select_exactly, birthdays_are_counted_by_day,
            pages_cover_every_row_once,
            merge_moves_to_the_survivor, batches_skip_conflicts_and_match_keys,
            directory_records, loads_fill_an_empty_base, loads_with_a_repeat_leave_nothing,
            dropped_loads_leave_nothing, staff_credentials_resolve_to_principals,
            audit_log_is_searchable, sessions_live_until_they_expire,
            receipts_are_idempotent_per_till, payments_never_overdraw,
            returns_give_back_in_proportion, points_by_hand_are_all_or_nothing,
            points_expire_and_wait_for_their_day, cards_are_issued_bound_and_replaced,
            programs_keep_one_default, a_failing_receipt_fails_alone,
            holds_reserve_points_for_their_payment, the_till_reads_a_customer_with_their_account,
            merging_moves_points_debts_and_cards,
            certificates_are_issued_with_their_movements, a_certificate_is_never_overdrawn,
            a_return_refills_the_certificates_that_paid, business_figures_count_by_day,
            favourites_are_each_users_own, roles_of_staff_own_are_edited_built_in_are_not,
            tiers_are_changed_in_place, card_groups_and_templates_are_changed_in_place,
            form_tokens_work_once, quick_search_finds_a_card_holder,
            names_are_found_by_any_words_best_first, merged_customers_hand_over_their_history,
            a_return_after_a_merge_moves_the_survivors_points,
            figures_sort_filter_and_keep_the_balance,
            segment_rules_select_whom_the_domain_does, segments_keep_members_and_their_history,
            segments_count_the_history_of_merged_customers, rfm_scores_are_written_where_they_change,
            offers_keep_their_terms_and_coupons, customers_are_read_back_in_batches,
            the_outbox_hands_each_message_to_one_worker, campaigns_queue_each_customer_once,
            trigger_scans_find_each_occasion_once,
            addresses_belong_to_one_customer_and_reach_the_worker);
    };
    (@each $factory:expr; $($name:ident),*) => {
        $(
            #[tokio::test]
            async fn $name() {
                if let Some(db) = $factory.await {
                    $crate::conformance::$name(db.as_ref()).await;
                }
            }
        )*
    };
}

/// New customers as an import would hand them to a load.
async fn new_records(db: &dyn Database, inputs: Vec<CustomerInput>) -> Vec<NewCustomerRecord> {
    let (properties, default_group) = rules_of(db).await;
    let rules = CustomerRules {
        properties: &properties,
        default_group,
        today: date(2026, 11, 23),
        now: now(),
        source: "import",
    };
    inputs
        .into_iter()
        .map(|input| NewCustomerRecord {
            profile: input.into_new(&rules).expect("valid input"),
            created_at: now(),
        })
        .collect()
}

fn with_phone(name: &str, phone: &str) -> CustomerInput {
    CustomerInput {
        phone: Some(Some(phone.into())),
        ..named(name)
    }
}

fn now() -> Timestamp {
    Timestamp::from_second(1_795_000_000).unwrap()
}

async fn rules_of(
    db: &dyn Database,
) -> (Vec<clientele_domain::PropertyDefinition>, CustomerGroupId) {
    let properties = db.directory().property_definitions().await.unwrap();
    let group = db.directory().default_customer_group().await.unwrap().id;
    (properties, group)
}

async fn register(db: &dyn Database, input: CustomerInput) -> clientele_domain::Customer {
    let (properties, default_group) = rules_of(db).await;
    let rules = CustomerRules {
        properties: &properties,
        default_group,
        today: date(2026, 11, 23),
        now: now(),
        source: "test",
    };
    let profile = input.into_new(&rules).expect("valid input");
    db.create_customer(&NewCustomerRecord {
        profile,
        created_at: now(),
    })
    .await
    .expect("stored")
}

async fn define_property(
    db: &dyn Database,
    name: &str,
    kind: &str,
    choices: &[&str],
) -> clientele_domain::PropertyDefinition {
    let input = PropertyInput {
        name: name.into(),
        label: format!("Свойство {name}"),
        kind: kind.into(),
        choices: choices.iter().map(|c| (*c).to_owned()).collect(),
    };
    db.directory()
        .create_property_definition(&input.validate().unwrap(), now())
        .await
        .unwrap()
}

fn store_input(
    code: &str,
    kind: &str,
    parent: Option<clientele_domain::StoreId>,
) -> clientele_domain::store::NewStore {
    StoreInput {
        code: code.into(),
        name: format!("Точка {code}"),
        kind: Some(kind.into()),
        parent_id: parent,
        address: None,
        time_zone: None,
    }
    .validate()
    .unwrap()
}

async fn add_store(
    db: &dyn Database,
    code: &str,
    kind: &str,
    parent: Option<clientele_domain::StoreId>,
) -> clientele_domain::Store {
    db.directory()
        .create_store(&store_input(code, kind, parent), now())
        .await
        .unwrap()
}

fn named(name: &str) -> CustomerInput {
    CustomerInput {
        name: Some(name.into()),
        ..Default::default()
    }
}

fn query(filter: CustomerFilter) -> CustomerQuery {
    CustomerQuery {
        filter,
        order: SortOrder::default(),
        limit: 100,
        after: None,
    }
}

async fn names(db: &dyn Database, params: &[(&str, &str)]) -> Vec<String> {
    let properties = db.directory().property_definitions().await.unwrap();
    let filter =
        CustomerFilter::parse(params.iter().copied(), &properties, date(2026, 11, 23)).unwrap();
    let page = db.list_customers(&query(filter.clone())).await.unwrap();
    let count = db
        .count_customers(&query(filter.clone()), None)
        .await
        .unwrap();
    assert_eq!(
        count as usize,
        page.items.len(),
        "count agrees with the list for {params:?}"
    );
    let capped = db.count_customers(&query(filter), Some(1)).await.unwrap();
    assert_eq!(
        capped,
        count.min(1),
        "a count stops at its cap for {params:?}"
    );
    page.items.into_iter().map(|c| c.profile.name).collect()
}

pub async fn default_group_exists(db: &dyn Database) {
    db.check_schema().await.expect("migrated schema is current");
    db.migrate().await.expect("migrating twice is harmless");
    let (applied, known) = db.schema_version().await.unwrap();
    assert_eq!(applied, known);
    let group = db.directory().default_customer_group().await.unwrap();
    assert!(group.is_default);
    assert_eq!(db.directory().customer_groups().await.unwrap(), vec![group]);
}

pub async fn customer_round_trip(db: &dyn Database) {
    define_property(db, "vision", "number", &[]).await;
    let store = add_store(db, "MSK-01", "store", None).await;
    let input = CustomerInput {
        name: Some("Королёва Алёна".into()),
        phone: Some(Some("8 (912) 345-67-89".into())),
        email: Some(Some("Alena@Mail.ru".into())),
        gender: Some(Some("female".into())),
        birth_date: Some(Some("29.02.1992".into())),
        city: Some(Some("Москва".into())),
        documents: Some(vec![clientele_domain::customer::DocumentInput {
            kind: "Паспорт РФ".into(),
            number: "4510 123456".into(),
            issued_by: None,
            issued_on: Some("2012-05-01".into()),
        }]),
        blocked: Some(true),
        blocked_reason: Some(Some("подозрение на мошенничество".into())),
        channel: Some("pos".into()),
        store_id: Some(Some(store.id)),
        external_id: Some(Some("1C-0001".into())),
        consents: vec![clientele_domain::customer::ConsentInput {
            kind: "sms".into(),
            granted: true,
            source: None,
        }],
        properties: vec![("vision".into(), Some("-2.50".into()))],
        ..Default::default()
    };
    let stored = register(db, input).await;
    let read = db.customer(stored.id).await.unwrap().expect("found by id");
    assert_eq!(read, stored);
    assert_eq!(
        read.profile.phone.as_ref().unwrap().as_str(),
        "+79123456789"
    );
    assert_eq!(read.profile.birth_date, Some(date(1992, 2, 29)));
    assert_eq!(
        read.profile.properties.values().collect::<Vec<_>>(),
        ["-2.5"]
    );
    assert_eq!(read.profile.documents.len(), 1);
    assert!(
        read.profile
            .consents
            .is_granted(clientele_domain::ConsentKind::Sms)
    );
    assert_eq!(read.version, 1);
    let by_phone = db
        .customer_by_phone(read.profile.phone.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(by_phone.map(|c| c.id), Some(read.id));
    // An update writes every column back as it was read: documents,
    // consents, the birth date and the properties included.
    let updated = db.update_customer(&read, now()).await.unwrap();
    assert_eq!(updated.profile, read.profile);
    assert_eq!(updated.version, 2);
    assert_eq!(db.customer(read.id).await.unwrap(), Some(updated));
    assert!(
        db.customer(clientele_domain::CustomerId(999_999))
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn duplicates_name_the_holder(db: &dyn Database) {
    let first = register(
        db,
        CustomerInput {
            phone: Some(Some("+79001112233".into())),
            email: Some(Some("a@b.ru".into())),
            ..named("Первый")
        },
    )
    .await;
    let (properties, default_group) = rules_of(db).await;
    let rules = CustomerRules {
        properties: &properties,
        default_group,
        today: date(2026, 11, 23),
        now: now(),
        source: "test",
    };
    for (input, field) in [
        (
            CustomerInput {
                phone: Some(Some("89001112233".into())),
                ..named("Второй")
            },
            "phone",
        ),
        (
            CustomerInput {
                email: Some(Some("A@B.RU".into())),
                ..named("Третий")
            },
            "email",
        ),
    ] {
        let profile = input.into_new(&rules).unwrap();
        match db
            .create_customer(&NewCustomerRecord {
                profile,
                created_at: now(),
            })
            .await
        {
            Err(DbError::Conflict {
                field: got,
                existing_customer,
            }) => {
                assert_eq!(got, field);
                assert_eq!(existing_customer, Some(first.id));
            }
            other => panic!("expected a conflict on {field}, got {other:?}"),
        }
    }
    let count = db
        .count_customers(&query(CustomerFilter::default()), None)
        .await
        .unwrap();
    assert_eq!(count, 1, "nothing half-written");
}

pub async fn stale_writes_are_refused(db: &dyn Database) {
    let a = register(
        db,
        CustomerInput {
            phone: Some(Some("+79001110001".into())),
            ..named("А")
        },
    )
    .await;
    let b = register(db, named("Б")).await;
    let mut edited = a.clone();
    edited.profile.city = Some("Казань".into());
    let saved = db.update_customer(&edited, now()).await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.profile.city.as_deref(), Some("Казань"));
    // The same old copy again: someone else's change must not be overwritten.
    assert!(matches!(
        db.update_customer(&edited, now()).await,
        Err(DbError::StaleVersion)
    ));
    let mut taking = b.clone();
    taking.profile.phone = a.profile.phone.clone();
    match db.update_customer(&taking, now()).await {
        Err(DbError::Conflict {
            field: "phone",
            existing_customer,
        }) => assert_eq!(existing_customer, Some(a.id)),
        other => panic!("expected a phone conflict, got {other:?}"),
    }
    assert_eq!(db.customer(b.id).await.unwrap().unwrap(), b);
}

/// A phone, e-mail or external id is held by one customer at most, and
/// only while they have it: a change gives the old value back, and a write
/// refused (stale, a clash, the losing row of a batch) keeps nothing of
/// what it asked for. Registrations racing for one phone: one wins.
pub async fn unique_values_move_with_their_customers(db: &dyn Database) {
    let refused_on = |result: DbResult<clientele_domain::Customer>| match result {
        Err(DbError::Conflict {
            field,
            existing_customer,
        }) => (field, existing_customer),
        other => panic!("expected a conflict, got {other:?}"),
    };
    let a = register(
        db,
        CustomerInput {
            phone: Some(Some("+79070000001".into())),
            email: Some(Some("a@values.ru".into())),
            ..named("А")
        },
    )
    .await;
    let mut moved = a.clone();
    moved.profile.phone = Some(clientele_domain::Phone::parse("+79070000002").unwrap());
    let a = db.update_customer(&moved, now()).await.unwrap();
    register(db, with_phone("Б", "+79070000001")).await;
    let twin = new_records(db, vec![with_phone("В", "+79070000002")]).await;
    assert_eq!(
        refused_on(db.create_customer(&twin[0]).await),
        ("phone", Some(a.id))
    );
    // A stale copy asking for a new phone keeps nothing.
    let mut stale = moved.clone();
    stale.profile.phone = Some(clientele_domain::Phone::parse("+79070000003").unwrap());
    assert!(matches!(
        db.update_customer(&stale, now()).await,
        Err(DbError::StaleVersion)
    ));
    register(db, with_phone("Г", "+79070000003")).await;
    let twin = new_records(
        db,
        vec![CustomerInput {
            email: Some(Some("a@values.ru".into())),
            ..named("В")
        }],
    )
    .await;
    assert_eq!(
        refused_on(db.create_customer(&twin[0]).await),
        ("email", Some(a.id)),
        "the stale copy's e-mail, unchanged, is still the customer's"
    );
    // A clash on the phone keeps nothing of the e-mail asked for with it.
    let mut clashing = a.clone();
    clashing.profile.phone = Some(clientele_domain::Phone::parse("+79070000001").unwrap());
    clashing.profile.email = Some(clientele_domain::Email::parse("new@values.ru").unwrap());
    assert_eq!(
        refused_on(db.update_customer(&clashing, now()).await).0,
        "phone"
    );
    register(
        db,
        CustomerInput {
            email: Some(Some("new@values.ru".into())),
            ..named("Д")
        },
    )
    .await;
    // Two rows of a batch with one phone: the first is written, the second
    // keeps nothing of its own e-mail either.
    let rows = new_records(
        db,
        vec![
            with_phone("Е", "+79070000004"),
            CustomerInput {
                phone: Some(Some("+79070000004".into())),
                email: Some(Some("e@values.ru".into())),
                ..named("Ж")
            },
        ],
    )
    .await;
    let outcomes = db
        .write_customers(&CustomerBatch {
            inserts: rows,
            updates: vec![],
            at: now(),
        })
        .await
        .unwrap();
    assert!(matches!(outcomes[0], WriteOutcome::Inserted(_)));
    assert_eq!(outcomes[1], WriteOutcome::Skipped { field: "phone" });
    register(
        db,
        CustomerInput {
            email: Some(Some("e@values.ru".into())),
            ..named("З")
        },
    )
    .await;
    let racing = new_records(
        db,
        (0..6)
            .map(|i| with_phone(&format!("Гонщик {i}"), "+79070000005"))
            .collect(),
    )
    .await;
    let results =
        futures_util::future::join_all(racing.iter().map(|r| db.create_customer(r))).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(_) | Err(DbError::Conflict { field: "phone", .. })))
    );
}

pub async fn filters_select_exactly(db: &dyn Database) {
    let group = db
        .directory()
        .create_customer_group("VIP", now())
        .await
        .unwrap();
    define_property(db, "pet", "choice", &["Кошка", "Собака"]).await;
    let store = add_store(db, "KZN-1", "store", None).await;
    let consent = |kind: &str, granted: bool| clientele_domain::customer::ConsentInput {
        kind: kind.into(),
        granted,
        source: None,
    };
    register(
        db,
        CustomerInput {
            phone: Some(Some("+79161234567".into())),
            email: Some(Some("anna@mail.ru".into())),
            gender: Some(Some("female".into())),
            birth_date: Some(Some("1990-12-28".into())),
            group_id: Some(group.id),
            consents: vec![consent("sms", true)],
            properties: vec![("pet".into(), Some("кошка".into()))],
            store_id: Some(Some(store.id)),
            channel: Some("pos".into()),
            ..named("Анна")
        },
    )
    .await;
    register(
        db,
        CustomerInput {
            phone: Some(Some("+79261112233".into())),
            gender: Some(Some("male".into())),
            birth_date: Some(Some("2000-01-03".into())),
            consents: vec![consent("sms", false)],
            status: Some("incomplete".into()),
            channel: Some("web".into()),
            ..named("Борис")
        },
    )
    .await;
    register(
        db,
        CustomerInput {
            gender: Some(Some("male".into())),
            birth_date: Some(Some("1970-06-15".into())),
            properties: vec![("pet".into(), Some("Собака".into()))],
            ..named("Вера Ёлкина")
        },
    )
    .await;
    let group_id = group.id.to_string();
    let store_id = store.id.to_string();
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (vec![], vec!["Анна", "Борис", "Вера Ёлкина"]),
        (vec![("q", "123")], vec!["Анна"]),
        (vec![("q", "(926) 111")], vec!["Борис"]),
        (vec![("q", "+7 916")], vec!["Анна"]),
        (vec![("q", "8 916 123")], vec!["Анна"]),
        (vec![("q", "ANNA@")], vec!["Анна"]),
        (vec![("q", "вера елк")], vec!["Вера Ёлкина"]),
        (vec![("q", "бор")], vec!["Борис"]),
        (vec![("group_id", &group_id)], vec!["Анна"]),
        (vec![("status", "incomplete")], vec!["Борис"]),
        (vec![("gender", "male")], vec!["Борис", "Вера Ёлкина"]),
        (vec![("age_min", "30")], vec!["Анна", "Вера Ёлкина"]),
        (vec![("age_min", "30"), ("age_max", "40")], vec!["Анна"]),
        (
            vec![("birthday_from", "12-25"), ("birthday_to", "01-05")],
            vec!["Анна", "Борис"],
        ),
        (
            vec![("birthday_from", "06-01"), ("birthday_to", "06-30")],
            vec!["Вера Ёлкина"],
        ),
        (vec![("consent_sms", "true")], vec!["Анна"]),
        (vec![("consent_sms", "false")], vec!["Борис", "Вера Ёлкина"]),
        (vec![("property_pet", "кошка")], vec!["Анна"]),
        (vec![("store_id", &store_id)], vec!["Анна"]),
        (vec![("channel", "web")], vec!["Борис"]),
        // now() is 2026-11-18 in UTC
        (vec![("created_from", "2026-11-19")], vec![]),
        (vec![("created_to", "2026-11-17")], vec![]),
        (
            vec![("created_from", "2026-11-18"), ("created_to", "2026-11-18")],
            vec!["Анна", "Борис", "Вера Ёлкина"],
        ),
        (
            vec![
                ("gender", "male"),
                ("age_max", "40"),
                ("consent_sms", "false"),
            ],
            vec!["Борис"],
        ),
    ];
    for (params, expected) in cases {
        assert_eq!(names(db, &params).await, expected, "filter {params:?}");
    }
}

pub async fn birthdays_are_counted_by_day(db: &dyn Database) {
    for (name, born, status) in [
        ("Анна", "1990-12-28", "active"),
        ("Борис", "2000-12-28", "active"),
        ("Вера", "1985-12-01", "active"),
        ("Гоша", "1970-06-15", "active"),
        ("Дина", "1999-12-05", "incomplete"),
    ] {
        register(
            db,
            CustomerInput {
                birth_date: Some(Some(born.into())),
                status: Some(status.into()),
                ..named(name)
            },
        )
        .await;
    }
    let all = CustomerFilter::default();
    assert_eq!(
        db.birthdays_in_month(&all, 12).await.unwrap(),
        vec![(1201, 1), (1205, 1), (1228, 2)]
    );
    assert_eq!(
        db.birthdays_in_month(&all, 6).await.unwrap(),
        vec![(615, 1)]
    );
    assert!(db.birthdays_in_month(&all, 2).await.unwrap().is_empty());
    let active = CustomerFilter {
        status: Some(clientele_domain::CustomerStatus::Active),
        // The filter's own range does not narrow the month.
        birthday: Some(clientele_domain::BirthdayRange {
            from: clientele_domain::MonthDay { month: 1, day: 1 },
            to: clientele_domain::MonthDay { month: 1, day: 2 },
        }),
        ..CustomerFilter::default()
    };
    assert_eq!(
        db.birthdays_in_month(&active, 12).await.unwrap(),
        vec![(1201, 1), (1228, 2)]
    );
}

pub async fn pages_cover_every_row_once(db: &dyn Database) {
    let (_, default_group) = rules_of(db).await;
    let inserts: Vec<NewCustomerRecord> = (0..57)
        .map(|i| {
            let rules = CustomerRules {
                properties: &[],
                default_group,
                today: date(2026, 11, 23),
                now: now(),
                source: "test",
            };
            let profile = named(&format!("Клиент {:02}", (i * 37) % 57))
                .into_new(&rules)
                .unwrap();
            NewCustomerRecord {
                profile,
                created_at: Timestamp::from_second(1_700_000_000 + (i % 5) * 60).unwrap(),
            }
        })
        .collect();
    db.write_customers(&CustomerBatch {
        inserts,
        updates: vec![],
        at: now(),
    })
    .await
    .unwrap();
    for field in [SortField::Id, SortField::Name, SortField::CreatedAt] {
        for descending in [false, true] {
            let order = SortOrder { field, descending };
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = db
                    .list_customers(&CustomerQuery {
                        filter: CustomerFilter::default(),
                        order,
                        limit: 10,
                        after,
                    })
                    .await
                    .unwrap();
                seen.extend(page.items);
                match page.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            assert_eq!(seen.len(), 57, "{order:?}");
            let mut ids: Vec<i64> = seen.iter().map(|c| c.id.0).collect();
            let key = |c: &clientele_domain::Customer| match field {
                SortField::Id => (0, String::new(), c.id.0),
                SortField::Name | SortField::Match => (0, c.profile.search_name(), c.id.0),
                SortField::CreatedAt => (c.created_at.as_second(), String::new(), c.id.0),
                // Paged by the figures' own scenario.
                SortField::Spent | SortField::LastPurchase => (0, String::new(), c.id.0),
            };
            let keys: Vec<_> = seen.iter().map(key).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if descending {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{order:?} is ordered");
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), 57, "{order:?} has no repeats");
        }
    }
}

pub async fn merge_moves_to_the_survivor(db: &dyn Database) {
    let survivor = register(
        db,
        CustomerInput {
            email: Some(Some("s@x.ru".into())),
            ..named("Выживший")
        },
    )
    .await;
    let duplicate = register(
        db,
        CustomerInput {
            phone: Some(Some("+79005554433".into())),
            ..named("Дубль")
        },
    )
    .await;
    let referred = register(
        db,
        CustomerInput {
            referrer_id: Some(Some(duplicate.id)),
            ..named("Приведённый")
        },
    )
    .await;
    let mut survivor_next = survivor.clone();
    survivor_next.profile.phone = duplicate.profile.phone.clone();
    let mut duplicate_next = duplicate.clone();
    duplicate_next.profile.phone = None;
    duplicate_next.profile.status = CustomerStatus::Archived;
    duplicate_next.merged_into = Some(clientele_domain::NamedCustomer {
        id: survivor.id,
        name: survivor.profile.name.clone(),
    });
    let merged = db
        .merge_customers(&survivor_next, &duplicate_next, now())
        .await
        .unwrap();
    assert_eq!(merged.profile.phone, duplicate.profile.phone);
    let old = db.customer(duplicate.id).await.unwrap().unwrap();
    assert_eq!(old.merged_into.as_ref().map(|m| m.id), Some(survivor.id));
    assert_eq!(
        old.merged_into.map(|m| m.name).as_deref(),
        Some("Выживший"),
        "the duplicate names where it went"
    );
    assert_eq!(old.profile.status, CustomerStatus::Archived);
    assert_eq!(
        old.profile.name, "Дубль",
        "the duplicate's own record stays"
    );
    let referred = db.customer(referred.id).await.unwrap().unwrap();
    assert_eq!(referred.profile.referrer_id, Some(survivor.id));
    // A stale merge changes nothing.
    assert!(matches!(
        db.merge_customers(&survivor_next, &duplicate_next, now())
            .await,
        Err(DbError::StaleVersion)
    ));
}

pub async fn batches_skip_conflicts_and_match_keys(db: &dyn Database) {
    let existing = register(
        db,
        CustomerInput {
            phone: Some(Some("+79030000001".into())),
            external_id: Some(Some("EXT-1".into())),
            ..named("Старый")
        },
    )
    .await;
    let (properties, default_group) = rules_of(db).await;
    let rules = CustomerRules {
        properties: &properties,
        default_group,
        today: date(2026, 11, 23),
        now: now(),
        source: "import",
    };
    let fresh = CustomerInput {
        phone: Some(Some("+79030000002".into())),
        ..named("Новый")
    }
    .into_new(&rules)
    .unwrap();
    let clash = CustomerInput {
        phone: Some(Some("+79030000001".into())),
        ..named("Двойник")
    }
    .into_new(&rules)
    .unwrap();
    let mut changed = existing.clone();
    changed.profile = CustomerChanges {
        city: Some(Some("Тула".into())),
        ..Default::default()
    }
    .apply_to(changed.profile, &rules)
    .unwrap();
    let outcomes = db
        .write_customers(&CustomerBatch {
            inserts: vec![
                NewCustomerRecord {
                    profile: fresh,
                    created_at: now(),
                },
                NewCustomerRecord {
                    profile: clash,
                    created_at: now(),
                },
            ],
            updates: vec![changed.clone(), changed],
            at: now(),
        })
        .await
        .unwrap();
    assert!(matches!(outcomes[0], WriteOutcome::Inserted(_)));
    assert_eq!(outcomes[1], WriteOutcome::Skipped { field: "phone" });
    assert_eq!(outcomes[2], WriteOutcome::Updated(existing.id));
    assert_eq!(
        outcomes[3],
        WriteOutcome::Skipped { field: "version" },
        "the second copy is stale"
    );
    let keys = CustomerKeys {
        phones: vec![clientele_domain::Phone::parse("+79030000002").unwrap()],
        emails: vec![],
        external_ids: vec!["EXT-1".into(), "EXT-404".into()],
    };
    let found = db.match_customers(&keys).await.unwrap();
    assert_eq!(found.by_phone.len(), 1);
    let by_external = &found.by_external_id["EXT-1"];
    assert_eq!(by_external.id, existing.id);
    assert_eq!(by_external.profile.city.as_deref(), Some("Тула"));
    assert_eq!(
        db.count_customers(&query(CustomerFilter::default()), None)
            .await
            .unwrap(),
        2
    );
}

pub async fn directory_records(db: &dyn Database) {
    let group = db
        .directory()
        .create_customer_group("Оптовики", now())
        .await
        .unwrap();
    assert!(matches!(
        db.directory()
            .create_customer_group("Оптовики", now())
            .await,
        Err(DbError::Conflict { field: "name", .. })
    ));
    let renamed = db
        .directory()
        .update_customer_group(
            group.id,
            &crate::GroupChanges {
                name: Some("Опт".into()),
                is_default: Some(true),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert!(renamed.is_default && renamed.name == "Опт");
    let defaults: Vec<_> = db
        .directory()
        .customer_groups()
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.is_default)
        .collect();
    assert_eq!(defaults.len(), 1, "exactly one default group");
    assert!(matches!(
        db.directory().delete_customer_group(group.id).await,
        Err(DbError::InUse(_))
    ));
    let other = db
        .directory()
        .create_customer_group("Временная", now())
        .await
        .unwrap();
    assert!(
        db.directory()
            .delete_customer_group(other.id)
            .await
            .unwrap()
    );
    assert!(
        !db.directory()
            .delete_customer_group(other.id)
            .await
            .unwrap()
    );

    let region = add_store(db, "R1", "region", None).await;
    let shop = add_store(db, "S1", "store", Some(region.id)).await;
    assert!(matches!(
        db.directory()
            .create_store(&store_input("S1", "store", None), now())
            .await,
        Err(DbError::Conflict { field: "code", .. })
    ));
    assert_eq!(
        db.directory().store_by_code("S1").await.unwrap().unwrap(),
        shop
    );
    let moved = db
        .directory()
        .update_store(
            shop.id,
            &crate::StoreChanges {
                name: None,
                parent_id: Some(None),
                address: Some(Some("ул. Баумана, 1".into())),
                time_zone: Some(Some("Asia/Yekaterinburg".into())),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.parent_id, None);
    assert_eq!(moved.address.as_deref(), Some("ул. Баумана, 1"));
    assert_eq!(moved.time_zone.as_deref(), Some("Asia/Yekaterinburg"));
    assert_eq!(db.directory().stores().await.unwrap().len(), 2);

    let property = define_property(db, "skin", "choice", &["Сухая"]).await;
    let updated = db
        .directory()
        .update_property_definition(
            property.id,
            &crate::PropertyChanges {
                label: None,
                choices: Some(vec!["Сухая".into(), "Жирная".into()]),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.choices, ["Сухая", "Жирная"]);
    assert_eq!(updated.label, "Свойство skin");
}

pub async fn loads_fill_an_empty_base(db: &dyn Database) {
    define_property(db, "pet", "choice", &["Кошка", "Собака"]).await;
    let mut first = with_phone("Первая", "+79040000001");
    first.properties = vec![("pet".into(), Some("Кошка".into()))];
    let records = new_records(
        db,
        vec![
            first,
            with_phone("Вторая", "+79040000002"),
            with_phone("Третья", "+79040000003"),
        ],
    )
    .await;
    let mut load = db
        .begin_customer_load()
        .await
        .unwrap()
        .expect("an empty base can be loaded");
    let first_ids = load.insert(&records[..2]).await.unwrap();
    let last_ids = load.insert(&records[2..]).await.unwrap();
    assert_eq!(first_ids[1].0, first_ids[0].0 + 1);
    assert_eq!(last_ids[0].0, first_ids[1].0 + 1);
    load.finish().await.unwrap();

    let all = query(CustomerFilter::default());
    assert_eq!(db.count_customers(&all, None).await.unwrap(), 3);
    let phone = clientele_domain::Phone::parse("+79040000001").unwrap();
    let found = db.customer_by_phone(&phone).await.unwrap().unwrap();
    assert_eq!(found.id, first_ids[0]);
    assert_eq!(
        found.profile.properties.values().collect::<Vec<_>>(),
        ["Кошка"]
    );
    assert_eq!(names(db, &[("property_pet", "Кошка")]).await, ["Первая"]);
    // The phone search index was filled after the rows.
    assert_eq!(names(db, &[("q", "0000002")]).await, ["Вторая"]);
    assert_eq!(names(db, &[("q", "904 000")]).await.len(), 3);
    assert!(
        db.begin_customer_load().await.unwrap().is_none(),
        "a base with customers is written batch by batch"
    );
    // The unique indexes are back.
    assert_phone_taken(db, "+79040000002").await;
    // And the index follows the customers registered after the load.
    register(db, with_phone("Четвёртая", "+79040000004")).await;
    assert_eq!(names(db, &[("q", "0000004")]).await, ["Четвёртая"]);
}

/// Registering another customer with `phone` is refused as a conflict.
async fn assert_phone_taken(db: &dyn Database, phone: &str) {
    let twin = new_records(db, vec![with_phone("Двойник", phone)])
        .await
        .remove(0);
    let refused = db.create_customer(&twin).await.unwrap_err();
    assert!(matches!(refused, DbError::Conflict { field: "phone", .. }));
}

pub async fn loads_with_a_repeat_leave_nothing(db: &dyn Database) {
    let records = new_records(
        db,
        vec![
            with_phone("Первая", "+79050000001"),
            with_phone("Повтор", "+79050000001"),
        ],
    )
    .await;
    let mut load = db.begin_customer_load().await.unwrap().unwrap();
    load.insert(&records).await.unwrap();
    let refused = load.finish().await.unwrap_err();
    assert!(
        matches!(refused, DbError::Conflict { field: "phone", .. }),
        "{refused:?}"
    );
    let all = query(CustomerFilter::default());
    assert_eq!(db.count_customers(&all, None).await.unwrap(), 0);
    // Nothing is left half-done: the base loads again.
    let mut load = db.begin_customer_load().await.unwrap().unwrap();
    load.insert(&records[..1]).await.unwrap();
    load.finish().await.unwrap();
    assert_eq!(db.count_customers(&all, None).await.unwrap(), 1);
}

pub async fn dropped_loads_leave_nothing(db: &dyn Database) {
    let records = new_records(db, vec![with_phone("Первая", "+79060000001")]).await;
    let mut load = db.begin_customer_load().await.unwrap().unwrap();
    load.insert(&records).await.unwrap();
    drop(load);
    let all = query(CustomerFilter::default());
    assert_eq!(db.count_customers(&all, None).await.unwrap(), 0);
    // The indexes dropped by the load are back: a phone is still unique,
    // and found by a part of it.
    register(db, with_phone("Первая", "+79060000001")).await;
    assert_phone_taken(db, "+79060000001").await;
    assert_eq!(names(db, &[("q", "6000000")]).await, ["Первая"]);
}

pub async fn staff_credentials_resolve_to_principals(db: &dyn Database) {
    use clientele_domain::{BuiltInRole, Login, Module, Right};
    let staff = db.staff();

    use crate::{NewStaffUser, Principal};

    let owner = BuiltInRole::Owner;
    let role = staff
        .save_role(
            owner.name(),
            &clientele_domain::Permissions::default(),
            true,
            now(),
        )
        .await
        .unwrap();
    // Saving a built-in role again replaces its permissions, keeps its id.
    let role = {
        let again = staff
            .save_role(owner.name(), &owner.permissions(), true, now())
            .await
            .unwrap();
        assert_eq!(again.id, role.id);
        again
    };
    assert!(role.permissions.allows(Module::Staff, Right::Edit));
    let custom = staff
        .save_role(
            "auditor",
            &clientele_domain::Permissions::of(&[(Module::Reports, Right::View)]),
            false,
            now(),
        )
        .await
        .unwrap();
    let refused = staff
        .save_role(
            "auditor",
            &clientele_domain::Permissions::default(),
            false,
            now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, DbError::Conflict { field: "name", .. }));
    assert_eq!(staff.roles().await.unwrap().len(), 2);
    assert_eq!(
        staff.role_by_name("auditor").await.unwrap().unwrap(),
        custom
    );

    let store = add_store(db, "SPB-1", "store", None).await;
    let login = Login::parse("anna").unwrap();
    let user = staff
        .create_staff_user(
            &NewStaffUser {
                login: login.clone(),
                name: "Анна".into(),
                role_id: role.id,
                stores: vec![store.id],
                password_hash: "$argon2id$stub".into(),
            },
            now(),
        )
        .await
        .unwrap();
    let twin = staff
        .create_staff_user(
            &NewStaffUser {
                login: login.clone(),
                name: "Другая Анна".into(),
                role_id: role.id,
                stores: vec![],
                password_hash: "$argon2id$other".into(),
            },
            now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(twin, DbError::Conflict { field: "login", .. }));
    let (found, hash) = staff.staff_user_by_login(&login).await.unwrap().unwrap();
    assert_eq!(found, user);
    assert_eq!(hash, "$argon2id$stub");
    assert_eq!(staff.staff_user(user.id).await.unwrap().unwrap().0, user);
    assert_eq!(staff.staff_users().await.unwrap(), vec![user.clone()]);

    let token = staff
        .create_api_token(user.id, "1C", &[7; 32], now())
        .await
        .unwrap();
    match staff.principal_by_secret(&[7; 32]).await.unwrap() {
        Some(Principal::User {
            user: who,
            role: their,
        }) => {
            assert_eq!(who, user);
            assert_eq!(their, role);
        }
        other => panic!("a token names its user, not {other:?}"),
    }
    assert!(staff.principal_by_secret(&[8; 32]).await.unwrap().is_none());
    assert!(
        staff
            .revoke_api_token(user.id, token.id, now())
            .await
            .unwrap()
    );
    assert!(staff.principal_by_secret(&[7; 32]).await.unwrap().is_none());

    // A deactivated user's tokens stop working; their changes are kept.
    staff
        .create_api_token(user.id, "second", &[6; 32], now())
        .await
        .unwrap();
    let changed = staff
        .update_staff_user(
            user.id,
            &crate::StaffChanges {
                name: Some("Анна К.".into()),
                stores: Some(vec![]),
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.name, "Анна К.");
    assert!(changed.stores.is_empty() && !changed.active);
    assert_eq!(changed.role_id, role.id, "untouched fields stay");
    assert!(staff.principal_by_secret(&[6; 32]).await.unwrap().is_none());
    staff
        .update_staff_user(
            user.id,
            &crate::StaffChanges {
                active: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(staff.principal_by_secret(&[6; 32]).await.unwrap().is_some());
    assert!(
        staff
            .update_staff_user(clientele_domain::UserId(9_999), &Default::default())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        staff.api_tokens(user.id).await.unwrap()[0]
            .revoked_at
            .is_some()
    );

    let till = staff
        .create_till(store.id, "Касса 1", &[9; 32], now())
        .await
        .unwrap();
    assert_eq!(
        staff.principal_by_secret(&[9; 32]).await.unwrap(),
        Some(Principal::Till(till.clone()))
    );
    let rotated = staff
        .rotate_till_key(till.id, &[10; 32], now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rotated.id, till.id);
    assert!(staff.principal_by_secret(&[9; 32]).await.unwrap().is_none());
    assert!(
        staff
            .principal_by_secret(&[10; 32])
            .await
            .unwrap()
            .is_some()
    );
    let revoked = staff.revoke_till(till.id, now()).await.unwrap().unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(
        staff
            .principal_by_secret(&[10; 32])
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        staff
            .rotate_till_key(till.id, &[11; 32], now())
            .await
            .unwrap()
            .is_none()
    );
    let missing = staff
        .create_till(clientele_domain::StoreId(9_999), "Нет", &[12; 32], now())
        .await
        .unwrap_err();
    assert!(matches!(missing, DbError::MissingReference { .. }));
    assert_eq!(staff.tills().await.unwrap().len(), 1);
}

pub async fn audit_log_is_searchable(db: &dyn Database) {
    use crate::{Actor, AuditQuery, NewAuditEntry};
    let staff = db.staff();

    let customer = register(db, named("Покупатель")).await;
    let entry = |seconds: i64, login: &str, customer_id| NewAuditEntry {
        at: Timestamp::from_second(1_795_000_000 + seconds).unwrap(),
        actor: Actor::User {
            id: clientele_domain::UserId(1),
            login: login.into(),
        },
        ip: Some("127.0.0.1".into()),
        action: "customer.update".into(),
        entity: "customer".into(),
        entity_id: Some(customer.id.to_string()),
        customer_id,
        before: Some(serde_json::json!({"city": null})),
        after: Some(serde_json::json!({"city": "Тула"})),
    };
    staff
        .append_audit(&entry(0, "anna", Some(customer.id)))
        .await
        .unwrap();
    staff.append_audit(&entry(10, "boris", None)).await.unwrap();
    staff.append_audit(&entry(20, "anna", None)).await.unwrap();
    let all = |query: AuditQuery| async move {
        staff
            .audit_entries(&AuditQuery { limit: 10, ..query })
            .await
            .unwrap()
    };
    let everything = all(AuditQuery::default()).await;
    assert_eq!(everything.len(), 3);
    assert!(everything[0].id > everything[2].id, "newest first");
    assert_eq!(everything[2].entry, entry(0, "anna", Some(customer.id)));
    let by_customer = all(AuditQuery {
        customer_id: Some(customer.id),
        ..Default::default()
    })
    .await;
    assert_eq!(by_customer.len(), 1);
    let by_user = all(AuditQuery {
        user: Some("anna".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_user.len(), 2);
    let window = all(AuditQuery {
        from: Some(Timestamp::from_second(1_795_000_005).unwrap()),
        to: Some(Timestamp::from_second(1_795_000_015).unwrap()),
        ..Default::default()
    })
    .await;
    assert_eq!(window.len(), 1);
    assert!(matches!(&window[0].entry.actor, Actor::User { login, .. } if login == "boris"));
    let older = all(AuditQuery {
        before_id: Some(everything[0].id),
        ..Default::default()
    })
    .await;
    assert_eq!(older.len(), 2);
    staff
        .append_audit(&NewAuditEntry {
            action: "card.print_run".into(),
            customer_id: None,
            ..entry(30, "anna", None)
        })
        .await
        .unwrap();
    let runs = all(AuditQuery {
        action: Some("card.print_run".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].entry.action, "card.print_run");
}

pub async fn sessions_live_until_they_expire(db: &dyn Database) {
    use clientele_domain::{BuiltInRole, Login};
    let staff = db.staff();

    use crate::{NewStaffUser, StaffChanges};

    let role = staff
        .save_role("cashier", &BuiltInRole::Cashier.permissions(), true, now())
        .await
        .unwrap();
    let user = staff
        .create_staff_user(
            &NewStaffUser {
                login: Login::parse("kassa").unwrap(),
                name: "Касса".into(),
                role_id: role.id,
                stores: vec![],
                password_hash: "$argon2id$stub".into(),
            },
            now(),
        )
        .await
        .unwrap();
    let later = |seconds: i64| Timestamp::from_second(1_795_000_000 + seconds).unwrap();
    staff
        .create_session(&[1; 32], user.id, "csrf-1", now(), later(3_600))
        .await
        .unwrap();
    staff
        .create_session(&[2; 32], user.id, "csrf-2", now(), later(60))
        .await
        .unwrap();
    let session = staff.session(&[1; 32], later(10)).await.unwrap().unwrap();
    assert_eq!(session.user, user);
    assert_eq!(session.role, role);
    assert_eq!(session.csrf, "csrf-1");
    assert_eq!(session.expires_at, later(3_600));
    assert!(
        staff
            .session(&[1; 32], later(3_600))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(staff.session(&[3; 32], later(10)).await.unwrap().is_none());

    staff
        .update_staff_user(
            user.id,
            &StaffChanges {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        staff.session(&[1; 32], later(10)).await.unwrap().is_none(),
        "deactivated"
    );
    staff
        .update_staff_user(
            user.id,
            &StaffChanges {
                active: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    staff.delete_session(&[1; 32]).await.unwrap();
    assert!(
        staff.session(&[1; 32], later(10)).await.unwrap().is_none(),
        "signed out"
    );
    assert_eq!(staff.delete_expired_sessions(later(120)).await.unwrap(), 1);
    assert!(staff.session(&[2; 32], later(10)).await.unwrap().is_none());
}

/// A form's token: the first claim works, a second waits for it, and once
/// done every later claim is sent where the first went; a released or
/// abandoned claim may be claimed again, an expired one is forgotten.
pub async fn form_tokens_work_once(db: &dyn Database) {
    use crate::FormClaim;
    let staff = db.staff();

    let at = |seconds: i64| Timestamp::from_second(1_795_000_000 + seconds).unwrap();
    let claim = |token: &'static str, now: i64| async move {
        staff
            .claim_form_token(token, at(now), at(now - 30), at(now + 3_600))
            .await
            .unwrap()
    };
    assert_eq!(claim("form_a", 0).await, FormClaim::First);
    assert_eq!(claim("form_a", 1).await, FormClaim::Working);
    staff
        .finish_form_token("form_a", "/customers/7")
        .await
        .unwrap();
    assert_eq!(
        claim("form_a", 2).await,
        FormClaim::Done("/customers/7".into())
    );
    // A finished token is not released by a late release.
    staff.release_form_token("form_a").await.unwrap();
    assert_eq!(
        claim("form_a", 3).await,
        FormClaim::Done("/customers/7".into())
    );

    assert_eq!(claim("form_b", 0).await, FormClaim::First);
    staff.release_form_token("form_b").await.unwrap();
    assert_eq!(claim("form_b", 1).await, FormClaim::First);
    // Still working after the stale time: its server is gone.
    assert_eq!(claim("form_b", 60).await, FormClaim::First);

    // Past its hour, a done token is claimed afresh; then cleaned up.
    assert_eq!(claim("form_a", 3_601).await, FormClaim::First);
    assert_eq!(
        staff.delete_expired_form_tokens(at(3_700)).await.unwrap(),
        1
    );
    assert_eq!(
        staff.delete_expired_form_tokens(at(3_700)).await.unwrap(),
        0
    );
    assert_eq!(claim("form_b", 3_700).await, FormClaim::First);
}

pub async fn favourites_are_each_users_own(db: &dyn Database) {
    use clientele_domain::{BuiltInRole, Login};
    let staff = db.staff();

    let role = staff
        .save_role("owner", &BuiltInRole::Owner.permissions(), true, now())
        .await
        .unwrap();
    let mut users = Vec::new();
    for login in ["anna", "boris"] {
        let user = staff
            .create_staff_user(
                &crate::NewStaffUser {
                    login: Login::parse(login).unwrap(),
                    name: login.into(),
                    role_id: role.id,
                    stores: vec![],
                    password_hash: "x".into(),
                },
                now(),
            )
            .await
            .unwrap();
        users.push(user.id);
    }
    let (anna, boris) = (users[0], users[1]);
    let ids = [
        register(db, named("Вера")).await.id,
        register(db, named("Глеб")).await.id,
        register(db, named("Дина")).await.id,
    ];
    staff
        .set_favourite(anna, ids[0], true, now())
        .await
        .unwrap();
    staff
        .set_favourite(anna, ids[1], true, now())
        .await
        .unwrap();
    staff
        .set_favourite(anna, ids[1], true, now())
        .await
        .expect("starring twice is harmless");
    staff
        .set_favourite(boris, ids[2], true, now())
        .await
        .unwrap();
    staff
        .set_favourite(anna, ids[0], false, now())
        .await
        .unwrap();
    staff
        .set_favourite(anna, ids[2], false, now())
        .await
        .expect("unstarring what was not starred is harmless");

    assert_eq!(
        staff.favourites_among(anna, &ids).await.unwrap(),
        vec![ids[1]]
    );
    assert_eq!(
        staff.favourites_among(boris, &ids).await.unwrap(),
        vec![ids[2]]
    );
    let listed = async |favourite: bool, user: Option<clientele_domain::UserId>| {
        let filter = CustomerFilter {
            favourite: Some(favourite),
            user,
            ..CustomerFilter::default()
        };
        let page = db.list_customers(&query(filter.clone())).await.unwrap();
        let count = db.count_customers(&query(filter), None).await.unwrap();
        assert_eq!(count as usize, page.items.len());
        page.items
            .into_iter()
            .map(|c| c.profile.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(true, Some(anna)).await, ["Глеб"]);
    assert_eq!(listed(false, Some(anna)).await, ["Вера", "Дина"]);
    assert_eq!(listed(true, Some(boris)).await, ["Дина"]);
    assert!(listed(true, None).await.is_empty(), "nobody's favourites");
}

pub async fn roles_of_staff_own_are_edited_built_in_are_not(db: &dyn Database) {
    use clientele_domain::{BuiltInRole, Module, Permissions, Right};

    let owner = db
        .staff()
        .save_role("owner", &BuiltInRole::Owner.permissions(), true, now())
        .await
        .unwrap();
    let trainee = db
        .staff()
        .save_role(
            "trainee",
            &Permissions::of(&[(Module::Customers, Right::View)]),
            false,
            now(),
        )
        .await
        .unwrap();
    let rights = Permissions::of(&[(Module::Reports, Right::Edit)]);
    let edited = db
        .staff()
        .update_role(trainee.id, "analyst", &rights)
        .await
        .unwrap()
        .expect("a role of staff's own");
    assert_eq!((edited.id, edited.name.as_str()), (trainee.id, "analyst"));
    assert_eq!(edited.permissions, rights);
    assert!(!edited.built_in);
    assert_eq!(
        db.staff()
            .update_role(owner.id, "boss", &rights)
            .await
            .unwrap(),
        None,
        "a built-in role is left alone"
    );
    let taken = db.staff().update_role(trainee.id, "owner", &rights).await;
    assert!(
        matches!(taken, Err(crate::DbError::Conflict { field: "name", .. })),
        "{taken:?}"
    );
    let roles = db.staff().roles().await.unwrap();
    assert!(roles.iter().any(|r| r.name == "owner" && r.built_in));
}
