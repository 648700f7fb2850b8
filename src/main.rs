//! The `reprint` binary: parses the command line, runs the library, and maps the outcome to an
//! exit status (0 success, 2 error). Everything else lives in the library.

mod cli;
mod eval_cmd;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Cli, Command, DedupArgs, DedupFormat};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            // One line naming the problem, as scripts and CI logs want it.
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!("reprint: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("reprint: {:#}", err);
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Dedup(args) => dedup(&args),
        Command::Eval(args) => eval_cmd::run(&args),
        Command::Explain(args) => explain(&args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "reprint", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .context("writing the man page")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn explain(args: &cli::ExplainArgs) -> anyhow::Result<ExitCode> {
    let config = match &args.corpus {
        Some(dir) => args.opts.to_config(vec![dir.clone()]),
        None => args
            .opts
            .to_config(vec![args.a.clone().into(), args.b.clone().into()]),
    };
    let e = reprint::explain::explain(&config, &args.a, &args.b)?;
    let body = match args.format {
        cli::EvalFormat::Text => e.to_text(),
        cli::EvalFormat::Json => serde_json::to_string_pretty(&e)? + "\n",
    };
    std::io::stdout().lock().write_all(body.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn dedup(args: &DedupArgs) -> anyhow::Result<ExitCode> {
    let config = args.opts.to_config(args.paths.clone());
    let show = match args.progress {
        cli::When::Always => true,
        cli::When::Never => false,
        cli::When::Auto => std::io::stderr().is_terminal(),
    };
    let bars = progress::Bars::new(show);
    let started = std::time::Instant::now();
    let report = match &args.html {
        Some(path) => {
            let (report, texts) = reprint::pipeline::dedup_with_texts(&config, &bars)?;
            bars.clear();
            let page = reprint::html_report::render(&report, &texts, args.html_max_chars);
            drop(texts);
            // Written before the report, so that an unwritable page stops the run with
            // nothing written.
            reprint::report::write_atomic(path, page.as_bytes())?;
            report
        }
        None => {
            let report = reprint::dedup(&config, &bars)?;
            bars.clear();
            report
        }
    };
    let body = match args.format {
        DedupFormat::Json => report.to_json(),
        DedupFormat::Text => report.to_text(),
    };
    match &args.output {
        Some(path) => reprint::report::write_atomic(path, body.as_bytes())?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(body.as_bytes())
                .and_then(|_| out.flush())
                .context("writing the report to standard output")?;
        }
    }
    let s = &report.stats;
    eprintln!(
        "reprint: {} documents, {} clusters, {} duplicates, {} skipped, {} repaired in {:.2}s",
        s.documents,
        s.clusters,
        s.duplicates,
        s.skipped,
        s.repaired,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
