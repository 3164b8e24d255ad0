//! The customers a list's filter selects (a segment's members among them)
//! as an Excel file, in the columns an import reads back.

use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::customers::ListParams;
use clientele_app::export::{ExportError, ExportFormat};
use clientele_app::progress::Silent;

use super::filters::Typed;
use crate::console::kit::{Console, Once, PageError, PageResult, Query, workbook};
use crate::state::AppState;

pub async fn export(
    State(state): State<AppState>,
    console: Console,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let w = &console.words;
    let (asked, refused) = Typed::read(&pairs).to_filter(w);
    if !refused.is_empty() {
        return Err(PageError::BadRequest);
    }
    let params = ListParams {
        scope: console.caller.scope.clone(),
        user: console.caller.user_id().ok(),
        ..crate::api::customers::list_params(asked)
    };
    // The workbook is written to a file of its own, read, and removed.
    let path = std::env::temp_dir().join(format!("clientele-export-{}.xlsx", Once::fresh()));
    let written = state
        .app
        .export_customers(&params, ExportFormat::Xlsx, &path, &Silent)
        .await
        .and_then(|_| {
            std::fs::read(&path).map_err(|error| ExportError::Write {
                path: path.display().to_string(),
                message: error.to_string(),
            })
        });
    let _ = std::fs::remove_file(&path);
    match written {
        Ok(bytes) => Ok(workbook(bytes, "customers.xlsx")),
        Err(ExportError::App(error)) => Err(error.into()),
        Err(ExportError::TooManyForExcel(_)) => Err(PageError::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            text: w.t("customers-export-too-many"),
        }),
        Err(error @ ExportError::Write { .. }) => {
            tracing::error!(%error, "the customers were not exported");
            Err(PageError::Internal)
        }
    }
}
