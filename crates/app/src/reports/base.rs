//! The base's quality (after Set Loyalty's analysis): how many customers
//! bought and lately, how many profiles are incomplete, how many can be
//! reached over each channel (the contact and the consent), what share of
//! receipts is anonymous, and where and how customers registered.

use std::collections::HashMap;

use clientele_domain::message::Channel;
use clientele_domain::report::{Cell, Chart, Column, Measure, Section};

use super::Asked;
use crate::{App, AppResult};

const SUMMARY: [Column; 3] = [
    Column::new("figure", Measure::Term("report-figure")),
    Column::new("customers", Measure::Count),
    Column::new("share", Measure::Share),
];

const REACHABILITY: [Column; 5] = [
    Column::new("channel", Measure::Term("message-channel")),
    Column::new("with_contact", Measure::Count),
    Column::new("contact_share", Measure::Share),
    Column::new("reachable", Measure::Count),
    Column::new("reachable_share", Measure::Share),
];

const REGISTRATIONS: [Column; 3] = [
    Column::new("channel", Measure::Term("channel")),
    Column::new("store", Measure::Text),
    Column::new("customers", Measure::Count),
];

impl App {
    pub(super) async fn base_quality(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let zone = self.clock().zone().clone();
        let active_since = self.clock().now() - super::days(asked.filter.days);
        let Some((from, to)) = asked.times(&zone) else {
            return Ok(Vec::new());
        };
        let reports = self.db().reports();
        let directory = self.db().directory();
        // Each read on a reader of its own: the customers' scan is most of
        // the wait, and the others go beside it.
        let (base, registrations, sold, stores) = tokio::try_join!(
            async { AppResult::Ok(reports.base_figures(&asked.reach, active_since).await?) },
            async { AppResult::Ok(reports.registrations(&asked.reach, from, to).await?) },
            self.summed_days(asked),
            async { AppResult::Ok(directory.stores().await?) },
        )?;
        let receipts: i64 = sold.iter().map(|(_, f)| f.receipts).sum();
        let anonymous: i64 = sold
            .iter()
            .map(|(_, f)| f.receipts - f.identified_receipts)
            .sum();

        let mut summary = Section::new("summary", &SUMMARY);
        let whole = base.customers;
        for (figure, count) in [
            ("customers", base.customers),
            ("buyers", base.buyers),
            ("active", base.active),
            ("incomplete", base.incomplete),
            ("with_phone", base.with_phone),
            ("with_email", base.with_email),
        ] {
            let share = if figure == "customers" {
                Cell::Blank
            } else {
                Cell::share(count, whole)
            };
            summary.push(vec![Cell::Text(figure.into()), Cell::Int(count), share]);
        }
        summary.push(vec![
            Cell::Text("anonymous_receipts".into()),
            Cell::Int(anonymous),
            Cell::share(anonymous, receipts),
        ]);

        let mut reachability = Section::new("reachability", &REACHABILITY).drawn(Chart {
            bars: vec!["with_contact", "reachable"],
            lines: Vec::new(),
            stacked: false,
        });
        for (channel, reachable) in Channel::ALL.into_iter().zip(base.reachable) {
            let with_contact = match channel {
                Channel::Email => base.with_email,
                Channel::Sms | Channel::Viber => base.with_phone,
                Channel::Push => base.with_device,
                Channel::Messenger => base.with_handle,
            };
            reachability.push(vec![
                Cell::Text(channel.as_str().into()),
                Cell::Int(with_contact),
                Cell::share(with_contact, whole),
                Cell::Int(reachable),
                Cell::share(reachable, whole),
            ]);
        }

        let names: HashMap<_, _> = stores.into_iter().map(|s| (s.id, s.name)).collect();
        let mut by_channel = Section::new("registrations", &REGISTRATIONS);
        for registered in registrations {
            let store = registered.store_id.and_then(|id| names.get(&id).cloned());
            by_channel.push(vec![
                Cell::Text(registered.channel),
                Cell::text(store),
                Cell::Int(registered.customers),
            ]);
        }
        Ok(vec![summary, reachability, by_channel])
    }
}
