//! The home page: where a signed-in user lands. An owner's figures (the
//! base, who came back lately, today's sales, the points owed) and the last
//! 90 days on a chart, for roles that may read reports; the quick search for
//! roles that may find customers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clientele_app::figures::HomeFigures;
use clientele_domain::{Module, Right};
use serde::Serialize;

use super::kit::{Chrome, Console, PageResult, Words, render, script_json};
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/", get(page))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: Chrome,
    w: &'a Words,
    may_search: bool,
    figures: Option<Figures>,
}

/// The figures as the page writes them.
struct Figures {
    customers: String,
    active: String,
    receipts_today: String,
    revenue_today: String,
    points_outstanding: String,
    as_of: String,
    /// The chart's data, as JSON for the chart script to read.
    chart: String,
    days: Vec<DayRow>,
}

struct DayRow {
    day: String,
    receipts: String,
    revenue: String,
    refunds: String,
}

/// What `assets/home.js` draws.
#[derive(Serialize)]
struct Chart {
    labels: Vec<String>,
    receipts: Vec<u64>,
    /// Revenue less refunds, in roubles.
    revenue: Vec<f64>,
    receipts_label: String,
    revenue_label: String,
}

pub async fn page(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let figures = if console.may(Module::Reports, Right::View) {
        let figures = state.app.home_figures(console.caller.scope.clone()).await?;
        Some(written(w, &figures))
    } else {
        None
    };
    Ok(render(
        StatusCode::OK,
        &HomePage {
            c: console.chrome(),
            w,
            may_search: console.may(Module::Customers, Right::View),
            figures,
        },
    ))
}

fn written(w: &Words, home: &HomeFigures) -> Figures {
    let figures = &home.figures;
    let today = home.today();
    let mut chart = Chart {
        labels: Vec::new(),
        receipts: Vec::new(),
        revenue: Vec::new(),
        receipts_label: w.t("home-chart-receipts"),
        revenue_label: w.t("home-chart-revenue"),
    };
    let mut days = Vec::new();
    for (day, sales) in home.days() {
        chart.labels.push(w.short_date(day));
        chart.receipts.push(sales.receipts);
        // Whole kopecks to roubles for the axis: exact to the cent in f64.
        #[allow(clippy::cast_precision_loss)]
        chart
            .revenue
            .push((sales.revenue_minor - sales.refunds_minor) as f64 / 100.0);
        days.push(DayRow {
            day: w.date(day),
            receipts: w.count(sales.receipts),
            revenue: w.money(sales.revenue_minor),
            refunds: w.money(sales.refunds_minor),
        });
    }
    days.reverse();
    Figures {
        customers: w.count(figures.customers),
        active: w.count(figures.active_customers),
        receipts_today: w.count(today.receipts),
        revenue_today: w.money(today.revenue_minor - today.refunds_minor),
        points_outstanding: w.points(figures.points_outstanding),
        as_of: w.with("home-as-of", "time", w.clock_time(home.as_of).into()),
        chart: script_json(&chart),
        days,
    }
}
