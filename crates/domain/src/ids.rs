//! Identifiers of the domain's records. Integers, so they sort and index cheaply.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A customer (покупатель).
    CustomerId
);
id_type!(
    /// A customer group (покупательская группа).
    CustomerGroupId
);
id_type!(
    /// A node of the store hierarchy: region, city, district or store (РТТ).
    StoreId
);
id_type!(
    /// A custom property definition.
    PropertyId
);
id_type!(
    /// A staff user (сотрудник).
    UserId
);
id_type!(
    /// A role: the rights a staff user has.
    RoleId
);
id_type!(
    /// A staff user's API token.
    TokenId
);
id_type!(
    /// A till (касса), bound to one store.
    TillId
);
id_type!(
    /// A loyalty program.
    ProgramId
);
id_type!(
    /// A tier (статус / уровень) of a program.
    TierId
);
id_type!(
    /// A group of cards, issued together and bound to one program.
    CardGroupId
);
id_type!(
    /// A card (карта): a marketing instrument with a barcode.
    CardId
);
id_type!(
    /// A committed receipt, as stored (the till's own id is a string).
    ReceiptKey
);
id_type!(
    /// An entry of the points ledger.
    LedgerEntryId
);
id_type!(
    /// A gift certificate template: face value and validity.
    CertificateTemplateId
);
id_type!(
    /// An issued gift certificate.
    CertificateId
);
id_type!(
    /// A segment: a rule over customers, or a fixed list of them.
    SegmentId
);
id_type!(
    /// A personal offer (акция): a reward under conditions.
    OfferId
);
id_type!(
    /// A single-use coupon issued for an offer.
    CouponId
);
id_type!(
    /// A message in the outbox.
    MessageId
);

id_type!(
    /// A campaign: one message to an audience.
    CampaignId
);
id_type!(
    /// A trigger: a message sent by itself on an occasion in a customer's life.
    TriggerId
);
id_type!(
    /// A message template: a subject and bodies with placeholders, filled
    /// in for each customer when a message is made from it.
    TemplateId
);
