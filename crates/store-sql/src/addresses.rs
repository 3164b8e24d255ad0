//! Customers' devices and messenger handles, the same on every engine. A
//! device or handle is kept unique by `address_keys`, keyed by the address
//! itself (read first, written in the same transaction), as the phone and
//! e-mail are by `customer_keys`.

use async_trait::async_trait;
use clientele_domain::CustomerId;
use clientele_domain::message::Channel;
use clientele_store::DbResult;
use clientele_store::area::{AddressAdded, Addresses, CustomerAddress};

use crate::sql::{commit, execute, one, unanswered};
use crate::{Engine, Got, Sql, Statement, Value, unreadable};

const ADDRESS: &str = "customer_id, channel, address, label, added_at";

fn channel<E: Engine>(row: &Got<'_, E>) -> DbResult<Channel> {
    Channel::parse(&row.text("channel")?).map_err(|e| unreadable("channel", e.message))
}

fn address<E: Engine>(row: &Got<'_, E>) -> DbResult<CustomerAddress> {
    Ok(CustomerAddress {
        customer_id: CustomerId(row.int("customer_id")?),
        channel: channel(row)?,
        address: row.text("address")?,
        label: row.text_or_null("label")?,
        added_at: row.time("added_at")?,
    })
}

fn dropping<'a>(customer: CustomerId, channel: Channel, address: &'a str) -> Statement<'a> {
    Statement::new(
        "DELETE FROM customer_addresses
         WHERE customer_id = $1 AND channel = $2 AND address = $3",
    )
    .bind(customer.0)
    .bind(channel.as_str())
    .bind(address)
}

#[async_trait]
impl<E: Engine> Addresses for Sql<E> {
    async fn add_address(&self, added: &CustomerAddress) -> DbResult<AddressAdded> {
        let customer = added.customer_id;
        let channel = added.channel.as_str();
        let mut tx = self.begin().await?;
        // The key first: a new address is taken at once; one held already
        // is locked, so two registrations of it wait for each other.
        let claimed = Statement::new(
            "INSERT INTO address_keys (address, channel, customer_id) VALUES ($1, $2, $3)
             ON CONFLICT (address, channel) DO NOTHING",
        )
        .bind(added.address.as_str())
        .bind(channel)
        .bind(customer.0);
        let mut moved_from = None;
        if execute::<E>(&mut tx, claimed).await? == 0 {
            let holder = format!(
                "SELECT customer_id FROM address_keys WHERE address = $1 AND channel = $2 {}",
                E::ROW_LOCK
            );
            let holder = one::<E, _>(
                &mut tx,
                Statement::new(&holder)
                    .bind(added.address.as_str())
                    .bind(channel),
                |row| row.int("customer_id").map(CustomerId),
            )
            .await?;
            if let Some(holder) = holder.filter(|h| *h != customer) {
                execute::<E>(&mut tx, dropping(holder, added.channel, &added.address)).await?;
                let moved = Statement::new(
                    "UPDATE address_keys SET customer_id = $3 WHERE address = $1 AND channel = $2",
                )
                .bind(added.address.as_str())
                .bind(channel)
                .bind(customer.0);
                execute::<E>(&mut tx, moved).await?;
                moved_from = Some(holder);
            }
        }
        let kept = format!(
            "INSERT INTO customer_addresses ({ADDRESS}) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (customer_id, channel, address)
             DO UPDATE SET label = excluded.label, added_at = excluded.added_at
             RETURNING {ADDRESS}"
        );
        let kept = Statement::new(&kept)
            .bind(customer.0)
            .bind(channel)
            .bind(added.address.as_str())
            .bind(added.label.as_deref())
            .bind(added.added_at);
        let address = one::<E, _>(&mut tx, kept, address)
            .await?
            .ok_or_else(unanswered)?;
        commit::<E>(tx).await?;
        Ok(AddressAdded {
            address,
            moved_from,
        })
    }

    async fn addresses(&self, customer: CustomerId) -> DbResult<Vec<CustomerAddress>> {
        let sql = format!(
            "SELECT {ADDRESS} FROM customer_addresses WHERE customer_id = $1
             ORDER BY added_at DESC, channel, address"
        );
        self.all(Statement::new(&sql).bind(customer.0), address)
            .await
    }

    async fn latest_addresses(
        &self,
        customers: &[CustomerId],
        channel: Channel,
    ) -> DbResult<Vec<(CustomerId, String)>> {
        if customers.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ADDRESS} FROM customer_addresses WHERE {} AND channel = $2
             ORDER BY customer_id, added_at DESC",
            E::among_ids("customer_id", "$1")
        );
        let ids = customers.iter().map(|c| c.0).collect();
        let rows = self
            .all(
                Statement::new(&sql)
                    .bind(Value::Ids(Some(ids)))
                    .bind(channel.as_str()),
                address,
            )
            .await?;
        let mut latest: Vec<(CustomerId, String)> = Vec::new();
        for row in rows {
            if latest.last().is_none_or(|(c, _)| *c != row.customer_id) {
                latest.push((row.customer_id, row.address));
            }
        }
        Ok(latest)
    }

    async fn remove_address(
        &self,
        customer: CustomerId,
        channel: Channel,
        address: &str,
    ) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        let removed = execute::<E>(&mut tx, dropping(customer, channel, address)).await? > 0;
        let key = Statement::new(
            "DELETE FROM address_keys WHERE address = $1 AND channel = $2 AND customer_id = $3",
        )
        .bind(address)
        .bind(channel.as_str())
        .bind(customer.0);
        execute::<E>(&mut tx, key).await?;
        commit::<E>(tx).await?;
        Ok(removed)
    }

    async fn address_holder(
        &self,
        channel: Channel,
        address: &str,
    ) -> DbResult<Option<CustomerId>> {
        let statement = Statement::new(
            "SELECT customer_id FROM address_keys WHERE address = $1 AND channel = $2",
        )
        .bind(address)
        .bind(channel.as_str());
        self.one(statement, |row| row.int("customer_id").map(CustomerId))
            .await
    }

    async fn erase_addresses(&self, customer: CustomerId) -> DbResult<u64> {
        let mut tx = self.begin().await?;
        // The keys by their addresses, read from the customer's own rows.
        let keys = Statement::new(
            "DELETE FROM address_keys WHERE customer_id = $1 AND (address, channel) IN (
                 SELECT address, channel FROM customer_addresses WHERE customer_id = $1)",
        )
        .bind(customer.0);
        execute::<E>(&mut tx, keys).await?;
        let rows = Statement::new("DELETE FROM customer_addresses WHERE customer_id = $1")
            .bind(customer.0);
        let erased = execute::<E>(&mut tx, rows).await?;
        commit::<E>(tx).await?;
        Ok(erased)
    }
}
