//! What the migrations keep beside each customer by triggers as customers
//! are written (migration 0016): the names' word index and the account row
//! every customer has; and how a bulk load that drops those triggers fills
//! them at once instead.

/// Each insert trigger on `customers` this module's migration made, with
/// the statement that does for every customer at once what the trigger
/// does for one. A bulk load may drop the triggers, write its rows, run
/// these, and create the triggers again before it commits.
pub const FILLED_AFTER_LOAD: &[(&str, &str)] = &[
    (
        "customer_names_insert",
        "INSERT INTO customer_names (rowid, search_name) SELECT id, search_name FROM customers",
    ),
    (
        "customer_loyalty_open",
        "INSERT INTO customer_loyalty (customer_id) SELECT id FROM customers",
    ),
];

#[cfg(test)]
mod tests {
    use clientele_store::{Database, NewCustomerRecord};
    use sqlx::AssertSqlSafe;

    use super::FILLED_AFTER_LOAD;

    /// Customers written with the triggers dropped and then filled at once
    /// are found as customers written one by one are.
    #[tokio::test]
    async fn the_statements_after_a_load_fill_what_the_triggers_would() {
        let dir = std::env::temp_dir().join(format!("clientele-search-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("filled.db");
        let _ = std::fs::remove_file(&path);
        let db = crate::SqliteDatabase::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let mut triggers = Vec::new();
        for (name, _) in FILLED_AFTER_LOAD {
            let sql: String = sqlx::query_scalar(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            )
            .bind(name)
            .fetch_one(&db.write)
            .await
            .unwrap();
            sqlx::query(AssertSqlSafe(format!("DROP TRIGGER {name}")))
                .execute(&db.write)
                .await
                .unwrap();
            triggers.push(sql);
        }
        let group = db.default_customer_group().await.unwrap().id;
        let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        let rules = clientele_domain::CustomerRules {
            properties: &[],
            default_group: group,
            today: jiff::civil::date(2026, 11, 23),
            now: at,
            source: "test",
        };
        let profile = clientele_domain::CustomerInput {
            name: Some("Иванова Мария Петровна".into()),
            ..Default::default()
        }
        .into_new(&rules)
        .unwrap();
        db.create_customer(&NewCustomerRecord {
            profile,
            created_at: at,
        })
        .await
        .unwrap();
        for (_, fill) in FILLED_AFTER_LOAD {
            sqlx::query(AssertSqlSafe(*fill))
                .execute(&db.write)
                .await
                .unwrap();
        }
        for trigger in triggers {
            sqlx::query(AssertSqlSafe(trigger))
                .execute(&db.write)
                .await
                .unwrap();
        }
        let params = [("q", "Петровна Мар")];
        let filter = clientele_domain::CustomerFilter::parse(
            params.iter().copied(),
            &[],
            jiff::civil::date(2026, 11, 23),
        )
        .unwrap();
        let query = clientele_store::CustomerQuery {
            filter,
            order: clientele_domain::SortOrder::default(),
            limit: 10,
            after: None,
        };
        let found = db.list_customers(&query).await.unwrap();
        assert_eq!(found.items.len(), 1);
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_loyalty")
            .fetch_one(&db.read)
            .await
            .unwrap();
        assert_eq!(accounts, 1, "the customer has an account row");
    }
}
