//! `/reports`: every report with what it answers.

use askama::Template;
use axum::http::StatusCode;
use clientele_domain::report::ReportName;

use super::super::kit::{Chrome, Console, PageResult, Words, render};

struct Listed {
    href: String,
    title: String,
    about: String,
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage<'a> {
    c: Chrome,
    w: &'a Words,
    reports: Vec<Listed>,
}

pub async fn page(console: Console) -> PageResult {
    let w = &console.words;
    let reports = ReportName::ALL
        .into_iter()
        .map(|name| Listed {
            href: format!("/reports/{}", name.as_str()),
            title: w.t(&format!("report-{}", name.as_str())),
            about: w.t(&format!("report-{}-lead", name.as_str())),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &IndexPage {
            c: console.chrome(),
            w,
            reports,
        },
    ))
}
