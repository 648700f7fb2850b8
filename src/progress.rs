//! Progress bars: indicatif on standard error, fed by the library's progress callback.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint::{Progress, Stage};

/// Draws one bar per stage, or nothing when hidden.
pub struct Bars {
    show: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// Bars that draw only when `show` is set.
    pub fn new(show: bool) -> Self {
        Bars {
            show,
            bar: Mutex::new(None),
        }
    }

    /// Removes any bar left on screen.
    pub fn clear(&self) {
        if let Ok(mut bar) = self.bar.lock() {
            if let Some(b) = bar.take() {
                b.finish_and_clear();
            }
        }
    }

    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(bar) = self.bar.lock() {
            if let Some(b) = bar.as_ref() {
                f(b);
            }
        }
    }
}

impl Progress for Bars {
    fn start(&self, stage: Stage, total: u64) {
        if !self.show {
            return;
        }
        let label = match stage {
            Stage::Read => "reading",
            Stage::Fingerprint => "fingerprinting",
            Stage::Cluster => "clustering",
        };
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix:>14} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label);
        self.clear();
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        self.with_bar(|b| b.inc(n));
    }

    fn finish(&self) {
        self.clear();
    }
}
