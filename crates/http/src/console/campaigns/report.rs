//! What a campaign's recipients bought in the days after it, beside its
//! control group when it keeps one, written out for its page.

use clientele_app::campaigns::CampaignReport;
use clientele_domain::offer::GroupFigures;

use crate::console::kit::Words;

pub struct Report {
    /// The days the purchases were counted over.
    pub period: String,
    /// A control group was kept: its column is shown.
    pub control: bool,
    /// A figure's name, then the recipients', then the control group's.
    pub rows: Vec<(String, String, String)>,
}

pub fn report(w: &Words, found: &CampaignReport) -> Report {
    let (sent, held) = (found.comparison.offered, found.comparison.control);
    let count = |n: i64| w.count(n.unsigned_abs());
    let money = |m: Option<i64>| m.map_or_else(|| "—".to_owned(), |m| w.money(m));
    let figure = |key: &str, of: &dyn Fn(&GroupFigures) -> String| (w.t(key), of(&sent), of(&held));
    Report {
        period: w.with_all(
            "campaign-report-period",
            vec![
                ("from", w.time(found.from).into()),
                ("to", w.time(found.to).into()),
            ],
        ),
        control: found.view.campaign.holdout_bp > 0,
        rows: vec![
            figure("campaign-report-customers", &|g| count(g.customers)),
            figure("campaign-report-buyers", &|g| count(g.buyers)),
            figure("campaign-report-receipts", &|g| count(g.receipts)),
            figure("campaign-report-revenue", &|g| w.money(g.revenue_minor)),
            figure("campaign-report-per-customer", &|g| {
                money(g.revenue_per_customer_minor())
            }),
        ],
    }
}
