//! Reports that list customers: the RFM matrix with a cell's customers,
//! the top customers and the lapsed ones, each with the contacts and
//! consents a win-back campaign or a call list needs.

use clientele_domain::ConsentKind;
use clientele_domain::report::{Cell, Column, Measure, Section};
use clientele_store::{CustomerList, ListedCustomer};

use super::Asked;
use crate::{App, AppResult};

/// How many customers a list holds, beyond those it shows.
pub(super) const FOUND: [Column; 1] = [Column::new("customers", Measure::Count)];

/// Who a listed customer is and how to reach them.
pub(super) const CONTACTS: [Column; 6] = [
    Column::new("customer_id", Measure::Customer),
    Column::new("name", Measure::Text),
    Column::new("phone", Measure::Text),
    Column::new("email", Measure::Text),
    Column::new("consent_sms", Measure::Term("report-consent")),
    Column::new("consent_email", Measure::Term("report-consent")),
];

const SPENT: [Column; 3] = [
    Column::new("spent_minor", Measure::Money),
    Column::new("purchases", Measure::Count),
    Column::new("last_purchase", Measure::Date),
];

const SCORES: [Column; 6] = [
    Column::new("recency", Measure::Count),
    Column::new("frequency_1", Measure::Count),
    Column::new("frequency_2", Measure::Count),
    Column::new("frequency_3", Measure::Count),
    Column::new("frequency_4", Measure::Count),
    Column::new("frequency_5", Measure::Count),
];

const CELLS: [Column; 5] = [
    Column::new("recency", Measure::Count),
    Column::new("frequency", Measure::Count),
    Column::new("customers", Measure::Count),
    Column::new("share", Measure::Share),
    Column::new("spent_minor", Measure::Money),
];

impl App {
    pub(super) async fn top_customers(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        self.listed(asked, CustomerList::Top).await
    }

    pub(super) async fn lapsed_customers(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let before = self.clock().now() - super::days(asked.filter.days);
        self.listed(asked, CustomerList::Lapsed { before }).await
    }

    /// The matrix of recency (rows, 5 the most recent) by frequency, every
    /// cell with its customers and what they spent; a cell asked, its
    /// customers.
    pub(super) async fn rfm_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let cells = self.db().reports().rfm_matrix(&asked.reach).await?;
        let scored: i64 = cells.iter().map(|c| c.customers).sum();
        let mut matrix = Section::new("matrix", &SCORES).shaded();
        for recency in (1..=5u8).rev() {
            let mut row = vec![Cell::Int(i64::from(recency))];
            for frequency in 1..=5u8 {
                let customers = cells
                    .iter()
                    .find(|c| c.recency == recency && c.frequency == frequency)
                    .map_or(0, |c| c.customers);
                row.push(Cell::Int(customers));
            }
            matrix.push(row);
        }
        let mut listed = Section::new("cells", &CELLS).opening(&["recency", "frequency"]);
        let mut ordered = cells.clone();
        ordered.sort_by_key(|c| (std::cmp::Reverse(c.recency), std::cmp::Reverse(c.frequency)));
        for cell in ordered {
            listed.push(vec![
                Cell::Int(i64::from(cell.recency)),
                Cell::Int(i64::from(cell.frequency)),
                Cell::Int(cell.customers),
                Cell::share(cell.customers, scored),
                Cell::Int(cell.spent_minor),
            ]);
        }
        let mut sections = vec![matrix, listed];
        let (recency, frequency) = (asked.filter.recency, asked.filter.frequency);
        if recency.is_some() || frequency.is_some() {
            sections.extend(
                self.listed(asked, CustomerList::Rfm { recency, frequency })
                    .await?,
            );
        }
        Ok(sections)
    }

    async fn listed(&self, asked: &Asked, list: CustomerList) -> AppResult<Vec<Section>> {
        let (total, customers) = self
            .db()
            .reports()
            .customer_list(&asked.reach, list, asked.filter.limit)
            .await?;
        let mut found = Section::new("found", &FOUND);
        found.push(vec![Cell::Int(total)]);
        let columns: Vec<Column> = CONTACTS.iter().chain(&SPENT).copied().collect();
        let mut rows = Section::new("customers", &columns);
        let zone = self.clock().zone().clone();
        for c in customers {
            let mut row = contacts(&c);
            row.extend([
                Cell::Int(c.spent_minor),
                Cell::Int(c.purchases),
                c.last_purchase_at.map_or(Cell::Blank, |at| {
                    Cell::Date(at.to_zoned(zone.clone()).date())
                }),
            ]);
            rows.push(row);
        }
        Ok(vec![found, rows])
    }
}

/// The cells of [`CONTACTS`] for a customer.
pub(super) fn contacts(c: &ListedCustomer) -> Vec<Cell> {
    let consent = |kind: ConsentKind| {
        Cell::Text(
            if c.consent_flags & kind.flag() != 0 {
                "yes"
            } else {
                "no"
            }
            .into(),
        )
    };
    vec![
        Cell::Int(c.id.0),
        Cell::Text(c.name.clone()),
        Cell::text(c.phone.clone()),
        Cell::text(c.email.clone()),
        consent(ConsentKind::Sms),
        consent(ConsentKind::Email),
    ]
}
