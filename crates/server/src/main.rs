//! Command line of the Gatehouse reference server: without a subcommand it
//! runs the server, and `check-csv` validates an import file.

mod check_csv;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gatehouse_core::catalog::TenantOption;
use gatehouse_server::auth::{bootstrap_admin, Bootstrap};
use gatehouse_server::db::Db;
use gatehouse_server::{app, AppState, Config};
use tracing_subscriber::EnvFilter;

/// Serves the Gatehouse API and the built console.
#[derive(Debug, Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Arguments {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file, created and migrated on start.
    #[arg(long, default_value = "data/gatehouse.sqlite")]
    database: PathBuf,
    /// Folder of the built console (Trunk's dist); without it only the API is served.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Comma-separated tenant options: premium_federation, mfa.
    #[arg(long, default_value = "", value_parser = parse_options)]
    tenant_options: Options,
    /// Minutes without requests after which a session ends, from 1 to 1440.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1440))]
    session_idle_minutes: u32,
    /// Mark the session cookie Secure; use it when the console is served over HTTPS.
    #[arg(long)]
    secure_cookie: bool,
    /// SMTP server for test emails of the email templates, as
    /// smtp://host[:port][?from=address]; plain SMTP only. Without it test
    /// sends are turned off.
    #[arg(long, value_parser = gatehouse_server::smtp::check_smtp_url)]
    smtp_url: Option<String>,
    /// Login ID of the first administrator, used only on an empty database.
    #[arg(long, env = "GATEHOUSE_ADMIN_LOGIN", default_value = "admin")]
    admin_login: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a CSV import file and print its report as JSON on standard output.
    ///
    /// Exits 0 when the file has no errors, 1 when it has errors and 2 when
    /// the file cannot be read.
    CheckCsv(check_csv::CheckCsvArguments),
}

#[derive(Debug, Clone)]
struct Options(Vec<TenantOption>);

fn parse_options(text: &str) -> Result<Options, String> {
    let mut options = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let option = TenantOption::parse(name).ok_or_else(|| {
            format!("unknown tenant option `{name}`; the options are premium_federation and mfa")
        })?;
        if !options.contains(&option) {
            options.push(option);
        }
    }
    Ok(Options(options))
}

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = Arguments::parse();
    if let Some(Command::CheckCsv(check)) = &arguments.command {
        // Buffered, because the report of a large file has a million lines
        // and a locked stdout writes each line with its own system call.
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let mut stderr = std::io::stderr().lock();
        let code = check_csv::check_file(check.kind, &check.file, &mut stdout, &mut stderr);
        return ExitCode::from(code);
    }
    // The log goes to standard error, with colours only on a terminal;
    // standard output carries the address and the one-time password.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(arguments).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Shortest password accepted for the first administrator from
/// `GATEHOUSE_ADMIN_PASSWORD`.
const MIN_ADMIN_PASSWORD_CHARS: usize = 12;

async fn run(arguments: Arguments) -> Result<(), String> {
    // Everything that can fail on the arguments is checked before the
    // database is touched, so a failed start never creates the first
    // administrator and shows a password that is then lost.
    if let Some(dist) = &arguments.dist {
        if !dist.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html; build the console with `trunk build --release` first",
                dist.display()
            ));
        }
    }
    let password = std::env::var("GATEHOUSE_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty());
    if let Some(password) = &password {
        if password.chars().count() < MIN_ADMIN_PASSWORD_CHARS {
            return Err(format!(
                "GATEHOUSE_ADMIN_PASSWORD has {} characters; use at least {MIN_ADMIN_PASSWORD_CHARS}",
                password.chars().count()
            ));
        }
    }
    let listener = tokio::net::TcpListener::bind(arguments.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", arguments.listen))?;
    let address =
        listener.local_addr().map_err(|e| format!("cannot read the bound address: {e}"))?;

    if let Some(parent) = arguments.database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create folder {}: {e}", parent.display()))?;
    }
    let db = Db::open(&arguments.database)
        .map_err(|e| format!("cannot open database {}: {e}", arguments.database.display()))?;
    let password_given = password.is_some();
    match bootstrap_admin(&db, Some(arguments.admin_login), password)
        .await
        .map_err(|e| format!("cannot create the first administrator: {e}"))?
    {
        Bootstrap::Existing if password_given => tracing::info!(
            "GATEHOUSE_ADMIN_PASSWORD is ignored because the database already has administrators"
        ),
        Bootstrap::Existing => {}
        Bootstrap::Created { login_id } => {
            tracing::info!(%login_id, "created the first administrator from GATEHOUSE_ADMIN_PASSWORD")
        }
        Bootstrap::Generated { login_id, password } => {
            // Printed once on standard output, while the log goes to standard
            // error, so a log collector does not store it.
            println!(
                "First administrator created. Sign in as `{login_id}` with password: {password}"
            );
        }
    }
    let config = Config {
        tenant_options: arguments.tenant_options.0,
        idle_timeout_minutes: arguments.session_idle_minutes,
        secure_cookie: arguments.secure_cookie,
        dist: arguments.dist,
        smtp_url: arguments.smtp_url,
    };
    // Tests and scripts read this line to find the port when --listen used port 0.
    println!("Gatehouse is listening on http://{address}/");
    tracing::info!(%address, database = %arguments.database.display(), "server started");
    axum::serve(listener, app(AppState::new(db, config)))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server failed: {e}"))?;
    tracing::info!("server stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM, so the server stops cleanly under a
/// service manager too.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutdown requested");
}
