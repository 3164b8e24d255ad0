//! The loyalty engine's scenarios: receipts, returns, points by hand and
//! cards, the same on every engine.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::points::Shortfall;
use clientele_domain::posting::{LedgerKind, LotTerms};
use clientele_domain::pricing::{self, Basket, BasketLine, Pricing};
use clientele_domain::returns::{ReturnError, ReturnRequest};
use clientele_domain::{
    CustomerId, Phone, Program, ProgramKind, ProgramRules, Quantity, StoreId, TillId, UserId,
};
use futures_util::future::join_all;
use jiff::{SignedDuration, Timestamp};

use super::{add_store, now, register, with_phone};
use crate::area::TillKey;
use crate::{
    AdjustOutcome, CommitDone, CommitOutcome, Database, DbError, HoldOutcome, KeptAnswer,
    KeptReturn, NewCard, NewHold, NewProgram, NewTier, PointsAdjustment, ReceiptCommit,
    ReceiptCustomer, ReceiptRef, ReturnCommit, ReturnOutcome,
};

pub(super) struct Shop {
    pub(super) till: TillId,
    pub(super) store: StoreId,
    pub(super) program: Program,
    pub(super) author: UserId,
}

pub(super) async fn shop(db: &dyn Database) -> Shop {
    let store = add_store(db, "S1", "store", None).await;
    let till = db
        .staff()
        .create_till(store.id, "Касса 1", b"till-key-hash", now())
        .await
        .unwrap();
    let program = db
        .programs()
        .create_program(
            &NewProgram {
                name: "Бонусы".into(),
                rules: ProgramRules {
                    kind: ProgramKind::Bonus,
                    earn_rate_bp: 1000,
                    max_payable_share_bp: 10_000,
                    discount_bp: 0,
                    excluded_categories: vec![],
                    excluded_skus: vec![],
                    min_price_minor: 0,
                    accrual_delay_days: 0,
                    expiry_days: 0,
                    tier_period_days: 0,
                    birthday_points: 0,
                    birthday_days_before: 0,
                    birthday_message: String::new(),
                    referral_points: 0,
                },
                is_default: true,
            },
            now(),
        )
        .await
        .unwrap();
    let role = db
        .staff()
        .save_role(
            "owner",
            &clientele_domain::BuiltInRole::Owner.permissions(),
            true,
            now(),
        )
        .await
        .unwrap();
    let author = db
        .staff()
        .create_staff_user(
            &crate::NewStaffUser {
                login: clientele_domain::Login::parse("admin").unwrap(),
                name: "Админ".into(),
                role_id: role.id,
                stores: vec![],
                password_hash: "x".into(),
            },
            now(),
        )
        .await
        .unwrap()
        .id;
    Shop {
        till: till.id,
        store: store.id,
        program,
        author,
    }
}

fn terms() -> LotTerms {
    LotTerms {
        usable_from: now(),
        expires_at: None,
    }
}

fn basket(amounts: &[i64]) -> Vec<BasketLine> {
    amounts
        .iter()
        .enumerate()
        .map(|(i, &amount)| BasketLine {
            sku: format!("sku-{i}"),
            name: format!("Товар {i}"),
            category: None,
            quantity: Quantity::from_milli(2000).unwrap(),
            price_minor: amount / 2,
            amount_minor: amount,
        })
        .collect()
}

/// A receipt priced by the shop's program; the answer is the points left.
pub(super) fn receipt(
    shop: &Shop,
    id: &str,
    customer: Option<CustomerId>,
    amounts: &[i64],
    points_to_pay: i64,
    shortfall: Shortfall,
) -> ReceiptCommit {
    let lines = basket(amounts);
    let parsed = Basket::parse(lines.clone()).unwrap();
    let calculation = match customer {
        Some(_) => {
            let pricing = Pricing {
                program: &shop.program,
                tier: None,
                points_available: None,
            };
            pricing::price(&parsed, pricing, points_to_pay).unwrap()
        }
        None => pricing::anonymous(&parsed),
    };
    ReceiptCommit {
        till_id: shop.till,
        store_id: shop.store,
        receipt_id: id.into(),
        request_hash: format!("{id}:{amounts:?}:{points_to_pay}").into_bytes(),
        created_at: now(),
        committed_at: now(),
        customer: customer.map(|customer_id| ReceiptCustomer {
            customer_id,
            card_id: None,
            accrual: terms(),
            tier_ladder: vec![],
            tier_since: None,
        }),
        lines,
        calculation,
        shortfall,
        hold_id: None,
        certificates: Vec::new(),
        frame: format!("frame of {id}").into_bytes(),
        offers: Vec::new(),
        local_date: now().to_zoned(jiff::tz::TimeZone::UTC).date(),
    }
}

/// Commits a receipt that must go through; answers how the store finds it
/// again.
pub(super) async fn sold(db: &dyn Database, shop: &Shop, commit: ReceiptCommit) -> ReceiptRef {
    let id = commit.receipt_id.clone();
    let outcome = db.commit_receipt(commit).await.unwrap();
    assert!(
        matches!(outcome, CommitOutcome::Committed(_)),
        "{outcome:?}"
    );
    db.receipt(shop.till, &id)
        .await
        .unwrap()
        .expect("the receipt just committed")
        .reference()
}

fn committed_with(points_available: i64, points_owed: i64) -> CommitOutcome {
    CommitOutcome::Committed(CommitDone {
        points_available,
        points_owed,
    })
}

/// A return's refund, usable points and debt afterwards, as `a/b/c`.
fn return_figures(outcome: &ReturnOutcome) -> String {
    let (ReturnOutcome::Returned(done) | ReturnOutcome::Replayed(KeptReturn::Done(done))) = outcome
    else {
        panic!("{outcome:?}")
    };
    let refund: i64 = done.lines.iter().map(|l| l.refund_minor).sum();
    format!("{refund}/{}/{}", done.points_available, done.points_owed)
}

pub(super) async fn give(
    db: &dyn Database,
    shop: &Shop,
    customers: &[CustomerId],
    points: i64,
) -> AdjustOutcome {
    db.adjust_points(&PointsAdjustment {
        customer_ids: customers.to_vec(),
        points,
        comment: "за отзыв".into(),
        message: Some(crate::MessageDraft::new(
            clientele_domain::message::MessageSource::Manual,
            "Вам начислены баллы".into(),
        )),
        kind: LedgerKind::Manual,
        author: Some(shop.author),
        lot: terms(),
        at: now(),
    })
    .await
    .unwrap()
}

async fn available(db: &dyn Database, customer: CustomerId) -> i64 {
    db.customer_loyalty(customer, now())
        .await
        .unwrap()
        .account
        .available(now())
}

pub async fn receipts_are_idempotent_per_till(db: &dyn Database) {
    let shop = shop(db).await;
    let anna = register(db, with_phone("Анна", "+79161234567")).await.id;
    let first = db
        .commit_receipt(receipt(
            &shop,
            "R-1",
            Some(anna),
            &[10_000, 5_000],
            0,
            Shortfall::Refuse,
        ))
        .await
        .unwrap();
    assert_eq!(first, committed_with(1500, 0));
    let replay = db
        .commit_receipt(receipt(
            &shop,
            "R-1",
            Some(anna),
            &[10_000, 5_000],
            0,
            Shortfall::Refuse,
        ))
        .await
        .unwrap();
    assert_eq!(
        replay,
        CommitOutcome::Replayed(KeptAnswer {
            frame: b"frame of R-1".to_vec(),
            done: Some(CommitDone {
                points_available: 1500,
                points_owed: 0
            }),
        }),
        "a replay answers the first answer"
    );
    let other = db
        .commit_receipt(receipt(
            &shop,
            "R-1",
            Some(anna),
            &[9_000],
            0,
            Shortfall::Refuse,
        ))
        .await
        .unwrap();
    assert_eq!(other, CommitOutcome::Conflict);
    assert_eq!(
        available(db, anna).await,
        1500,
        "the replay accrued nothing"
    );
    let loyalty = db.customer_loyalty(anna, now()).await.unwrap();
    assert_eq!((loyalty.purchases, loyalty.spent_minor), (1, 15_000));

    let anonymous = db
        .commit_receipt(receipt(&shop, "R-2", None, &[700], 0, Shortfall::Refuse))
        .await
        .unwrap();
    assert!(matches!(anonymous, CommitOutcome::Committed(_)));
    let stored = db.receipt(shop.till, "R-2").await.unwrap().expect("kept");
    assert_eq!(stored.customer_id, None);
    assert!(db.receipt(shop.till, "R-3").await.unwrap().is_none());

    let ledger = db.history().ledger(anna, None, 10).await.unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].kind, ledger[0].points),
        (LedgerKind::Accrual, 1500)
    );
}

pub async fn payments_never_overdraw(db: &dyn Database) {
    let shop = shop(db).await;
    let boris = register(db, with_phone("Борис", "+79161234568")).await.id;
    assert_eq!(
        give(db, &shop, &[boris], 1000).await,
        AdjustOutcome::Done(vec![(boris, 1000)])
    );

    // Twenty tills pay 300 each at once. Each receipt accrues 70 usable at
    // once (10 % of the 700 paid in money), so four fit: 1000, 770, 540, 310.
    let receipts: Vec<_> = (0..20)
        .map(|i| {
            receipt(
                &shop,
                &format!("P-{i}"),
                Some(boris),
                &[1000],
                300,
                Shortfall::Refuse,
            )
        })
        .collect();
    let outcomes = join_all(receipts.into_iter().map(|r| db.commit_receipt(r))).await;
    let committed = outcomes
        .iter()
        .filter(|o| matches!(o.as_ref().unwrap(), CommitOutcome::Committed(_)))
        .count();
    assert_eq!(committed, 4, "{outcomes:?}");
    for outcome in &outcomes {
        if let CommitOutcome::Insufficient { available } = outcome.as_ref().unwrap() {
            assert!(*available < 300);
        }
    }
    assert_eq!(available(db, boris).await, 80);

    // An offline receipt already happened: what is missing becomes a debt,
    // settled by the next accrual.
    let offline = db
        .commit_receipt(receipt(
            &shop,
            "OFF-1",
            Some(boris),
            &[1000],
            1000,
            Shortfall::Owe,
        ))
        .await
        .unwrap();
    assert_eq!(offline, committed_with(0, 920));
    let loyalty = db.customer_loyalty(boris, now()).await.unwrap();
    assert_eq!(loyalty.account.balance(), -920);
    db.commit_receipt(receipt(
        &shop,
        "R-9",
        Some(boris),
        &[10_000],
        0,
        Shortfall::Refuse,
    ))
    .await
    .unwrap();
    assert_eq!(available(db, boris).await, 1000 - 920);
    let sum: i64 = db
        .history()
        .ledger(boris, None, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.points)
        .sum();
    assert_eq!(sum, 80, "the balance is the sum of the ledger");
}

pub(super) fn return_of(
    shop: &Shop,
    receipt: ReceiptRef,
    id: &str,
    request: ReturnRequest,
) -> ReturnCommit {
    ReturnCommit {
        receipt,
        account: receipt.customer_id,
        till_id: shop.till,
        return_id: id.into(),
        request_hash: format!("{id}:{request:?}").into_bytes(),
        request,
        at: now(),
        refund_lot: terms(),
    }
}

pub async fn returns_give_back_in_proportion(db: &dyn Database) {
    let shop = shop(db).await;
    let vera = register(db, with_phone("Вера", "+79161234569")).await.id;
    give(db, &shop, &[vera], 2000).await;
    // Two lines of 2 pieces; 2000 points paid, 10 % accrued on the rest.
    db.commit_receipt(receipt(
        &shop,
        "R-1",
        Some(vera),
        &[6000, 4000],
        2000,
        Shortfall::Refuse,
    ))
    .await
    .unwrap();
    assert_eq!(available(db, vera).await, 800);
    let key = db
        .receipt(shop.till, "R-1")
        .await
        .unwrap()
        .unwrap()
        .reference();

    let one = Quantity::from_milli(1000).unwrap();
    let half_of_first = ReturnRequest::Lines(vec![(1, one)]);
    let returned = db
        .return_receipt(return_of(&shop, key, "X-1", half_of_first.clone()))
        .await
        .unwrap();
    // Line 1: paid 4800 in money, 1200 in points, accrued 480; half of each.
    assert_eq!(return_figures(&returned), "2400/1160/0");
    let replay = db
        .return_receipt(return_of(&shop, key, "X-1", half_of_first))
        .await
        .unwrap();
    assert!(matches!(replay, ReturnOutcome::Replayed(_)));
    assert_eq!(return_figures(&replay), "2400/1160/0");
    let conflict = db
        .return_receipt(return_of(&shop, key, "X-1", ReturnRequest::Whole))
        .await
        .unwrap();
    assert_eq!(conflict, ReturnOutcome::Conflict);
    let too_much = ReturnRequest::Lines(vec![(1, Quantity::from_milli(1500).unwrap())]);
    let refused = db
        .return_receipt(return_of(&shop, key, "X-2", too_much))
        .await
        .unwrap();
    assert_eq!(
        refused,
        ReturnOutcome::Refused(ReturnError::TooMuch {
            line: 1,
            left_milli: 1000,
            asked_milli: 1500
        })
    );

    // Spend the points, then return the rest: the 560 accrued are taken back
    // from the 84 left, and the 1400 paid with points come back and settle
    // the other 476.
    db.commit_receipt(receipt(
        &shop,
        "R-2",
        Some(vera),
        &[2000],
        1160,
        Shortfall::Refuse,
    ))
    .await
    .unwrap();
    let rest = db
        .return_receipt(return_of(&shop, key, "X-3", ReturnRequest::Whole))
        .await
        .unwrap();
    assert!(matches!(rest, ReturnOutcome::Returned(_)));
    assert_eq!(return_figures(&rest), "5600/924/0");
    let nothing = db
        .return_receipt(return_of(&shop, key, "X-4", ReturnRequest::Whole))
        .await
        .unwrap();
    assert_eq!(nothing, ReturnOutcome::Refused(ReturnError::NothingLeft));
    let sum: i64 = db
        .history()
        .ledger(vera, None, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.points)
        .sum();
    let loyalty = db.customer_loyalty(vera, now()).await.unwrap();
    assert_eq!(
        loyalty.account.balance(),
        sum,
        "the balance is the sum of the ledger"
    );
    assert_eq!(
        loyalty.spent_minor, 2000,
        "returns take back what was spent"
    );
}

pub async fn points_by_hand_are_all_or_nothing(db: &dyn Database) {
    let shop = shop(db).await;
    let a = register(db, with_phone("Галина", "+79161234570")).await.id;
    let b = register(db, with_phone("Дмитрий", "+79161234571")).await.id;
    give(db, &shop, &[a, b], 500).await;
    give(db, &shop, &[a], 500).await;
    assert_eq!(
        give(db, &shop, &[a, b], -800).await,
        AdjustOutcome::Insufficient {
            customer_id: b,
            available: 500
        }
    );
    assert_eq!(
        (available(db, a).await, available(db, b).await),
        (1000, 500),
        "nothing changed"
    );
    assert_eq!(
        give(db, &shop, &[a, CustomerId(999_999)], 100).await,
        AdjustOutcome::MissingCustomer(CustomerId(999_999))
    );
    assert_eq!(available(db, a).await, 1000);
    assert_eq!(
        give(db, &shop, &[a, b], -500).await,
        AdjustOutcome::Done(vec![(a, 500), (b, 0)])
    );
    let entry = &db.history().ledger(a, None, 1).await.unwrap()[0];
    assert_eq!(
        (entry.points, entry.user_id, entry.comment.as_deref()),
        (-500, Some(shop.author), Some("за отзыв"))
    );
}

pub async fn points_expire_and_wait_for_their_day(db: &dyn Database) {
    let shop = shop(db).await;
    let e = register(db, with_phone("Елена", "+79161234572")).await.id;
    let day = SignedDuration::from_hours(24);
    let later = LotTerms {
        usable_from: now() + day,
        expires_at: Some(now() + day * 10),
    };
    db.adjust_points(&PointsAdjustment {
        customer_ids: vec![e],
        points: 700,
        comment: "акция".into(),
        message: None,
        kind: LedgerKind::Manual,
        author: Some(shop.author),
        lot: later,
        at: now(),
    })
    .await
    .unwrap();
    let account = db.customer_loyalty(e, now()).await.unwrap().account;
    assert_eq!(account.available(now()), 0, "not usable before its day");
    assert_eq!(account.available(now() + day), 700);
    assert_eq!(account.available(now() + day * 10), 0, "expired");
    let paying = receipt(&shop, "R-1", Some(e), &[1000], 100, Shortfall::Refuse);
    assert_eq!(
        db.commit_receipt(paying).await.unwrap(),
        CommitOutcome::Insufficient { available: 0 }
    );

    // The expiry job writes the lost points off once, one entry per lot.
    assert_eq!(
        db.expire_points(now() + day * 9, 100).await.unwrap(),
        0,
        "nothing expired yet"
    );
    assert_eq!(db.expire_points(now() + day * 10, 100).await.unwrap(), 1);
    assert_eq!(
        db.expire_points(now() + day * 10, 100).await.unwrap(),
        0,
        "written off once"
    );
    let entry = &db.history().ledger(e, None, 1).await.unwrap()[0];
    assert_eq!((entry.kind, entry.points), (LedgerKind::Expiry, -700));
    assert_eq!(
        db.customer_loyalty(e, now())
            .await
            .unwrap()
            .account
            .balance(),
        0
    );

    assert!(
        db.jobs()
            .claim_slot("expiry", "2026-11-23T09", now())
            .await
            .unwrap()
    );
    assert!(
        !db.jobs()
            .claim_slot("expiry", "2026-11-23T09", now())
            .await
            .unwrap(),
        "a slot runs once"
    );
    assert!(
        db.jobs()
            .claim_slot("expiry", "2026-11-23T10", now())
            .await
            .unwrap()
    );
    assert!(
        db.jobs()
            .claim_slot("birthdays", "2026-11-23T09", now())
            .await
            .unwrap()
    );
}

pub async fn cards_are_issued_bound_and_replaced(db: &dyn Database) {
    let shop = shop(db).await;
    let group = db
        .programs()
        .create_card_group("Основные", shop.program.id, now())
        .await
        .unwrap();
    let blank = |n: u64| NewCard {
        barcode: Barcode::ean13(200_000_000_000 + n),
        symbology: Symbology::Ean13,
        group_id: group.id,
        customer_id: None,
        valid_from: None,
        valid_to: None,
    };
    let cards = db
        .create_cards(&[blank(1), blank(2), blank(3)], now())
        .await
        .unwrap();
    assert_eq!(cards.len(), 3);
    assert!(
        cards
            .iter()
            .all(|c| !c.active && c.customer_id.is_none() && c.program_id == shop.program.id)
    );
    let taken = db
        .create_cards(&[blank(4), blank(1)], now())
        .await
        .unwrap_err();
    assert!(
        matches!(
            taken,
            DbError::Conflict {
                field: "barcode",
                ..
            }
        ),
        "{taken:?}"
    );
    assert!(
        db.card_reads()
            .card_by_barcode(blank(4).barcode.as_str())
            .await
            .unwrap()
            .is_none(),
        "all or nothing"
    );

    let zhanna = register(db, with_phone("Жанна", "+79161234573")).await.id;
    let bound = db.bind_card(cards[0].id, zhanna).await.unwrap().unwrap();
    assert!(bound.active && bound.customer_id == Some(zhanna));
    assert!(
        db.bind_card(cards[0].id, zhanna).await.unwrap().is_none(),
        "bound once"
    );
    let blocked = db.set_card_blocked(bound.id, true).await.unwrap().unwrap();
    assert!(blocked.blocked);

    let mut replacement = blank(5);
    replacement.customer_id = Some(zhanna);
    let new = db
        .replace_card(bound.id, &replacement, "потеряна", now())
        .await
        .unwrap();
    assert!(new.active && new.customer_id == Some(zhanna));
    let old = db.card_reads().card(bound.id).await.unwrap().unwrap();
    assert_eq!(
        (old.replaced_by, old.withdrawn_reason.as_deref()),
        (Some(new.id), Some("потеряна"))
    );
    let owned = db
        .card_reads()
        .cards(&crate::CardQuery {
            customer_id: Some(zhanna),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(owned.len(), 2, "the withdrawn card stays in the history");

    let tier = db
        .programs()
        .create_tier(
            shop.program.id,
            &NewTier {
                name: "Золото".into(),
                threshold_minor: 100_000,
                earn_rate_bp: Some(1500),
                discount_bp: None,
            },
            now(),
        )
        .await
        .unwrap();
    let program = db
        .programs()
        .program(shop.program.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(program.tiers, vec![tier]);
    let _: Timestamp = now();
}

pub async fn programs_keep_one_default(db: &dyn Database) {
    let shop = shop(db).await;
    let mut second = NewProgram {
        name: "Скидка".into(),
        rules: shop.program.rules.clone(),
        is_default: true,
    };
    second.rules.kind = ProgramKind::FixedDiscount;
    let second = db.programs().create_program(&second, now()).await.unwrap();
    let defaults = |programs: Vec<Program>| {
        programs
            .into_iter()
            .filter(|p| p.is_default)
            .map(|p| p.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        defaults(db.programs().list_programs().await.unwrap()),
        vec![second.id]
    );
    let missing = NewProgram {
        name: "Нет такой".into(),
        rules: shop.program.rules.clone(),
        is_default: true,
    };
    let updated = db
        .programs()
        .update_program(clientele_domain::ProgramId(999_999), &missing, now())
        .await
        .unwrap();
    assert!(updated.is_none());
    assert_eq!(
        defaults(db.programs().list_programs().await.unwrap()),
        vec![second.id],
        "a missing program takes nothing"
    );
    let taken = db
        .programs()
        .create_program(
            &NewProgram {
                name: "Бонусы".into(),
                rules: shop.program.rules.clone(),
                is_default: false,
            },
            now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(taken, DbError::Conflict { field: "name", .. }),
        "{taken:?}"
    );
}

/// A receipt that cannot be written (its customer is gone) fails alone: the
/// receipts committed beside it, in the same group on SQLite, are kept.
pub async fn a_failing_receipt_fails_alone(db: &dyn Database) {
    let shop = shop(db).await;
    let anna = register(db, with_phone("Анна", "+79161234580")).await.id;
    let mut receipts: Vec<_> = (0..10)
        .map(|i| {
            receipt(
                &shop,
                &format!("G-{i}"),
                Some(anna),
                &[1000],
                0,
                Shortfall::Refuse,
            )
        })
        .collect();
    receipts.insert(
        5,
        receipt(
            &shop,
            "G-bad",
            Some(CustomerId(999_999)),
            &[1000],
            0,
            Shortfall::Refuse,
        ),
    );
    let outcomes = join_all(receipts.into_iter().map(|r| db.commit_receipt(r))).await;
    for (i, outcome) in outcomes.iter().enumerate() {
        if i == 5 {
            assert!(
                outcome.is_err(),
                "the receipt of a missing customer fails: {outcome:?}"
            );
        } else {
            assert!(
                matches!(outcome, Ok(CommitOutcome::Committed(_))),
                "{i}: {outcome:?}"
            );
        }
    }
    assert!(db.receipt(shop.till, "G-bad").await.unwrap().is_none());
    assert_eq!(
        db.customer_loyalty(anna, now()).await.unwrap().purchases,
        10
    );
}

pub async fn holds_reserve_points_for_their_payment(db: &dyn Database) {
    let shop = shop(db).await;
    let other_till = db
        .staff()
        .create_till(shop.store, "Касса 2", b"till-2-hash", now())
        .await
        .unwrap()
        .id;
    let gala = register(db, with_phone("Галя", "+79161234590")).await.id;
    give(db, &shop, &[gala], 1000).await;
    let hold = |id: &str, till, points| NewHold {
        hold_id: id.into(),
        till_id: till,
        customer_id: gala,
        points,
        at: now(),
        expires_at: now() + SignedDuration::from_mins(5),
        offers: Vec::new(),
        local_date: now().to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    assert_eq!(
        db.place_hold(hold("H-1", shop.till, 700)).await.unwrap(),
        HoldOutcome::Held
    );
    assert_eq!(
        db.place_hold(hold("H-2", other_till, 500)).await.unwrap(),
        HoldOutcome::Insufficient { available: 300 }
    );
    assert_eq!(available(db, gala).await, 300);
    let later = now() + SignedDuration::from_mins(6);
    assert_eq!(
        db.customer_loyalty(gala, later)
            .await
            .unwrap()
            .account
            .available(later),
        1000,
        "an unused hold frees its points by itself"
    );
    // Another payment cannot take the held points; the hold's own can.
    let other = receipt(&shop, "R-1", Some(gala), &[2000], 500, Shortfall::Refuse);
    assert_eq!(
        db.commit_receipt(other).await.unwrap(),
        CommitOutcome::Insufficient { available: 300 }
    );
    let mut paying = receipt(&shop, "R-2", Some(gala), &[2000], 700, Shortfall::Refuse);
    paying.hold_id = Some("H-1".into());
    assert!(matches!(
        db.commit_receipt(paying).await.unwrap(),
        CommitOutcome::Committed(_)
    ));
    assert!(
        !db.release_hold(shop.till, "H-1", now()).await.unwrap(),
        "a used hold is gone"
    );
    // 300 left, plus 10 % of the 1300 paid in money.
    assert_eq!(available(db, gala).await, 430);
    assert_eq!(
        db.place_hold(hold("H-3", shop.till, 400)).await.unwrap(),
        HoldOutcome::Held
    );
    assert!(
        !db.release_hold(other_till, "H-3", now()).await.unwrap(),
        "only its own till releases it"
    );
    assert!(db.release_hold(shop.till, "H-3", now()).await.unwrap());
    assert_eq!(available(db, gala).await, 430);
}

pub async fn the_till_reads_a_customer_with_their_account(db: &dyn Database) {
    let shop = shop(db).await;
    let ira = register(db, with_phone("Ира", "+79161234591")).await.id;
    let new = register(db, with_phone("Новенький", "+79161234592"))
        .await
        .id;
    give(db, &shop, &[ira], 1000).await;
    let paying = receipt(&shop, "R-1", Some(ira), &[2000], 500, Shortfall::Refuse);
    assert!(matches!(
        db.commit_receipt(paying).await.unwrap(),
        CommitOutcome::Committed(_)
    ));
    let hold = NewHold {
        hold_id: "H-1".into(),
        till_id: shop.till,
        customer_id: ira,
        points: 200,
        at: now(),
        expires_at: now() + SignedDuration::from_mins(5),
        offers: Vec::new(),
        local_date: now().to_zoned(jiff::tz::TimeZone::UTC).date(),
    };
    assert_eq!(db.place_hold(hold).await.unwrap(), HoldOutcome::Held);
    for id in [ira, new] {
        let read = db
            .customer_at_till(TillKey::Id(id), now(), None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(Some(read.customer.clone()), db.customer(id).await.unwrap());
        assert_eq!(read.loyalty, db.customer_loyalty(id, now()).await.unwrap());
        assert_eq!(read.standing, None, "read only when asked for");
        let with_offers = db
            .customer_at_till(TillKey::Id(id), now(), Some(&[]))
            .await
            .unwrap();
        assert_eq!(
            with_offers.clone().unwrap().standing,
            Some(db.offers().offer_standing(id, &[]).await.unwrap())
        );
        let phone = read.customer.profile.phone.clone().unwrap();
        let by_phone = db
            .customer_at_till(TillKey::Phone(&phone), now(), None)
            .await;
        assert_eq!(
            by_phone.unwrap(),
            Some(read),
            "the phone's holder, read alike"
        );
        let by_phone = db
            .customer_at_till(TillKey::Phone(&phone), now(), Some(&[]))
            .await;
        assert_eq!(by_phone.unwrap(), with_offers);
    }
    let nobody = Phone::parse("+79160000000").unwrap();
    assert_eq!(
        db.customer_at_till(TillKey::Phone(&nobody), now(), None)
            .await
            .unwrap(),
        None
    );
    let read = db
        .customer_at_till(TillKey::Id(ira), now(), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.loyalty.account.held, 200);
    assert_eq!(read.loyalty.purchases, 1);
    assert!(
        db.customer_at_till(TillKey::Id(CustomerId(i64::MAX)), now(), None)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn merging_moves_points_debts_and_cards(db: &dyn Database) {
    let shop = shop(db).await;
    let survivor = register(db, with_phone("Ирина", "+79161234591")).await.id;
    let duplicate = register(db, with_phone("Ирина И.", "+79161234592"))
        .await
        .id;
    let debtor = register(db, with_phone("Ира", "+79161234593")).await.id;
    give(db, &shop, &[survivor], 1000).await;
    give(db, &shop, &[duplicate], 300).await;
    let group = db
        .programs()
        .create_card_group("Карты", shop.program.id, now())
        .await
        .unwrap();
    let card = NewCard {
        barcode: Barcode::ean13(200_000_000_777),
        symbology: Symbology::Ean13,
        group_id: group.id,
        customer_id: Some(duplicate),
        valid_from: None,
        valid_to: None,
    };
    db.create_cards(&[card], now()).await.unwrap();
    // The debtor paid 200 offline with nothing: a debt of 200.
    db.commit_receipt(receipt(
        &shop,
        "D-1",
        Some(debtor),
        &[200],
        200,
        Shortfall::Owe,
    ))
    .await
    .unwrap();
    db.commit_receipt(receipt(
        &shop,
        "D-2",
        Some(duplicate),
        &[1000],
        0,
        Shortfall::Refuse,
    ))
    .await
    .unwrap();

    db.merge_points(duplicate, survivor, now()).await.unwrap();
    assert_eq!(available(db, survivor).await, 1000 + 300 + 100);
    let moved = db.customer_loyalty(survivor, now()).await.unwrap();
    assert_eq!(
        (moved.purchases, moved.spent_minor),
        (1, 1000),
        "the purchase figures follow"
    );
    db.merge_points(debtor, survivor, now()).await.unwrap();
    assert_eq!(
        available(db, survivor).await,
        1400 - 200,
        "the debt follows too"
    );
    db.merge_points(duplicate, survivor, now()).await.unwrap();
    assert_eq!(available(db, survivor).await, 1200, "nothing moves twice");

    for customer in [survivor, duplicate, debtor] {
        let sum: i64 = db
            .history()
            .ledger(customer, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|e| e.points)
            .sum();
        let balance = db
            .customer_loyalty(customer, now())
            .await
            .unwrap()
            .account
            .balance();
        assert_eq!(
            sum, balance,
            "customer {customer}: the balance is the sum of the ledger"
        );
    }
    assert_eq!(
        db.customer_loyalty(duplicate, now())
            .await
            .unwrap()
            .account
            .balance(),
        0
    );
    let cards = db
        .card_reads()
        .cards(&crate::CardQuery {
            customer_id: Some(survivor),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(cards.len(), 1, "the card follows");
}

pub async fn certificates_are_issued_with_their_movements(db: &dyn Database) {
    use clientele_domain::certificate::NewCertificateTemplate;

    use crate::NewCertificate;

    let owner = register(db, with_phone("Жора", "+79161234594")).await.id;
    let template = NewCertificateTemplate {
        name: "Подарок 1000".into(),
        face_value_minor: 100_000,
        valid_days: 365,
        partial_use: true,
    };
    let template = db
        .programs()
        .create_certificate_template(&template, now())
        .await
        .unwrap();
    let again = db
        .programs()
        .create_certificate_template(
            &NewCertificateTemplate {
                name: "Подарок 1000".into(),
                face_value_minor: 50_000,
                valid_days: 30,
                partial_use: false,
            },
            now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(again, DbError::Conflict { field: "name", .. }),
        "{again:?}"
    );
    assert_eq!(
        db.programs().certificate_templates().await.unwrap(),
        vec![template.clone()]
    );

    let new = |code: &str, customer| NewCertificate {
        code: code.into(),
        customer_id: customer,
    };
    let issued = db
        .issue_certificates(
            &template,
            &[
                new("AAAA-BBBB-CCC1", Some(owner)),
                new("AAAA-BBBB-CCC2", None),
            ],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(issued.len(), 2);
    assert_eq!(issued[0].balance_minor, 100_000);
    assert_eq!(
        issued[0].valid_to,
        now() + SignedDuration::from_hours(24 * 365)
    );
    let taken = db
        .issue_certificates(
            &template,
            &[new("AAAA-BBBB-CCC3", None), new("AAAA-BBBB-CCC1", None)],
            now(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(taken, DbError::Conflict { field: "code", .. }),
        "{taken:?}"
    );
    assert!(
        db.card_reads()
            .certificate_by_code("AAAA-BBBB-CCC3")
            .await
            .unwrap()
            .is_none(),
        "all or nothing"
    );

    let found = db
        .card_reads()
        .certificate_by_code("AAAA-BBBB-CCC1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, issued[0]);
    assert_eq!(
        db.card_reads().certificates_of(owner, 10).await.unwrap(),
        vec![issued[0].clone()]
    );
    let movements = db
        .card_reads()
        .certificate_movements(found.id)
        .await
        .unwrap();
    assert_eq!(movements.len(), 1);
    assert_eq!(
        (movements[0].kind.as_str(), movements[0].amount_minor),
        ("issue", 100_000)
    );
}

/// A certificate for partial use issued to the bearer, of a new template.
async fn bearer_certificate(
    db: &dyn Database,
    template: &str,
    face_value_minor: i64,
    code: &str,
) -> clientele_domain::certificate::Certificate {
    let template = clientele_domain::certificate::NewCertificateTemplate {
        name: template.into(),
        face_value_minor,
        valid_days: 30,
        partial_use: true,
    };
    let template = db
        .programs()
        .create_certificate_template(&template, now())
        .await
        .unwrap();
    let new = crate::NewCertificate {
        code: code.into(),
        customer_id: None,
    };
    db.issue_certificates(&template, &[new], now())
        .await
        .unwrap()
        .remove(0)
}

/// Two tills taking more from one certificate than it holds: one is refused.
pub async fn a_certificate_is_never_overdrawn(db: &dyn Database) {
    use crate::CertificateDebit;

    let shop = shop(db).await;
    let certificate = bearer_certificate(db, "Подарок", 1000, "GIFT-GIFT-0001").await;
    let paying = |id: &str| {
        let mut r = receipt(&shop, id, None, &[700], 0, Shortfall::Refuse);
        r.certificates = vec![CertificateDebit {
            id: certificate.id,
            code: certificate.code.clone(),
            taken_minor: 700,
        }];
        r
    };
    let outcomes = join_all([paying("G-1"), paying("G-2")].map(|r| db.commit_receipt(r))).await;
    let committed = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(CommitOutcome::Committed(_))))
        .count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(CommitOutcome::CertificateRefused { code }) if code == "GIFT-GIFT-0001"))
        .count();
    assert_eq!((committed, refused), (1, 1), "{outcomes:?}");
    let left = db
        .card_reads()
        .certificate_by_code("GIFT-GIFT-0001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.balance_minor, 300);
    let movements = db
        .card_reads()
        .certificate_movements(left.id)
        .await
        .unwrap();
    assert_eq!(
        movements.iter().map(|m| m.amount_minor).sum::<i64>(),
        300,
        "the balance is the sum of its movements"
    );
}

pub async fn a_return_refills_the_certificates_that_paid(db: &dyn Database) {
    use crate::CertificateDebit;

    let shop = shop(db).await;
    let certificate = bearer_certificate(db, "Подарок на 5000", 5000, "GIFT-BACK-0001").await;
    // 10,000 to pay, 3,000 of it with the certificate.
    let mut paying = receipt(&shop, "C-1", None, &[6000, 4000], 0, Shortfall::Refuse);
    paying.certificates = vec![CertificateDebit {
        id: certificate.id,
        code: certificate.code.clone(),
        taken_minor: 3000,
    }];
    assert!(matches!(
        db.commit_receipt(paying).await.unwrap(),
        CommitOutcome::Committed(_)
    ));
    let key = db
        .receipt(shop.till, "C-1")
        .await
        .unwrap()
        .unwrap()
        .reference();
    let balance = || async {
        db.card_reads()
            .certificate_by_code("GIFT-BACK-0001")
            .await
            .unwrap()
            .unwrap()
            .balance_minor
    };
    assert_eq!(balance().await, 2000);

    // The first line, 6,000: 30 % of it goes back to the certificate.
    let first_line = ReturnRequest::Lines(vec![(1, Quantity::from_milli(2000).unwrap())]);
    db.return_receipt(return_of(&shop, key, "B-1", first_line))
        .await
        .unwrap();
    assert_eq!(balance().await, 3800);
    // The rest: the certificate has all it paid back, not a unit more.
    let rest = || return_of(&shop, key, "B-2", ReturnRequest::Whole);
    db.return_receipt(rest()).await.unwrap();
    assert_eq!(balance().await, 5000);
    assert!(matches!(
        db.return_receipt(rest()).await.unwrap(),
        ReturnOutcome::Replayed(_)
    ));
    assert_eq!(balance().await, 5000, "a replay refills nothing");
    let movements = db
        .card_reads()
        .certificate_movements(certificate.id)
        .await
        .unwrap();
    let refunds: Vec<i64> = movements
        .iter()
        .filter(|m| m.kind == "refund")
        .map(|m| m.amount_minor)
        .collect();
    assert_eq!(refunds, vec![1800, 1200]);
    assert_eq!(movements.iter().map(|m| m.amount_minor).sum::<i64>(), 5000);
}

pub async fn business_figures_count_by_day(db: &dyn Database) {
    let shop = shop(db).await;
    let other_store = add_store(db, "S2", "store", None).await;
    let other_till = db
        .staff()
        .create_till(other_store.id, "Касса 2", b"other-till-key-hash", now())
        .await
        .unwrap();
    let anna = register(db, with_phone("Анна", "+79161234571")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234572")).await.id;
    let day = SignedDuration::from_hours(24);
    let half_day = SignedDuration::from_hours(12);
    let refuse = Shortfall::Refuse;
    db.commit_receipt(receipt(
        &shop,
        "R-1",
        Some(anna),
        &[10_000, 5_000],
        0,
        refuse,
    ))
    .await
    .unwrap();
    let mut yesterday = receipt(&shop, "R-2", Some(anna), &[3_000], 0, refuse);
    yesterday.created_at = now() - day;
    db.commit_receipt(yesterday).await.unwrap();
    db.commit_receipt(receipt(&shop, "R-3", None, &[1_000], 0, refuse))
        .await
        .unwrap();
    let mut elsewhere = receipt(&shop, "R-4", Some(boris), &[7_000], 0, refuse);
    elsewhere.till_id = other_till.id;
    elsewhere.store_id = other_store.id;
    db.commit_receipt(elsewhere).await.unwrap();
    let key = db
        .receipt(shop.till, "R-1")
        .await
        .unwrap()
        .unwrap()
        .reference();
    db.return_receipt(return_of(&shop, key, "X-1", ReturnRequest::Whole))
        .await
        .unwrap();

    let query = |stores: Option<Vec<StoreId>>| crate::FiguresQuery {
        stores,
        active_since: now() - half_day,
        now: now(),
        days: vec![
            (now() - day - half_day, now() - half_day),
            (now() - half_day, now() + half_day),
        ],
    };
    let all = db.business_figures(&query(None)).await.unwrap();
    assert_eq!(all.customers, 2);
    assert_eq!(all.active_customers, 2, "the anonymous receipt has no one");
    assert_eq!(
        all.points_outstanding,
        available(db, anna).await + available(db, boris).await
    );
    assert!(all.points_outstanding > 0);
    let sales = |receipts, revenue_minor, refunds_minor| crate::DaySales {
        receipts,
        revenue_minor,
        refunds_minor,
    };
    assert_eq!(all.days, vec![sales(1, 3_000, 0), sales(3, 23_000, 15_000)]);

    let other = db
        .business_figures(&query(Some(vec![other_store.id])))
        .await
        .unwrap();
    assert_eq!(other.customers, 0, "nobody registered in the other store");
    assert_eq!(other.active_customers, 1);
    assert_eq!(other.points_outstanding, 0);
    assert_eq!(other.days, vec![sales(0, 0, 0), sales(1, 7_000, 0)]);
}

pub async fn tiers_are_changed_in_place(db: &dyn Database) {
    let shop = shop(db).await;
    let tier = |name: &str, threshold_minor: i64, rate: i64| NewTier {
        name: name.into(),
        threshold_minor,
        earn_rate_bp: Some(rate),
        discount_bp: None,
    };
    let silver = db
        .programs()
        .create_tier(shop.program.id, &tier("Серебро", 10_000, 700), now())
        .await
        .unwrap();
    let gold = db
        .programs()
        .create_tier(shop.program.id, &tier("Золото", 30_000, 1_000), now())
        .await
        .unwrap();
    let changed = db
        .programs()
        .update_tier(silver.id, &tier("Серебро+", 15_000, 750))
        .await
        .unwrap()
        .expect("a known tier");
    assert_eq!(changed.id, silver.id);
    assert_eq!(
        (
            changed.name.as_str(),
            changed.threshold_minor,
            changed.earn_rate_bp
        ),
        ("Серебро+", 15_000, Some(750))
    );
    let clash = db
        .programs()
        .update_tier(silver.id, &tier("Серебро", 30_000, 700))
        .await;
    assert!(
        matches!(clash, Err(DbError::Conflict { .. })),
        "two tiers of a program never start at one spend: {clash:?}"
    );
    assert_eq!(
        db.programs()
            .update_tier(clientele_domain::TierId(999_999), &tier("Нет", 1, 1))
            .await
            .unwrap(),
        None
    );
    let program = db
        .programs()
        .program(shop.program.id)
        .await
        .unwrap()
        .unwrap();
    let tiers: Vec<_> = program
        .tiers
        .iter()
        .map(|t| (t.id, t.threshold_minor))
        .collect();
    assert_eq!(tiers, vec![(changed.id, 15_000), (gold.id, 30_000)]);
}

pub async fn card_groups_and_templates_are_changed_in_place(db: &dyn Database) {
    use clientele_domain::certificate::NewCertificateTemplate;

    let shop = shop(db).await;
    let plastic = db
        .programs()
        .create_card_group("Пластик", shop.program.id, now())
        .await
        .unwrap();
    let other = db
        .programs()
        .create_card_group("Виртуальные", shop.program.id, now())
        .await
        .unwrap();
    let renamed = db
        .programs()
        .update_card_group(plastic.id, "Пластиковые", shop.program.id)
        .await
        .unwrap()
        .expect("a known group");
    assert_eq!(
        (renamed.id, renamed.name.as_str()),
        (plastic.id, "Пластиковые")
    );
    let taken = db
        .programs()
        .update_card_group(other.id, "Пластиковые", shop.program.id)
        .await;
    assert!(
        matches!(taken, Err(DbError::Conflict { field: "name", .. })),
        "{taken:?}"
    );
    assert_eq!(
        db.programs()
            .update_card_group(
                clientele_domain::CardGroupId(999_999),
                "Нет",
                shop.program.id
            )
            .await
            .unwrap(),
        None
    );

    let terms = |name: &str, face_value_minor: i64, partial_use: bool| NewCertificateTemplate {
        name: name.into(),
        face_value_minor,
        valid_days: 365,
        partial_use,
    };
    let gift = db
        .programs()
        .create_certificate_template(&terms("Подарок", 100_000, true), now())
        .await
        .unwrap();
    let changed = db
        .programs()
        .update_certificate_template(gift.id, &terms("Подарок", 150_000, false))
        .await
        .unwrap()
        .expect("a known template");
    assert_eq!(
        (changed.id, changed.face_value_minor, changed.partial_use),
        (gift.id, 150_000, false)
    );
    assert_eq!(
        db.programs().certificate_templates().await.unwrap(),
        vec![changed.clone()]
    );
}
