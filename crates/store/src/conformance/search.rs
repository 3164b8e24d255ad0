//! Finding customers: the quick search by card, name words, the figures
//! of the list, and what a merge leaves to find.

use clientele_domain::card::{Barcode, Symbology};

use super::loyalty::shop;
use super::{names, now, register, with_phone};
use crate::{Database, NewCard};

pub async fn quick_search_finds_a_card_holder(db: &dyn Database) {
    let shop = shop(db).await;
    let group = db
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
