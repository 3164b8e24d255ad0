//! What a rule is evaluated against: one customer's facts, every time
//! already turned into a local date of the shop by the caller.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::rfm::Rfm;
use super::rule::Goods;
use crate::consent::ConsentKind;
use crate::customer::{CustomerStatus, Gender, RegistrationChannel};
use crate::ids::{CustomerGroupId, StoreId, TierId};
use crate::property::PropertyName;

/// One customer, as segments see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub group_id: CustomerGroupId,
    pub status: CustomerStatus,
    pub tier: Option<HeldTier>,
    /// The registration store and its ancestors, nearest first; empty when
    /// the customer was registered in no store.
    pub store_path: Vec<StoreId>,
    pub channel: RegistrationChannel,
    pub created_on: Date,
    /// The consents given now.
    pub consents: BTreeSet<ConsentKind>,
    pub has_phone: bool,
    pub has_email: bool,
    /// Custom property values, canonical as [`crate::PropertyDefinition::parse_value`] gives them.
    pub properties: BTreeMap<PropertyName, String>,
    /// Hundredths of a point.
    pub balance_points: i64,
    /// When each open lot with points left expires; lots that never expire
    /// are left out.
    pub points_expire_on: Vec<Date>,
    /// Every receipt, fully returned ones included (they still count as
    /// purchases, as the customer's figures count them).
    pub purchases: Vec<Purchase>,
    /// Absent until RFM scores are computed, and for customers who never bought.
    pub rfm: Option<Rfm>,
}

/// The tier a customer holds and the day it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldTier {
    pub id: TierId,
    pub since: Date,
}

/// One receipt, net of its returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    pub on: Date,
    /// The store and its ancestors, nearest first.
    pub store_path: Vec<StoreId>,
    /// What was paid, returns deducted (minor units).
    pub spent_minor: i64,
    pub lines: Vec<PurchaseLine>,
}

/// One line of a receipt, net of its returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseLine {
    pub sku: String,
    pub category: Option<String>,
    /// Thousandths of a unit still kept.
    pub quantity_milli: i64,
    pub amount_minor: i64,
}

impl Facts {
    /// Full years on `today`: those born on 29 February turn a year older on
    /// 1 March in other years, as [`crate::customer::CustomerProfile::age_on`]
    /// and the customer filter count.
    pub fn age(&self, today: Date) -> Option<i64> {
        let born = self.birth_date?;
        let had_birthday = (today.month(), today.day()) >= (born.month(), born.day());
        Some(i64::from(today.year() - born.year()) - i64::from(!had_birthday))
    }

    /// Days until the next birthday, 0 on the day. A 29 February birthday
    /// falls on 28 February in other years, the day birthday points are
    /// given (the app's birthday job).
    pub fn days_to_birthday(&self, today: Date) -> Option<i64> {
        let born = self.birth_date?;
        let this_year = birthday_in(born, today.year())?;
        let next = if this_year >= today {
            this_year
        } else {
            birthday_in(born, today.year() + 1)?
        };
        Some(days_between(today, next))
    }

    /// The purchases of the last `period_days` days, today included (made
    /// on the first of those days or later); all of them without a period.
    pub fn purchases_within(
        &self,
        period_days: Option<u32>,
        today: Date,
    ) -> impl Iterator<Item = &Purchase> {
        let since = period_days.map(|days| first_day(days, today));
        self.purchases
            .iter()
            .filter(move |purchase| since.is_none_or(|since| purchase.on >= since))
    }
}

impl Purchase {
    /// The lines of the goods: those whose SKU or category is listed.
    pub fn lines_of<'a>(&'a self, goods: &'a Goods) -> impl Iterator<Item = &'a PurchaseLine> {
        self.lines.iter().filter(move |line| {
            goods.skus.contains(&line.sku)
                || line
                    .category
                    .as_ref()
                    .is_some_and(|category| goods.categories.contains(category))
        })
    }
}

/// The first of the last `days` days, today included (0 is read as 1).
fn first_day(days: u32, today: Date) -> Date {
    let back = i64::from(days.max(1)) - 1;
    jiff::Span::new()
        .try_days(back)
        .ok()
        .and_then(|span| today.checked_sub(span).ok())
        .unwrap_or(Date::MIN)
}

fn birthday_in(born: Date, year: i16) -> Option<Date> {
    let day =
        if (born.month(), born.day()) == (2, 29) && !Date::new(year, 1, 1).ok()?.in_leap_year() {
            28
        } else {
            born.day()
        };
    Date::new(year, born.month(), day).ok()
}

/// Whole days from `from` to `to`, negative when `to` is earlier.
pub(super) fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs() / 86_400
}
