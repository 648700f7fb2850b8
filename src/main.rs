//! The `reprint` binary: parses the command line, runs the library, and maps the outcome to an
//! exit status (0 success, 2 error). Everything else lives in the library.

mod cli;
mod eval_cmd;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Cli, Command, DedupArgs, DedupFormat, IndexCommand};

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
        Command::Index(cmd) => index(cmd),
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

fn index(cmd: IndexCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        IndexCommand::Stats { dir, format } => {
            let stats = reprint::index::Index::open_existing(&dir)?.stats()?;
            let body = match format {
                cli::EvalFormat::Text => stats.to_text(),
                cli::EvalFormat::Json => serde_json::to_string_pretty(&stats)? + "\n",
            };
            std::io::stdout().lock().write_all(body.as_bytes())?;
        }
        IndexCommand::Prune { dir, older_than } => {
            let index = reprint::index::Index::open_existing(&dir)?;
            let cutoff = jiff::Timestamp::now().as_second() - older_than;
            let s = index.prune(cutoff)?;
            eprintln!(
                "reprint: pruned {} documents and {} clusters; {} documents in {} clusters remain",
                s.removed_documents, s.removed_clusters, s.kept_documents, s.kept_clusters
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether text output gets colour. The explicit flag wins over `NO_COLOR` (as no-color.org
/// asks of command-line arguments); `auto` colours a terminal unless `NO_COLOR` is set to a
/// non-empty value or the terminal is `dumb`.
fn use_color(
    flag: cli::ColorWhen,
    stdout_is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    match flag {
        cli::ColorWhen::Always => true,
        cli::ColorWhen::Never => false,
        cli::ColorWhen::Auto => {
            stdout_is_terminal
                && no_color.is_none_or(|v| v.is_empty())
                && term.is_none_or(|t| t != "dumb")
        }
    }
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
            let report = match &args.index {
                Some(dir) => reprint::pipeline::dedup_indexed(&config, dir, &bars)?,
                None => reprint::dedup(&config, &bars)?,
            };
            bars.clear();
            report
        }
    };
    let body = match args.format {
        DedupFormat::Json => report.to_json(),
        DedupFormat::Text => {
            // A report written to a file is never a terminal's.
            let terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = use_color(
                args.color,
                terminal,
                std::env::var_os("NO_COLOR").as_deref(),
                std::env::var_os("TERM").as_deref(),
            );
            report.to_text_styled(color)
        }
        DedupFormat::Jsonl => report.to_jsonl(),
    };
    let (keep, remove) = report.keep_and_remove();
    for (path, ids) in [(&args.emit_keep, &keep), (&args.emit_remove, &remove)] {
        if let Some(path) = path {
            let mut text = ids.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            reprint::report::write_atomic(path, text.as_bytes())?;
        }
    }
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
    Ok(gates(args, s.duplicates, s.documents))
}

/// Applies the CI gates: status 1 and one summary line when one trips.
fn gates(args: &DedupArgs, duplicates: usize, documents: usize) -> ExitCode {
    let ratio = if documents == 0 {
        0.0
    } else {
        duplicates as f64 / documents as f64
    };
    let what = if args.index.is_some() { "new " } else { "" };
    if args.fail_on_duplicates && duplicates > 0 {
        eprintln!(
            "reprint: gate tripped: {duplicates} of {documents} {what}documents are reprints (--fail-on-duplicates)"
        );
        return ExitCode::from(1);
    }
    if let Some(max) = args.max_duplicate_ratio {
        if ratio > max {
            eprintln!(
                "reprint: gate tripped: {duplicates} of {documents} {what}documents are reprints, ratio {ratio:.4} > {max} (--max-duplicate-ratio)"
            );
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use cli::ColorWhen::{Always, Auto, Never};
    use std::ffi::OsStr;

    #[test]
    fn color_decision() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        let xterm = Some(OsStr::new("xterm-256color"));
        let dumb = Some(OsStr::new("dumb"));
        // (flag, stdout is a terminal, NO_COLOR, TERM, colour?)
        let cases = [
            (Auto, true, None, xterm, true),
            (Auto, true, None, None, true),
            (Auto, false, None, xterm, false),
            (Auto, true, set, xterm, false),
            (Auto, true, empty, xterm, true),
            (Auto, true, None, dumb, false),
            (Always, false, set, dumb, true),
            (Always, true, None, xterm, true),
            (Never, true, None, xterm, false),
            (Never, true, empty, xterm, false),
        ];
        for (flag, tty, no_color, term, want) in cases {
            assert_eq!(
                use_color(flag, tty, no_color, term),
                want,
                "{flag:?} tty={tty} NO_COLOR={no_color:?} TERM={term:?}"
            );
        }
    }
}
