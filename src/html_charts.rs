//! The HTML report's charts, drawn as inline SVG by the `plotters` crate (its SVG backend only:
//! no fonts are read, text is laid out by the backend's fixed estimate and set by the browser),
//! so the page stays self-contained and the same report gives the same bytes. Owns the
//! cluster-size histogram and the timeline of a cluster (its origin and pickups placed by
//! their lag); the tables around them are the report's ([`crate::html_report`]).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Font family of every chart's text.
const FONT: &str = "sans-serif";
/// The colour of bars and pickups.
const INK: RGBColor = RGBColor(37, 99, 235);
/// The colour of a cluster's origin.
const ORIGIN: RGBColor = RGBColor(220, 38, 38);
/// The colour of a translated pickup.
const TRANSLATED: RGBColor = RGBColor(217, 119, 6);
/// Light grid and axis colour.
const GRID: RGBColor = RGBColor(220, 220, 220);
/// Sources a timeline shows rows for; the others are counted in its caption.
pub const TIMELINE_MAX_ROWS: usize = 20;

/// Cluster sizes grouped for the histogram: (label, smallest, largest).
const SIZE_BUCKETS: [(&str, usize, usize); 9] = [
    ("2", 2, 2),
    ("3", 3, 3),
    ("4", 4, 4),
    ("5", 5, 5),
    ("6–10", 6, 10),
    ("11–20", 11, 20),
    ("21–50", 21, 50),
    ("51–100", 51, 100),
    ("101+", 101, usize::MAX),
];

/// The histogram's bars: (label, clusters of that size), up to the largest bucket used.
pub fn size_buckets(sizes: impl IntoIterator<Item = usize>) -> Vec<(&'static str, usize)> {
    let mut counts = [0usize; SIZE_BUCKETS.len()];
    for size in sizes {
        if let Some(b) = SIZE_BUCKETS
            .iter()
            .position(|&(_, lo, hi)| (lo..=hi).contains(&size))
        {
            counts[b] += 1;
        }
    }
    let used = counts
        .iter()
        .rposition(|&n| n > 0)
        .map_or(0, |last| last + 1);
    SIZE_BUCKETS[..used.max(4)]
        .iter()
        .zip(counts)
        .map(|(&(label, _, _), n)| (label, n))
        .collect()
}

/// An SVG bar chart of clusters by size (from [`size_buckets`]), each bar labelled with its
/// count.
pub fn size_histogram(buckets: &[(&str, usize)]) -> String {
    let mut svg = String::new();
    // Drawing into a string cannot fail; a chart that did would be left out, not the page.
    if draw_histogram(&mut svg, buckets).is_err() {
        svg.clear();
    }
    svg
}

fn draw_histogram(
    svg: &mut String,
    buckets: &[(&str, usize)],
) -> Result<(), Box<dyn std::error::Error>> {
    let n = buckets.len();
    let top = buckets.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    // Room above the tallest bar for its count.
    let y_max = top + top / 6 + 1;
    let root = SVGBackend::with_string(svg, (560, 260)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0..y_max)?;
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => buckets.get(*i).map_or(String::new(), |b| b.0.to_string()),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(n)
        .y_labels(5)
        .x_label_formatter(&label)
        .y_label_formatter(&|v| v.to_string())
        .x_desc("documents in the cluster")
        .y_desc("clusters")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 14))
        .draw()?;
    chart.draw_series(buckets.iter().enumerate().map(|(i, &(_, count))| {
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0),
                (SegmentValue::Exact(i + 1), count),
            ],
            INK.filled(),
        );
        bar.set_margin(0, 0, 6, 6);
        bar
    }))?;
    let above = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    chart.draw_series(buckets.iter().enumerate().filter(|(_, b)| b.1 > 0).map(
        |(i, &(_, count))| {
            Text::new(
                count.to_string(),
                (SegmentValue::CenterOf(i), count),
                above.clone(),
            )
        },
    ))?;
    root.present()?;
    Ok(())
}

/// One copy on a cluster's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pickup<'a> {
    /// Its row's label: the source, or the document id when the source is unknown.
    pub row: &'a str,
    /// Seconds after the origin.
    pub lag: i64,
    /// Whether it is the cluster's origin.
    pub origin: bool,
    /// Whether it is a translation of the story.
    pub translated: bool,
}

/// The unit a lag axis counts in, by the longest lag: (seconds in a unit, its name).
fn unit(max_lag: i64) -> (i64, &'static str) {
    if max_lag <= 7_200 {
        (60, "minutes")
    } else if max_lag <= 259_200 {
        (3_600, "hours")
    } else {
        (86_400, "days")
    }
}

/// A lag as a person reads it: `+0`, `+45 s`, `+12 min`, `+3 h 05 min`, `+2 d 4 h`.
pub fn lag_text(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "+" };
    let s = seconds.unsigned_abs();
    match s {
        0 => "+0".into(),
        1..=59 => format!("{sign}{s} s"),
        60..=3_599 => format!("{sign}{} min", s / 60),
        3_600..=86_399 => format!("{sign}{} h {:02} min", s / 3_600, s % 3_600 / 60),
        _ => format!("{sign}{} d {} h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// The rows of a timeline: each source in order of its first copy, and its copies. At most
/// [`TIMELINE_MAX_ROWS`]; the number of sources left out is returned too.
pub fn timeline_rows<'a>(pickups: &[Pickup<'a>]) -> (Vec<&'a str>, usize) {
    let mut order: Vec<(i64, bool, &str)> = Vec::new();
    for p in pickups {
        match order.iter_mut().find(|(_, _, row)| *row == p.row) {
            Some(first) => {
                first.0 = first.0.min(p.lag);
                first.1 |= p.origin;
            }
            None => order.push((p.lag, p.origin, p.row)),
        }
    }
    // The origin's row first, then by first copy, then by name.
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)).then(a.2.cmp(b.2)));
    let left_out = order.len().saturating_sub(TIMELINE_MAX_ROWS);
    let rows = order
        .into_iter()
        .take(TIMELINE_MAX_ROWS)
        .map(|(_, _, row)| row)
        .collect();
    (rows, left_out)
}

/// An SVG timeline of a cluster: one row per source (see [`timeline_rows`]), each copy a dot
/// placed by its lag after the origin, the origin a larger red dot, translations amber. Empty
/// when fewer than two copies have a lag.
pub fn timeline(pickups: &[Pickup<'_>], width: u32) -> String {
    if pickups.len() < 2 {
        return String::new();
    }
    let mut svg = String::new();
    if draw_timeline(&mut svg, pickups, width).is_err() {
        svg.clear();
    }
    svg
}

fn draw_timeline(
    svg: &mut String,
    pickups: &[Pickup<'_>],
    width: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let (rows, _) = timeline_rows(pickups);
    let n = rows.len();
    let max_lag = pickups.iter().map(|p| p.lag).max().unwrap_or(0).max(0);
    let (per, unit_name) = unit(max_lag);
    let x_max = (max_lag as f64 / per as f64 * 1.08).max(1.0);
    // Row labels get what their longest needs, within limits.
    let label_chars = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    let label_width = (label_chars as u32 * 8 + 14).clamp(60, 240);
    let height = 62 + 24 * n as u32;
    let root = SVGBackend::with_string(svg, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .margin_right(24)
        .x_label_area_size(34)
        .y_label_area_size(label_width)
        .build_cartesian_2d(0.0..x_max, (0..n).into_segmented())?;
    // Row 0 (the origin's) at the top: rows are drawn from the bottom up.
    let at = |row: usize| SegmentValue::CenterOf(n - 1 - row);
    let row_label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i < n => rows[n - 1 - i].to_string(),
        _ => String::new(),
    };
    let x_label = |v: &f64| {
        if *v == 0.0 {
            "origin".to_string()
        } else {
            format!("+{}", trim_number(*v))
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(6)
        .y_labels(n)
        .x_label_formatter(&x_label)
        .y_label_formatter(&row_label)
        .x_desc(format!("{unit_name} after the origin"))
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let x = |lag: i64| lag.max(0) as f64 / per as f64;
    // Each row's span from its first to its last copy, drawn under the dots.
    chart.draw_series(rows.iter().enumerate().filter_map(|(i, row)| {
        let lags = pickups.iter().filter(|p| p.row == *row).map(|p| p.lag);
        let (lo, hi) = (lags.clone().min()?, lags.max()?);
        (hi > lo).then(|| PathElement::new(vec![(x(lo), at(i)), (x(hi), at(i))], INK.mix(0.35)))
    }))?;
    // Pickups first, the origin last so that nothing covers it.
    let mut order: Vec<&Pickup> = pickups.iter().collect();
    order.sort_by_key(|p| p.origin);
    chart.draw_series(order.into_iter().filter_map(|p| {
        let row = rows.iter().position(|r| *r == p.row)?;
        let (colour, radius) = match (p.origin, p.translated) {
            (true, _) => (ORIGIN, 6),
            (false, true) => (TRANSLATED, 4),
            (false, false) => (INK, 4),
        };
        Some(Circle::new((x(p.lag), at(row)), radius, colour.filled()))
    }))?;
    root.present()?;
    Ok(())
}

/// A tick value without trailing zeros: `2`, `2.5`, `0.25`.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_group_sizes() {
        let b = size_buckets([2, 2, 3, 7, 10, 11]);
        assert_eq!(
            b,
            vec![
                ("2", 2),
                ("3", 1),
                ("4", 0),
                ("5", 0),
                ("6–10", 2),
                ("11–20", 1)
            ]
        );
        assert_eq!(size_buckets([2]).len(), 4);
        assert_eq!(size_buckets([500]).last(), Some(&("101+", 1)));
    }

    #[test]
    fn histogram_is_svg_with_a_bar_per_bucket_and_counts() {
        let svg = size_histogram(&size_buckets([2, 2, 3, 9]));
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains(">documents in the cluster<") || svg.contains("documents in the cluster")
        );
        assert!(svg.contains("6–10"));
        // The same input, the same bytes.
        assert_eq!(svg, size_histogram(&size_buckets([2, 2, 3, 9])));
        assert!(!svg.contains("http://www.w3.org/1999/xlink\" xlink:href"));
    }

    #[test]
    fn timeline_rows_origin_first_and_capped() {
        let p = |row, lag, origin| Pickup {
            row,
            lag,
            origin,
            translated: false,
        };
        let pickups = [
            p("b", 10, false),
            p("a", 0, true),
            p("c", 5, false),
            p("b", 3, false),
        ];
        assert_eq!(timeline_rows(&pickups), (vec!["a", "b", "c"], 0));
        let names: Vec<String> = (0..TIMELINE_MAX_ROWS + 3)
            .map(|i| format!("s{i:02}"))
            .collect();
        let many: Vec<Pickup> = names
            .iter()
            .enumerate()
            .map(|(i, n)| p(n, i as i64, i == 0))
            .collect();
        let (rows, left) = timeline_rows(&many);
        assert_eq!(rows.len(), TIMELINE_MAX_ROWS);
        assert_eq!(left, 3);
        let svg = timeline(&pickups, 600);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<circle"));
        assert!(svg.contains("minutes after the origin") || svg.contains("after the origin"));
        assert_eq!(timeline(&pickups[..1], 600), "");
    }

    #[test]
    fn source_names_are_escaped() {
        let p = |row, lag, origin| Pickup {
            row,
            lag,
            origin,
            translated: false,
        };
        let svg = timeline(&[p("<b>&x", 0, true), p("y", 60, false)], 600);
        assert!(svg.contains("&lt;b&gt;&amp;x"), "{svg}");
        assert!(!svg.contains("<b>"));
    }

    #[test]
    fn lags_read_well() {
        assert_eq!(lag_text(0), "+0");
        assert_eq!(lag_text(45), "+45 s");
        assert_eq!(lag_text(720), "+12 min");
        assert_eq!(lag_text(3 * 3600 + 300), "+3 h 05 min");
        assert_eq!(lag_text(2 * 86400 + 4 * 3600), "+2 d 4 h");
        assert_eq!(trim_number(2.5), "2.5");
        assert_eq!(trim_number(3.0), "3");
    }
}
