//! Configuration: defaults, then an optional TOML file, then `CLIENTELE_*`
//! environment variables, then flags — each overriding the one before.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clientele_app::backups::BackupSchedule;
use serde::Deserialize;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://clientele.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_TIMEZONE: &str = "Europe/Moscow";
pub const DEFAULT_BACKUP_AT: &str = "03:00";
pub const DEFAULT_BACKUP_KEEP: usize = 7;

#[derive(Debug, Parser)]
#[command(
    name = "clientele",
    version,
    about = "Customer base and loyalty engine for retail"
)]
pub struct Cli {
    /// A TOML file with `database_url`, `listen`, `timezone`, `log_format`,
    /// `[smtp]`, `[messages]` and `[backup]`.
    #[arg(long, global = true, env = "CLIENTELE_CONFIG")]
    pub config: Option<PathBuf>,
    /// `sqlite://PATH` (default sqlite://clientele.db) or `postgres://USER@HOST/DB`.
    #[arg(long, global = true, env = "CLIENTELE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The shop's time zone, for ages and birthdays (default Europe/Moscow).
    #[arg(long, global = true, env = "CLIENTELE_TIMEZONE")]
    pub timezone: Option<String>,
    /// `text` or `json` logs.
    #[arg(long, global = true, env = "CLIENTELE_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (API, metrics, health); migrates the database first.
    Serve(ServeArgs),
    /// Apply the database migrations this binary carries.
    Migrate(MigrateArgs),
    /// Write a consistent copy of the whole database to a file; the server
    /// may keep serving meanwhile.
    Backup(BackupArgs),
    /// Restore a backup into a new database (a sqlite:// file that does not
    /// exist yet, or an empty PostgreSQL database), then migrate it.
    Restore(RestoreArgs),
    /// Add demo data: groups, stores, properties and customers.
    Demo(DemoArgs),
    /// Import records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export records to a file.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Staff users.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens of staff users.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Tills and their keys.
    #[command(subcommand)]
    Till(TillCommand),
    /// The figures reports read.
    #[command(subcommand)]
    Figures(FiguresCommand),
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// List the migrations that would run, and run none.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write: an SQLite database file, or pg_dump's archive on
    /// PostgreSQL. Replaced only once the new backup is whole.
    #[arg(long)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file `clientele backup` wrote.
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum FiguresCommand {
    /// Forget the day figures and roll every receipt and return up again
    /// (those of the last two minutes are left to the server's next round).
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user; the password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    pub login: String,
    /// owner, marketer, manager, registration_desk, support, cashier, or a role made in the API.
    #[arg(long)]
    pub role: String,
    /// The name shown in the console and the audit log (default: the login).
    #[arg(long)]
    pub name: Option<String>,
    /// Limit the user to a region, city or store by its code (repeatable).
    #[arg(long = "store")]
    pub stores: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for a staff user and print it once.
    Create(TokenCreateArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The staff user's login.
    #[arg(long)]
    pub user: String,
    /// What the token is for (e.g. «1C»).
    #[arg(long, default_value = "")]
    pub label: String,
}

#[derive(Debug, Subcommand)]
pub enum TillCommand {
    /// Register a till of a store and print its key once.
    Add(TillAddArgs),
}

#[derive(Debug, Args)]
pub struct TillAddArgs {
    /// The store's code.
    #[arg(long)]
    pub store: String,
    #[arg(long, default_value = "")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "CLIENTELE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Fill an empty database with a demo shop first: customers with cards,
    /// a year of receipts, gift certificates and points.
    #[arg(long)]
    pub demo: bool,
    /// How many demo customers `--demo` adds.
    #[arg(long, default_value_t = 10_000)]
    pub demo_customers: u64,
    /// How many receipts of the last year `--demo` adds, about ten lines each.
    #[arg(long, default_value_t = 50_000)]
    pub demo_receipts: u64,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers to add.
    #[arg(long, default_value_t = 1_000)]
    pub customers: u64,
    /// How many receipts of the last year to add, about ten lines each.
    #[arg(long, default_value_t = 0)]
    pub receipts: u64,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Customers from .xlsx, .xls or .csv (UTF-8 or cp1251, `;` or `,`).
    Customers(CustomerImportArgs),
    /// Cards with their owners' opening point balances, from .xlsx or .csv;
    /// owners are found by phone or external id among imported customers.
    Cards(ImportArgs),
}

#[derive(Debug, Args)]
pub struct CustomerImportArgs {
    #[command(flatten)]
    pub import: ImportArgs,
    /// Reads a column as another field than the one its header names:
    /// `--map "Моб. тел.=phone"`; `--map "Комментарий="` leaves it unread.
    /// Fields are the export's headers (`name`, `phone`, `birth_date`,
    /// `consent_sms`, `property_<name>`, …). May be given many times.
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Check every row and report, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write nothing unless every row is good.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Customers, with the list's filters.
    Customers(ExportArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    #[arg(long)]
    pub output: PathBuf,
    /// A list filter as KEY=VALUE (q, group_id, gender, age_min, consent_sms, property_NAME, …); repeatable.
    #[arg(long = "filter", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// `id`, `name` or `created_at`, `-` before for descending.
    #[arg(long)]
    pub sort: Option<String>,
}

/// The optional TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<SocketAddr>,
    timezone: Option<String>,
    log_format: Option<LogFormat>,
    #[serde(default)]
    smtp: crate::messaging::SmtpFile,
    #[serde(default)]
    messages: crate::messaging::MessagesFile,
    #[serde(default)]
    backup: BackupFile,
}

/// The `[backup]` table: the server's daily backups.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupFile {
    folder: Option<PathBuf>,
    at: Option<String>,
    keep: Option<usize>,
}

/// The daily backups: on when a folder is given, at 03:00 keeping 7 unless
/// told otherwise.
fn backup_schedule(file: BackupFile) -> anyhow::Result<Option<BackupSchedule>> {
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let Some(folder) = from_env("CLIENTELE_BACKUP_FOLDER")
        .map(PathBuf::from)
        .or(file.folder)
    else {
        return Ok(None);
    };
    let at = from_env("CLIENTELE_BACKUP_AT")
        .or(file.at)
        .unwrap_or_else(|| DEFAULT_BACKUP_AT.into());
    let at = jiff::civil::Time::strptime("%H:%M", at.trim()).map_err(|_| {
        anyhow::anyhow!("the backup time «{at}» is not a time of day as HH:MM (e.g. 03:00)")
    })?;
    let keep = match from_env("CLIENTELE_BACKUP_KEEP") {
        Some(keep) => keep.trim().parse().ok().filter(|k| *k > 0).ok_or_else(|| {
            anyhow::anyhow!("CLIENTELE_BACKUP_KEEP «{keep}» is not a number of backups (1 or more)")
        })?,
        None => file.keep.unwrap_or(DEFAULT_BACKUP_KEEP),
    };
    anyhow::ensure!(keep > 0, "[backup] keep must be 1 or more");
    Ok(Some(BackupSchedule { folder, at, keep }))
}

/// Settings after every source was read.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen: SocketAddr,
    pub timezone: jiff::tz::TimeZone,
    pub log_format: LogFormat,
    pub messaging: crate::messaging::MessagingSettings,
    /// The server's daily backups, when a folder is configured.
    pub backups: Option<BackupSchedule>,
}

impl Cli {
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let file: FileConfig = match &self.config {
            None => FileConfig::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!("cannot read the config file {}: {e}", path.display())
                })?;
                toml::from_str(&text).map_err(|e| {
                    anyhow::anyhow!("the config file {} is invalid: {e}", path.display())
                })?
            }
        };
        let listen_flag = match &self.command {
            Command::Serve(args) => args.listen,
            _ => None,
        };
        let zone_name = self
            .timezone
            .clone()
            .or(file.timezone)
            .unwrap_or_else(|| DEFAULT_TIMEZONE.into());
        let timezone = jiff::tz::TimeZone::get(&zone_name).map_err(|_| {
            anyhow::anyhow!(
                "unknown time zone «{zone_name}» (e.g. Europe/Moscow, Asia/Yekaterinburg)"
            )
        })?;
        Ok(Settings {
            database_url: self
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            listen: listen_flag
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("a valid default")),
            timezone,
            log_format: self
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            messaging: crate::messaging::MessagingSettings::read(file.smtp, file.messages)?,
            backups: backup_schedule(file.backup)?,
        })
    }
}
