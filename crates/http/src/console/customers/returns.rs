//! Returns as a customer's page and an opened receipt list them: the
//! till's return number, when, the refund and the points it moved.

use clientele_app::Return;

use crate::console::kit::Words;

pub(super) struct ReturnRow {
    pub number: String,
    pub date: String,
    pub refund: String,
    pub points: String,
}

pub(super) fn return_rows(w: &Words, returns: &[Return]) -> Vec<ReturnRow> {
    returns
        .iter()
        .map(|r| ReturnRow {
            number: r.return_id.clone(),
            date: w.time(r.created_at),
            refund: w.money(r.refund_minor),
            points: w.points(r.points_returned - r.points_taken_back),
        })
        .collect()
}
