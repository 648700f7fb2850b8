# shellcheck shell=bash
# Sourced by benches/e2e.sh and benches/quality.sh: the Python virtual environment of the
# datasketch peer. Uses the caller's VENV (its directory), LOG (where pip's output goes) and
# log (its message function).

# ensure_peer_venv: reuses VENV when it was made from the current requirements and imports
# datasketch, else makes it again; returns 1 when that fails (see LOG).
ensure_peer_venv() {
    if [ -x "$VENV/bin/python" ] && cmp -s benches/peers/requirements.txt "$VENV/.requirements" \
        && "$VENV/bin/python" -c 'import datasketch' 2>/dev/null; then
        log "using $VENV"
        return 0
    fi
    log "creating $VENV (pip install -r benches/peers/requirements.txt)"
    rm -rf "$VENV"
    if python3 -m venv "$VENV" >>"$LOG" 2>&1 \
        && "$VENV/bin/pip" install -q -r benches/peers/requirements.txt >>"$LOG" 2>&1; then
        cp benches/peers/requirements.txt "$VENV/.requirements"
        return 0
    fi
    return 1
}
