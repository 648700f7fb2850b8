//! HTML pages: the visible article text of a page, parsed with html5ever (through `scraper`) the
//! way a browser would. Chrome (scripts, navigation, headers, footers, asides, forms) is
//! dropped, `<article>` or `<main>` is preferred when it holds the story, block elements become
//! line and paragraph breaks, and the headline goes first as its own line. The page's own
//! publication date is read from its metadata (`<meta>`, `itemprop`, JSON-LD, `<time>`). Every
//! walk over the tree is iterative, so a hostile nesting depth cannot overflow the stack.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{encoding, Reason};

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
    "iframe", "head", "button", "select", "textarea", "object", "embed", "canvas", "dialog",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "tr",
    "article",
    "main",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "figure",
    "figcaption",
    "address",
    "hr",
    "details",
    "summary",
    "center",
    "fieldset",
    "legend",
    "hgroup",
    "pre",
    "body",
];

/// The XHTML namespace: a `<title>` in any other (SVG's) is not the page's title.
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// An `<article>` (or `<main>`) is taken as the story only when it holds at least this share
/// of the page's visible text; below that it is a teaser card, not the story.
const CONTENT_MIN_SHARE: f64 = 1.0 / 3.0;

/// How deep elements may nest. Browsers stop nesting at a few hundred levels; html5ever does
/// not, and its tree builder slows down with the square of the depth, so a hostile page of a
/// few megabytes of `<div>`s would take hours. Real pages stay far below this.
const MAX_NESTING_DEPTH: usize = 5_000;

/// Elements that never hold children (`<br>`), close themselves when a sibling starts (`<p>`,
/// `<li>`), or are formatting elements whose nesting the parser caps: none of them deepens the
/// tree without bound.
const SHALLOW: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "rb", "rt", "rp", "a", "b", "big", "code", "em", "font", "i",
    "nobr", "s", "small", "strike", "strong", "tt", "u", "html", "head", "body", "frame",
];

/// Elements whose content the tokenizer does not parse as tags (or, for `svg` and `math`,
/// whose self-closed children would be miscounted).
const OPAQUE: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    "svg", "math",
];

/// The article text of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The headline: the first `<h1>`, else the `<title>`.
    pub title: Option<String>,
    /// The headline (when there is one) on the first line, then the text, paragraphs separated
    /// by blank lines.
    pub text: String,
    /// Whether bytes had to be replaced, or the charset guessed, while decoding.
    pub repaired: bool,
    /// The publication date the page's metadata states, in Unix seconds (see [`page_date`]).
    pub date: Option<i64>,
}

/// The article text of an HTML page given as bytes; the charset comes from a byte-order mark,
/// else a `<meta>` declaration, else UTF-8 with a Windows-1252 fallback.
pub fn extract(bytes: &[u8]) -> Result<Extracted, Reason> {
    extract_with_charset(bytes, None)
}

/// Like [`extract`], with the charset the transport declared (an HTTP `Content-Type`), which
/// outranks the page's own declaration as it does in a browser.
pub fn extract_with_charset(bytes: &[u8], charset: Option<&str>) -> Result<Extracted, Reason> {
    if bytes.is_empty() {
        return Err(Reason::Empty);
    }
    let (text, repaired) = encoding::decode_html(bytes, charset)?;
    let mut page = extract_str(&text)?;
    page.repaired = repaired;
    Ok(page)
}

/// The article text of HTML that is already decoded (a JSON field holding HTML, say).
/// `Err` when nothing visible is left outside the dropped chrome.
pub fn extract_str(html: &str) -> Result<Extracted, Reason> {
    if nests_deeper_than(html, MAX_NESTING_DEPTH) {
        return Err(Reason::TooDeep {
            limit: MAX_NESTING_DEPTH,
        });
    }
    let doc = Html::parse_document(html);
    let survey = Survey::of(doc.tree.root());
    let content = survey.content();
    let h1 = find_h1(content, false)
        .or_else(|| find_h1(content, true))
        .or_else(|| {
            (content != survey.body)
                .then(|| find_h1(survey.body, false))
                .flatten()
        });
    let title = h1
        .map(|h| one_line(&render(h, None)))
        .filter(|t| !t.is_empty())
        .or_else(|| page_title(doc.tree.root()));
    let body = render(content, h1.map(|h| h.id()));
    if body.trim().is_empty() {
        return Err(Reason::NoHtmlText);
    }
    let text = match &title {
        Some(t) if body.lines().next().map(str::trim) != Some(t.as_str()) => {
            format!("{t}\n\n{body}")
        }
        _ => body,
    };
    let date = page_date(doc.tree.root(), content);
    Ok(Extracted {
        title,
        text,
        repaired: false,
        date,
    })
}

/// `<meta>` keys (`property`, `name` or `itemprop`, lowercased) that name the publication
/// date, best first: Open Graph's article, then the names CMSs and analytics tags use.
/// Modification dates (`article:modified_time`, `dateModified`) are absent on purpose: the date
/// a page was last edited says nothing about when it was first published.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
];

/// How deep a JSON-LD value is searched for `datePublished`: the article is at the top, in an
/// `@graph` list, or one or two objects down (`mainEntity`); deeper ones are other things'
/// dates (a comment's, a review's).
const MAX_JSON_LD_DEPTH: usize = 6;

/// The publication date a page's metadata states, in Unix seconds: the best `<meta>` of
/// [`PUBLISHED_META`], else the first `itemprop="datePublished"` element, else the first
/// JSON-LD `datePublished`, else the first `<time datetime>` of the story (`content`, outside
/// navigation and asides). A value that cannot be read, or lies before 1990 (a placeholder
/// such as `0`), is passed over for the next.
pub fn page_date(root: NodeRef<'_, Node>, content: NodeRef<'_, Node>) -> Option<i64> {
    let read = |value: &str| {
        super::date::parse(value).filter(|&s| s >= super::date::EARLIEST_CREDIBLE_SECONDS)
    };
    let mut meta: Option<(usize, i64)> = None;
    let mut itemprop = None;
    let mut json_ld = None;
    for node in root.descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "meta" => {
                let Some(value) = el.attr("content") else {
                    continue;
                };
                for key in [el.attr("property"), el.attr("name"), el.attr("itemprop")]
                    .into_iter()
                    .flatten()
                {
                    let rank = PUBLISHED_META
                        .iter()
                        .position(|k| k.eq_ignore_ascii_case(key.trim()));
                    if let Some(rank) = rank.filter(|&r| meta.is_none_or(|(best, _)| r < best)) {
                        if let Some(s) = read(value) {
                            meta = Some((rank, s));
                        }
                    }
                }
            }
            "script"
                if json_ld.is_none()
                    && el
                        .attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                json_ld = json_ld_date(&text).and_then(|v| read(&v));
            }
            _ => {}
        }
        if itemprop.is_none()
            && el.name() != "meta"
            && el
                .attr("itemprop")
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("datePublished"))
        {
            itemprop = el.attr("content").or(el.attr("datetime")).and_then(read);
        }
    }
    meta.map(|(_, s)| s)
        .or(itemprop)
        .or(json_ld)
        .or_else(|| story_time(content).and_then(read))
}

/// The first `datePublished` in the JSON-LD text of a `<script>`, searched breadth first (the
/// top object, then `@graph` and other lists and objects) down to [`MAX_JSON_LD_DEPTH`].
/// Broken JSON gives nothing; serde_json's own nesting limit keeps a hostile one from
/// overflowing the stack.
fn json_ld_date(text: &str) -> Option<String> {
    let text = text.trim();
    // Some CMSs wrap the JSON in a comment or CDATA for old browsers.
    let text = text
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim()
        .trim_end_matches(';');
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut level = vec![&value];
    for _ in 0..MAX_JSON_LD_DEPTH {
        let mut next = Vec::new();
        for v in level {
            match v {
                serde_json::Value::Object(map) => {
                    match map.get("datePublished") {
                        Some(serde_json::Value::String(s)) => return Some(s.clone()),
                        Some(serde_json::Value::Array(list)) => {
                            if let Some(s) = list.iter().find_map(|d| d.as_str()) {
                                return Some(s.to_string());
                            }
                        }
                        _ => {}
                    }
                    next.extend(map.values());
                }
                serde_json::Value::Array(list) => next.extend(list),
                _ => {}
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    None
}

/// The `datetime` of the first `<time>` in the story, outside navigation, asides and scripts
/// (where other stories' times are).
fn story_time<'a>(content: NodeRef<'a, Node>) -> Option<&'a str> {
    let mut stack = vec![content];
    while let Some(node) = stack.pop() {
        if let Some(el) = node.value().as_element() {
            match el.name() {
                "time" => {
                    if let Some(datetime) = el.attr("datetime") {
                        return Some(datetime);
                    }
                }
                "nav" | "aside" | "script" | "style" | "template" | "noscript" => continue,
                _ => {}
            }
        }
        stack.extend(node.children().rev());
    }
    None
}

/// Whether the elements of a page nest deeper than `limit`, judged by a linear scan of its
/// tags before the parser sees it. End tags close only an element among the 16 innermost
/// open ones, as a mismatched end tag does not close anything in a browser either; elements
/// that cannot nest deeply are not counted.
fn nests_deeper_than(html: &str, limit: usize) -> bool {
    /// How far down the open elements an end tag looks for its start tag.
    const END_TAG_REACH: usize = 16;
    let bytes = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        let rest = &bytes[at + found + 1..];
        at += found + 1;
        if rest.starts_with(b"!--") {
            at = find_from(bytes, at, b"-->").unwrap_or(bytes.len());
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let rest = if closing { &rest[1..] } else { rest };
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &rest[..name_len];
        let is = |list: &[&str]| list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        if closing {
            let reach = open.len().saturating_sub(END_TAG_REACH);
            if let Some(i) = open[reach..]
                .iter()
                .rposition(|n| n.eq_ignore_ascii_case(name))
            {
                open.truncate(reach + i);
            }
        } else if is(OPAQUE) {
            let mut end_tag = b"</".to_vec();
            end_tag.extend(name.iter().map(u8::to_ascii_lowercase));
            at = find_from(bytes, at, &end_tag).unwrap_or(bytes.len());
        } else if !is(SHALLOW) {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// The position just after the first ASCII-case-insensitive `needle` at or after `from`.
fn find_from(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack[from.min(haystack.len())..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| from + i + needle.len())
}

/// An element's name, when the node is an element.
fn element_name<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

/// Whether a node's subtree holds no article text: dropped chrome or a hidden element.
fn is_dropped(node: &NodeRef<'_, Node>) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    DROPPED.contains(&el.name())
        || el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// What one pass over the page found: its body, its `<article>`s and first `<main>` with the
/// amount of visible text in each.
struct Survey<'a> {
    body: NodeRef<'a, Node>,
    body_len: usize,
    articles: Vec<(NodeRef<'a, Node>, usize)>,
    main: Option<(NodeRef<'a, Node>, usize)>,
}

impl<'a> Survey<'a> {
    fn of(root: NodeRef<'a, Node>) -> Survey<'a> {
        enum Step<'a> {
            Enter(NodeRef<'a, Node>),
            Leave(NodeRef<'a, Node>),
        }
        let mut survey = Survey {
            body: root,
            body_len: 0,
            articles: Vec::new(),
            main: None,
        };
        let mut found_body = false;
        // Running text totals of the counted elements that are open, innermost last.
        let mut open: Vec<usize> = vec![0];
        let mut stack = vec![Step::Enter(root)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(node) => {
                    if let Some(t) = node.value().as_text() {
                        if let Some(top) = open.last_mut() {
                            *top += t.trim().len();
                        }
                        continue;
                    }
                    if is_dropped(&node) {
                        continue;
                    }
                    if matches!(element_name(&node), Some("article" | "main" | "body")) {
                        open.push(0);
                        stack.push(Step::Leave(node));
                    }
                    stack.extend(node.children().rev().map(Step::Enter));
                }
                Step::Leave(node) => {
                    let len = open.pop().unwrap_or(0);
                    if let Some(top) = open.last_mut() {
                        *top += len;
                    }
                    match element_name(&node) {
                        Some("article") => survey.articles.push((node, len)),
                        Some("main") if survey.main.is_none() => survey.main = Some((node, len)),
                        Some("body") if !found_body => {
                            found_body = true;
                            survey.body = node;
                            survey.body_len = len;
                        }
                        _ => {}
                    }
                }
            }
        }
        if !found_body {
            survey.body_len = open.first().copied().unwrap_or(0);
        }
        survey
    }

    /// The node holding the story: the largest `<article>`, else `<main>`, when it holds a fair
    /// share of the page's text; else the body.
    fn content(&self) -> NodeRef<'a, Node> {
        // Of equal articles the first wins, so the choice does not depend on sort stability.
        let article = self
            .articles
            .iter()
            .rev()
            .max_by_key(|(_, len)| *len)
            .copied();
        let min = (self.body_len as f64 * CONTENT_MIN_SHARE).ceil() as usize;
        [article, self.main]
            .into_iter()
            .flatten()
            .find(|&(_, len)| len > 0 && len >= min)
            .map_or(self.body, |(node, _)| node)
    }
}

/// The first `<h1>` under `root` outside dropped chrome; with `in_headers`, `<header>`s are
/// searched too (an article's own header holds its headline).
fn find_h1<'a>(root: NodeRef<'a, Node>, in_headers: bool) -> Option<NodeRef<'a, Node>> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match element_name(&node) {
            Some("h1") => return Some(node),
            Some("header") if in_headers => {}
            Some(_) if is_dropped(&node) => continue,
            _ => {}
        }
        stack.extend(node.children().rev());
    }
    None
}

/// The text of the page's `<title>`, whitespace collapsed.
fn page_title(root: NodeRef<'_, Node>) -> Option<String> {
    let title = root.descendants().find(|n| {
        n.value()
            .as_element()
            .is_some_and(|e| e.name() == "title" && &*e.name.ns == HTML_NS)
    })?;
    let text: String = title
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    Some(one_line(&text)).filter(|t| !t.is_empty())
}

/// Text on one line: every run of whitespace (line breaks included) becomes one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders the visible text under `root`, leaving out the subtree `skip` (the headline, which
/// goes first on its own).
fn render(root: NodeRef<'_, Node>, skip: Option<ego_tree::NodeId>) -> String {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        EndBlock,
        EndPre,
    }
    let mut out = Writer::default();
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::EndBlock => {
                out.pending = out.pending.max(Break::Paragraph);
                continue;
            }
            Step::EndPre => {
                out.pre = out.pre.saturating_sub(1);
                out.pending = out.pending.max(Break::Paragraph);
                continue;
            }
        };
        if let Some(text) = node.value().as_text() {
            out.text(text);
            continue;
        }
        let Some(name) = element_name(&node) else {
            // The document itself has children; comments and doctypes have no text.
            if matches!(node.value(), Node::Document | Node::Fragment) {
                stack.extend(node.children().rev().map(Step::Enter));
            }
            continue;
        };
        if Some(node.id()) == skip || (node.id() != root.id() && is_dropped(&node)) {
            continue;
        }
        match name {
            "br" => out.line_break(),
            "td" | "th" => out.space = true,
            "pre" | "listing" | "textarea" => {
                out.pending = out.pending.max(Break::Paragraph);
                out.pre += 1;
                stack.push(Step::EndPre);
            }
            _ if BLOCKS.contains(&name) => {
                out.pending = out.pending.max(Break::Paragraph);
                stack.push(Step::EndBlock);
            }
            _ => {}
        }
        stack.extend(node.children().rev().map(Step::Enter));
    }
    out.out
}

/// A break owed before the next visible character.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    #[default]
    None,
    Line,
    Paragraph,
}

/// Accumulates visible text the way a browser lays it out: collapsing whitespace, turning
/// breaks into newlines, and never starting or ending with one.
#[derive(Default)]
struct Writer {
    out: String,
    pending: Break,
    space: bool,
    pre: usize,
}

impl Writer {
    /// `<br>`: a line break; two in a row are the paragraph break that pages fake with them.
    fn line_break(&mut self) {
        self.pending = match self.pending {
            Break::None => Break::Line,
            _ => Break::Paragraph,
        };
    }

    /// Writes what is owed before a visible character.
    fn flush(&mut self) {
        if !self.out.is_empty() {
            match self.pending {
                Break::Paragraph => self.out.push_str("\n\n"),
                Break::Line => self.out.push('\n'),
                Break::None if self.space => self.out.push(' '),
                Break::None => {}
            }
        }
        self.pending = Break::None;
        self.space = false;
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if self.pre > 0 && c == '\n' {
                self.line_break();
            } else if self.pre > 0 && (c == ' ' || c == '\t') {
                self.flush();
                self.out.push(c);
            } else if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                // HTML collapses ASCII whitespace only; a no-break space is text.
                self.space = true;
            } else {
                self.flush();
                self.out.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extract_table() {
        // (page, expected text); the expected title is the text's first line when the page has
        // one.
        let cases: &[(&str, &str)] = &[
            ("<p>One.</p><p>Two &amp; three.</p>", "One.\n\nTwo & three."),
            (
                "<html><head><title>T | Site</title><style>p{}</style></head>\
                 <body><nav>Home News</nav><p>Body  text\n here.</p></body></html>",
                "T | Site\n\nBody text here.",
            ),
            (
                "<header><h1>Daily Site</h1></header><nav>menu</nav>\
                 <article><header><h1>Headline</h1><p>By X</p></header>\
                 <p>Para one.</p><script>var x;</script><p>Para two.</p></article>\
                 <aside><p>Related</p></aside><footer>(c) Site</footer>",
                "Headline\n\nPara one.\n\nPara two.",
            ),
            (
                "<h1>Story</h1><div>Line one<br>line two<br><br>new para</div>",
                "Story\n\nLine one\nline two\n\nnew para",
            ),
            (
                "<main><h1>M</h1><p>In main.</p></main><section><p>x</p></section>",
                "M\n\nIn main.",
            ),
            (
                "<p>caf&eacute; &lt;ok&gt;&nbsp;end</p>",
                "café <ok>\u{a0}end",
            ),
            ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
            (
                "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
                "a b\n\nc",
            ),
            ("<pre>x  y\nz</pre>", "x  y\nz"),
            (
                "<p>shown</p><p hidden>gone</p><div aria-hidden=true>gone</div>",
                "shown",
            ),
            (
                "<p>a<svg><title>icon</title><text>t</text></svg>b</p>",
                "ab",
            ),
            // A teaser card in an <article> is not the story.
            (
                "<div><p>The long story goes here with plenty of words in it.</p></div>\
                 <article><p>Teaser</p></article>",
                "The long story goes here with plenty of words in it.\n\nTeaser",
            ),
            // The headline inside the article is not repeated in the body.
            (
                "<article><h1>Head</h1><p>Text</p></article>",
                "Head\n\nText",
            ),
            // A <title> that is already the first line is not repeated.
            ("<title>Same</title><p>Same</p><p>more</p>", "Same\n\nmore"),
        ];
        for (page, want) in cases {
            let got = extract_str(page).unwrap_or_else(|e| panic!("{page}: {e}"));
            assert_eq!(got.text, *want, "{page}");
        }
    }

    #[test]
    fn page_date_table() {
        // 2010-12-04T10:32:00Z and the next day, as pages write them
        let day1 = 1_291_458_720;
        let day2 = day1 + 86_400;
        let body = "<p>The story.</p>";
        let cases: Vec<(String, Option<i64>)> = vec![
            (
                format!(
                    r#"<meta property="article:published_time" content="2010-12-04T10:32:00Z">{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<meta name="article:published_time" content="2010-12-04T11:32:00+0100">{body}"#
                ),
                Some(day1),
            ),
            (
                format!(r#"<meta property="og:published_time" content="2010-12-04T10:32Z">{body}"#),
                Some(day1),
            ),
            (
                format!(r#"<meta name="DC.date.issued" content="2010-12-04T10:32:00Z">{body}"#),
                Some(day1),
            ),
            (
                format!(
                    r#"<meta name="sailthru.date" content="Sat, 04 Dec 2010 10:32:00 GMT">{body}"#
                ),
                Some(day1),
            ),
            (
                format!(r#"<meta name="parsely-pub-date" content="2010-12-04T10:32:00Z">{body}"#),
                Some(day1),
            ),
            // The better key wins whatever the order in the page.
            (
                format!(
                    r#"<meta name="date" content="2010-12-05T10:32:00Z">
                    <meta property="article:published_time" content="2010-12-04T10:32:00Z">{body}"#
                ),
                Some(day1),
            ),
            // A modified date is never a publication date, even before the published one.
            (
                format!(
                    r#"<meta property="article:modified_time" content="2010-12-05T10:32:00Z">
                    <meta property="article:published_time" content="2010-12-04T10:32:00Z">{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<meta property="article:modified_time" content="2010-12-05T10:32:00Z">{body}"#
                ),
                None,
            ),
            // A placeholder is passed over for the next evidence.
            (
                format!(
                    r#"<meta property="article:published_time" content="1970-01-01T00:00:00Z">
                    <meta name="pubdate" content="2010-12-04T10:32:00Z">{body}"#
                ),
                Some(day1),
            ),
            (
                format!(r#"<meta property="article:published_time" content="soon">{body}"#),
                None,
            ),
            (
                format!(
                    r#"<p>x <time itemprop="datePublished" datetime="2010-12-04T10:32:00Z">Sat</time></p>{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<span itemprop="datePublished" content="2010-12-04T10:32:00Z"></span>{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<script type="application/ld+json">{{"@type":"NewsArticle","dateModified":"2010-12-05T10:32:00Z","datePublished":"2010-12-04T10:32:00Z"}}</script>{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"x"}},{{"@type":"NewsArticle","datePublished":"2010-12-04T10:32:00Z"}}]}}</script>{body}"#
                ),
                Some(day1),
            ),
            (
                format!(
                    r#"<script type="application/ld+json">[{{"@type":"BreadcrumbList"}},{{"@type":"Article","datePublished":"2010-12-04T10:32:00Z"}}]</script>{body}"#
                ),
                Some(day1),
            ),
            // Broken JSON-LD gives nothing; the next one (or the <time>) is used.
            (
                format!(
                    r#"<script type="application/ld+json">{{"datePublished":"2010-12-05T10:32:00Z",</script>
                    <script type="application/ld+json">{{"datePublished":"2010-12-04T10:32:00Z"}}</script>{body}"#
                ),
                Some(day1),
            ),
            (
                r#"<script type="application/ld+json">{"datePublished": [</script>
                <article><p>Story text long enough.</p><time datetime="2010-12-05T10:32:00Z">x</time></article>"#
                    .to_string(),
                Some(day2),
            ),
            (
                format!(
                    r#"<script type="application/ld+json">{}1{}</script>{body}"#,
                    "[".repeat(10_000),
                    "]".repeat(10_000)
                ),
                None,
            ),
            // Meta outranks JSON-LD and <time>.
            (
                format!(
                    r#"<script type="application/ld+json">{{"datePublished":"2010-12-05T10:32:00Z"}}</script>
                    <meta name="pubdate" content="2010-12-04T10:32:00Z">{body}"#
                ),
                Some(day1),
            ),
            // The story's <time>, not the sidebar's.
            (
                r#"<aside><time datetime="2010-12-05T10:32:00Z">x</time></aside>
                <article><header><time datetime="2010-12-04T10:32:00Z">Sat</time></header>
                <p>The story, long enough to be the page's content.</p></article>"#
                    .to_string(),
                Some(day1),
            ),
            (body.to_string(), None),
        ];
        for (page, want) in cases {
            let got = extract_str(&page).unwrap_or_else(|e| panic!("{page}: {e}"));
            assert_eq!(got.date, want, "{page}");
        }
    }

    #[test]
    fn pages_without_text_are_refused() {
        for page in [
            "",
            "<nav><a href=/>Home</a></nav>",
            "<html><head><title>Only a title</title></head><body></body></html>",
            "<script>document.write('x')</script><footer>(c)</footer>",
        ] {
            assert!(
                matches!(extract_str(page), Err(Reason::NoHtmlText)),
                "{page}"
            );
        }
        assert!(matches!(extract(b""), Err(Reason::Empty)));
        assert!(matches!(extract(b"<p>a\x00b</p>"), Err(Reason::Binary)));
    }

    #[test]
    fn charsets_table() {
        // (bytes, expected text, repaired)
        let cases: &[(&[u8], &str, bool)] = &[
            (
                b"<meta charset=windows-1252><p>caf\xe9 \x93q\x94</p>",
                "caf\u{e9} \u{201c}q\u{201d}",
                false,
            ),
            (b"<p>caf\xe9</p>", "caf\u{e9}", true),
            (b"<p>caf\xc3\xa9</p>", "caf\u{e9}", false),
            (b"\xFE\xFF\x00<\x00p\x00>\x00h\x00i", "hi", false),
        ];
        for (bytes, want, repaired) in cases {
            let got = extract(bytes).unwrap();
            assert_eq!(
                (got.text.as_str(), got.repaired),
                (*want, *repaired),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        let page = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(4_000),
            "</div>".repeat(4_000)
        );
        assert_eq!(extract_str(&page).unwrap().text, "deep");
        let page = format!("{}deep", "<article><span>".repeat(2_000));
        assert!(extract_str(&page).unwrap().text.contains("deep"));
    }

    #[test]
    fn nesting_estimate_table() {
        // (page, limit, deeper than the limit)
        let cases: Vec<(String, usize, bool)> = vec![
            ("<div><div><div>x".into(), 2, true),
            ("<div><div></div><div>x".into(), 2, false),
            ("<div></span>".repeat(10), 5, true),
            ("<p><li><br><b><i><img>".repeat(100), 5, false),
            (
                "<script>".to_string() + &"<div>".repeat(100) + "</script><div>",
                5,
                false,
            ),
            (
                "<!--".to_string() + &"<div>".repeat(100) + "--><div>",
                5,
                false,
            ),
            (
                "<svg>".to_string() + &"<g/>".repeat(100) + "</svg>",
                5,
                false,
            ),
            ("< div> <3 <<<< </".into(), 0, false),
            ("<DIV><Div><div>".into(), 2, true),
        ];
        for (page, limit, want) in cases {
            assert_eq!(nests_deeper_than(&page, limit), want, "{page}");
        }
        let hostile = "<div>".repeat(MAX_NESTING_DEPTH + 1);
        assert!(matches!(extract_str(&hostile), Err(Reason::TooDeep { .. })));
    }
}
