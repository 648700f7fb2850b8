//! The HTML report: one self-contained page (inline CSS and JS, no network request of any kind)
//! that shows a dedup run's summary, its clusters with the representative beside each member,
//! word diffs and the boilerplate left out, and the skipped inputs. A translated member gets no
//! word diff (words of two languages do not align): its text is shown in a column beside the
//! representative's, each labelled with its id and language.
//!
//! Owns the page's layout and the data embedded in it. The word diffs are computed here, in
//! Rust, so that the script only draws; a cluster's body is drawn only when it is opened, so the
//! page stays usable with tens of thousands of clusters.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::cluster::MatchKind;
use crate::explain::align;
use crate::html_charts::{self, lag_text, Pickup};
use crate::pipeline::{DocText, Texts};
use crate::published;
use crate::report::{ClusterReport, MemberReport, Report};

/// Default cap on the characters of text embedded per document (`--html-max-chars`).
pub const DEFAULT_MAX_CHARS: usize = 20_000;

/// Characters of a headline shown in a cluster's heading.
const HEADLINE_CHARS: usize = 160;
/// Clusters in the overview's "travelled furthest" table.
const FURTHEST: usize = 10;
/// Timelines drawn in the overview.
const OVERVIEW_TIMELINES: usize = 6;
/// Sources on each side of the reprint matrix.
const MATRIX_SOURCES: usize = 15;
/// Width of a timeline in pixels.
const TIMELINE_WIDTH: u32 = 580;

/// The data blob the script reads: everything a cluster's body needs.
#[derive(Serialize)]
struct Data<'a> {
    max_chars: usize,
    clusters: Vec<ClusterData<'a>>,
}

#[derive(Serialize)]
struct ClusterData<'a> {
    id: u64,
    size: usize,
    /// The representative's first kept line as published, cut at [`HEADLINE_CHARS`].
    headline: String,
    /// The id of the member published first.
    #[serde(skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
    /// Distinct named sources among the members.
    sources: usize,
    /// From the origin to the last copy with a lag, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<String>,
    /// The cluster's timeline, an SVG element (empty when fewer than two copies have a lag).
    #[serde(skip_serializing_if = "String::is_empty")]
    timeline: String,
    /// Sources left off the timeline.
    #[serde(skip_serializing_if = "is_zero")]
    timeline_more: usize,
    rep: RepData<'a>,
    members: Vec<MemberData<'a>>,
    /// Longest lag in seconds, for ordering the overview (not written).
    #[serde(skip)]
    span_seconds: Option<i64>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// When and where a copy was published.
#[derive(Serialize)]
struct When<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_source: Option<&'static str>,
    /// Its lag after the origin, as text (`+3 h 05 min`).
    #[serde(skip_serializing_if = "Option::is_none")]
    lag: Option<String>,
}

impl<'a> When<'a> {
    fn of(m: &'a MemberReport) -> When<'a> {
        When {
            source: &m.source,
            date: m.date.as_deref(),
            date_source: m.date_source.map(|d| d.name()),
            lag: m.lag_seconds.map(lag_text),
        }
    }
}

#[derive(Serialize)]
struct RepData<'a> {
    id: &'a str,
    /// ISO 639-1 code of its text's language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'static str>,
    /// Its kept text as published (case, punctuation), one paragraph a line.
    text: &'a str,
    text_cut: bool,
    /// The lines left out as boilerplate, as published.
    boilerplate: Vec<&'a str>,
    boilerplate_cut: bool,
    #[serde(flatten)]
    when: When<'a>,
}

#[derive(Serialize)]
struct MemberData<'a> {
    id: &'a str,
    similarity: f64,
    containment: f64,
    #[serde(rename = "match")]
    kind: MatchKind,
    /// The member it matched, when it did not match the representative (its measures are
    /// against that member).
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    /// ISO 639-1 code of its text's language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'static str>,
    /// Runs of `[class, words]`, class one of `both`, `only-member`, `missing`; empty for a
    /// translation. Computed on the words' normalized keys, drawn with the published words
    /// (the member's, or the representative's for `missing`).
    diff: Vec<(&'static str, String)>,
    diff_cut: bool,
    /// A translation's own text as published, shown beside the representative's instead of a
    /// diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// Whether `text` was cut (present with `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    text_cut: Option<bool>,
    boilerplate: Vec<&'a str>,
    boilerplate_cut: bool,
    #[serde(flatten)]
    when: When<'a>,
}

/// The first `max` characters of `s`, and whether anything was cut.
fn cap(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((at, _)) => (&s[..at], true),
        None => (s, false),
    }
}

/// Boilerplate lines up to `max` characters in all, and whether any were cut.
fn cap_lines(lines: &[String], max: usize) -> (Vec<&str>, bool) {
    let mut left = max;
    let mut out = Vec::new();
    for line in lines {
        let (kept, cut) = cap(line, left);
        out.push(kept);
        if cut {
            return (out, true);
        }
        left -= kept.chars().count();
    }
    (out, false)
}

/// The words of a published text (split at spaces and line ends only: a no-break space a
/// source printed stays inside its word).
fn words(text: &str) -> Vec<&str> {
    text.split([' ', '\n']).filter(|w| !w.is_empty()).collect()
}

/// A published text's words and their comparison keys.
struct Keyed<'a> {
    words: Vec<&'a str>,
    keys: Vec<String>,
}

impl<'a> Keyed<'a> {
    fn new(text: &'a str) -> Keyed<'a> {
        let words = words(text);
        let keys = words.iter().map(|w| published::key(w)).collect();
        Keyed { words, keys }
    }
}

/// The member's diff against the representative, up to `max` characters of words in all:
/// aligned on the words' keys, drawn with the published words.
fn capped_diff(rep: &Keyed, member: &Keyed, max: usize) -> (Vec<(&'static str, String)>, bool) {
    let mut left = max;
    let mut out = Vec::new();
    for span in align(&rep.keys, &member.keys) {
        // align(a = representative, b = member): what only the representative has is what
        // the member lacks, drawn in the representative's words.
        let (class, shown) = match span.side {
            "only_a" => ("missing", &rep.words[span.a]),
            "only_b" => ("only-member", &member.words[span.b]),
            _ => ("both", &member.words[span.b]),
        };
        let joined = shown.join(" ");
        let (kept, cut) = cap(&joined, left);
        out.push((class, kept.to_string()));
        if cut {
            return (out, true);
        }
        left -= kept.chars().count();
    }
    (out, false)
}

/// JSON made safe to sit inside a `<script>` element: `</` could close the element and `<!--`
/// could open an escaped-script state; both are rewritten with JSON escapes the parser undoes.
fn script_safe_json(json: &str) -> String {
    json.replace("</", "<\\/").replace("<!--", "\\u003c!--")
}

fn text(s: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_text(s)
}

/// The headline of a published text: its first line, cut at [`HEADLINE_CHARS`] characters (at
/// a word's end when one is near) with an ellipsis.
fn headline(published: &str) -> String {
    let first = published.lines().next().unwrap_or_default().trim();
    let (head, cut) = cap(first, HEADLINE_CHARS);
    if !cut {
        return head.to_string();
    }
    let head = match head.rfind(' ') {
        Some(at) if at > head.len() / 2 => &head[..at],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// A cluster's copies on its timeline: those with a lag.
fn pickups(c: &ClusterReport) -> Vec<Pickup<'_>> {
    c.members
        .iter()
        .filter_map(|m| {
            Some(Pickup {
                row: if m.source.is_empty() {
                    &m.id
                } else {
                    &m.source
                },
                lag: m.lag_seconds?,
                origin: c.origin.as_deref() == Some(m.id.as_str()),
                translated: m.kind == MatchKind::Translation,
            })
        })
        .collect()
}

/// Everything the page shows of one cluster.
fn cluster_data<'a>(
    c: &'a ClusterReport,
    doc: &dyn Fn(&str) -> &'a DocText,
    max_chars: usize,
) -> ClusterData<'a> {
    let rep = doc(&c.representative);
    let rep_report = c.members.iter().find(|m| m.id == c.representative);
    let (rep_text, text_cut) = cap(&rep.published.text, max_chars);
    let (boilerplate, boilerplate_cut) = cap_lines(&rep.published.boilerplate, max_chars);
    let rep_keyed = Keyed::new(&rep.published.text);
    let members = c
        .members
        .iter()
        .filter(|m| m.id != c.representative)
        .map(|m| {
            let d = doc(&m.id);
            // A word diff between two languages marks every word: a translation is shown
            // whole, beside the representative.
            let (diff, diff_cut, text, text_cut) = if m.kind == MatchKind::Translation {
                let (text, cut) = cap(&d.published.text, max_chars);
                (Vec::new(), false, Some(text), Some(cut))
            } else {
                let member = Keyed::new(&d.published.text);
                let (diff, cut) = capped_diff(&rep_keyed, &member, max_chars);
                (diff, cut, None, None)
            };
            let (boilerplate, boilerplate_cut) = cap_lines(&d.published.boilerplate, max_chars);
            MemberData {
                id: &m.id,
                similarity: m.similarity,
                containment: m.containment,
                kind: m.kind,
                via: m.via.as_deref(),
                lang: m.lang,
                diff,
                diff_cut,
                text,
                text_cut,
                boilerplate,
                boilerplate_cut,
                when: When::of(m),
            }
        })
        .collect();
    let picked = pickups(c);
    let (_, timeline_more) = html_charts::timeline_rows(&picked);
    let span_seconds = picked.iter().map(|p| p.lag).max();
    let sources: std::collections::BTreeSet<&str> = c
        .members
        .iter()
        .map(|m| m.source.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    ClusterData {
        id: c.id,
        size: c.size,
        headline: headline(&rep.published.text),
        origin: c.origin.as_deref(),
        sources: sources.len(),
        span: span_seconds.filter(|_| picked.len() > 1).map(lag_text),
        timeline: html_charts::timeline(&picked, TIMELINE_WIDTH),
        timeline_more,
        rep: RepData {
            id: &c.representative,
            lang: rep_report.and_then(|m| m.lang),
            text: rep_text,
            text_cut,
            boilerplate,
            boilerplate_cut,
            when: rep_report.map_or(
                When {
                    source: "",
                    date: None,
                    date_source: None,
                    lag: None,
                },
                When::of,
            ),
        },
        members,
        span_seconds: span_seconds.filter(|_| picked.len() > 1),
    }
}

/// Renders the page for `report`, with the texts of its clustered documents (from
/// [`crate::pipeline::dedup_with_texts`]); each document's embedded text (kept text, diff and
/// boilerplate, each) is capped at `max_chars` characters, and the page says where it was cut.
/// The same inputs give a byte-identical page.
pub fn render(report: &Report, texts: &Texts, max_chars: usize) -> String {
    let empty = DocText::default();
    let doc = |id: &str| texts.get(id).unwrap_or(&empty);
    let clusters: Vec<ClusterData> = report
        .clusters
        .par_iter()
        .map(|c| cluster_data(c, &doc, max_chars))
        .collect();
    let mut o = String::with_capacity(16 * 1024);
    o.push_str(HEAD);
    overview(&mut o, report, &clusters);
    summary(&mut o, report);
    let data = Data {
        max_chars,
        clusters,
    };
    // Plain structs of strings, numbers and booleans always serialize.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
    o.reserve(json.len());
    let _ = write!(
        o,
        "<section id=\"clusters\">\n<h2>Clusters ({})</h2>\n\
         <p class=\"legend\">Each cluster is headed by its representative's headline. The texts \
         are shown as published (case, punctuation); the diff of each member against the \
         representative is computed on normalized words and drawn on the published ones: \
         shared text, \
         <span class=\"only-member\">text only in the member</span>, \
         <span class=\"missing\">text the member lacks</span>; \
         <span class=\"boilerplate\">boilerplate left out of fingerprints</span>. \
         A translation is shown in a column beside the representative's text instead; \
         its similarity is the ordered overlap of the two texts' names and figures, its \
         containment the share of the shorter text's names and figures that the other has. \
         <span class=\"origin-tag\">origin</span> marks the copy published first.</p>\n\
         <input id=\"filter\" type=\"search\" placeholder=\"Filter by document id or representative text\" autocomplete=\"off\">\n\
         <p id=\"shown\"></p>\n<div id=\"list\"></div>\n\
         <noscript><p>The clusters are drawn by the page's script; the JSON report has them too.</p></noscript>\n\
         </section>\n",
        report.clusters.len()
    );
    skipped(&mut o, report);
    o.push_str("<script type=\"application/json\" id=\"data\">");
    o.push_str(&script_safe_json(&json));
    o.push_str("</script>\n<script>");
    o.push_str(SCRIPT);
    o.push_str("</script>\n</body>\n</html>\n");
    o
}

/// A link that opens cluster `id` in the list.
fn cluster_link(id: u64) -> String {
    format!("<a class=\"to-cluster\" href=\"#c-{id}\" data-cluster=\"{id}\">#{id}</a>")
}

/// The overview: the size histogram, the reprint matrix, the stories that travelled furthest
/// and their timelines.
fn overview(o: &mut String, report: &Report, clusters: &[ClusterData]) {
    o.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n<div class=\"charts\">\n");
    let buckets = html_charts::size_buckets(report.clusters.iter().map(|c| c.size));
    let _ = write!(
        o,
        "<figure id=\"sizes\" class=\"chart\">\n<figcaption>Clusters by size ({} clusters)</figcaption>\n{}</figure>\n",
        report.clusters.len(),
        html_charts::size_histogram(&buckets)
    );
    matrix(o, report);
    o.push_str("</div>\n");

    // Stories that reached the most sources, then the largest, then the oldest cluster.
    let mut furthest: Vec<&ClusterData> = clusters.iter().collect();
    furthest.sort_by(|a, b| {
        b.sources
            .cmp(&a.sources)
            .then(b.size.cmp(&a.size))
            .then(b.span_seconds.cmp(&a.span_seconds))
            .then(a.id.cmp(&b.id))
    });
    furthest.truncate(FURTHEST);
    o.push_str("<h3>Stories that travelled furthest</h3>\n");
    if furthest.is_empty() {
        o.push_str("<p>No cluster.</p>\n");
    } else {
        o.push_str(
            "<table id=\"furthest\">\n<tr><th>cluster</th><th>headline</th><th>sources</th>\
             <th>copies</th><th>first published</th><th>last pickup</th></tr>\n",
        );
        for c in &furthest {
            let first = match c.origin {
                Some(origin) => {
                    let who = c
                        .members
                        .iter()
                        .map(|m| (m.id, &m.when))
                        .chain([(c.rep.id, &c.rep.when)])
                        .find(|(id, _)| *id == origin)
                        .map(|(_, w)| w);
                    match who {
                        Some(w) => format!(
                            "{} {}",
                            text(if w.source.is_empty() {
                                origin
                            } else {
                                w.source
                            }),
                            text(w.date.unwrap_or_default())
                        ),
                        None => text(origin).into_owned(),
                    }
                }
                None => "—".into(),
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"headline\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                cluster_link(c.id),
                text(&c.headline),
                c.sources,
                c.size,
                first,
                text(c.span.as_deref().unwrap_or("—"))
            );
        }
        o.push_str("</table>\n");
    }

    let drawn: Vec<&&ClusterData> = furthest
        .iter()
        .filter(|c| !c.timeline.is_empty())
        .take(OVERVIEW_TIMELINES)
        .collect();
    o.push_str("<h3>Timelines of the stories that travelled furthest</h3>\n");
    if drawn.is_empty() {
        o.push_str("<p>No story has two copies with comparable dates.</p>\n");
    } else {
        o.push_str(
            "<p class=\"legend\">Each row a source, each dot a copy placed by its delay after \
             the first publication: <span class=\"dot origin\"></span> origin, \
             <span class=\"dot pickup\"></span> pickup, \
             <span class=\"dot translated\"></span> translation.</p>\n<div id=\"timelines\">\n",
        );
        for c in drawn {
            let more = if c.timeline_more > 0 {
                format!(" ({} more sources not shown)", c.timeline_more)
            } else {
                String::new()
            };
            let _ = write!(
                o,
                "<figure class=\"chart timeline\">\n<figcaption>{} {}{}</figcaption>\n{}</figure>\n",
                cluster_link(c.id),
                text(&c.headline),
                text(&more),
                c.timeline
            );
        }
        o.push_str("</div>\n");
    }
    o.push_str("</section>\n");
}

/// The source-to-source reprint matrix: the sources that published first most often (rows)
/// against those that reprinted most (columns), each cell the copies, shaded by count.
fn matrix(o: &mut String, report: &Report) {
    // (origin source, reprinting source) -> edge.
    let mut cells: BTreeMap<(&str, &str), &crate::report::SourceEdge> = BTreeMap::new();
    let mut out_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut into: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.sources {
        for e in &s.from {
            cells.insert((e.source.as_str(), s.source.as_str()), e);
            *out_of.entry(e.source.as_str()).or_default() += e.count;
            *into.entry(s.source.as_str()).or_default() += e.count;
        }
    }
    fn top(m: BTreeMap<&str, usize>) -> Vec<&str> {
        let mut v: Vec<(&str, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.into_iter().take(MATRIX_SOURCES).map(|(s, _)| s).collect()
    }
    let (rows, cols) = (top(out_of), top(into));
    let _ = write!(
        o,
        "<figure id=\"matrix\" class=\"chart\">\n<figcaption>Who reprints whom</figcaption>\n\
         <p class=\"legend\">Copies of each row's stories that each column's source published \
         later (the top {MATRIX_SOURCES} of each).</p>\n",
    );
    if cells.is_empty() {
        o.push_str("<p>No source reprinted another's story in this run.</p>\n</figure>\n");
        return;
    }
    let max = cells.values().map(|e| e.count).max().unwrap_or(1).max(1);
    o.push_str("<table class=\"matrix\">\n<tr><th class=\"corner\">first published by ↓ · reprinted by →</th>");
    for c in &cols {
        let _ = write!(o, "<th class=\"col\"><span>{}</span></th>", text(c));
    }
    o.push_str("</tr>\n");
    for r in &rows {
        let _ = write!(o, "<tr><th>{}</th>", text(r));
        for c in &cols {
            match cells.get(&(*r, *c)) {
                Some(e) => {
                    // Alpha 0.12 to 0.87 by count: every cell with copies shows.
                    let alpha = 12 + 75 * e.count / max;
                    let lag = e
                        .median_lag_seconds
                        .map(|l| format!(", median delay {}", lag_text(l)))
                        .unwrap_or_default();
                    let translated = if e.translated > 0 {
                        format!(", {} translated", e.translated)
                    } else {
                        String::new()
                    };
                    let title = format!(
                        "{c} reprinted {} of {r}'s stories{translated}{lag}",
                        e.count
                    );
                    let _ = write!(
                        o,
                        "<td class=\"cell\" style=\"background:rgba(37,99,235,0.{alpha:02})\" title=\"{}\">{}</td>",
                        html_escape::encode_double_quoted_attribute(&title),
                        e.count
                    );
                }
                None => o.push_str("<td class=\"cell\"></td>"),
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n</figure>\n");
}

fn summary(o: &mut String, report: &Report) {
    let s = &report.stats;
    let p = &report.params;
    let b = &s.boilerplate;
    let rows: [(&str, String); 20] = [
        ("documents", s.documents.to_string()),
        ("clusters", s.clusters.to_string()),
        ("clustered documents", s.clustered.to_string()),
        ("duplicates", s.duplicates.to_string()),
        ("skipped", s.skipped.to_string()),
        ("repaired", s.repaired.to_string()),
        ("candidate pairs", s.candidate_pairs.to_string()),
        ("verified pairs", s.verified_pairs.to_string()),
        (
            "boilerplate lines (chrome / source / corpus)",
            format!(
                "{} / {} / {}",
                b.chrome_lines, b.source_lines, b.corpus_lines
            ),
        ),
        ("method", p.method.clone()),
        ("threshold", p.threshold.to_string()),
        ("containment", p.containment.to_string()),
        ("num_perm", p.num_perm.to_string()),
        ("bands × rows", format!("{} × {}", p.bands, p.rows)),
        (
            "containment bands × rows",
            format!("{} × {}", p.containment_bands, p.containment_rows),
        ),
        ("shingle", p.shingle.clone()),
        ("seed", p.seed.to_string()),
        ("boilerplate removal", p.boilerplate_removal.to_string()),
        ("normalizer version", p.normalizer_version.to_string()),
        (
            "tool",
            format!("{} {}", report.tool.name, report.tool.version),
        ),
    ];
    o.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n");
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", text(k), text(&v));
    }
    o.push_str("</table>\n</section>\n");
}

fn skipped(o: &mut String, report: &Report) {
    let _ = writeln!(
        o,
        "<section id=\"skipped\">\n<h2>Skipped inputs ({})</h2>",
        report.skipped.len()
    );
    if report.skipped.is_empty() {
        o.push_str("<p>None.</p>\n");
    } else {
        o.push_str("<table>\n<tr><th>path</th><th>reason</th></tr>\n");
        for sk in &report.skipped {
            let _ = writeln!(
                o,
                "<tr><td class=\"id\">{}</td><td>{}</td></tr>",
                text(&sk.path),
                text(&sk.reason)
            );
        }
        o.push_str("</table>\n");
    }
    o.push_str("</section>\n");
}

// The policy forbids every fetch, so a page that opens from disk cannot reach the network even
// if a later edit slips in a URL.
const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reprint report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.2em;margin:1.2em 0 .4em}h3{font-size:1em;margin:0 0 .3em;word-break:break-all}
table{border-collapse:collapse}th,td{text-align:left;padding:.15em .8em .15em 0;vertical-align:top}th{font-weight:600}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
#filter{width:min(40em,100%);padding:.35em;font-size:1em;margin:.3em 0}
details.cluster{border:1px solid #ccc;border-radius:4px;margin:.3em 0}
details.cluster>summary{cursor:pointer;padding:.35em .6em;background:#f5f5f5}
details.cluster[open]>summary{border-bottom:1px solid #ccc}
.snippet{color:#666}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1em;padding:.6em}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
.member{border-top:1px dashed #ccc;padding-top:.5em;margin-bottom:.8em}.member:first-child{border-top:0;padding-top:0}
.measures{color:#444;margin:.1em 0 .4em}
.text{white-space:pre-wrap;word-wrap:break-word}
.only-member{background:#d8f5d0;color:#0b4d00}
.missing{background:#fbdada;color:#7a0000;text-decoration:line-through}
.boilerplate{opacity:.5;font-style:italic;white-space:pre-wrap}
.bplist{margin-top:.6em;border-left:3px solid #ddd;padding-left:.5em}
.cut{color:#8a5a00;font-weight:600}
.lang{color:#555}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8em}
@media (max-width:800px){.pair{grid-template-columns:1fr}}
.pair h4{font-size:.9em;margin:0 0 .2em;word-break:break-all;font-family:ui-monospace,Menlo,Consolas,monospace}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
figure.chart{margin:.4em 0;max-width:100%;overflow-x:auto}figure.chart figcaption{font-weight:600;margin-bottom:.3em}
figure.chart svg{display:block;max-width:100%;height:auto}
#timelines{display:flex;flex-wrap:wrap;gap:1em 2em}
table.matrix{font-size:.85em}table.matrix td.cell{min-width:2.2em;text-align:center;border:1px solid #e5e5e5;padding:.2em .3em}
table.matrix th{font-weight:500;white-space:nowrap;padding-right:.5em}table.matrix th.corner{font-weight:400;color:#666;font-size:.9em}
table.matrix th.col{vertical-align:bottom;padding:0 .1em}table.matrix th.col span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;max-height:12em;overflow:hidden}
#furthest td,#furthest th{border-bottom:1px solid #eee}#furthest td.headline{max-width:36em}
.headline{font-weight:600}
.origin-tag{background:#dc2626;color:#fff;border-radius:3px;padding:0 .35em;font-size:.8em;font-weight:600}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;vertical-align:middle}.dot.origin{background:#dc2626}.dot.pickup{background:#2563eb}.dot.translated{background:#d97706}
.prov{padding:.6em .6em 0}.prov table{font-size:.9em}.prov td,.prov th{border-bottom:1px solid #eee}
.when{color:#444;margin:.1em 0 .3em;font-size:.92em}
</style>
</head>
<body>
<h1>reprint report</h1>
"#;

const SCRIPT: &str = r##"
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var list = document.getElementById("list");
  var shown = document.getElementById("shown");
  var filter = document.getElementById("filter");
  var items = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // " (fr)" after an id or a match kind, when the language is known.
  function langTag(lang) {
    return lang ? " (" + lang + ")" : "";
  }
  function textBox(text, lang) {
    var e = el("div", "text", text);
    if (lang) e.lang = lang;
    return e;
  }
  function cutNote(what) {
    return el("p", "cut", what + " cut at " + data.max_chars + " characters (--html-max-chars)");
  }
  function boilerplate(lines, cut) {
    var box = el("div", "bplist");
    box.appendChild(el("div", "label", "boilerplate left out of the fingerprint: " +
      (lines.length ? lines.length + " lines" : "none")));
    lines.forEach(function (line) { box.appendChild(el("div", "boilerplate", line)); });
    if (cut) box.appendChild(cutNote("boilerplate"));
    return box;
  }
  // "site · 2024-03-01T08:00:00Z (field) · +2 h 05 min", and the origin's tag.
  function when(w, isOrigin) {
    var p = el("p", "when");
    var bits = [];
    if (w.source) bits.push(w.source);
    if (w.date) bits.push(w.date + (w.date_source ? " (" + w.date_source + ")" : ""));
    else bits.push("no date");
    if (w.lag) bits.push(w.lag);
    p.appendChild(document.createTextNode(bits.join(" · ")));
    if (isOrigin) {
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("span", "origin-tag", "origin"));
    }
    return p;
  }
  // The cluster's timeline (drawn in Rust as SVG) and a table of its copies' dates.
  function provenance(c) {
    var box = el("div", "prov");
    if (c.timeline) {
      var fig = el("figure", "chart timeline");
      fig.appendChild(el("figcaption", null, "Timeline" +
        (c.timeline_more ? " (" + c.timeline_more + " more sources not shown)" : "")));
      var holder = el("div");
      holder.innerHTML = c.timeline;
      fig.appendChild(holder);
      box.appendChild(fig);
    }
    var t = el("table", "copies");
    var head = el("tr");
    ["copy", "source", "date", "date from", "after origin"].forEach(function (h) {
      head.appendChild(el("th", null, h));
    });
    t.appendChild(head);
    [{ id: c.rep.id, w: c.rep.when || c.rep }].concat(c.members.map(function (m) {
      return { id: m.id, w: m };
    })).forEach(function (r) {
      var tr = el("tr");
      var id = el("td", "id", r.id);
      if (r.id === c.origin) {
        id.appendChild(document.createTextNode(" "));
        id.appendChild(el("span", "origin-tag", "origin"));
      }
      tr.appendChild(id);
      tr.appendChild(el("td", null, r.w.source || "—"));
      tr.appendChild(el("td", null, r.w.date || "—"));
      tr.appendChild(el("td", null, r.w.date_source || "—"));
      tr.appendChild(el("td", null, r.w.lag || "—"));
      t.appendChild(tr);
    });
    box.appendChild(t);
    return box;
  }
  function body(c) {
    var wrap = el("div", "body");
    wrap.appendChild(provenance(c));
    var grid = el("div", "grid");
    var left = el("div", "rep");
    left.appendChild(el("h3", "id", "representative: " + c.rep.id + langTag(c.rep.lang)));
    left.appendChild(when(c.rep, c.origin === c.rep.id));
    left.appendChild(textBox(c.rep.text, c.rep.lang));
    if (c.rep.text_cut) left.appendChild(cutNote("text"));
    left.appendChild(boilerplate(c.rep.boilerplate, c.rep.boilerplate_cut));
    var right = el("div", "members");
    c.members.forEach(function (m) {
      var box = el("div", "member");
      box.appendChild(el("h3", "id", m.id));
      box.appendChild(when(m, c.origin === m.id));
      box.appendChild(el("p", "measures", "similarity " + m.similarity + " · containment " +
        m.containment + " · " + m.match + langTag(m.lang) + (m.via ? " (via " + m.via + ")" : "")));
      if (m.match === "translation") {
        // Words of two languages do not align: the two texts side by side, not a diff.
        var pair = el("div", "pair");
        var orig = el("div", "side side-rep");
        orig.appendChild(el("h4", null, "representative: " + c.rep.id + langTag(c.rep.lang)));
        orig.appendChild(textBox(c.rep.text, c.rep.lang));
        if (c.rep.text_cut) orig.appendChild(cutNote("text"));
        var copy = el("div", "side side-member");
        copy.appendChild(el("h4", null, m.id + langTag(m.lang)));
        copy.appendChild(textBox(m.text, m.lang));
        if (m.text_cut) copy.appendChild(cutNote("text"));
        pair.appendChild(orig);
        pair.appendChild(copy);
        box.appendChild(pair);
      } else {
        var diff = el("div", "text diff");
        m.diff.forEach(function (run, i) {
          if (i) diff.appendChild(document.createTextNode(" "));
          diff.appendChild(el("span", run[0], run[1]));
        });
        box.appendChild(diff);
        if (m.diff_cut) box.appendChild(cutNote("diff"));
      }
      box.appendChild(boilerplate(m.boilerplate, m.boilerplate_cut));
      right.appendChild(box);
    });
    grid.appendChild(left);
    grid.appendChild(right);
    wrap.appendChild(grid);
    return wrap;
  }

  var frag = document.createDocumentFragment();
  data.clusters.forEach(function (c) {
    var d = el("details", "cluster");
    d.id = "c-" + c.id;
    var s = el("summary");
    s.appendChild(el("strong", null, "#" + c.id));
    s.appendChild(document.createTextNode(" "));
    s.appendChild(el("span", "headline", c.headline || c.rep.id));
    s.appendChild(document.createTextNode(" · " + c.size + " documents" +
      (c.sources > 1 ? " from " + c.sources + " sources" : "") +
      (c.span ? " · last pickup " + c.span : "") + " · "));
    s.appendChild(el("span", "id", c.rep.id));
    if (c.rep.lang) s.appendChild(el("span", "lang", langTag(c.rep.lang)));
    var tongues = [];
    c.members.forEach(function (m) {
      if (m.match === "translation" && m.lang && tongues.indexOf(m.lang) === -1) {
        tongues.push(m.lang);
      }
    });
    if (tongues.length) s.appendChild(el("span", "lang", " · translated: " + tongues.join(", ")));
    d.appendChild(s);
    // Bodies are drawn on first opening only: a page of many clusters loads fast.
    d.addEventListener("toggle", function () {
      if (d.open && d.childNodes.length === 1) d.appendChild(body(c));
    });
    frag.appendChild(d);
    items.push({ c: c, d: d, hay: null });
  });
  list.appendChild(frag);

  function count(n) {
    shown.textContent = n + " of " + items.length + " clusters shown";
  }
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    items.forEach(function (it) {
      if (q && it.hay === null) {
        it.hay = [String(it.c.id), it.c.rep.id, it.c.rep.text]
          .concat(it.c.members.map(function (m) { return m.id; }))
          .join("\n").toLowerCase();
      }
      var hit = !q || it.hay.indexOf(q) !== -1;
      it.d.hidden = !hit;
      if (hit) n++;
    });
    count(n);
  }
  var timer = 0;
  filter.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  count(items.length);

  // Links from the overview open their cluster (clearing a filter that hides it).
  function show(id) {
    var d = document.getElementById("c-" + id);
    if (!d) return;
    if (d.hidden) {
      filter.value = "";
      apply();
    }
    d.open = true;
    d.scrollIntoView();
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.to-cluster") : null;
    if (!a) return;
    e.preventDefault();
    show(a.getAttribute("data-cluster"));
  });
  var m = /^#c-(\d+)$/.exec(location.hash);
  if (m) show(m[1]);
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::MatchKind;
    use crate::corpus::date::DateSource;
    use crate::published::Published;
    use crate::report::{
        ClusterReport, MemberReport, Params, SourceEdge, SourceReport, Stats, Tool,
    };

    fn report() -> Report {
        let member = |id: &str, kind| MemberReport {
            id: id.into(),
            similarity: 0.5,
            containment: 0.9,
            kind,
            via: None,
            lang: None,
            source: String::new(),
            date: None,
            date_source: None,
            lag_seconds: None,
            new: None,
        };
        Report {
            schema: 1,
            tool: Tool::default(),
            params: Params {
                method: "minhash".into(),
                threshold: 0.2,
                containment: 0.7,
                num_perm: 128,
                bands: 28,
                rows: 2,
                containment_bands: 43,
                containment_rows: 2,
                shingle: "char:7".into(),
                seed: 1,
                boilerplate_removal: true,
                translations: true,
                frequent_shingles: 0.02,
                normalizer_version: 1,
            },
            stats: Stats::default(),
            clusters: vec![ClusterReport {
                id: 0,
                size: 2,
                representative: "a</script>".into(),
                origin: None,
                members: vec![
                    member("a</script>", MatchKind::Representative),
                    member("b", MatchKind::Contained),
                ],
            }],
            sources: Vec::new(),
            skipped: vec![],
            index: None,
            document_ids: vec!["a</script>".into(), "b".into()],
        }
    }

    fn texts(a: &str, b: &str) -> Texts {
        let mut t = Texts::new();
        let doc = |text: &str, boilerplate: Vec<String>| DocText {
            kept: text.to_lowercase(),
            boilerplate: boilerplate.clone(),
            published: Published {
                text: text.into(),
                boilerplate,
            },
        };
        t.insert(
            "a</script>".into(),
            doc(a, vec!["<!-- <script> share </script>".into()]),
        );
        t.insert("b".into(), doc(b, vec![]));
        t
    }

    fn data_json(page: &str) -> serde_json::Value {
        let open = "<script type=\"application/json\" id=\"data\">";
        let start = page.find(open).expect("data script") + open.len();
        let end = start + page[start..].find("</script>").expect("end of data");
        serde_json::from_str(&page[start..end]).expect("valid JSON")
    }

    #[test]
    fn script_close_in_text_is_escaped() {
        let page = render(
            &report(),
            &texts("x </script><script>alert(1)</script> y", "x y"),
            DEFAULT_MAX_CHARS,
        );
        // Only the page's own two script elements close.
        assert_eq!(page.matches("</script>").count(), 2);
        assert!(!page.contains("<!-- <script>"));
        let data = data_json(&page);
        let rep = &data["clusters"][0]["rep"];
        assert_eq!(rep["id"], "a</script>");
        assert_eq!(rep["text"], "x </script><script>alert(1)</script> y");
        assert_eq!(rep["boilerplate"][0], "<!-- <script> share </script>");
    }

    #[test]
    fn diff_classes_and_cap() {
        let page = render(&report(), &texts("one two three four", "zero one two"), 100);
        let m = &data_json(&page)["clusters"][0]["members"][0];
        assert_eq!(
            m["diff"],
            serde_json::json!([
                ["only-member", "zero"],
                ["both", "one two"],
                ["missing", "three four"]
            ])
        );
        assert_eq!(m["diff_cut"], false);

        let page = render(&report(), &texts("one two three four", "zero one two"), 3);
        let data = data_json(&page);
        assert_eq!(data["clusters"][0]["rep"]["text"], "one");
        assert_eq!(data["clusters"][0]["rep"]["text_cut"], true);
        assert_eq!(data["clusters"][0]["members"][0]["diff_cut"], true);
    }

    #[test]
    fn translation_gets_its_text_not_a_diff() {
        let mut r = report();
        r.clusters[0].members[0].lang = Some("en");
        r.clusters[0].members[1].kind = MatchKind::Translation;
        r.clusters[0].members[1].lang = Some("fr");
        let page = render(&r, &texts("one two three four", "un deux trois"), 10);
        let c = &data_json(&page)["clusters"][0];
        assert_eq!(c["rep"]["lang"], "en");
        let m = &c["members"][0];
        assert_eq!(m["match"], "translation");
        assert_eq!(m["lang"], "fr");
        assert_eq!(m["diff"], serde_json::json!([]));
        assert_eq!(m["diff_cut"], false);
        assert_eq!(m["text"], "un deux tr");
        assert_eq!(m["text_cut"], true);

        // Without a language or a translation, neither key is written.
        let page = render(&report(), &texts("a b", "a"), 10);
        let c = &data_json(&page)["clusters"][0];
        assert!(c["rep"].get("lang").is_none());
        for key in ["lang", "text", "text_cut"] {
            assert!(c["members"][0].get(key).is_none(), "{key}");
        }
    }

    #[test]
    fn diff_is_on_keys_and_drawn_on_published_words() {
        let page = render(
            &report(),
            &texts(
                "The Minister said: “Talks resume.”\nSecond line here",
                "BREAKING: the minister said \"talks resume\" Second line",
            ),
            1000,
        );
        let c = &data_json(&page)["clusters"][0];
        assert_eq!(c["headline"], "The Minister said: “Talks resume.”");
        assert_eq!(
            c["members"][0]["diff"],
            serde_json::json!([
                ["only-member", "BREAKING:"],
                ["both", "the minister said \"talks resume\" Second line"],
                ["missing", "here"]
            ])
        );
    }

    #[test]
    fn headline_is_cut_at_a_word() {
        assert_eq!(headline("Short one\nbody"), "Short one");
        let long = "word ".repeat(60);
        let h = headline(&long);
        assert!(h.ends_with("word…"), "{h}");
        assert!(h.chars().count() <= HEADLINE_CHARS + 1);
        assert_eq!(headline(""), "");
    }

    /// A report whose cluster has dated copies from three sources, and their source edges.
    fn dated() -> Report {
        let mut r = report();
        let c = &mut r.clusters[0];
        c.members.push(c.members[1].clone());
        c.members[2].id = "c".into();
        c.size = 3;
        for (m, (source, date, lag)) in c.members.iter_mut().zip([
            ("wire", "2026-03-01T08:00:00Z", 0),
            ("daily", "2026-03-01T10:30:00Z", 9000),
            ("herald", "2026-03-02T08:00:00Z", 86400),
        ]) {
            m.source = source.into();
            m.date = Some(date.into());
            m.date_source = Some(DateSource::Field);
            m.lag_seconds = Some(lag);
        }
        c.origin = Some("a</script>".into());
        let edge = |count| SourceEdge {
            source: "wire".into(),
            count,
            translated: 0,
            median_lag_seconds: Some(9000),
        };
        let source = |name: &str, from| SourceReport {
            source: name.into(),
            documents: 1,
            originated: 0,
            reprinted: 1,
            from,
        };
        r.sources = vec![
            source("daily", vec![edge(1)]),
            source("herald", vec![edge(1)]),
            source("wire", vec![]),
        ];
        r
    }

    #[test]
    fn overview_has_charts_matrix_and_timelines() {
        let mut t = texts("Head line\nbody text", "Head line\nbody");
        t.insert("c".into(), t["b"].clone());
        let page = render(&dated(), &t, 1000);
        let overview = &page[page.find("<section id=\"overview\">").expect("overview")
            ..page.find("<section id=\"clusters\">").expect("clusters")];
        assert!(overview.contains("<figure id=\"sizes\""));
        assert_eq!(
            overview.matches("<svg").count(),
            2,
            "histogram and one timeline"
        );
        assert!(overview.contains("<table class=\"matrix\">"));
        assert!(
            overview.contains(
                "title=\"daily reprinted 1 of wire&#x27;s stories, median delay +2 h 30 min\""
            ) || overview.contains("daily reprinted 1 of wire")
        );
        assert!(overview.contains("<table id=\"furthest\">"));
        assert!(overview.contains("href=\"#c-0\""));
        assert!(overview.contains("+1 d 0 h"));
        let c = &data_json(&page)["clusters"][0];
        assert_eq!(c["origin"], "a</script>");
        assert_eq!(c["sources"], 3);
        assert_eq!(c["span"], "+1 d 0 h");
        assert!(c["timeline"]
            .as_str()
            .expect("timeline")
            .starts_with("<svg"));
        assert_eq!(c["rep"]["source"], "wire");
        assert_eq!(c["rep"]["date_source"], "field");
        assert_eq!(c["members"][0]["lag"], "+2 h 30 min");
        // Undated: no timeline, no span, and the overview says why.
        let page = render(&report(), &texts("a b", "a"), 10);
        assert!(page.contains("No story has two copies with comparable dates."));
        assert!(page.contains("No source reprinted another"));
        let c = &data_json(&page)["clusters"][0];
        for key in ["timeline", "span", "origin"] {
            assert!(c.get(key).is_none(), "{key}");
        }
    }

    #[test]
    fn cap_counts_characters() {
        assert_eq!(cap("éàü", 2), ("éà", true));
        assert_eq!(cap("éàü", 3), ("éàü", false));
        assert_eq!(
            cap_lines(&["ab".into(), "cd".into()], 3),
            (vec!["ab", "c"], true)
        );
    }
}
