//! The editor as it renders, for its handlers: a new segment, a segment
//! changed, a form refused with each error beside its row or field, and
//! the rows alone again when a field, an op or a row changes (htmx takes
//! `#rules` from the page). Every picker is built from the catalogue: a
//! field by its words, the ops it takes, a value input of its kind.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_domain::segment::{FieldSpec, Operator, Segment, SegmentKind, ValueKind};

use super::catalogue::{Catalogue, SECTIONS, Unit, section};
use super::draft::{Draft, Joint, Line, Row, Tree, key};
use super::said::{Said, said};
use crate::console::kit::{Chrome, Console, Words, render};

pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

fn choices(list: Vec<(String, String)>, chosen: impl Fn(&str) -> bool) -> Vec<Choice> {
    list.into_iter()
        .map(|(value, label)| Choice {
            chosen: chosen(&value),
            value,
            label,
        })
        .collect()
}

/// The fields of one section of the field picker.
pub struct Section {
    pub label: String,
    pub options: Vec<Choice>,
}

/// The value part of a condition: `none` (no field yet, or `указано`),
/// `input`, `pair` (between), `select`, or `ticks` (`in` over choices).
pub struct ValueView {
    pub widget: &'static str,
    /// An input's type: `number`, `text` or `date`.
    pub kind: &'static str,
    /// `numeric`, `decimal` or empty.
    pub inputmode: &'static str,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub value: String,
    pub to: String,
    pub options: Vec<Choice>,
    /// `₽`, `шт.`: beside the input.
    pub unit: String,
    pub hint: Option<String>,
}

pub struct LineView {
    pub key: String,
    /// «Условие 2», for the row's controls to be told apart.
    pub number: String,
    pub sections: Vec<Section>,
    pub ops: Vec<Choice>,
    pub value: ValueView,
    /// What was typed for a field limited by a period.
    pub period: Option<String>,
    /// Categories and SKUs as typed, for a field that counts goods.
    pub goods: Option<(String, String)>,
    pub errors: Vec<String>,
}

pub struct RowView {
    pub key: String,
    /// A group's all-or-any choice; `None` for a condition.
    pub joint: Option<Vec<Choice>>,
    pub lines: Vec<LineView>,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "segments/editor.html")]
struct EditorPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    /// Where the form posts, and where the rows are drawn again.
    action: String,
    cancel: String,
    token: String,
    /// The htmx attributes that draw the rows again.
    redraw: String,
    draft: Draft,
    /// The kind is chosen when the segment is made, then fixed.
    kinds: Option<Vec<Choice>>,
    kind_said: String,
    /// A dynamic segment's schedule.
    schedule: Option<Schedule>,
    joints: Vec<Choice>,
    /// The rows, or `None` where the rule is shown and kept as it is.
    rows: Option<Vec<RowView>>,
    kept: Vec<Said>,
    kept_note: String,
    errors: BTreeMap<String, Vec<String>>,
    alert: Option<String>,
}

struct Schedule {
    every: Vec<Choice>,
    hours: Vec<Choice>,
    weekdays: Vec<Choice>,
}

impl EditorPage<'_> {
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|messages| messages.join(" "))
    }

    fn rule_errors(&self) -> &[String] {
        self.errors.get("rules").map_or(&[], Vec::as_slice)
    }
}

/// Whether a kept segment's rule is shown in words and kept as it is
/// rather than edited: a static segment's (its members are fixed) and one
/// the rows cannot show.
pub fn keeps_rule(segment: &Segment, w: &Words) -> bool {
    segment.kind == SegmentKind::Static
        || segment
            .rules
            .as_ref()
            .is_some_and(|rule| Tree::of(rule, w).is_none())
}

/// What the editor edits: a new segment, or one that is kept.
pub enum Editing<'s> {
    New,
    Kept(&'s Segment),
}

/// The form's state beside what was typed: its one-time token, and what
/// was refused.
pub struct Shown {
    pub token: String,
    /// Beside a row (by its key), the rule (`rules`) or a field (by name).
    pub errors: BTreeMap<String, Vec<String>>,
    /// Above the form: the segment changed meanwhile.
    pub alert: Option<String>,
}

impl Shown {
    pub fn fresh(token: String) -> Shown {
        Shown {
            token,
            errors: BTreeMap::new(),
            alert: None,
        }
    }
}

/// The editor with `draft` as typed and what was refused beside it.
pub fn editor(
    console: &Console,
    catalogue: &Catalogue,
    editing: Editing<'_>,
    draft: Draft,
    shown: Shown,
) -> Response {
    let w = &console.words;
    let Shown {
        token,
        errors,
        alert,
    } = shown;
    let status = match (&alert, errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let (title, action, cancel) = match editing {
        Editing::New => (
            w.t("segment-new-title"),
            "/segments/new".to_owned(),
            "/segments".to_owned(),
        ),
        Editing::Kept(segment) => (
            w.with("segment-edit-title", "name", segment.name.clone().into()),
            format!("/segments/{}/edit", segment.id.0),
            format!("/segments/{}", segment.id.0),
        ),
    };
    let dynamic = draft.kind != SegmentKind::Static.as_str();
    let kinds = matches!(editing, Editing::New).then(|| {
        choices(
            ["dynamic", "static"]
                .iter()
                .map(|kind| ((*kind).to_owned(), w.t(&format!("segment-kind-{kind}"))))
                .collect(),
            |kind| kind == draft.kind,
        )
    });
    let schedule = dynamic.then(|| Schedule {
        every: choices(
            ["hourly", "daily", "weekly"]
                .iter()
                .map(|s| ((*s).to_owned(), w.t(&format!("segment-every-{s}"))))
                .collect(),
            |s| s == draft.schedule,
        ),
        hours: choices(
            (0..24)
                .map(|h| (h.to_string(), format!("{h:02}:00")))
                .collect(),
            |h| h == draft.hour,
        ),
        weekdays: choices(
            (1..=7)
                .map(|d| (d.to_string(), w.t(&format!("segment-weekday-{d}"))))
                .collect(),
            |d| d == draft.weekday,
        ),
    });
    // A static segment keeps its members and a rule too deep for the rows
    // is kept as it is: both are shown in words, not edited.
    let (rows, kept, kept_note) = match editing {
        Editing::Kept(segment) if keeps_rule(segment, w) => (
            None,
            segment
                .rules
                .as_ref()
                .map_or_else(Vec::new, |rule| said(w, catalogue, rule)),
            w.t(match segment.kind {
                SegmentKind::Static => "segment-static-kept",
                SegmentKind::Dynamic => "segment-api-only",
            }),
        ),
        _ => (
            Some(rows(w, catalogue, &draft.tree, &errors)),
            Vec::new(),
            String::new(),
        ),
    };
    let page = EditorPage {
        c: console.chrome(),
        w,
        redraw: format!(
            r##"hx-get="{action}" hx-target="#rules" hx-select="#rules" hx-swap="outerHTML" hx-include="#segment-form" hx-params="not csrf,token""##
        ),
        title,
        action,
        cancel,
        token,
        kind_said: w.t(&format!("segment-kind-{}", draft.kind)),
        kinds,
        schedule,
        joints: joints(w, "segment-match", draft.tree.joint),
        rows,
        kept,
        kept_note,
        draft,
        errors,
        alert,
    };
    render(status, &page)
}

fn joints(w: &Words, prefix: &str, joint: Joint) -> Vec<Choice> {
    choices(
        [Joint::All, Joint::Any]
            .iter()
            .map(|j| (j.key().to_owned(), w.t(&format!("{prefix}-{}", j.key()))))
            .collect(),
        |j| j == joint.key(),
    )
}

/// The rows as drawn, a blank condition when there is none.
fn rows(
    w: &Words,
    catalogue: &Catalogue,
    tree: &Tree,
    errors: &BTreeMap<String, Vec<String>>,
) -> Vec<RowView> {
    let blank = [Row::Line(Line::default())];
    let rows = if tree.rows.is_empty() {
        &blank[..]
    } else {
        &tree.rows[..]
    };
    let mut number = 0;
    let mut line_view = |key: String, line: &Line| {
        number += 1;
        let errors = errors.get(&key).cloned().unwrap_or_default();
        line_of(w, catalogue, key, number, line, errors)
    };
    rows.iter()
        .enumerate()
        .map(|(at, row)| {
            let row_key = key(at, None);
            match row {
                Row::Line(line) => RowView {
                    lines: vec![line_view(row_key.clone(), line)],
                    key: row_key,
                    joint: None,
                    errors: Vec::new(),
                },
                Row::Group(joint, lines) => RowView {
                    lines: lines
                        .iter()
                        .enumerate()
                        .map(|(i, line)| line_view(key(at, Some(i)), line))
                        .collect(),
                    joint: Some(joints(w, "segment-group", *joint)),
                    errors: errors.get(&row_key).cloned().unwrap_or_default(),
                    key: row_key,
                },
            }
        })
        .collect()
}

fn line_of(
    w: &Words,
    catalogue: &Catalogue,
    key: String,
    number: i64,
    line: &Line,
    errors: Vec<String>,
) -> LineView {
    let sections = SECTIONS
        .iter()
        .map(|name| Section {
            label: w.t(&format!("segment-section-{name}")),
            options: (catalogue.specs.iter())
                .filter(|spec| section(&spec.name) == *name)
                .map(|spec| Choice {
                    value: spec.name.clone(),
                    label: catalogue.label(w, &spec.name),
                    chosen: spec.name == line.field,
                })
                .collect(),
        })
        .filter(|section| !section.options.is_empty())
        .collect();
    let spec = catalogue.spec(&line.field);
    let ops = spec.map_or_else(Vec::new, |spec| ops(w, spec, &line.op));
    let op = ops
        .iter()
        .find(|op| op.chosen)
        .or(ops.first())
        .map_or("", |op| op.value.as_str());
    LineView {
        number: w.n("segment-row", number),
        sections,
        value: spec.map_or_else(none, |spec| value(w, catalogue, spec, op, line)),
        ops,
        period: (spec.is_some_and(|spec| spec.takes_period)).then(|| line.period.clone()),
        goods: (spec.is_some_and(|spec| spec.needs_goods))
            .then(|| (line.categories.clone(), line.skus.clone())),
        errors,
        key,
    }
}

/// The ops a field takes, `exists` said as two: known and not known.
fn ops(w: &Words, spec: &FieldSpec, chosen: &str) -> Vec<Choice> {
    let dated = spec.kind == ValueKind::Date;
    let mut listed: Vec<(String, String)> = Vec::new();
    for op in spec.ops {
        let code = op.as_str();
        match op {
            Operator::Exists => {
                listed.push(("exists".into(), w.t("segment-op-exists")));
                listed.push(("absent".into(), w.t("segment-op-absent")));
            }
            Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte if dated => {
                listed.push((code.into(), w.t(&format!("segment-op-date-{code}"))));
            }
            _ => listed.push((code.into(), w.t(&format!("segment-op-{code}")))),
        }
    }
    let known = listed.iter().any(|(op, _)| op == chosen);
    let first = listed.first().map(|(op, _)| op.clone()).unwrap_or_default();
    choices(listed, |op| if known { op == chosen } else { op == first })
}

fn none() -> ValueView {
    ValueView {
        widget: "none",
        kind: "text",
        inputmode: "",
        min: None,
        max: None,
        value: String::new(),
        to: String::new(),
        options: Vec::new(),
        unit: String::new(),
        hint: None,
    }
}

/// The value input a field and op take.
fn value(w: &Words, catalogue: &Catalogue, spec: &FieldSpec, op: &str, line: &Line) -> ValueView {
    let unit = Unit::of(&spec.name);
    let picked = catalogue.choices(w, spec);
    let typed = |kind, inputmode, min, max| ValueView {
        widget: if op == "between" { "pair" } else { "input" },
        kind,
        inputmode,
        min,
        max,
        value: line.value.clone(),
        to: line.to.clone(),
        unit: match unit {
            Unit::Money => w.t("segment-unit-money"),
            Unit::Points => w.t("segment-unit-points"),
            Unit::Units => w.t("segment-unit-units"),
            Unit::Plain => String::new(),
        },
        ..none()
    };
    match (op, spec.kind) {
        ("exists" | "absent", _) => none(),
        ("in", ValueKind::Choice | ValueKind::Id | ValueKind::Store) => ValueView {
            widget: "ticks",
            options: choices(picked, |value| line.ticked.iter().any(|t| t == value)),
            ..none()
        },
        ("in", _) => ValueView {
            hint: Some(w.t(match unit {
                Unit::Money | Unit::Points => "segment-list-semicolon",
                _ => "segment-list-comma",
            })),
            ..typed("text", "", None, None)
        },
        (_, ValueKind::Choice | ValueKind::Bool | ValueKind::Id | ValueKind::Store) => ValueView {
            widget: "select",
            options: choices(picked, |value| value == line.value),
            ..none()
        },
        (_, ValueKind::Number) if matches!(unit, Unit::Plain | Unit::Units) => {
            typed("number", "numeric", spec.min, spec.max)
        }
        (_, ValueKind::Number | ValueKind::Decimal) => typed("text", "decimal", None, None),
        (_, ValueKind::Date) => typed("date", "", None, None),
        (_, ValueKind::Text) => typed("text", "", None, None),
    }
}
