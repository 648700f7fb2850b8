//! Colour in `reprint dedup --format text`: none when piped, none with `--color never`, escape
//! codes with `--color always` (which wins over `NO_COLOR`), colour on a real terminal unless
//! `NO_COLOR` is set, and a bad `--color` value is a one-line error with exit status 2.

mod util;

use std::process::Command;

const ESC: u8 = 0x1b;

fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&ESC)
}

/// Runs `reprint dedup CORPUS --format text ARGS` with `envs` set (and `NO_COLOR` removed unless
/// given), stdout piped; returns (status code, stdout, stderr).
fn text_run(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, Vec<u8>, String) {
    let dir = util::three_copies_and_a_stranger();
    let mut cmd = util::reprint();
    cmd.args(["dedup", dir.path().to_str().expect("utf-8 path")])
        .args(["--format", "text", "--progress", "never"])
        .args(args)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run reprint");
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn piped_output_has_no_escapes() {
    for args in [&[][..], &["--color", "auto"], &["--color", "never"]] {
        let (code, out, err) = text_run(args, &[]);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            !has_escape(&out),
            "{args:?}: {}",
            String::from_utf8_lossy(&out)
        );
        assert!(String::from_utf8_lossy(&out).contains("gamma/cut.md"));
    }
}

#[test]
fn color_always_styles_and_wins_over_no_color() {
    let (code, plain, _) = text_run(&["--color", "never"], &[]);
    assert_eq!(code, Some(0));
    for envs in [&[][..], &[("NO_COLOR", "1")]] {
        let (code, out, err) = text_run(&["--color", "always"], envs);
        assert_eq!(code, Some(0), "{err}");
        let text = String::from_utf8_lossy(&out);
        assert!(has_escape(&out), "{envs:?}: {text}");
        assert!(text.contains("\x1b[33mcontained"), "{text}");
        // Only escape codes were added: the words and columns are those of the plain text.
        let stripped = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(stripped.as_bytes(), plain.as_slice());
    }
}

#[test]
fn json_is_never_coloured() {
    let dir = util::three_copies_and_a_stranger();
    let out = util::reprint()
        .args(["dedup", dir.path().to_str().expect("utf-8 path")])
        .args(["--color", "always", "--progress", "never"])
        .output()
        .expect("run reprint");
    assert!(out.status.success());
    assert!(!has_escape(&out.stdout));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("valid JSON");
}

#[test]
fn bad_color_value_is_one_line_and_exit_2() {
    let (code, out, err) = text_run(&["--color", "sometimes"], &[]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("sometimes"), "{err}");
}

/// Runs `reprint dedup CORPUS --format text --progress never EXTRA` with a pseudo-terminal as
/// stdout, through `script` (util-linux, part of every Debian base system); returns stdout.
fn on_tty(extra: &str, no_color: Option<&str>) -> Vec<u8> {
    let dir = util::three_copies_and_a_stranger();
    let line = format!(
        "'{}' dedup '{}' --format text --progress never {extra}",
        env!("CARGO_BIN_EXE_reprint"),
        dir.path().display()
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().expect("script (util-linux) runs");
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

#[test]
fn auto_colours_a_terminal_unless_no_color() {
    let coloured = |no_color| {
        let out = on_tty("", no_color);
        assert!(String::from_utf8_lossy(&out).contains("gamma/cut.md"));
        has_escape(&out)
    };
    assert!(coloured(None), "no colour on a terminal");
    assert!(!coloured(Some("1")), "colour despite NO_COLOR=1");
    assert!(
        coloured(Some("")),
        "an empty NO_COLOR must not disable colour"
    );
    assert!(!has_escape(&on_tty("--color never", None)));
}

#[test]
fn auto_never_colours_a_file_even_from_a_terminal() {
    let dir = util::Dir::new();
    let path = dir.path().join("r.txt");
    on_tty(&format!("-o '{}'", path.display()), None);
    let text = std::fs::read(&path).expect("report written");
    assert!(String::from_utf8_lossy(&text).contains("gamma/cut.md"));
    assert!(!has_escape(&text));
}
