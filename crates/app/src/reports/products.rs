//! Reports by product: who bought given SKUs or categories (with what a
//! campaign needs to reach them), and the discounts and points given on
//! each product, category and offer.

use std::collections::BTreeMap;

use clientele_domain::report::{Cell, Chart, Column, Measure, Section};
use clientele_store::ProductTotal;

use super::Asked;
use super::customers::{CONTACTS, FOUND, contacts};
use crate::{App, AppResult};

const BOUGHT: [Column; 3] = [
    Column::new("quantity_milli", Measure::Quantity),
    Column::new("amount_minor", Measure::Money),
    Column::new("last_purchase", Measure::Date),
];

const PRODUCTS: [Column; 11] = [
    Column::new("sku", Measure::Text),
    Column::new("name", Measure::Text),
    Column::new("category", Measure::Category),
    Column::new("quantity_milli", Measure::Quantity),
    Column::new("amount_minor", Measure::Money),
    Column::new("discount_minor", Measure::Money),
    Column::new("points_paid", Measure::Points),
    Column::new("given_share", Measure::Share),
    Column::new("points_accrued", Measure::Points),
    Column::new("returned_quantity_milli", Measure::Quantity),
    Column::new("refunds_minor", Measure::Money),
];

const CATEGORIES: [Column; 6] = [
    Column::new("category", Measure::Category),
    Column::new("amount_minor", Measure::Money),
    Column::new("discount_minor", Measure::Money),
    Column::new("points_paid", Measure::Points),
    Column::new("given_share", Measure::Share),
    Column::new("points_accrued", Measure::Points),
];

const OFFERS: [Column; 4] = [
    Column::new("offer", Measure::Text),
    Column::new("uses", Measure::Count),
    Column::new("discount_minor", Measure::Money),
    Column::new("points_accrued", Measure::Points),
];

impl App {
    pub(super) async fn product_buyers_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let filter = &asked.filter;
        // Buyers of no product named are none (the store answers so too).
        let (total, buyers) = self
            .db()
            .rollups()
            .product_buyers(
                filter.period.from,
                filter.period.to,
                &filter.skus,
                &filter.categories,
                &asked.reach,
                filter.limit,
            )
            .await?;
        let ids: Vec<_> = buyers.iter().map(|b| b.customer_id).collect();
        let listed = self.db().reports().listed_customers(&ids).await?;
        let mut found = Section::new("found", &FOUND);
        found.push(vec![Cell::Int(total)]);
        let columns: Vec<Column> = CONTACTS.iter().chain(&BOUGHT).copied().collect();
        let mut rows = Section::new("buyers", &columns);
        for buyer in buyers {
            let Some(c) = listed.iter().find(|c| c.id == buyer.customer_id) else {
                continue;
            };
            let mut row = contacts(c);
            row.extend([
                Cell::Int(buyer.quantity_milli),
                Cell::Int(buyer.amount_minor),
                Cell::Date(buyer.last_day),
            ]);
            rows.push(row);
        }
        Ok(vec![found, rows])
    }

    pub(super) async fn discounts_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let period = &asked.filter.period;
        let products = self
            .db()
            .rollups()
            .product_figures(period.from, period.to, &asked.reach)
            .await?;
        let mut categories: BTreeMap<Option<String>, [i64; 4]> = BTreeMap::new();
        for product in &products {
            let f = &product.figures;
            let sums = categories.entry(product.category.clone()).or_default();
            for (sum, value) in sums.iter_mut().zip([
                f.amount_minor,
                f.discount_minor,
                f.points_paid,
                f.points_accrued,
            ]) {
                *sum += value;
            }
        }
        let mut by_product = Section::new("products", &PRODUCTS);
        for product in products.iter().take(asked.filter.limit as usize) {
            by_product.push(product_row(product));
        }
        let mut by_category = Section::new("categories", &CATEGORIES).drawn(Chart {
            bars: vec!["discount_minor", "points_paid"],
            lines: Vec::new(),
            stacked: true,
        });
        let mut ordered: Vec<_> = categories.into_iter().collect();
        ordered.sort_by_key(|(_, sums)| std::cmp::Reverse(sums[1] + sums[2]));
        for (category, [amount, discount, paid, accrued]) in ordered {
            by_category.push(vec![
                Cell::text(category),
                Cell::Int(amount),
                Cell::Int(discount),
                Cell::Int(paid),
                Cell::share(discount + paid, amount),
                Cell::Int(accrued),
            ]);
        }
        let zone = self.clock().zone().clone();
        let mut by_offer = Section::new("offers", &OFFERS);
        if let Some((from, to)) = asked.times(&zone) {
            for offer in self
                .db()
                .reports()
                .offers_given(&asked.reach, from, to)
                .await?
            {
                by_offer.push(vec![
                    Cell::Text(offer.name),
                    Cell::Int(offer.uses),
                    Cell::Int(offer.discount_minor),
                    Cell::Int(offer.points_accrued),
                ]);
            }
        }
        Ok(vec![by_category, by_product, by_offer])
    }
}

fn product_row(p: &ProductTotal) -> Vec<Cell> {
    let f = &p.figures;
    vec![
        Cell::Text(p.sku.clone()),
        Cell::Text(p.name.clone()),
        Cell::text(p.category.clone()),
        Cell::Int(f.quantity_milli),
        Cell::Int(f.amount_minor),
        Cell::Int(f.discount_minor),
        Cell::Int(f.points_paid),
        Cell::share(f.discount_minor + f.points_paid, f.amount_minor),
        Cell::Int(f.points_accrued),
        Cell::Int(f.returned_quantity_milli),
        Cell::Int(f.refunds_minor),
    ]
}
