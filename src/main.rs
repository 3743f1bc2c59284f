//! The binary: parse, run, map the outcome to the contract's exit codes. Everything else is in
//! the library (`src/lib.rs` has the map).

use std::process::ExitCode;

use clap::Parser;
use tracectl::cli::Cli;
use tracectl::commands::{self, Exit};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    init_logging(cli.global.verbose, cli.global.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // The main thread's 8 MiB, not tokio's 2 MiB default: `tracectl mcp` runs whole
        // investigations on worker threads, and their nested futures (graph, logs, steps) are
        // deep in an unoptimised build.
        .thread_stack_size(8 * 1024 * 1024)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return Exit::Incomplete.into();
        }
    };
    match runtime.block_on(commands::run(cli, argv)) {
        Ok(exit) => exit.into(),
        Err(e) => {
            tracectl::error::print_error(&e);
            commands::exit_for_error(&e).into()
        }
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    // kube-rs logs a failed call itself (the status, then the whole body: a proxy's HTML page),
    // above tracectl's own one-line error that already says it; it is heard from with -v.
    let level = match (quiet, verbose) {
        (true, _) => "error,kube_client=off,kube=off",
        (false, 0) => "warn,kube_client=off,kube=off",
        (false, 1) => "tracectl=debug,warn",
        (false, _) => "tracectl=trace,info",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRACECTL_LOG")
        .unwrap_or_else(|_| level.into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
