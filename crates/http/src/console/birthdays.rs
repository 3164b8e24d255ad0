//! The birthday calendar: a month with a marker on each day that has
//! birthdays, the customers of a chosen day, and points with a message to
//! all of them in one action.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use clientele_app::AppError;
use clientele_app::customers::ListParams;
use clientele_domain::{Module, MonthDay, Right};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;

use super::kit::{
    ActionForm, Chrome, Console, PageResult, PointsForm, Query, Refused, Submission, Words,
    give_points, render,
};
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/birthdays", get(calendar))
        .route("/birthdays/points", post(give))
}

/// Points to the day's customers: the points fields and the day.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DayPointsForm {
    /// `YYYY-MM`.
    month: String,
    day: String,
    points: String,
    direction: String,
    comment: String,
    message: Option<String>,
    password: String,
}

#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    /// `YYYY-MM`; this month when absent.
    month: Option<String>,
    day: Option<i8>,
    done: Option<String>,
}

struct Cell {
    day: i8,
    customers: u64,
    /// «2 именинника».
    label: String,
    href: String,
    chosen: bool,
    today: bool,
}

struct Person {
    href: String,
    name: String,
    phone: String,
    turns: String,
}

#[derive(Template)]
#[template(path = "birthdays.html")]
struct CalendarPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    previous: String,
    next: String,
    weekdays: Vec<String>,
    /// Weeks from Monday; `None` before the first and after the last day.
    weeks: Vec<Vec<Option<Cell>>>,
    /// The chosen day and how many customers it has, as a heading.
    chosen: Option<String>,
    people: Vec<Person>,
    month: String,
    day: i8,
    notice: Option<String>,
    /// Points to the day's customers, for a role that may give them.
    points_form: Option<ActionForm>,
}

fn first_of(raw: Option<&str>, today: Date) -> Date {
    raw.and_then(|m| format!("{m}-01").parse::<Date>().ok())
        .unwrap_or_else(|| today.first_of_month())
}

pub async fn calendar(
    State(state): State<AppState>,
    console: Console,
    Query(query): Query<CalendarQuery>,
) -> PageResult {
    let notice =
        (query.done.as_deref() == Some("points")).then(|| console.words.t("birthdays-points-done"));
    let form = ActionForm::blank();
    page(&state, &console, &query, notice, form, StatusCode::OK).await
}

async fn page(
    state: &AppState,
    console: &Console,
    query: &CalendarQuery,
    notice: Option<String>,
    points: ActionForm,
    status: StatusCode,
) -> PageResult {
    let w = &console.words;
    let today = state.app.clock().today();
    let first = first_of(query.month.as_deref(), today);
    let month = first.strftime("%Y-%m").to_string();
    let counts: BTreeMap<i8, u64> = state
        .app
        .birthday_calendar(first.month(), console.caller.scope.clone())
        .await?
        .into_iter()
        .collect();
    let days = first.days_in_month();
    let chosen_day = query.day.filter(|d| (1..=days).contains(d));
    let mut weeks = Vec::new();
    let mut week: Vec<Option<Cell>> = (1..first.weekday().to_monday_one_offset())
        .map(|_| None)
        .collect();
    for day in 1..=days {
        let date = first.with().day(day).build().unwrap_or(first);
        week.push(Some(Cell {
            day,
            customers: counts.get(&day).copied().unwrap_or(0),
            label: w.n(
                "birthdays-count",
                counts
                    .get(&day)
                    .map_or(0, |n| i64::try_from(*n).unwrap_or(i64::MAX)),
            ),
            href: format!("/birthdays?month={month}&day={day}"),
            chosen: chosen_day == Some(day),
            today: date == today,
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        week.resize_with(7, || None);
        weeks.push(week);
    }
    let mut people = Vec::new();
    let mut chosen = None;
    if let Some(day) = chosen_day {
        let md = format!("{:02}-{day:02}", first.month());
        let params = ListParams {
            filter: vec![
                ("birthday_from".into(), md.clone()),
                ("birthday_to".into(), md),
                ("status".into(), "active".into()),
            ],
            sort: Some("name".into()),
            limit: Some("100".into()),
            scope: console.caller.scope.clone(),
            ..ListParams::default()
        };
        let (listed, _) = state.app.list_customers(&params).await?;
        people = listed
            .items
            .iter()
            .map(|c| Person {
                href: format!("/customers/{}", c.id.0),
                name: c.profile.name.clone(),
                phone: c
                    .profile
                    .phone
                    .as_ref()
                    .map(|p| w.phone(p))
                    .unwrap_or_default(),
                turns: c
                    .profile
                    .birth_date
                    .map(|born| (first.year() - born.year()).to_string())
                    .unwrap_or_default(),
            })
            .collect();
        let date = first.with().day(day).build().unwrap_or(first);
        let total = counts
            .get(&day)
            .map_or(0, |n| i64::try_from(*n).unwrap_or(i64::MAX));
        chosen = Some(format!(
            "{}: {}",
            w.date(date),
            w.n("birthdays-count", total)
        ));
    }
    let step = |months: i32| {
        first
            .checked_add(months.months())
            .map(|d| format!("/birthdays?month={}", d.strftime("%Y-%m")))
            .unwrap_or_default()
    };
    let calendar = CalendarPage {
        c: console.chrome(),
        w,
        title: format!(
            "{} {}",
            w.t(&format!("month-name-{}", first.month())),
            first.year()
        ),
        previous: step(-1),
        next: step(1),
        weekdays: (1..=7).map(|d| w.t(&format!("weekday-{d}"))).collect(),
        weeks,
        chosen,
        people,
        month,
        day: chosen_day.unwrap_or(0),
        notice,
        points_form: console.may(Module::Points, Right::Edit).then_some(points),
    };
    Ok(render(status, &calendar))
}

/// Points with a message to every customer whose birthday is the chosen day.
pub async fn give(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form,
        once,
        mut typed,
    }: Submission<DayPointsForm>,
) -> PageResult {
    let w = &console.words;
    typed.remove("month");
    typed.remove("day");
    let month = form.month;
    let day: i8 = form.day.parse().unwrap_or(0);
    let points = PointsForm {
        points: form.points,
        direction: form.direction,
        comment: form.comment,
        message: form.message,
        password: form.password,
    };
    let query = CalendarQuery {
        month: Some(month.clone()),
        day: Some(day),
        done: None,
    };
    let first = first_of(Some(&month), state.app.clock().today());
    let day = MonthDay::parse(&format!("{:02}-{day:02}", first.month()), "day")
        .map_err(AppError::from_field);
    let customers = match day {
        Ok(day) => {
            state
                .app
                .birthday_customers(day, console.caller.scope.clone())
                .await
        }
        Err(error) => Err(error),
    };
    let outcome = match customers {
        Ok(ids) if ids.is_empty() => Err(Refused::Fields(BTreeMap::from([(
            "points".to_owned(),
            w.t("birthdays-nobody"),
        )]))),
        Ok(ids) => give_points(&state, &console, ids, points).await,
        Err(AppError::Validation(refused)) => Err(Refused::Fields(
            refused
                .0
                .into_iter()
                .map(|e| ("points".to_owned(), w.field_error(&e)))
                .collect(),
        )),
        Err(error) => Err(Refused::Failure(error)),
    };
    let errors = match outcome {
        Ok(()) => {
            let target = format!(
                "/birthdays?month={month}&day={}&done=points",
                query.day.unwrap_or(0)
            );
            return Ok(once.done(&target).await);
        }
        Err(Refused::Fields(errors)) => errors,
        Err(Refused::Failure(error)) => return Err(error.into()),
    };
    let form = ActionForm::refused(0, &once, typed, errors);
    page(
        &state,
        &console,
        &query,
        None,
        form,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
