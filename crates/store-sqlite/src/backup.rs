//! Backups through SQLite's online backup API, while the server keeps
//! serving: the copy reads one snapshot of the file, and the writer's
//! commits go on into the write-ahead log meanwhile.

use std::ffi::{CStr, CString, c_int};
use std::path::{Path, PathBuf};
use std::ptr;
use std::time::Duration;

use clientele_store::DbResult;
use clientele_store::backup::{abandoned, fresh_partial, put_in_place};
use libsqlite3_sys as ffi;

/// How long a step waits for a lock before the backup gives up.
const BUSY_FOR: Duration = Duration::from_secs(30);

/// Copies the database at `source` to `to`, replacing `to` only once the
/// copy is whole; the size written.
pub async fn write(source: PathBuf, to: &Path) -> DbResult<u64> {
    let partial = fresh_partial(to);
    let copy = partial.clone();
    let copied = tokio::task::spawn_blocking(move || copy_database(&source, &copy))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    match copied {
        Ok(()) => put_in_place(&partial, to),
        Err(why) => Err(abandoned(&partial, to, &why)),
    }
}

/// A connection of SQLite's own, closed when dropped.
struct Connection(*mut ffi::sqlite3);

impl Connection {
    fn open(path: &Path, flags: c_int) -> Result<Connection, String> {
        let name = path
            .to_str()
            .and_then(|p| CString::new(p).ok())
            .ok_or_else(|| format!("{} is not a path SQLite can open", path.display()))?;
        let mut handle = ptr::null_mut();
        // SAFETY: `name` is a C string that outlives the call, and `handle`
        // receives a connection that `Connection` closes, even on failure.
        let code = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut handle, flags, ptr::null()) };
        let connection = Connection(handle);
        if code != ffi::SQLITE_OK {
            return Err(connection.message());
        }
        // SAFETY: the connection is open.
        unsafe { ffi::sqlite3_busy_timeout(handle, BUSY_FOR.as_millis() as c_int) };
        Ok(connection)
    }

    /// The connection's last error.
    fn message(&self) -> String {
        if self.0.is_null() {
            return "out of memory".into();
        }
        // SAFETY: an open connection's message is a C string it owns until
        // its next call; it is copied at once.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // SAFETY: the handle came from `sqlite3_open_v2` (null is a no-op)
        // and no statement or backup on it outlives `copy_database`.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

fn copy_database(source: &Path, target: &Path) -> Result<(), String> {
    let from = Connection::open(source, ffi::SQLITE_OPEN_READONLY)?;
    let to = Connection::open(target, ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE)?;
    let main = c"main";
    // SAFETY: both connections are open and outlive the backup, which is
    // finished below on every path.
    let backup = unsafe { ffi::sqlite3_backup_init(to.0, main.as_ptr(), from.0, main.as_ptr()) };
    if backup.is_null() {
        return Err(to.message());
    }
    let mut waited = Duration::ZERO;
    let stepped = loop {
        // Every page in one step: one read transaction of the source, so
        // the copy is one snapshot however many receipts commit meanwhile.
        // SAFETY: `backup` is live until `sqlite3_backup_finish`.
        match unsafe { ffi::sqlite3_backup_step(backup, -1) } {
            ffi::SQLITE_DONE => break Ok(()),
            ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED if waited < BUSY_FOR => {
                std::thread::sleep(Duration::from_millis(100));
                waited += Duration::from_millis(100);
            }
            _ => break Err(()),
        }
    };
    // SAFETY: finishes the live backup once; its outcome is the step's.
    let finished = unsafe { ffi::sqlite3_backup_finish(backup) };
    match (stepped, finished) {
        (Ok(()), ffi::SQLITE_OK) => Ok(()),
        _ => Err(to.message()),
    }
}
