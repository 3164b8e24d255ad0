//! PostgreSQL's errors in the database layer's terms.

use clientele_store::DbError;
use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::postgres::PgDatabaseError;

use crate::customer_keys::KINDS;

/// Each named unique or foreign key constraint of the schema and the field
/// callers know it by.
const FIELDS: &[(&str, &str)] = &[
    ("customers_group_id_fkey", "group_id"),
    ("customers_store_id_fkey", "store_id"),
    ("customer_properties_customer_id_fkey", "customer_id"),
    ("customer_properties_property_id_fkey", "properties"),
    ("customer_groups_name_key", "name"),
    ("customer_groups_one_default", "is_default"),
    ("stores_code_key", "code"),
    ("stores_parent_id_fkey", "parent_id"),
    ("property_definitions_name_key", "name"),
    ("roles_name_key", "name"),
    ("staff_users_login_key", "login"),
    ("staff_users_role_id_fkey", "role"),
    ("api_tokens_secret_hash_key", "secret"),
    ("api_tokens_user_id_fkey", "user"),
    ("tills_key_hash_key", "key"),
    ("tills_store_id_fkey", "store"),
    ("programs_name_key", "name"),
    ("programs_one_default", "is_default"),
    ("tiers_program_threshold_key", "threshold_minor"),
    ("tiers_program_id_fkey", "program_id"),
    ("card_groups_name_key", "name"),
    ("card_groups_program_id_fkey", "program_id"),
    ("card_barcodes_pkey", "barcode"),
    ("certificate_templates_name_key", "name"),
    ("certificate_codes_pkey", "code"),
    ("hold_ids_pkey", "hold_id"),
    ("cards_group_id_fkey", "group_id"),
    ("customer_loyalty_customer_id_fkey", "customer_id"),
    ("receipts_till_id_fkey", "till_id"),
    ("receipts_store_id_fkey", "store_id"),
    ("receipts_customer_id_fkey", "customer_id"),
    ("returns_till_id_fkey", "till_id"),
    ("ledger_entries_user_id_fkey", "author"),
    ("segments_name_key", "name"),
    ("offers_name_key", "name"),
    ("offers_segment_id_fkey", "segment_id"),
    ("message_templates_name_key", "name"),
    ("campaigns_name_key", "name"),
    ("campaigns_template_id_fkey", "template_id"),
    ("campaigns_segment_id_fkey", "segment_id"),
    ("campaigns_offer_id_fkey", "offer_id"),
    ("triggers_kind_key", "kind"),
    ("triggers_template_id_fkey", "template_id"),
    ("coupons_pkey", "code"),
    ("coupons_offer_id_fkey", "offer_id"),
    ("segments_created_by_fkey", "created_by"),
    ("segment_members_customer_id_fkey", "customer_id"),
    ("segment_members_segment_id_fkey", "segment_id"),
];

pub fn backend(error: sqlx::Error) -> DbError {
    // 22021, character_not_in_repertoire: a NUL in a text, which JSON can
    // carry and PostgreSQL cannot keep; the sender's mistake.
    if let sqlx::Error::Database(db) = &error
        && db.code().as_deref() == Some("22021")
    {
        return DbError::NulCharacter;
    }
    if is_unreachable(&error) {
        return DbError::Unreachable(error.to_string());
    }
    DbError::backend(error)
}

/// The server went away or stopped taking writes: a connection lost or
/// refused, a shutdown, a write on a standby. Sent again, the request may
/// find the new primary.
fn is_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // 08: connection exceptions; 57P01-03: shut down, crashed, not yet
        // accepting; 25006: a write on a server that is read-only.
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || ["57P01", "57P02", "57P03", "25006"].contains(&code.as_ref())
        }),
        _ => false,
    }
}

pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation)
}

/// Turns constraint violations into the database layer's errors, naming the field by
/// the constraint.
pub fn constraint(error: sqlx::Error) -> DbError {
    if let sqlx::Error::Database(db) = &error {
        let name = db.constraint().map(schema_name);
        let field = |fallback| {
            if name.as_deref() == Some("customer_keys_pkey") {
                return customer_key_field(db.as_ref()).unwrap_or(fallback);
            }
            name.as_deref()
                .and_then(|name| FIELDS.iter().find(|(constraint, _)| *constraint == name))
                .map_or(fallback, |(_, field)| *field)
        };
        match db.kind() {
            ErrorKind::UniqueViolation => {
                return DbError::Conflict {
                    field: field("value"),
                    existing_customer: None,
                };
            }
            ErrorKind::ForeignKeyViolation => {
                return DbError::MissingReference {
                    field: field("reference"),
                };
            }
            _ => {}
        }
    }
    backend(error)
}

/// A value taken twice in `customer_keys` names its field in the error's
/// detail, whatever its language: "Key (value, kind)=(+79050000001, phone) already exists."
fn customer_key_field(db: &dyn DatabaseError) -> Option<&'static str> {
    let detail = db.try_downcast_ref::<PgDatabaseError>()?.detail()?;
    KINDS
        .into_iter()
        .find(|kind| detail.contains(&format!(", {kind})")))
}

/// The schema's name of a constraint a part of a table reported: a hash
/// partition's (`card_barcodes__3_pkey`) or a Citus shard's
/// (`card_barcodes_pkey_102008`).
fn schema_name(reported: &str) -> String {
    let known = |name: &str| {
        name == "customer_keys_pkey" || FIELDS.iter().any(|(constraint, _)| *constraint == name)
    };
    let unsharded = reported
        .rsplit_once('_')
        .filter(|(name, shard)| shard.chars().all(|c| c.is_ascii_digit()) && known(name))
        .map_or(reported, |(name, _)| name);
    let partition = unsharded.split_once("__").and_then(|(table, rest)| {
        let (partition, suffix) = rest.split_once('_')?;
        partition
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| format!("{table}_{suffix}"))
    });
    partition.unwrap_or_else(|| unsharded.to_owned())
}

#[cfg(test)]
mod tests {
    use super::schema_name;

    #[test]
    fn a_part_of_a_table_reports_the_schemas_constraint() {
        assert_eq!(schema_name("card_barcodes__3_pkey"), "card_barcodes_pkey");
        assert_eq!(
            schema_name("card_barcodes_pkey_102008"),
            "card_barcodes_pkey"
        );
        assert_eq!(schema_name("customer_keys__0_pkey"), "customer_keys_pkey");
        assert_eq!(schema_name("stores_code_key"), "stores_code_key");
        assert_eq!(schema_name("tills_store_id_fkey"), "tills_store_id_fkey");
    }
}
