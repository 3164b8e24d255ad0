//! A customer's page: notes, a receipt opened with its lines and returns,
//! a blank card given at the desk; the same on every engine.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::points::Shortfall;
use clientele_domain::returns::ReturnRequest;
use clientele_domain::{CardId, NoteText, ReceiptKey};
use jiff::SignedDuration;

use super::loyalty::{receipt, return_of, shop, sold};
use super::search::merge;
use super::{now, register, with_phone};
use crate::{CardPick, Database, NewCard, NewNote, ReturnOutcome};

/// Generates one `#[tokio::test]` per scenario of a customer's page, as
/// [`conformance_tests!`](crate::conformance_tests) does for the rest.
#[macro_export]
macro_rules! customer_page_tests {
    ($factory:expr) => {
        $crate::conformance_tests!(@each $factory;
            notes_are_signed_dated_and_newest_first, a_receipt_opens_with_its_lines_and_returns,
            the_desk_gives_blank_cards_once);
    };
}

pub async fn notes_are_signed_dated_and_newest_first(db: &dyn Database) {
    let anna = register(db, with_phone("Анна", "+79161234567")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234568")).await.id;
    let note = |customer_id, text: &str, minutes: i64| NewNote {
        customer_id,
        author: "desk".into(),
        text: NoteText::parse(text).unwrap(),
        at: now() + SignedDuration::from_mins(minutes),
    };
    let first = db
        .add_note(&note(anna, "Просит звонить после 18:00", 0))
        .await
        .unwrap();
    assert_eq!(
        (
            first.customer_id,
            first.author.as_str(),
            first.text.as_str(),
            first.created_at
        ),
        (anna, "desk", "Просит звонить после 18:00", now())
    );
    let second = db
        .add_note(&note(anna, "Аллергия на орехи", 5))
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    db.add_note(&note(boris, "Постоянный покупатель", 1))
        .await
        .unwrap();
    let texts =
        |notes: Vec<clientele_domain::Note>| notes.into_iter().map(|n| n.text).collect::<Vec<_>>();
    assert_eq!(
        texts(db.history().notes(anna, 10).await.unwrap()),
        ["Аллергия на орехи", "Просит звонить после 18:00"]
    );
    assert_eq!(
        texts(db.history().notes(anna, 1).await.unwrap()),
        ["Аллергия на орехи"]
    );

    merge(db, anna, boris).await;
    assert_eq!(
        texts(db.history().notes(anna, 10).await.unwrap()),
        [
            "Аллергия на орехи",
            "Постоянный покупатель",
            "Просит звонить после 18:00"
        ],
        "the survivor reads the duplicate's notes too"
    );
    assert!(
        db.history().notes(boris, 10).await.unwrap().is_empty(),
        "they moved"
    );
}

pub async fn a_receipt_opens_with_its_lines_and_returns(db: &dyn Database) {
    let shop = shop(db).await;
    let anna = register(db, with_phone("Анна", "+79161234567")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234568")).await.id;
    let mut refs = Vec::new();
    for (id, customer) in [("A-1", anna), ("B-1", boris)] {
        let commit = receipt(
            &shop,
            id,
            Some(customer),
            &[1000, 3000],
            0,
            Shortfall::Refuse,
        );
        refs.push(sold(db, &shop, commit).await);
    }
    let returned = db
        .return_receipt(return_of(&shop, refs[0], "R-1", ReturnRequest::Whole))
        .await
        .unwrap();
    assert!(
        matches!(returned, ReturnOutcome::Returned(_)),
        "{returned:?}"
    );

    let keys: Vec<ReceiptKey> = refs.iter().map(|r| r.key).collect();
    let opened = db
        .history()
        .receipt_of(anna, keys[0])
        .await
        .unwrap()
        .expect("hers");
    assert_eq!(
        (
            opened.purchase.receipt_id.as_str(),
            opened.purchase.till_id,
            opened.purchase.store_id
        ),
        ("A-1", shop.till, shop.store)
    );
    assert_eq!(opened.purchase.total_minor, 4000);
    assert_eq!(opened.purchase.lines, 2);
    let lines: Vec<_> = opened
        .lines
        .iter()
        .map(|l| {
            (
                l.line,
                l.sku.as_str(),
                l.quantity.milli(),
                l.price_minor,
                l.amount_minor,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (1, "sku-0", 2000, 500, 1000),
            (2, "sku-1", 2000, 1500, 3000)
        ]
    );
    // 10 % accrued line by line, adding up to the receipt's.
    let accrued: i64 = opened.lines.iter().map(|l| l.points_accrued).sum();
    assert_eq!(accrued, opened.purchase.points_accrued);
    assert!(accrued > 0);
    assert_eq!(
        opened
            .returns
            .iter()
            .map(|r| r.return_id.as_str())
            .collect::<Vec<_>>(),
        ["R-1"]
    );
    assert_eq!(opened.returns[0].refund_minor, 4000);

    assert!(
        db.history()
            .receipt_of(anna, keys[1])
            .await
            .unwrap()
            .is_none(),
        "Boris's"
    );
    assert!(
        db.history()
            .receipt_of(anna, ReceiptKey(keys[1].0 + 100))
            .await
            .unwrap()
            .is_none()
    );
    merge(db, anna, boris).await;
    let handed = db
        .history()
        .receipt_of(anna, keys[1])
        .await
        .unwrap()
        .expect("merged in");
    assert_eq!(handed.purchase.customer_id, boris, "whose receipt it was");
    assert!(
        db.history()
            .receipt_of(boris, keys[1])
            .await
            .unwrap()
            .is_none(),
        "it moved"
    );
}

pub async fn the_desk_gives_blank_cards_once(db: &dyn Database) {
    let shop = shop(db).await;
    let group = db
        .programs()
        .create_card_group("Основные", shop.program.id, now())
        .await
        .unwrap();
    let other = db
        .programs()
        .create_card_group("Подарочные", shop.program.id, now())
        .await
        .unwrap();
    let card = |n: u64, group_id| NewCard {
        barcode: Barcode::ean13(200_000_000_000 + n),
        symbology: Symbology::Ean13,
        group_id,
        customer_id: None,
        valid_from: None,
        valid_to: None,
    };
    let cards = db
        .create_cards(
            &[
                card(1, other.id),
                card(2, group.id),
                card(3, group.id),
                card(4, group.id),
            ],
            now(),
        )
        .await
        .unwrap();
    db.set_card_blocked(cards[1].id, true).await.unwrap();
    let anna = register(db, with_phone("Анна", "+79161234567")).await.id;
    let boris = register(db, with_phone("Борис", "+79161234568")).await.id;

    let until = now() + SignedDuration::from_hours(24 * 365);
    let given = db
        .give_card(CardPick::FreeOf(group.id), anna, None, Some(until))
        .await
        .unwrap()
        .expect("a free card");
    assert_eq!(given.id, cards[2].id, "the lowest number not blocked");
    assert!(given.active && given.customer_id == Some(anna));
    assert_eq!((given.valid_from, given.valid_to), (None, Some(until)));
    assert_eq!(given.program_id, shop.program.id);

    let next = db
        .give_card(CardPick::FreeOf(group.id), boris, None, None)
        .await
        .unwrap();
    assert_eq!(next.map(|c| c.id), Some(cards[3].id));
    assert!(
        db.give_card(CardPick::FreeOf(group.id), boris, None, None)
            .await
            .unwrap()
            .is_none(),
        "the group has no free card left"
    );
    assert!(
        db.give_card(CardPick::Card(cards[2].id), boris, None, None)
            .await
            .unwrap()
            .is_none(),
        "a bound card is not given again"
    );
    assert_eq!(
        db.card_reads()
            .card(cards[2].id)
            .await
            .unwrap()
            .unwrap()
            .customer_id,
        Some(anna)
    );
    let scanned = db
        .give_card(CardPick::Card(cards[0].id), boris, None, None)
        .await
        .unwrap();
    assert_eq!(
        scanned.map(|c| (c.id, c.customer_id)),
        Some((cards[0].id, Some(boris)))
    );
    assert!(
        db.give_card(
            CardPick::Card(CardId(cards[3].id.0 + 100)),
            boris,
            None,
            None
        )
        .await
        .unwrap()
        .is_none()
    );
}
