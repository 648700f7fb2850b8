//! The HTML report: one self-contained page (inline CSS and JS, no network request of any kind)
//! that shows a dedup run's summary, its clusters with the representative beside each member,
//! word diffs and the boilerplate left out, and the skipped inputs. A translated member gets no
//! word diff (words of two languages do not align): its text is shown in a column beside the
//! representative's, each labelled with its id and language.
//!
//! Owns the page's layout and the data embedded in it. The word diffs are computed here, in
//! Rust, so that the script only draws; a cluster's body is drawn only when it is opened, so the
//! page stays usable with tens of thousands of clusters.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cluster::MatchKind;
use crate::explain::word_diff;
use crate::pipeline::{DocText, Texts};
use crate::report::Report;

/// Default cap on the characters of text embedded per document (`--html-max-chars`).
pub const DEFAULT_MAX_CHARS: usize = 20_000;

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
    rep: RepData<'a>,
    members: Vec<MemberData<'a>>,
}

#[derive(Serialize)]
struct RepData<'a> {
    id: &'a str,
    /// ISO 639-1 code of its text's language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'static str>,
    text: &'a str,
    text_cut: bool,
    boilerplate: Vec<&'a str>,
    boilerplate_cut: bool,
}

#[derive(Serialize)]
struct MemberData<'a> {
    id: &'a str,
    similarity: f64,
    containment: f64,
    #[serde(rename = "match")]
    kind: MatchKind,
    /// ISO 639-1 code of its text's language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'static str>,
    /// Runs of `[class, words]`, class one of `both`, `only-member`, `missing`; empty for a
    /// translation.
    diff: Vec<(&'static str, String)>,
    diff_cut: bool,
    /// A translation's own text, shown beside the representative's instead of a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// Whether `text` was cut (present with `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    text_cut: Option<bool>,
    boilerplate: Vec<&'a str>,
    boilerplate_cut: bool,
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

/// The member's diff against the representative, up to `max` characters of words in all.
fn capped_diff(rep: &str, member: &str, max: usize) -> (Vec<(&'static str, String)>, bool) {
    let mut left = max;
    let mut out = Vec::new();
    for run in word_diff(rep, member) {
        // word_diff(a = representative, b = member): what only the representative has is what
        // the member lacks.
        let class = match run.side {
            "only_a" => "missing",
            "only_b" => "only-member",
            _ => "both",
        };
        let (kept, cut) = cap(&run.text, left);
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

/// Renders the page for `report`, with the texts of its clustered documents (from
/// [`crate::pipeline::dedup_with_texts`]); each document's embedded text (kept text, diff and
/// boilerplate, each) is capped at `max_chars` characters, and the page says where it was cut.
/// The same inputs give a byte-identical page.
pub fn render(report: &Report, texts: &Texts, max_chars: usize) -> String {
    let empty = DocText::default();
    let doc = |id: &str| texts.get(id).unwrap_or(&empty);
    let clusters = report
        .clusters
        .iter()
        .map(|c| {
            let rep = doc(&c.representative);
            let (rep_text, text_cut) = cap(&rep.kept, max_chars);
            let (boilerplate, boilerplate_cut) = cap_lines(&rep.boilerplate, max_chars);
            let rep_lang = c
                .members
                .iter()
                .find(|m| m.id == c.representative)
                .and_then(|m| m.lang);
            let members = c
                .members
                .iter()
                .filter(|m| m.id != c.representative)
                .map(|m| {
                    let d = doc(&m.id);
                    // A word diff between two languages marks every word: a translation is
                    // shown whole, beside the representative.
                    let (diff, diff_cut, text, text_cut) = if m.kind == MatchKind::Translation {
                        let (text, cut) = cap(&d.kept, max_chars);
                        (Vec::new(), false, Some(text), Some(cut))
                    } else {
                        let (diff, cut) = capped_diff(&rep.kept, &d.kept, max_chars);
                        (diff, cut, None, None)
                    };
                    let (boilerplate, boilerplate_cut) = cap_lines(&d.boilerplate, max_chars);
                    MemberData {
                        id: &m.id,
                        similarity: m.similarity,
                        containment: m.containment,
                        kind: m.kind,
                        lang: m.lang,
                        diff,
                        diff_cut,
                        text,
                        text_cut,
                        boilerplate,
                        boilerplate_cut,
                    }
                })
                .collect();
            ClusterData {
                id: c.id,
                size: c.size,
                rep: RepData {
                    id: &c.representative,
                    lang: rep_lang,
                    text: rep_text,
                    text_cut,
                    boilerplate,
                    boilerplate_cut,
                },
                members,
            }
        })
        .collect();
    let data = Data {
        max_chars,
        clusters,
    };
    // Plain structs of strings, numbers and booleans always serialize.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());

    let mut o = String::with_capacity(json.len() + 16 * 1024);
    o.push_str(HEAD);
    summary(&mut o, report);
    let _ = write!(
        o,
        "<section id=\"clusters\">\n<h2>Clusters ({})</h2>\n\
         <p class=\"legend\">Diff of each member against the representative: shared text, \
         <span class=\"only-member\">text only in the member</span>, \
         <span class=\"missing\">text the member lacks</span>; \
         <span class=\"boilerplate\">boilerplate left out of fingerprints</span>. \
         A translation is shown in a column beside the representative's text instead; \
         its similarity is the ordered overlap of the two texts' names and figures, its \
         containment the share of the shorter text's names and figures that the other has.</p>\n\
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
  function body(c) {
    var grid = el("div", "grid");
    var left = el("div", "rep");
    left.appendChild(el("h3", "id", "representative: " + c.rep.id + langTag(c.rep.lang)));
    left.appendChild(textBox(c.rep.text, c.rep.lang));
    if (c.rep.text_cut) left.appendChild(cutNote("text"));
    left.appendChild(boilerplate(c.rep.boilerplate, c.rep.boilerplate_cut));
    var right = el("div", "members");
    c.members.forEach(function (m) {
      var box = el("div", "member");
      box.appendChild(el("h3", "id", m.id));
      box.appendChild(el("p", "measures", "similarity " + m.similarity + " · containment " +
        m.containment + " · " + m.match + langTag(m.lang)));
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
    return grid;
  }

  var frag = document.createDocumentFragment();
  data.clusters.forEach(function (c) {
    var d = el("details", "cluster");
    var s = el("summary");
    s.appendChild(el("strong", null, "#" + c.id));
    s.appendChild(document.createTextNode(" · " + c.size + " documents · "));
    s.appendChild(el("span", "id", c.rep.id));
    if (c.rep.lang) s.appendChild(el("span", "lang", langTag(c.rep.lang)));
    var tongues = [];
    c.members.forEach(function (m) {
      if (m.match === "translation" && m.lang && tongues.indexOf(m.lang) === -1) {
        tongues.push(m.lang);
      }
    });
    if (tongues.length) s.appendChild(el("span", "lang", " · translated: " + tongues.join(", ")));
    s.appendChild(el("span", "snippet", " — " + c.rep.text.slice(0, 120)));
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
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::MatchKind;
    use crate::report::{ClusterReport, MemberReport, Params, Stats, Tool};

    fn report() -> Report {
        let member = |id: &str, kind| MemberReport {
            id: id.into(),
            similarity: 0.5,
            containment: 0.9,
            kind,
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
        t.insert(
            "a</script>".into(),
            DocText {
                kept: a.into(),
                boilerplate: vec!["<!-- <script> share </script>".into()],
            },
        );
        t.insert(
            "b".into(),
            DocText {
                kept: b.into(),
                boilerplate: vec![],
            },
        );
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
    fn cap_counts_characters() {
        assert_eq!(cap("éàü", 2), ("éà", true));
        assert_eq!(cap("éàü", 3), ("éàü", false));
        assert_eq!(
            cap_lines(&["ab".into(), "cd".into()], 3),
            (vec!["ab", "c"], true)
        );
    }
}
