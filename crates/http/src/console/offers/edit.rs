//! Making an offer and changing one. Sent, the form is refused with each
//! error beside its field and what was typed kept, or saved and the
//! offer's page says so; an offer changed meanwhile is said above the form.

use axum::extract::State;
use clientele_domain::OfferId;

use super::draft::Draft;
use super::editor::{Editing, Pickers, Shown, editor};
use crate::console::kit::{Console, Once, PageResult, Path, Submission};
use crate::state::AppState;

pub async fn new(State(state): State<AppState>, console: Console) -> PageResult {
    let pickers = Pickers::load(&state).await?;
    let shown = Shown::fresh(Once::fresh());
    Ok(editor(
        &console,
        &pickers,
        Editing::New,
        Draft::blank(),
        shown,
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let kept = state.app.offer(OfferId(id)).await?;
    let pickers = Pickers::load(&state).await?;
    let draft = Draft::of(&kept, &console.words);
    let shown = Shown::fresh(Once::fresh());
    Ok(editor(
        &console,
        &pickers,
        Editing::Kept(&kept),
        draft,
        shown,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let w = &console.words;
    let pickers = Pickers::load(&state).await?;
    let (input, errors) = form.input(w);
    let mut shown = Shown::fresh(once.token().to_owned());
    if errors.is_empty() {
        let by = console.caller.changed_by();
        match state.app.create_offer(input, &by).await {
            Ok(kept) => {
                let page = format!("/offers/{}?done=created", kept.offer.id.0);
                return Ok(once.done(&page).await);
            }
            Err(error) => shown.refused(w, &form.reward, error)?,
        }
    } else {
        shown.errors = errors;
    }
    Ok(editor(&console, &pickers, Editing::New, form, shown))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { form, once, .. }: Submission<Draft>,
) -> PageResult {
    let w = &console.words;
    let kept = state.app.offer(OfferId(id)).await?;
    let pickers = Pickers::load(&state).await?;
    let (input, errors) = form.input(w);
    let mut shown = Shown::fresh(once.token().to_owned());
    if form.version != kept.version.to_string() {
        shown.alert = Some(w.t("offer-stale"));
    } else if !errors.is_empty() {
        shown.errors = errors;
    } else {
        let by = console.caller.changed_by();
        match (state.app)
            .edit_offer(kept.offer.id, input, kept.version, &by)
            .await
        {
            Ok(_) => return Ok(once.done(&format!("/offers/{id}?done=saved")).await),
            Err(error) => shown.refused(w, &form.reward, error)?,
        }
    }
    Ok(editor(
        &console,
        &pickers,
        Editing::Kept(&kept),
        form,
        shown,
    ))
}
