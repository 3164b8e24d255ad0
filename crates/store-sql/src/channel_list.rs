//! A message's channels in order, kept as one text: `push,viber,sms`.

use clientele_domain::message::Channel;
use clientele_store::DbResult;

use crate::{Engine, Got, unreadable};

pub(crate) fn text(channels: &[Channel]) -> String {
    channels
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn read<E: Engine>(row: &Got<'_, E>, column: &str) -> DbResult<Vec<Channel>> {
    row.text(column)?
        .split(',')
        .map(|raw| Channel::parse(raw).map_err(|e| unreadable(column, e.message)))
        .collect()
}
