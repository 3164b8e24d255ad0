//! Finding customers: the quick search by card, name words, the figures
//! of the list, and what a merge leaves to find.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::points::Shortfall;
use clientele_domain::posting::{LedgerKind, LotTerms};
use clientele_domain::returns::ReturnRequest;
use clientele_domain::{
    Customer, CustomerFilter, CustomerId, CustomerStatus, NamedCustomer, SortField, SortOrder,
};
use jiff::civil::date;

use super::loyalty::{give, receipt, return_of, shop, sold};
use super::{named, names, now, register, with_phone};
use crate::{CustomerQuery, Database, NewCard, PointsAdjustment, ReturnOutcome};

/// The names a quick search finds in match order, `limit` a page, every
/// page walked; the count agrees.
async fn best_first(db: &dyn Database, q: &str, limit: u32) -> Vec<String> {
    let params = [("q", q)];
    let filter = CustomerFilter::parse(params.iter().copied(), &[], date(2026, 11, 23)).unwrap();
    let mut query = CustomerQuery {
        filter,
        order: SortOrder {
            field: SortField::Match,
            descending: false,
        },
        limit,
        after: None,
    };
    let mut found = Vec::new();
    loop {
        let page = db.list_customers(&query).await.unwrap();
        assert!(page.items.len() <= limit as usize);
        found.extend(page.items.into_iter().map(|c| c.profile.name));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let count = db.count_customers(&query, None).await.unwrap();
    assert_eq!(count as usize, found.len(), "count agrees for «{q}»");
    found
}

pub async fn quick_search_finds_a_card_holder(db: &dyn Database) {
    let shop = shop(db).await;
    let group = db
        .programs()
        .create_card_group("Основные", shop.program.id, now())
        .await
        .unwrap();
    let card = |barcode: Barcode, symbology, customer_id| NewCard {
        barcode,
        symbology,
        group_id: group.id,
        customer_id,
        valid_from: None,
        valid_to: None,
    };
    let anna = register(db, with_phone("Анна", "+79161234567")).await.id;
    let boris = register(db, with_phone("Борис", "+79162000000")).await.id;
    let bound = Barcode::ean13(200_000_000_001);
    let blank = Barcode::ean13(200_000_000_002);
    let code = Barcode::parse("CL-000123", Symbology::Code128).unwrap();
    db.create_cards(
        &[
            card(bound.clone(), Symbology::Ean13, Some(anna)),
            card(blank.clone(), Symbology::Ean13, None),
            card(code, Symbology::Code128, Some(boris)),
        ],
        now(),
    )
    .await
    .unwrap();

    assert_eq!(names(db, &[("q", bound.as_str())]).await, ["Анна"]);
    let spaced = format!("{} {}", &bound.as_str()[..1], &bound.as_str()[1..]);
    assert_eq!(
        names(db, &[("q", &spaced)]).await,
        ["Анна"],
        "typed in groups"
    );
    assert!(
        names(db, &[("q", &bound.as_str()[..12])]).await.is_empty(),
        "only a whole card number finds its holder"
    );
    assert!(
        names(db, &[("q", blank.as_str())]).await.is_empty(),
        "a blank card has no holder"
    );
    assert_eq!(names(db, &[("q", "CL-000123")]).await, ["Борис"]);
    assert_eq!(
        names(db, &[("q", "2000")]).await,
        ["Борис"],
        "digits still find phones"
    );
    assert_eq!(names(db, &[("q", "8 916 123 45 67")]).await, ["Анна"]);
}

pub async fn names_are_found_by_any_words_best_first(db: &dyn Database) {
    for name in [
        "Иванова Мария Петровна",
        "Петрова Ирина Ивановна",
        "Марина Иванова",
        "Ёлкина Мария Ивановна",
        "Иван Марков",
        "Сидоров Пётр",
    ] {
        register(db, named(name)).await;
    }
    let cases: &[(&str, &[&str])] = &[
        ("Мария Петровна", &["Иванова Мария Петровна"]),
        ("Петровна", &["Иванова Мария Петровна"]),
        ("Мария Иванова", &["Иванова Мария Петровна"]),
        (
            "Ива Мар",
            &[
                "Ёлкина Мария Ивановна",
                "Иван Марков",
                "Иванова Мария Петровна",
                "Марина Иванова",
            ],
        ),
        ("Ма Пе", &["Иванова Мария Петровна"]),
        ("елкина", &["Ёлкина Мария Ивановна"]),
        ("Ёлкина", &["Ёлкина Мария Ивановна"]),
        (
            "петр",
            &[
                "Сидоров Пётр",
                "Иванова Мария Петровна",
                "Петрова Ирина Ивановна",
            ],
        ),
        // The whole word first, then words that start with it, each by name.
        (
            "ИВАН",
            &[
                "Иван Марков",
                "Ёлкина Мария Ивановна",
                "Иванова Мария Петровна",
                "Марина Иванова",
                "Петрова Ирина Ивановна",
            ],
        ),
        ("Мария Сидоров", &[]),
        ("--", &[]),
    ];
    for (q, expected) in cases {
        for limit in [100, 2] {
            assert_eq!(
                &best_first(db, q, limit).await,
                expected,
                "«{q}», {limit} a page"
            );
        }
    }
    // In another order, the same customers.
    let mut by_id = names(db, &[("q", "мар ива")]).await;
    by_id.sort();
    let mut expected = best_first(db, "ива мар", 100).await;
    expected.sort();
    assert_eq!(by_id, expected);
}

/// Merges `duplicate` into `survivor` as the application does: the
/// customers' records, then their points and figures.
pub(super) async fn merge(db: &dyn Database, survivor: CustomerId, duplicate: CustomerId) {
    let kept = db.customer(survivor).await.unwrap().unwrap();
    let mut gone: Customer = db.customer(duplicate).await.unwrap().unwrap();
    gone.profile.status = CustomerStatus::Archived;
    gone.merged_into = Some(NamedCustomer {
        id: survivor,
        name: kept.profile.name.clone(),
    });
    db.merge_customers(&kept, &gone, now()).await.unwrap();
    db.merge_points(duplicate, survivor, now()).await.unwrap();
}

/// A receipt bought before a merge and returned after it moves the points
/// of the survivor, who holds them now: the accrual is taken back and the
/// points paid with come back there, and the duplicate's emptied account
/// is left alone.
pub async fn a_return_after_a_merge_moves_the_survivors_points(db: &dyn Database) {
    let shop = shop(db).await;
    let survivor = register(db, with_phone("Ольга Павлова", "+79161230011"))
        .await
        .id;
    let duplicate = register(db, with_phone("Ольга П.", "+79161230012"))
        .await
        .id;
    give(db, &shop, &[duplicate], 500).await;
    // 500 points paid, 10 % accrued on the 9,500 paid in money.
    let commit = receipt(
        &shop,
        "MR-1",
        Some(duplicate),
        &[10_000],
        500,
        Shortfall::Refuse,
    );
    let bought = sold(db, &shop, commit).await;
    merge(db, survivor, duplicate).await;
    let balance = |id| async move {
        let loyalty = db.customer_loyalty(id, now()).await.unwrap();
        (loyalty.account.balance(), loyalty.account.debt)
    };
    assert_eq!(balance(survivor).await, (950, 0));
    assert_eq!(balance(duplicate).await, (0, 0));

    assert_eq!(bought.customer_id, Some(duplicate));
    let mut whole = return_of(&shop, bought, "MR-R", ReturnRequest::Whole);
    whole.account = Some(survivor);
    let returned = db.return_receipt(whole).await.unwrap();
    let ReturnOutcome::Returned(done) = returned else {
        panic!("{returned:?}")
    };
    assert_eq!((done.points_available, done.points_owed), (500, 0));
    assert_eq!(
        balance(survivor).await,
        (500, 0),
        "the 950 accrued are taken back, the 500 paid come back"
    );
    assert_eq!(balance(duplicate).await, (0, 0), "left alone");
    let figures = db.customer_loyalty(survivor, now()).await.unwrap();
    assert_eq!(figures.spent_minor, 0, "the spend moved with the merge");
    let kinds: Vec<LedgerKind> = db
        .history()
        .ledger(survivor, None, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.receipt_key == Some(bought.key))
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [LedgerKind::ReturnRefund, LedgerKind::ReturnReversal]
    );
}

pub async fn merged_customers_hand_over_their_history(db: &dyn Database) {
    let shop = shop(db).await;
    let survivor = register(db, with_phone("Ирина Смирнова", "+79161230001"))
        .await
        .id;
    let duplicate = register(db, with_phone("Ирина С.", "+79161230002"))
        .await
        .id;
    let earlier = register(db, with_phone("Ирина Смирнова-Е", "+79161230003"))
        .await
        .id;
    let mut receipts = Vec::new();
    for (n, customer) in [survivor, duplicate, duplicate, earlier]
        .into_iter()
        .enumerate()
    {
        let commit = receipt(
            &shop,
            &format!("M-{n}"),
            Some(customer),
            &[1000],
            0,
            Shortfall::Refuse,
        );
        receipts.push(sold(db, &shop, commit).await);
    }
    let returned = db
        .return_receipt(return_of(&shop, receipts[1], "R-1", ReturnRequest::Whole))
        .await
        .unwrap();
    assert!(
        matches!(returned, ReturnOutcome::Returned(_)),
        "{returned:?}"
    );

    merge(db, duplicate, earlier).await;
    merge(db, survivor, duplicate).await;

    let gone = db.customer(earlier).await.unwrap().unwrap();
    assert_eq!(
        gone.merged_into.map(|m| (m.id, m.name)),
        Some((survivor, "Ирина Смирнова".to_owned())),
        "merged into the duplicate, it now points where the duplicate went"
    );
    let history = db.history().purchases(survivor, 50).await.unwrap();
    let mut owners: Vec<CustomerId> = history.iter().map(|p| p.customer_id).collect();
    owners.sort();
    assert_eq!(owners, [survivor, duplicate, duplicate, earlier]);
    let figures = db.customer_loyalty(survivor, now()).await.unwrap();
    assert_eq!(
        figures.purchases,
        history.len() as i64,
        "the count the history shows"
    );
    let returns = db.history().returns(survivor, 50).await.unwrap();
    assert_eq!(
        returns
            .iter()
            .map(|r| (r.receipt_key, r.customer_id))
            .collect::<Vec<_>>(),
        [(receipts[1].key, duplicate)]
    );
    for gone in [duplicate, earlier] {
        assert!(
            db.history().purchases(gone, 50).await.unwrap().is_empty(),
            "the survivor's now"
        );
        assert!(db.history().returns(gone, 50).await.unwrap().is_empty());
    }

    let merges: Vec<_> = db
        .history()
        .ledger(survivor, None, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == LedgerKind::Merge)
        .collect();
    assert!(!merges.is_empty());
    assert!(
        merges.iter().all(|e| e.counterpart
            == Some(NamedCustomer {
                id: duplicate,
                name: "Ирина С.".into()
            })),
        "{merges:?}"
    );
    let given: Vec<_> = db.history().ledger(duplicate, None, 50).await.unwrap();
    assert!(
        given
            .iter()
            .filter(|e| e.kind == LedgerKind::Merge
                && e.points < 0
                && e.counterpart.as_ref().is_some_and(|c| c.id == survivor))
            .count()
            > 0,
        "{given:?}"
    );

    assert_eq!(names(db, &[("q", "Ирина")]).await, ["Ирина Смирнова"]);
    assert_eq!(
        names(db, &[]).await,
        ["Ирина Смирнова"],
        "lists leave them out"
    );
    assert_eq!(
        names(db, &[("q", "ирина"), ("status", "archived")]).await,
        ["Ирина С.", "Ирина Смирнова-Е"],
        "unless archived customers are asked for"
    );
}

/// Every customer, `limit` a page, in `sort` order.
async fn walk(
    db: &dyn Database,
    params: &[(&str, &str)],
    sort: &str,
    limit: u32,
) -> Vec<CustomerId> {
    let filter = CustomerFilter::parse(params.iter().copied(), &[], date(2026, 11, 23)).unwrap();
    let mut query = CustomerQuery {
        filter,
        order: SortOrder::parse(sort).unwrap(),
        limit,
        after: None,
    };
    let mut found = Vec::new();
    loop {
        let page = db.list_customers(&query).await.unwrap();
        found.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    found
}

pub async fn figures_sort_filter_and_keep_the_balance(db: &dyn Database) {
    let shop = shop(db).await;
    let customers = [
        register(db, with_phone("Анна", "+79161239001")).await.id,
        register(db, with_phone("Борис", "+79161239002")).await.id,
        register(db, with_phone("Вера", "+79161239003")).await.id,
        register(db, with_phone("Глеб", "+79161239004")).await.id,
        register(db, with_phone("Дина", "+79161239005")).await.id,
    ];
    let [anna, boris, vera, gleb, dina] = customers;
    let mut keys = Vec::new();
    for (n, (customer, amount)) in [(anna, 3000), (anna, 1000), (boris, 2000), (dina, 2000)]
        .into_iter()
        .enumerate()
    {
        let id = format!("F-{n}");
        db.commit_receipt(receipt(
            &shop,
            &id,
            Some(customer),
            &[amount],
            0,
            Shortfall::Refuse,
        ))
        .await
        .unwrap();
        keys.push(
            db.receipt(shop.till, &id)
                .await
                .unwrap()
                .unwrap()
                .reference(),
        );
    }
    // A return, points by hand, points that expire, a merge: each keeps the
    // balance the list filters by equal to the sum of the ledger.
    db.return_receipt(return_of(&shop, keys[0], "FR-1", ReturnRequest::Whole))
        .await
        .unwrap();
    give(db, &shop, &[vera], 500).await;
    let day = jiff::SignedDuration::from_hours(24);
    db.adjust_points(&PointsAdjustment {
        customer_ids: vec![boris],
        points: 300,
        comment: "акция".into(),
        message: None,
        kind: LedgerKind::Manual,
        author: Some(shop.author),
        lot: LotTerms {
            usable_from: now(),
            expires_at: Some(now() + day),
        },
        at: now(),
    })
    .await
    .unwrap();
    assert_eq!(db.expire_points(now() + day, 10).await.unwrap(), 1);
    merge(db, anna, dina).await;

    for customer in [anna, boris, vera, gleb] {
        let balance = db
            .customer_loyalty(customer, now())
            .await
            .unwrap()
            .account
            .balance();
        let ledger: i64 = db
            .history()
            .ledger(customer, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|e| e.points)
            .sum();
        assert_eq!(balance, ledger);
        let bound = balance.to_string();
        let found = walk(
            db,
            &[("balance_min", &bound), ("balance_max", &bound)],
            "id",
            10,
        )
        .await;
        assert!(
            found.contains(&customer),
            "customer {customer}'s balance {balance}: {found:?}"
        );
    }

    let spent = |customer| async move {
        db.customer_loyalty(customer, now())
            .await
            .unwrap()
            .spent_minor
    };
    let mut by_spent = Vec::new();
    for customer in [anna, boris, vera, gleb] {
        by_spent.push((spent(customer).await, customer));
    }
    by_spent.sort();
    let ascending: Vec<CustomerId> = by_spent.iter().map(|(_, c)| *c).collect();
    assert_eq!(
        walk(db, &[], "spent_minor", 1).await,
        ascending,
        "the merged one left out"
    );
    let mut descending = ascending.clone();
    descending.reverse();
    assert_eq!(walk(db, &[], "-spent_minor", 2).await, descending);
    let last = walk(db, &[], "last_purchase_at", 1).await;
    assert_eq!(&last[..2], [vera, gleb], "never bought first, by id");
    assert_eq!(
        walk(db, &[], "-last_purchase_at", 3).await[2..],
        [gleb, vera],
        "never bought last, by id"
    );
    assert_eq!(
        walk(db, &[("purchases_min", "1")], "id", 10).await,
        [anna, boris]
    );
    assert_eq!(
        walk(db, &[("no_purchase_days", "6")], "id", 10).await,
        [vera, gleb],
        "nothing bought on the last six days (from 18 November, now()), or ever"
    );
    assert_eq!(
        walk(db, &[("no_purchase_days", "5")], "id", 10).await.len(),
        4
    );
    assert_eq!(
        walk(db, &[("spent_min", "1"), ("balance_max", "0")], "id", 10).await,
        Vec::<CustomerId>::new()
    );
    let count = db
        .count_customers(
            &CustomerQuery {
                filter: CustomerFilter::parse([("purchases_max", "0")], &[], date(2026, 11, 23))
                    .unwrap(),
                order: SortOrder::default(),
                limit: 10,
                after: None,
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(count, 2);
}
