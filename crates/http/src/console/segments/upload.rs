//! A static segment from an uploaded list of phones or card numbers: the
//! form (a name and a file), and once made, what the list named — how many
//! lines found a customer, how many did not, and the first of those.
//! A file refused, or a list that names nobody, is said beside its field
//! and makes nothing.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use clientele_app::AppError;
use clientele_app::import::list::{ListError, ListLine, read_key_list};
use clientele_app::segment_lists::FromList;
use clientele_domain::{Module, Right};
use serde::Deserialize;

use crate::console::kit::{
    Chrome, Console, FileRefusal, Once, PageError, SentFile, Submission, Upload, Words, render,
};
use crate::state::AppState;

/// The largest list taken: a million phones fit.
pub const LIST_LIMIT: usize = 10 * 1024 * 1024;
/// The characters of a line shown; a longer one is cut.
const SHOWN_CHARS: usize = 60;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListForm {
    name: String,
}

#[derive(Template)]
#[template(path = "segments/upload.html")]
struct UploadPage<'a> {
    c: Chrome,
    w: &'a Words,
    token: String,
    name: String,
    /// `name` or `file` → what is wrong with it.
    errors: BTreeMap<&'static str, String>,
    hint: String,
}

fn page(console: &Console, token: String, name: String) -> UploadPage<'_> {
    UploadPage {
        c: console.chrome(),
        w: &console.words,
        token,
        name,
        errors: BTreeMap::new(),
        hint: console.words.n(
            "segment-upload-file-hint",
            (LIST_LIMIT / 1024 / 1024) as i64,
        ),
    }
}

struct Figure {
    id: &'static str,
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "segments/uploaded.html")]
struct UploadedPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    name: String,
    notice: String,
    figures: Vec<Figure>,
    /// «Не нашли 3 строки из 120:», when a line named nobody.
    missed_said: Option<String>,
    missed: Vec<String>,
    /// How many more named nobody than are listed, in words.
    more: Option<String>,
    may_list: bool,
}

pub async fn form(console: Console) -> Response {
    render(
        StatusCode::OK,
        &page(&console, Once::fresh(), String::new()),
    )
}

pub async fn upload(
    State(state): State<AppState>,
    console: Console,
    request: Request,
) -> Result<Response, Response> {
    let w = &console.words;
    let Upload { submission, file } =
        Upload::<ListForm>::read(&state, &console, request, LIST_LIMIT).await?;
    let Submission { form, once, .. } = submission;
    let mut refused = page(&console, once.token().to_owned(), form.name.clone());
    let lines = match file {
        Ok(sent) => read(sent).await,
        Err(refusal) => Err(Refused::File(refusal)),
    };
    let lines = match lines {
        Ok(lines) => lines,
        Err(refusal) => {
            if form.name.trim().is_empty() {
                refused.errors.insert("name", w.t("error-required"));
            }
            let status = match &refusal {
                Refused::File(refusal) => refusal.status(),
                Refused::NoKeys => StatusCode::UNPROCESSABLE_ENTITY,
            };
            refused.errors.insert("file", refusal.explain(w));
            return Ok(render(status, &refused));
        }
    };
    let by = console.caller.changed_by();
    match state.app.segment_from_list(form.name, &lines, &by).await {
        Ok(made) => {
            let id = made.segment.id.0;
            once.finish(&format!("/segments/{id}")).await;
            Ok(render(StatusCode::OK, &uploaded(&console, made)))
        }
        Err(AppError::Validation(errors)) => {
            for error in errors.0 {
                let field = if error.field == "file" {
                    "file"
                } else {
                    "name"
                };
                refused.errors.insert(field, w.field_error(&error));
            }
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &refused))
        }
        Err(AppError::Conflict {
            field: Some("name"),
            ..
        }) => {
            refused.errors.insert("name", w.t("segment-name-taken"));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &refused))
        }
        Err(error) => Err(PageError::from(error).into_response()),
    }
}

/// Why a file makes no list.
enum Refused {
    File(FileRefusal),
    /// Read, but no line could be a phone or a card number.
    NoKeys,
}

impl Refused {
    fn explain(&self, w: &Words) -> String {
        match self {
            Refused::File(refusal) => refusal.explain(w, LIST_LIMIT),
            Refused::NoKeys => w.t("segment-file-no-keys"),
        }
    }
}

/// Reads the list off the request's thread: a big one takes a while.
async fn read(sent: SentFile) -> Result<Vec<ListLine>, Refused> {
    let kind = sent.kind().map_err(Refused::File)?;
    let bytes = sent.bytes;
    let read = tokio::task::spawn_blocking(move || read_key_list(&bytes, kind))
        .await
        .map_err(|_| Refused::File(FileRefusal::NoFile))?;
    read.map_err(|error| match error {
        ListError::Table(error) => Refused::File(FileRefusal::Table(error)),
        ListError::NoKeys => Refused::NoKeys,
    })
}

fn uploaded(console: &Console, made: FromList) -> UploadedPage<'_> {
    let w = &console.words;
    let count = |n: usize| w.count(n as u64);
    let figure = |id, key: &str, value| Figure {
        id,
        label: w.t(key),
        value,
    };
    let not_named = made.not_named();
    let figures = vec![
        figure("lines", "segment-uploaded-lines", count(made.lines)),
        figure("named", "segment-uploaded-named", count(made.named)),
        figure("not-named", "segment-uploaded-not-named", count(not_named)),
        figure(
            "size",
            "segment-size",
            w.count(made.segment.size.unsigned_abs()),
        ),
    ];
    let missed_said = (not_named > 0).then(|| {
        w.with_all(
            "segment-uploaded-missed",
            vec![
                ("count", (not_named as i64).into()),
                ("shown", count(not_named).into()),
                ("lines", count(made.lines).into()),
            ],
        )
    });
    let more = (not_named > made.missed.len()).then(|| {
        let more = count(not_named - made.missed.len());
        w.with("segment-uploaded-more", "shown", more.into())
    });
    let missed = made
        .missed
        .iter()
        .map(|line| {
            w.with_all(
                "segment-uploaded-line",
                vec![
                    ("row", (line.row as i64).into()),
                    ("text", cut(&line.text).into()),
                ],
            )
        })
        .collect();
    UploadedPage {
        c: console.chrome(),
        w,
        id: made.segment.id.0,
        notice: w.with("segment-uploaded", "name", made.segment.name.clone().into()),
        name: made.segment.name,
        figures,
        missed_said,
        missed,
        more,
        may_list: console.may(Module::Customers, Right::View),
    }
}

/// A line as shown: at most [`SHOWN_CHARS`] characters.
fn cut(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
