//! Offers and coupons kept the same on every engine.

use clientele_domain::card::{Barcode, Symbology};
use clientele_domain::offer::{CouponCode, OfferInput};
use clientele_domain::{CustomerId, OfferId, Phone, SegmentId};
use jiff::Timestamp;

use super::loyalty::shop;
use super::{named, now, register, with_phone};
use crate::area::CouponHolder;
use crate::{Database, DbError, NewCard};

fn terms(name: &str, segment: Option<SegmentId>) -> clientele_domain::OfferTerms {
    OfferInput {
        name: name.into(),
        segment_id: segment,
        active: true,
        reward: "percent_off".into(),
        reward_value: 1000,
        categories: vec!["dairy".into()],
        days: vec!["friday".into()],
        hours_from: Some("22:00".into()),
        hours_to: Some("02:00".into()),
        coupon: Some("unique".into()),
        ..OfferInput::default()
    }
    .validate()
    .expect("valid terms")
}

fn code(raw: &str) -> CouponCode {
    CouponCode::parse(raw).unwrap()
}

pub async fn offers_keep_their_terms_and_coupons(db: &dyn Database) {
    let offers = db.offers();
    let later = Timestamp::from_second(now().as_second() + 60).unwrap();
    let night = terms("Ночная скидка", None);
    let kept = offers.create_offer(&night, now()).await.unwrap();
    assert_eq!((kept.offer.terms.clone(), kept.version), (night.clone(), 1));
    let taken = offers.create_offer(&night, now()).await;
    assert!(
        matches!(taken, Err(DbError::Conflict { field: "name", .. })),
        "{taken:?}"
    );
    let lost = offers
        .create_offer(&terms("Для никого", Some(SegmentId(999))), now())
        .await;
    assert!(
        matches!(
            lost,
            Err(DbError::MissingReference {
                field: "segment_id"
            })
        ),
        "{lost:?}"
    );

    let mut paused = night.clone();
    paused.active = false;
    let id = kept.offer.id;
    let changed = offers
        .update_offer(id, &paused, 1, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((changed.offer.terms.active, changed.version), (false, 2));
    assert_eq!(changed.updated_at, later);
    let stale = offers.update_offer(id, &night, 1, later).await;
    assert!(matches!(stale, Err(DbError::StaleVersion)), "{stale:?}");
    assert!(
        offers
            .update_offer(OfferId(999), &night, 1, later)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        offers.offers().await.unwrap(),
        std::slice::from_ref(&changed)
    );
    assert_eq!(offers.offer(id).await.unwrap(), Some(changed));

    let made = offers
        .add_coupons(
            id,
            &[(code("AAAA-1111"), None), (code("BBBB-2222"), None)],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(made, [code("AAAA-1111"), code("BBBB-2222")]);
    // A code already kept is left out; the others are kept.
    let again = offers
        .add_coupons(
            id,
            &[(code("BBBB-2222"), None), (code("CCCC-3333"), None)],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(again, [code("CCCC-3333")]);
    let coupon = offers.coupon(&code("CCCC-3333")).await.unwrap().unwrap();
    assert_eq!((coupon.offer_id, coupon.customer_id), (id, None));
    let page = offers
        .coupons_of(id, Some(&code("AAAA-1111")), 1)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].code, code("BBBB-2222"));
    assert!(offers.coupon(&code("DDDD-4444")).await.unwrap().is_none());
}

/// A list of customers read back in a few statements: those coupons went
/// to with their phone and the card they carry, and cards by barcode.
pub async fn customers_are_read_back_in_batches(db: &dyn Database) {
    let shop = shop(db).await;
    let group = db
        .programs()
        .create_card_group("Основные", shop.program.id, now())
        .await
        .unwrap();
    let mut anna = with_phone("Анна", "+79161234501");
    anna.store_id = Some(Some(shop.store));
    let anna = register(db, anna).await.id;
    let boris = register(db, named("Борис")).await.id;
    let vera = register(db, named("Вера")).await.id;
    let card = |n: u64, customer: Option<CustomerId>| NewCard {
        barcode: Barcode::ean13(200_000_000_000 + n),
        symbology: Symbology::Ean13,
        group_id: group.id,
        customer_id: customer,
        valid_from: None,
        valid_to: None,
    };
    let cards = db
        .create_cards(&[card(1, Some(boris)), card(2, None)], now())
        .await
        .unwrap();
    // Boris lost his card: the new one is what he carries.
    let carried = db
        .replace_card(cards[0].id, &card(3, Some(boris)), "потеряна", now())
        .await
        .unwrap();

    let mut holders = db
        .offers()
        .coupon_holders(&[vera, boris, anna, CustomerId(999_999)])
        .await
        .unwrap();
    holders.sort_by_key(|h| h.id);
    assert_eq!(
        holders,
        [
            CouponHolder {
                id: anna,
                name: "Анна".into(),
                phone: Some(Phone::parse("+79161234501").unwrap()),
                card: None,
                store_id: Some(shop.store),
            },
            CouponHolder {
                id: boris,
                name: "Борис".into(),
                phone: None,
                card: Some(carried.barcode.as_str().to_owned()),
                store_id: None,
            },
            CouponHolder {
                id: vera,
                name: "Вера".into(),
                phone: None,
                card: None,
                store_id: None,
            },
        ]
    );
    assert!(db.offers().coupon_holders(&[]).await.unwrap().is_empty());

    // Cards by barcode: the withdrawn one still names its holder, a blank
    // one nobody, an unknown barcode is left out.
    let barcodes: Vec<String> = [card(1, None), card(2, None), card(3, None), card(4, None)]
        .iter()
        .map(|c| c.barcode.as_str().to_owned())
        .collect();
    let mut found: Vec<(String, Option<CustomerId>)> = db
        .cards_by_barcodes(&barcodes)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.barcode.as_str().to_owned(), c.customer_id))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (barcodes[0].clone(), Some(boris)),
            (barcodes[1].clone(), None),
            (barcodes[2].clone(), Some(boris)),
        ]
    );
}
