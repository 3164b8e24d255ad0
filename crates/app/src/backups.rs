//! Backups: taken on demand, and by the server once a day at a time of the
//! shop's day, into a folder that keeps the last few.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clientele_store::backup::Backup;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan as _};

use crate::{App, AppResult};

/// How often the server looks whether a backup is due.
const TICK: Duration = Duration::from_secs(20);

/// The names scheduled backups take: `clientele-2026-12-07-0300.db`.
const PREFIX: &str = "clientele-";

/// When and where the server backs up by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub folder: PathBuf,
    /// The time of the shop's day (its time zone) the backup is taken at.
    pub at: Time,
    /// How many backups the folder keeps; older ones are removed once a
    /// newer one is whole.
    pub keep: usize,
}

impl BackupSchedule {
    /// The first moment after `after` that a backup falls due.
    pub fn next_after(&self, after: Timestamp, zone: &TimeZone) -> Timestamp {
        let today = after.to_zoned(zone.clone()).date();
        [today, today.tomorrow().unwrap_or(today)]
            .into_iter()
            .filter_map(|day| day.to_datetime(self.at).to_zoned(zone.clone()).ok())
            .map(|due| due.timestamp())
            .find(|due| *due > after)
            .unwrap_or_else(|| after + 24.hours())
    }
}

/// A backup the schedule took, and the old ones it removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledBackup {
    pub path: PathBuf,
    pub backup: Backup,
    pub removed: Vec<PathBuf>,
}

impl App {
    /// Writes a backup of the whole database to `to` while the server keeps
    /// serving; `to` is replaced only by a whole one.
    #[tracing::instrument(skip(self))]
    pub async fn back_up(&self, to: &Path) -> AppResult<Backup> {
        let started = Instant::now();
        let backup = self.db.backup(to).await;
        crate::measure::job(
            "backup",
            started,
            backup.is_ok(),
            self.clock.now().as_second(),
        );
        Ok(backup?)
    }

    /// Takes the day's backup into the schedule's folder, named by the time
    /// it was taken, then removes all but the newest `keep`.
    pub async fn take_scheduled_backup(
        &self,
        schedule: &BackupSchedule,
    ) -> AppResult<ScheduledBackup> {
        std::fs::create_dir_all(&schedule.folder).map_err(|e| {
            clientele_store::DbError::Backup(format!(
                "cannot make the backup folder {}: {e}",
                schedule.folder.display()
            ))
        })?;
        let taken = self.clock.now().to_zoned(self.clock.zone().clone());
        let extension = extension(self.db.engine());
        let path = schedule.folder.join(format!(
            "{PREFIX}{}.{extension}",
            taken.strftime("%Y-%m-%d-%H%M")
        ));
        let backup = self.back_up(&path).await?;
        let removed = prune(&schedule.folder, extension, schedule.keep);
        Ok(ScheduledBackup {
            path,
            backup,
            removed,
        })
    }

    /// Takes each day's backup when it falls due, for as long as the server runs.
    pub async fn run_backups_forever(self, schedule: BackupSchedule) {
        let zone = self.clock.zone().clone();
        let mut due = schedule.next_after(self.clock.now(), &zone);
        tracing::info!(folder = %schedule.folder.display(), next = %due, "scheduled backups are on");
        let mut ticks = tokio::time::interval(TICK);
        loop {
            ticks.tick().await;
            let now = self.clock.now();
            if now < due {
                continue;
            }
            match self.take_scheduled_backup(&schedule).await {
                Ok(taken) => tracing::info!(
                    path = %taken.path.display(),
                    bytes = taken.backup.bytes,
                    removed = taken.removed.len(),
                    "the day's backup is taken"
                ),
                Err(error) => {
                    tracing::error!(%error, "the day's backup failed; the last good one is kept")
                }
            }
            due = schedule.next_after(now, &zone);
        }
    }
}

/// A backup file's extension by engine: an SQLite file, or pg_dump's archive.
fn extension(engine: &str) -> &'static str {
    if engine == "sqlite" { "db" } else { "pgdump" }
}

/// Removes the scheduled backups beyond the newest `keep` (their names sort
/// by time); what it removed.
fn prune(folder: &Path, extension: &str, keep: usize) -> Vec<PathBuf> {
    let suffix = format!(".{extension}");
    let mut taken: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(PREFIX) && name.ends_with(&suffix))
        })
        .collect();
    taken.sort();
    let excess = taken.len().saturating_sub(keep.max(1));
    taken
        .drain(..excess)
        .filter(|old| match std::fs::remove_file(old) {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, path = %old.display(), "an old backup was not removed");
                false
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(at: &str) -> BackupSchedule {
        BackupSchedule {
            folder: PathBuf::new(),
            at: at.parse().unwrap(),
            keep: 3,
        }
    }

    #[test]
    fn a_backup_falls_due_at_its_time_of_the_shop_s_day() {
        let moscow = TimeZone::get("Europe/Moscow").unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // 02:30 in Moscow: due at 03:00 the same day.
        assert_eq!(
            schedule("03:00").next_after(at("2026-12-06T23:30:00Z"), &moscow),
            at("2026-12-07T00:00:00Z")
        );
        // 03:00 itself has passed: the next is tomorrow's.
        assert_eq!(
            schedule("03:00").next_after(at("2026-12-07T00:00:00Z"), &moscow),
            at("2026-12-08T00:00:00Z")
        );
        assert_eq!(
            schedule("23:45").next_after(at("2026-12-07T12:00:00Z"), &moscow),
            at("2026-12-07T20:45:00Z")
        );
    }

    #[test]
    fn the_folder_keeps_the_newest_backups_and_nothing_else_is_touched() {
        let folder = std::env::temp_dir().join(format!("clientele-prune-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let names = [
            "clientele-2026-12-01-0300.db",
            "clientele-2026-12-02-0300.db",
            "clientele-2026-12-03-0300.db",
            "clientele-2026-12-04-0300.db",
            "clientele-2026-12-05-0300.db.partial",
            "clientele-2026-11-30-0300.pgdump",
            "notes.db",
        ];
        for name in names {
            std::fs::write(folder.join(name), b"x").unwrap();
        }
        let removed = prune(&folder, "db", 2);
        assert_eq!(
            removed,
            [names[0], names[1]].map(|n| folder.join(n)).to_vec()
        );
        let mut left: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [names[5], names[2], names[3], names[4], names[6]]);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
