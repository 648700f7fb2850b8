//! The HTML page of `reprint dedup --html`: self-contained, valid embedded data, every cluster
//! and skip shown, the text cap honoured, atomic writing, and independence from thread count.

mod util;

use std::path::Path;

fn corpus() -> String {
    util::testdata().join("corpus").display().to_string()
}

/// Runs `reprint dedup ARGS --html OUT` and returns the page.
fn page(args: &[&str], out: &Path) -> String {
    let mut all: Vec<&str> = vec!["dedup"];
    all.extend_from_slice(args);
    let out_s = out.display().to_string();
    all.extend_from_slice(&["--html", &out_s, "--progress", "never"]);
    let res = util::run(&all);
    assert!(
        res.status.success(),
        "reprint {all:?} failed: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    std::fs::read_to_string(out).expect("HTML page written")
}

/// The JSON blob of the data script, parsed.
fn data(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"data\">";
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").expect("end of data script");
    serde_json::from_str(&page[start..end]).expect("data script holds valid JSON")
}

#[test]
fn html_page_is_self_contained() {
    let dir = util::Dir::new();
    let html = page(&[&corpus()], &dir.path().join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_lowercase();
    for bad in ["<link", "<script src", "<img", "<iframe", "@import", "url("] {
        assert!(!lower.contains(bad), "page contains {bad:?}");
    }
    for attr in ["src=", "href="] {
        for quote in ["\"", "'", ""] {
            for scheme in ["http://", "https://", "//"] {
                let needle = format!("{attr}{quote}{scheme}");
                assert!(!lower.contains(&needle), "page contains {needle:?}");
            }
        }
    }
    // A content security policy forbids every fetch, whatever the page holds.
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn html_embeds_every_cluster_and_matches_report() {
    let dir = util::Dir::new();
    let json_path = dir.path().join("report.json");
    let html = page(
        &[&corpus(), "-o", &json_path.display().to_string()],
        &dir.path().join("report.html"),
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("report")).expect("JSON");
    let data = data(&html);
    let clusters = report["clusters"].as_array().expect("clusters");
    let shown = data["clusters"].as_array().expect("clusters in data");
    assert!(!clusters.is_empty());
    assert_eq!(clusters.len(), shown.len());
    for (c, s) in clusters.iter().zip(shown) {
        let rep = c["representative"].as_str().expect("representative");
        assert!(html.contains(rep), "page lacks representative {rep}");
        assert_eq!(s["rep"]["id"], rep);
        assert_eq!(s["size"], c["size"]);
        assert!(!s["rep"]["text"].as_str().expect("text").is_empty());
        let members = c["members"].as_array().expect("members");
        assert_eq!(
            s["members"].as_array().expect("members").len(),
            members.len() - 1
        );
        for (m, sm) in members[1..]
            .iter()
            .zip(s["members"].as_array().expect("members"))
        {
            assert_eq!(m["id"], sm["id"]);
            assert_eq!(m["similarity"], sm["similarity"]);
            assert_eq!(m["containment"], sm["containment"]);
            assert_eq!(m["match"], sm["match"]);
            for run in sm["diff"].as_array().expect("diff") {
                let class = run[0].as_str().expect("class");
                assert!(
                    ["both", "only-member", "missing"].contains(&class),
                    "{class}"
                );
            }
        }
    }
    // The bundled corpus has site chrome and cut copies: both kinds of marking appear.
    let all = serde_json::to_string(&data).expect("json");
    assert!(all.contains("\"missing\""));
    assert!(data["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .any(|c| !c["rep"]["boilerplate"].as_array().expect("bp").is_empty()));
    assert!(html.contains("class=\"boilerplate\"") || html.contains("\"boilerplate\""));
    assert!(html.contains(&format!(
        "<tr><th>documents</th><td>{}</td></tr>",
        report["stats"]["documents"]
    )));
}

#[test]
fn html_shows_skipped_inputs() {
    let extra = util::Dir::new();
    extra.write("broken/binary.txt", b"abc\0def");
    extra.write("broken/empty.txt", b"");
    let out = util::Dir::new();
    let html = page(
        &[&corpus(), &extra.path().display().to_string()],
        &out.path().join("r.html"),
    );
    assert!(html.contains("Skipped inputs (2)"), "skipped heading");
    assert!(html.contains("broken/binary.txt"));
    assert!(html.contains("broken/empty.txt"));
    assert!(html.contains("binary file"));
}

#[test]
fn html_max_chars_cuts_and_says_so() {
    let dir = util::Dir::new();
    let html = page(
        &[&corpus(), "--html-max-chars", "10"],
        &dir.path().join("r.html"),
    );
    let data = data(&html);
    assert_eq!(data["max_chars"], 10);
    for c in data["clusters"].as_array().expect("clusters") {
        let text = c["rep"]["text"].as_str().expect("text");
        assert!(text.chars().count() <= 10, "{text:?}");
        assert_eq!(c["rep"]["text_cut"], true);
        for m in c["members"].as_array().expect("members") {
            let chars: usize = m["diff"]
                .as_array()
                .expect("diff")
                .iter()
                .map(|r| r[1].as_str().expect("words").chars().count())
                .sum();
            assert!(chars <= 10);
            assert_eq!(m["diff_cut"], true);
        }
    }
    // The script names the cap where text was cut.
    assert!(html.contains("--html-max-chars"));

    let full = page(&[&corpus()], &dir.path().join("full.html"));
    assert!(full.len() > html.len());
    assert!(data_has_no_cut(&self::data(&full)));
}

fn data_has_no_cut(data: &serde_json::Value) -> bool {
    data["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .all(|c| c["rep"]["text_cut"] == false)
}

#[test]
fn html_unwritable_path_fails_cleanly() {
    let dir = util::Dir::new();
    let json_path = dir.path().join("report.json");
    let html_path = dir.path().join("no-such-dir").join("r.html");
    let res = util::run(&[
        "dedup",
        &corpus(),
        "-o",
        &json_path.display().to_string(),
        "--html",
        &html_path.display().to_string(),
        "--progress",
        "never",
    ]);
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("r.html"), "{stderr}");
    assert!(!html_path.exists());
    assert!(
        !json_path.exists(),
        "report written although the page failed"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn html_identical_for_any_thread_count() {
    let dir = util::Dir::new();
    let one = page(&[&corpus(), "-j1"], &dir.path().join("j1.html"));
    let two = page(&[&corpus(), "-j2"], &dir.path().join("j2.html"));
    assert!(one == two, "-j1 and -j2 pages differ");
}

/// An invented story as a wire original (English), its French translation and a shortened
/// English reprint with its own headline: the translation shares the original's names and
/// figures, in order, written the French way (12 500, 48,6, 9,3 %).
const STORY_EN: &str = "Kessel Valley reservoir to supply 12,500 homes by 2027

MARROWGATE — Mayor Odile Fenwick announced on Tuesday that the Kessel Valley reservoir will \
supply 12,500 households by the spring of 2027. The project, run by Aldercrest Hydro, will cost \
48.6 million euros, a rise of 9.3% over the first estimate. Chief engineer Tomasz Brecklin said \
the dam near Pellworth would be 62 metres high and hold 14.2 million cubic metres of water. \
About 340 workers will be hired, most of them from Marrowgate and Dunstowe. Critics led by \
councillor Agnes Holloway say the 17 kilometres of new pipeline will cross the Ravensmoor \
wetlands, home to 85 species of birds. Fenwick replied that Aldercrest Hydro had moved the route \
2.4 kilometres east after talks with the Ravensmoor Trust. A public hearing is set for 14 May in \
Pellworth, and the first water should reach Dunstowe in October 2027, Brecklin said. Residents \
who want to speak at the hearing have been asked to register with the town hall beforehand, and \
the full plans will be published online next week.
";

const STORY_FR: &str = "Le réservoir de la Kessel alimentera 12 500 foyers en 2027

MARROWGATE — La maire Odile Fenwick a annoncé mardi que le réservoir de la vallée de la Kessel \
alimentera 12 500 foyers d'ici le printemps 2027. Le projet, mené par Aldercrest Hydro, coûtera \
48,6 millions d'euros, soit 9,3 % de plus que prévu. L'ingénieur en chef Tomasz Brecklin a \
indiqué que le barrage près de Pellworth mesurerait 62 mètres de haut et retiendrait \
14,2 millions de mètres cubes d'eau. Quelque 340 ouvriers seront embauchés, surtout à Marrowgate \
et à Dunstowe. Les opposants, menés par la conseillère Agnes Holloway, affirment que les \
17 kilomètres de canalisation traverseront les zones humides de Ravensmoor, où vivent \
85 espèces d'oiseaux. Fenwick a répondu qu'Aldercrest Hydro avait déplacé le tracé de \
2,4 kilomètres vers l'est après avoir consulté le Ravensmoor Trust. Une audience publique aura \
lieu le 14 mai à Pellworth, et l'eau devrait arriver à Dunstowe en octobre 2027, selon Brecklin.
";

/// The shortened English reprint: the original's body cut after the hearing's date, under its
/// own headline.
fn story_en_reprint() -> String {
    let (_, body) = STORY_EN
        .split_once("\n\n")
        .expect("a headline, then the body");
    let (kept, _) = body
        .split_once(", and the first water")
        .expect("the body's last sentence");
    format!("Marrowgate reservoir will serve 12,500 homes, mayor says\n\n{kept}.\n")
}

const ORIGINAL: &str = "wire/kessel-reservoir.txt";
const TRANSLATION: &str = "lematin/reservoir-kessel.txt";
const REPRINT: &str = "reprints/marrowgate-water.txt";

/// The page (and the JSON report) of the three-document story corpus, in `dir`.
fn translation_page(dir: &util::Dir) -> (String, serde_json::Value) {
    let corpus = dir.path().join("corpus");
    dir.write(&format!("corpus/{ORIGINAL}"), STORY_EN);
    dir.write(&format!("corpus/{TRANSLATION}"), STORY_FR);
    dir.write(&format!("corpus/{REPRINT}"), story_en_reprint());
    let json_path = dir.path().join("report.json");
    let html = page(
        &[
            &corpus.display().to_string(),
            "-o",
            &json_path.display().to_string(),
        ],
        &dir.path().join("report.html"),
    );
    let report =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("report")).expect("JSON");
    (html, report)
}

#[test]
fn html_translation_shown_beside_original_not_diffed() {
    let dir = util::Dir::new();
    let (html, report) = translation_page(&dir);
    // The run groups the three: the English original leads, the French copy is its translation
    // and the English reprint a same-language match.
    assert_eq!(
        util::groups(&report),
        vec![vec![TRANSLATION, REPRINT, ORIGINAL]]
    );
    let c = &report["clusters"][0];
    assert_eq!(c["representative"], ORIGINAL);
    let kind = |id: &str| {
        let m = c["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["id"] == id)
            .expect("member");
        (m["match"].clone(), m["lang"].clone())
    };
    assert_eq!(kind(TRANSLATION), ("translation".into(), "fr".into()));
    assert_ne!(kind(REPRINT).0, "translation");
    assert_eq!(kind(REPRINT).1, "en");

    let data = data(&html);
    let shown = &data["clusters"][0];
    assert_eq!(shown["rep"]["id"], ORIGINAL);
    assert_eq!(shown["rep"]["lang"], "en");
    let member = |id: &str| {
        shown["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["id"] == id)
            .expect("member shown")
            .clone()
    };
    // The translation: its whole text, to sit beside the representative's, and no diff.
    let tr = member(TRANSLATION);
    assert_eq!(tr["match"], "translation");
    assert_eq!(tr["lang"], "fr");
    assert_eq!(tr["diff"], serde_json::json!([]));
    assert_eq!(tr["text_cut"], false);
    let tr_text = tr["text"].as_str().expect("translation text");
    assert!(
        tr_text.contains("La maire Odile Fenwick a annoncé mardi")
            && tr_text.contains("12 500 foyers"),
        "{tr_text}"
    );
    // The same-language reprint still gets its word diff: its own headline, the end it lacks.
    let re = member(REPRINT);
    assert_eq!(re["lang"], "en");
    assert!(re.get("text").is_none(), "{re}");
    let runs = re["diff"].as_array().expect("diff");
    for class in ["both", "only-member", "missing"] {
        assert!(runs.iter().any(|r| r[0] == class), "no {class} run: {re}");
    }
    assert!(runs
        .iter()
        .any(|r| r[0] == "missing" && r[1].as_str().expect("words").contains("Brecklin said")));

    // The script draws the two labelled columns and the language tags; the page stays
    // self-contained and its text escaped in the data script.
    for needle in [
        "el(\"div\", \"pair\")",
        "\"representative: \" + c.rep.id + langTag(c.rep.lang)",
        "m.id + langTag(m.lang)",
        "m.match + langTag(m.lang)",
        "A translation is shown in a column beside the representative",
    ] {
        assert!(html.contains(needle), "page lacks {needle:?}");
    }
    assert!(html.contains("default-src 'none'"));
    assert_eq!(html.matches("</script>").count(), 2);
}

/// A minimal DOM for node: enough for the page's script to run; opens every cluster and prints
/// the tree it drew as JSON (`tag`, `cls`, `text` = textContent, `lang`, `kids`).
const DRAW_JS: &str = r##""use strict";
var page = require("fs").readFileSync(process.argv[2], "utf8");
function N(tag) { this.tag = tag; this.kids = []; this.className = ""; this.own = ""; this.on = {}; }
N.prototype.appendChild = function (c) {
  if (c.tag === "#fragment") { this.kids = this.kids.concat(c.kids); } else { this.kids.push(c); }
  return c;
};
N.prototype.addEventListener = function (t, f) { this.on[t] = f; };
Object.defineProperty(N.prototype, "childNodes", { get: function () { return this.kids; } });
Object.defineProperty(N.prototype, "textContent", {
  get: function () { return this.own + this.kids.map(function (k) { return k.textContent; }).join(""); },
  set: function (v) { this.own = String(v); this.kids = []; }
});
function between(open, close) {
  var s = page.indexOf(open) + open.length;
  return page.slice(s, page.indexOf(close, s));
}
var byId = { data: new N("script"), list: new N("div"), shown: new N("p"), filter: new N("input") };
byId.data.textContent = between('<script type="application/json" id="data">', "</script>");
byId.filter.value = "";
global.document = {
  getElementById: function (id) { return byId[id]; },
  createElement: function (t) { return new N(t); },
  createTextNode: function (t) { var n = new N("#text"); n.own = String(t); return n; },
  createDocumentFragment: function () { return new N("#fragment"); },
  addEventListener: function () {}
};
global.location = { hash: "" };
new Function(page.slice(page.lastIndexOf("<script>") + 8, page.lastIndexOf("</script>")))();
byId.list.kids.forEach(function (d) { d.open = true; d.on.toggle(); });
function dump(n) {
  var o = { tag: n.tag, cls: n.className, text: n.textContent };
  if (n.lang) o.lang = n.lang;
  if (n.kids.length) o.kids = n.kids.map(dump);
  return o;
}
process.stdout.write(JSON.stringify(byId.list.kids.map(dump)));
"##;

/// Every node under `n` (itself included) whose class list has `class`, in document order.
fn with_class<'a>(n: &'a serde_json::Value, class: &str, out: &mut Vec<&'a serde_json::Value>) {
    if n["cls"]
        .as_str()
        .is_some_and(|c| c.split(' ').any(|c| c == class))
    {
        out.push(n);
    }
    for k in n["kids"].as_array().into_iter().flatten() {
        with_class(k, class, out);
    }
}

fn find<'a>(n: &'a serde_json::Value, class: &str) -> Vec<&'a serde_json::Value> {
    let mut out = Vec::new();
    with_class(n, class, &mut out);
    out
}

/// The page's own script, run under node against a minimal DOM, draws the translation in two
/// labelled columns and the reprint as a diff (the browser test needs Chromium; this needs
/// only node, and says it was skipped without it).
#[test]
fn html_translation_drawn_in_two_labelled_columns() {
    let Some(node) = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("node"))
            .find(|p| p.is_file())
    }) else {
        eprintln!("drawing test skipped: node not installed");
        return;
    };
    let dir = util::Dir::new();
    let (html, _) = translation_page(&dir);
    let data = data(&html);
    let shown = &data["clusters"][0];
    let script = dir.path().join("draw.js");
    std::fs::write(&script, DRAW_JS).expect("write draw.js");
    let out = std::process::Command::new(node)
        .arg(&script)
        .arg(dir.path().join("report.html"))
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "the page's script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let drawn: serde_json::Value = serde_json::from_slice(&out.stdout).expect("drawn tree");
    let cluster = &drawn[0];
    let text = |n: &serde_json::Value| n["text"].as_str().expect("text").to_string();

    // The list line names the representative's language and the translations'.
    let summary = text(&cluster["kids"][0]);
    assert!(
        summary.contains(&format!("{ORIGINAL} (en) · translated: fr")),
        "{summary}"
    );
    // The representative's column is labelled with its language.
    let rep = find(cluster, "rep");
    assert_eq!(
        text(&rep[0]["kids"][0]),
        format!("representative: {ORIGINAL} (en)")
    );

    let members = find(cluster, "member");
    assert_eq!(members.len(), 2);
    let by_id = |id: &str| {
        *members
            .iter()
            .find(|m| m["kids"][0]["text"] == id)
            .unwrap_or_else(|| panic!("no member box for {id}"))
    };

    // The translation: "translation (fr)", two columns, each labelled with its id and
    // language, holding the two texts; no diff.
    let tr = by_id(TRANSLATION);
    assert!(
        text(find(tr, "measures")[0]).ends_with(" · translation (fr)"),
        "{tr}"
    );
    assert!(find(tr, "diff").is_empty(), "a translation got a diff");
    let pairs = find(tr, "pair");
    assert_eq!(pairs.len(), 1);
    let sides = pairs[0]["kids"].as_array().expect("columns");
    assert_eq!(sides.len(), 2, "two columns");
    let shown_tr = shown["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["id"] == TRANSLATION)
        .expect("translation");
    for (side, label, lang, body) in [
        (
            &sides[0],
            format!("representative: {ORIGINAL} (en)"),
            "en",
            &shown["rep"]["text"],
        ),
        (
            &sides[1],
            format!("{TRANSLATION} (fr)"),
            "fr",
            &shown_tr["text"],
        ),
    ] {
        assert_eq!(side["kids"][0]["tag"], "h4");
        assert_eq!(text(&side["kids"][0]), label);
        let t = find(side, "text");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0]["lang"], lang);
        assert_eq!(&t[0]["text"], body);
    }

    // The reprint: its kind with its language, and its word diff as drawn spans.
    let re = by_id(REPRINT);
    let measures = text(find(re, "measures")[0]);
    assert!(
        measures.ends_with(" · near-duplicate (en)") || measures.ends_with(" · contained (en)"),
        "{measures}"
    );
    assert!(
        find(re, "pair").is_empty(),
        "a same-language member in columns"
    );
    let diff = find(re, "diff");
    assert_eq!(diff.len(), 1);
    let spans: Vec<serde_json::Value> = diff[0]["kids"]
        .as_array()
        .expect("runs")
        .iter()
        .filter(|k| k["tag"] == "span")
        .map(|k| serde_json::json!([k["cls"], k["text"]]))
        .collect();
    let shown_re = shown["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["id"] == REPRINT)
        .expect("reprint");
    assert_eq!(serde_json::Value::Array(spans), shown_re["diff"]);
}

/// The page of the dated demo corpus ([`util::demo_corpus_jsonl`]), built with `ARGS` and a
/// fixed clock.
fn demo_page(dir: &util::Dir, args: &[&str], name: &str) -> String {
    let corpus = dir.path().join("demo.jsonl");
    if !corpus.exists() {
        std::fs::write(&corpus, util::demo_corpus_jsonl()).expect("write the demo corpus");
    }
    let out = dir.path().join(name);
    let res = util::reprint()
        .arg("dedup")
        .arg(&corpus)
        .args(args)
        .arg("--html")
        .arg(&out)
        .args(["--progress", "never", "-o", "/dev/null"])
        .env("SOURCE_DATE_EPOCH", "1800000000")
        .output()
        .expect("run reprint");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    std::fs::read_to_string(out).expect("page written")
}

/// The overview of a dated corpus: the size histogram and the timelines as SVG, the reprint
/// matrix, the stories that travelled furthest; each cluster headed by its headline (never the
/// source's banner), its texts as published, its diff drawn on the published words, its
/// timeline; the same page at any thread count.
#[test]
fn html_demo_page_has_charts_and_published_text() {
    let dir = util::Dir::new();
    let html = demo_page(&dir, &["-j1"], "j1.html");
    assert!(
        html == demo_page(&dir, &["-j2"], "j2.html"),
        "-j1 and -j2 pages differ"
    );

    let overview = &html[html.find("<section id=\"overview\">").expect("overview")
        ..html.find("<section id=\"summary\">").expect("summary")];
    let sizes = &overview[overview.find("<figure id=\"sizes\"").expect("histogram")..];
    assert!(sizes.starts_with(
        "<figure id=\"sizes\" class=\"chart\">\n<figcaption>Clusters by size (8 clusters)"
    ));
    assert!(
        sizes.contains("<svg") && sizes.contains("<rect"),
        "histogram bars"
    );
    assert!(overview.contains("<table class=\"matrix\">"));
    // wire-agency's stories reprinted by dailyharbor: four, with the median delay in the title.
    assert!(
        overview.contains("title=\"dailyharbor reprinted 4 of wire-agency's stories, median delay +25 min\">4</td>"),
        "{overview}"
    );
    assert!(overview.contains("<table id=\"furthest\">"));
    let timelines = &overview[overview.find("<div id=\"timelines\">").expect("timelines")..];
    assert_eq!(
        timelines
            .matches("<figure class=\"chart timeline\">")
            .count(),
        6
    );
    assert!(timelines.matches("<circle").count() >= 6 * 2);
    assert!(
        timelines.contains(">riverside-echo</text>")
            || timelines.contains("riverside-echo\n</text>")
    );

    let data = data(&html);
    let stories = util::demo_stories();
    for c in data["clusters"].as_array().expect("clusters") {
        let rep = c["rep"]["id"].as_str().expect("rep id");
        let story: usize = rep
            .rsplit('-')
            .next()
            .expect("n")
            .parse()
            .expect("story number");
        // The heading is the story's headline, never the banner of the source.
        assert_eq!(c["headline"], stories[story].headline.as_str(), "{rep}");
        let text = c["rep"]["text"].as_str().expect("text");
        assert!(text.starts_with(&stories[story].headline), "{text}");
        for (_, banner, footer) in util::DEMO_SOURCES {
            assert!(!text.contains(banner) && !text.contains(footer), "{text}");
        }
        // The banner is listed, as printed, among the boilerplate.
        let source = c["rep"]["source"].as_str().expect("source");
        let (_, banner, _) = util::DEMO_SOURCES
            .iter()
            .find(|s| s.0 == source)
            .expect("a demo source");
        assert!(c["rep"]["boilerplate"]
            .as_array()
            .expect("bp")
            .iter()
            .any(|l| l == banner));
        let origin = c["origin"].as_str().expect("origin");
        assert!(origin.ends_with(&format!("story-{story}")), "{origin}");
        assert!(c["timeline"]
            .as_str()
            .expect("timeline")
            .starts_with("<svg"));
    }
    let story0 = &data["clusters"][0];
    assert_eq!(story0["origin"], "wire-agency/story-0");
    assert_eq!(story0["span"], "+3 d 1 h");
    assert!(story0["rep"]["text"]
        .as_str()
        .expect("text")
        .contains("“We will not stop,” one added."));
    let member = |id: &str| {
        story0["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let runs = |id: &str| -> Vec<(String, String)> {
        member(id)["diff"]
            .as_array()
            .expect("diff")
            .iter()
            .map(|r| {
                (
                    r[0].as_str().expect("class").into(),
                    r[1].as_str().expect("words").into(),
                )
            })
            .collect()
    };
    // The uppercased headline and the straight quotes are the same words: shared, and drawn as
    // that copy printed them.
    let metro = runs("metrowire/story-0");
    assert_eq!(metro[0].0, "both");
    assert!(
        metro[0].1.starts_with("RESERVOIR PLAN FOR KESSEL VALLEY"),
        "{metro:?}"
    );
    let north = runs("northgazette/story-0");
    assert!(
        north
            .iter()
            .any(|(c, w)| c == "both" && w.contains("\"We will not stop,\" one added.")),
        "{north:?}"
    );
    // What only a copy has (a credit line) and what it lacks (a cut paragraph).
    let credit = "Additional reporting by Coastal Post staff in Marrowgate.";
    if story0["rep"]["id"] == "coastalpost/story-0" {
        assert!(
            north
                .iter()
                .any(|(c, w)| c == "missing" && w.ends_with(credit)),
            "{north:?}"
        );
    } else {
        assert!(runs("coastalpost/story-0")
            .iter()
            .any(|(c, w)| c == "only-member" && w == credit));
    }
    assert!(north.iter().any(|(c, _)| c == "missing"), "{north:?}");
    assert_eq!(member("dailyharbor/story-0")["lag"], "+25 min");
    assert_eq!(member("dailyharbor/story-0")["date_source"], "field");
}
