//! One function per subcommand.

use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use clientele_app::customers::ListParams;
use clientele_app::export::ExportFormat;
use clientele_app::import::columns::{match_headers, parse_column};
use clientele_app::import::table::read_table_file;
use clientele_app::import::{CardImportReport, ImportOptions, ImportReport, Mapping};
use clientele_app::{App, Clock, DemoShop};

use clientele_app::audit::ChangedBy;
use clientele_app::staff::StaffUserInput;
use clientele_domain::Login;

use crate::config::{
    Cli, Command, ExportCommand, FiguresCommand, Format, ImportCommand, LogFormat, Settings,
    TillCommand, TokenCommand, UserCommand,
};
use crate::progress::Bar;
use crate::{open_database, restore_database};

/// Who the audit log says made a change from the command line.
fn cli_actor() -> ChangedBy {
    ChangedBy::system("command line")
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings()?;
    init_logs(settings.log_format);
    // A restore writes the database before anything may open it.
    if let Command::Restore(args) = &cli.command {
        return restore(&settings.database_url, &args.file).await;
    }
    let db = open_database(&settings.database_url).await?;
    let app = App::new(db.clone(), Clock::new(settings.timezone.clone()));
    match cli.command {
        Command::Migrate(args) if args.dry_run => {
            let pending = db.pending_migrations().await?;
            let (version, binary) = db.schema_version().await?;
            if pending.is_empty() {
                println!("database is at schema version {version}: nothing to migrate");
            } else {
                println!(
                    "database is at schema version {version}; `clientele migrate` would apply {} migration(s), up to {binary}:",
                    pending.len()
                );
                for migration in pending {
                    println!("  {:>4}  {}", migration.version, migration.description);
                }
            }
        }
        Command::Migrate(_) => {
            db.migrate().await?;
            let (version, _) = db.schema_version().await?;
            println!("database is at schema version {version}");
        }
        Command::Backup(args) => {
            let started = Instant::now();
            println!(
                "backing up the {} database to {}…",
                db.engine(),
                args.output.display()
            );
            let backup = app.back_up(&args.output).await?;
            println!(
                "backed up schema version {} to {} ({}) in {:.1} s",
                backup.schema_version,
                args.output.display(),
                size_text(backup.bytes),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Restore(_) => unreachable!("restored above, before the database was opened"),
        Command::Serve(args) => {
            db.migrate().await?;
            app.ensure_built_in_roles().await?;
            if args.demo && app.is_empty().await? {
                fill_demo_shop(&app, args.demo_customers, args.demo_receipts).await?;
            }
            if args.demo
                && let Some((login, password, token)) = app.demo_owner().await?
            {
                println!("sign in as «{login}» with the password {password}");
                println!(
                    "or call the API with «Authorization: Bearer {}»",
                    token.expose()
                );
                println!("(shown once; add staff with `clientele user add LOGIN --role ROLE`)");
            }
            let messaging = settings.messaging.messaging(settings.listen)?;
            serve(app.with_messaging(messaging), &settings).await?;
        }
        Command::Demo(args) => {
            db.migrate().await?;
            let started = Instant::now();
            let report = app.seed_demo(args.customers, &Bar::new()).await?;
            println!(
                "added {} demo customers in {:.1} s{}",
                report.customers,
                started.elapsed().as_secs_f64(),
                if report.skipped > 0 {
                    format!(
                        " ({} skipped: their phone or e-mail was taken)",
                        report.skipped
                    )
                } else {
                    String::new()
                }
            );
            if args.receipts > 0 {
                let started = Instant::now();
                let report = app.seed_demo_receipts(args.receipts, &Bar::new()).await?;
                println!(
                    "added {} demo receipts with {} lines ({} anonymous) in {:.1} s",
                    report.receipts,
                    report.lines,
                    report.anonymous,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Import(ImportCommand::Customers(args)) => {
            db.check_schema().await?;
            let (table, options, started) = import_input(&args.import)?;
            let properties = app.property_definitions().await?;
            let mapping = mapping(&table.headers, &properties, &args.map)?;
            let report = app
                .import_customers_mapped(&table, &mapping, options, &Bar::new())
                .await?;
            print_import(&report, options, started.elapsed().as_secs_f64());
            strict_outcome(options, report.rejected.len())?;
        }
        Command::Import(ImportCommand::Cards(args)) => {
            db.check_schema().await?;
            let (table, options, started) = import_input(&args)?;
            let report = app.import_cards(&table, options, &Bar::new()).await?;
            print_card_import(&report, options, started.elapsed().as_secs_f64());
            strict_outcome(options, report.rejected.len())?;
        }
        Command::User(UserCommand::Add(args)) => {
            db.check_schema().await?;
            app.ensure_built_in_roles().await?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let input = StaffUserInput {
                login: args.login,
                name: args.name,
                role: args.role,
                password,
                stores: args.stores,
            };
            let user = app.add_staff_user(input, &cli_actor()).await?;
            println!("added staff user «{}»", user.login);
        }
        Command::Token(TokenCommand::Create(args)) => {
            db.check_schema().await?;
            let login = Login::parse(&args.user).map_err(|e| anyhow::anyhow!(e.message))?;
            let (user, _) = db
                .staff()
                .staff_user_by_login(&login)
                .await?
                .with_context(|| format!("there is no staff user «{login}»"))?;
            let (_, secret) = app
                .create_api_token(user.id, &args.label, &cli_actor())
                .await?;
            println!("{}", secret.expose());
        }
        Command::Till(TillCommand::Add(args)) => {
            db.check_schema().await?;
            let store = db
                .directory()
                .store_by_code(args.store.trim())
                .await?
                .with_context(|| format!("there is no store with code «{}»", args.store.trim()))?;
            let (_, key) = app.add_till(store.id, &args.name, &cli_actor()).await?;
            println!("{}", key.expose());
        }
        Command::Figures(FiguresCommand::Rebuild) => {
            db.check_schema().await?;
            let started = Instant::now();
            let rolled = app.rebuild_day_figures(&Bar::new()).await?;
            println!(
                "rebuilt the figures from {} receipts in {:.1} s",
                rolled.receipts,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Export(ExportCommand::Customers(args)) => {
            db.check_schema().await?;
            let mut params = ListParams {
                sort: args.sort,
                ..Default::default()
            };
            for filter in args.filters {
                let (key, value) = filter
                    .split_once('=')
                    .with_context(|| format!("--filter «{filter}» is not KEY=VALUE"))?;
                params.filter.push((key.to_owned(), value.to_owned()));
            }
            let format = match args.format {
                Format::Csv => ExportFormat::Csv,
                Format::Xlsx => ExportFormat::Xlsx,
            };
            let count = app
                .export_customers(&params, format, &args.output, &Bar::new())
                .await?;
            println!("exported {count} customers to {}", args.output.display());
        }
    }
    Ok(())
}

/// `serve --demo` on an empty database: a shop with a year behind it, each
/// part said as it is done.
async fn fill_demo_shop(app: &App, customers: u64, receipts: u64) -> anyhow::Result<()> {
    println!(
        "filling the empty database with a demo shop: {customers} customers, {receipts} receipts of the last year…"
    );
    let started = Instant::now();
    let shop = DemoShop {
        customers,
        receipts,
    };
    let report = app.seed_demo_shop(shop, &Bar::new()).await?;
    println!(
        "  {} customers, {} of them with a card; {} receipts with {} lines ({} anonymous); {} gift certificates; points by hand to {} customers",
        report.customers.customers,
        report.cards,
        report.receipts.receipts,
        report.receipts.lines,
        report.receipts.anonymous,
        report.certificates,
        report.points_by_hand,
    );
    println!(
        "  {} segments and {} offers with {} coupon codes",
        report.marketing.segments, report.marketing.offers, report.marketing.coupons,
    );
    println!(
        "the demo shop is ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `restore FILE`: the backup becomes the database, then is migrated to this
/// binary's schema.
async fn restore(url: &str, file: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    println!("checking {} and restoring it…", file.display());
    let restored = restore_database(url, file).await?;
    println!(
        "restored schema version {} ({}) in {:.1} s",
        restored.schema_version,
        size_text(restored.bytes),
        started.elapsed().as_secs_f64()
    );
    let db = open_database(url).await?;
    db.migrate().await?;
    let (version, _) = db.schema_version().await?;
    println!("the database is ready at schema version {version}");
    Ok(())
}

/// A file's size as a person reads it: `1.4 MB`.
fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

async fn serve(app: App, settings: &Settings) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    clientele_http::record_metrics();
    println!(
        "Clientele is serving on http://{address} ({} database)",
        app.engine()
    );
    println!("  API page: http://{address}/api/v1/docs   health: http://{address}/healthz");
    // Expiry and the other scheduled work; it ends with the process.
    tokio::spawn(app.clone().run_jobs_forever());
    // The outbox's worker: messages leave as they fall due.
    tokio::spawn(app.clone().run_outbox_forever());
    if let Some(schedule) = settings.backups.clone() {
        println!(
            "  a backup a day at {} into {} (the last {} kept)",
            schedule.at.strftime("%H:%M"),
            schedule.folder.display(),
            schedule.keep
        );
        tokio::spawn(app.clone().run_backups_forever(schedule));
    }
    // The home page's figures are a few scans: counted before anyone asks.
    let warm = app.clone();
    tokio::spawn(async move {
        if let Err(error) = warm.count_home_figures(None).await {
            tracing::warn!(%error, "the home figures were not counted");
        }
    });
    clientele_http::serve(listener, app, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

/// The file an import reads, its options, and when it started.
fn import_input(
    args: &crate::config::ImportArgs,
) -> anyhow::Result<(clientele_app::import::table::Table, ImportOptions, Instant)> {
    let started = Instant::now();
    let table = read_table_file(&args.file)
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    let options = ImportOptions {
        dry_run: args.dry_run,
        strict: args.strict,
    };
    Ok((table, options, started))
}

/// The columns as recognised from the headers, with each `--map
/// HEADER=FIELD` read over its header.
fn mapping(
    headers: &[String],
    properties: &[clientele_domain::PropertyDefinition],
    overrides: &[String],
) -> anyhow::Result<Mapping> {
    if overrides.is_empty() {
        return Ok(Mapping::Recognised);
    }
    let mut columns = match_headers(headers, properties).columns;
    for given in overrides {
        let (header, field) = given
            .rsplit_once('=')
            .with_context(|| format!("--map «{given}» is not HEADER=FIELD"))?;
        let index = headers
            .iter()
            .position(|h| h.trim() == header.trim())
            .with_context(|| {
                format!(
                    "--map «{given}»: the file has no column «{}» (it has: {})",
                    header.trim(),
                    headers.join(", ")
                )
            })?;
        columns[index] = match field.trim() {
            "" => None,
            field => Some(parse_column(field).with_context(|| {
                format!("--map «{given}»: «{field}» is not a field (name, phone, email, birth_date, consent_sms, property_<name>, …)")
            })?),
        };
    }
    Ok(Mapping::Chosen(columns))
}

/// `--strict` fails the command when any row was rejected.
fn strict_outcome(options: ImportOptions, rejected: usize) -> anyhow::Result<()> {
    if options.strict && rejected > 0 {
        anyhow::bail!("--strict: {rejected} row(s) rejected, nothing was imported");
    }
    Ok(())
}

fn print_import(report: &ImportReport, options: ImportOptions, seconds: f64) {
    for (header, column) in &report.columns {
        match column {
            Some(column) => println!("  column «{header}» → {column}"),
            None => println!("  column «{header}» → (ignored: not recognised)"),
        }
    }
    for rejected in &report.rejected {
        println!("  row {}: {}", rejected.row, rejected.described());
    }
    let verb = if options.dry_run || !report.written {
        "would be"
    } else {
        "were"
    };
    println!(
        "{} rows read in {seconds:.1} s: {} {verb} created, {} {verb} updated, {} unchanged, {} rejected{}",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.rejected.len(),
        if options.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
}

fn print_card_import(report: &CardImportReport, options: ImportOptions, seconds: f64) {
    for (header, column) in &report.columns {
        match column {
            Some(column) => println!("  column «{header}» → {column}"),
            None => println!("  column «{header}» → (ignored: not recognised)"),
        }
    }
    for rejected in &report.rejected {
        println!("  row {}: {}", rejected.row, rejected.described());
    }
    let verb = if options.dry_run || (options.strict && !report.rejected.is_empty()) {
        "would be"
    } else {
        "were"
    };
    println!(
        "{} rows read in {seconds:.1} s: {} cards {verb} created with {} points of opening balances, {} unchanged, {} rejected{}",
        report.rows,
        report.created,
        points_text(report.points_credited),
        report.unchanged,
        report.rejected.len(),
        if options.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
}

/// Hundredths of a point as the points a person reads: `1234.5`.
fn points_text(hundredths: i64) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        cents if cents % 10 == 0 => format!("{whole}.{}", cents / 10),
        cents => format!("{whole}.{cents:02}"),
    }
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CLIENTELE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
