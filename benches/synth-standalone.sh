# shellcheck shell=bash
# Sourced by benches/quality.sh and benches/translations.sh: builds the corpus generator
# (examples/synth.rs) without the crate, for when src/ does not compile. The example only uses
# crates.io dependencies. Uses the caller's LOG (where cargo's output goes) and log (its
# message function).

# build_synth_standalone: builds target/synth-standalone and sets SYNTH to its binary; exits 1
# when that fails (see LOG).
build_synth_standalone() {
    local sa=target/synth-standalone
    mkdir -p "$sa/src"
    cp examples/synth.rs "$sa/src/main.rs"
    cat >"$sa/Cargo.toml" <<'EOF'
[package]
name = "synth"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
clap = { version = "4", features = ["derive"] }
rand = "0.8"
rand_chacha = "0.3"
rayon = "1"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
unicode-normalization = "0.1"

[profile.release]
codegen-units = 4
EOF
    [ -f Cargo.lock ] && cp Cargo.lock "$sa/Cargo.lock"
    if ! cargo build --release --manifest-path "$sa/Cargo.toml" >>"$LOG" 2>&1; then
        log "cannot build the generator (see $LOG)"
        exit 1
    fi
    SYNTH="$sa/target/release/synth"
}
