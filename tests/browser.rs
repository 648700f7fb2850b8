//! The HTML page of `reprint dedup --html` in a real browser: headless Chromium, driven by
//! chromedriver over the W3C WebDriver protocol, opens the report of the bundled corpus from
//! disk, filters the clusters, opens one and checks its diff markup and dimmed boilerplate;
//! opens the page of a dated demo corpus and checks that its charts are drawn (the overview's
//! SVG histogram, bars, timelines and dots laid out with a size, the reprint matrix shaded) and
//! that a cluster opened from the overview draws its timeline; and checks that the pages sent no
//! request (a proxy the test owns receives no connection, and the
//! page's resource timing list is empty).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test says it was skipped
//! on stderr and passes, unless `REPRINT_REQUIRE_BROWSER=1` (set by `.ci/run`) makes it fail.
//! `REPRINT_SCREENSHOT=PATH` also writes the screenshot it takes to PATH (README's picture).

mod util;

use std::io::{BufRead, BufReader, ErrorKind};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The W3C key of an element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The browser window in CSS pixels (the screenshot is its viewport, less the window frame).
const WINDOW: (u32, u32) = (1280, 1000);

/// An executable named `name` on `PATH`.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A TCP port nobody listens on now: the kernel picks it for a listener we close at once.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local address").port()
}

/// chromedriver (and the Chromium it starts) in a process group of their own, with an open
/// WebDriver session. Dropping it ends the session and kills the whole group, whatever path
/// the test takes out, so no browser outlives a failed assertion.
struct Browser {
    agent: ureq::Agent,
    base: String,
    session: String,
    driver: Child,
    log: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium whose profile lives in `profile` and whose
    /// every network request goes to `proxy_port`.
    fn start(chromium: &Path, chromedriver: &Path, profile: &Path, proxy_port: u16) -> Browser {
        use std::os::unix::process::CommandExt as _;
        let port = free_port();
        let log = profile.with_extension("chromedriver.log");
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, so that Drop can signal chromedriver and every Chromium process.
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // WebDriver errors are JSON bodies with 4xx/5xx statuses; they are read, not thrown.
            .http_status_as_error(false)
            // The driver is on loopback: an http_proxy in the environment must not apply.
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let mut browser = Browser {
            agent,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            driver,
            log,
        };
        browser.wait_ready();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            &format!("--window-size={},{}", WINDOW.0, WINDOW.1),
            &format!("--user-data-dir={}", profile.display()),
            &format!("--proxy-server=http://127.0.0.1:{proxy_port}"),
            // Loopback is exempt from proxies by default; send it to the trap as well.
            "--proxy-bypass-list=<-loopback>",
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // Navigation returns once the document is parsed: the probe page's image request
            // is held unanswered by the trap, and must not hold the test up.
            "pageLoadStrategy": "eager",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            // DevTools network events of the page, read back by `page_requests`.
            "goog:loggingPrefs": {"performance": "ALL"},
        }}});
        let created = browser.call("POST", "/session", Some(caps));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}"))
            .to_string();
        browser
    }

    /// Waits until chromedriver answers its status endpoint.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!(
                    "chromedriver exited early ({status}); log: {}",
                    self.log_tail()
                );
            }
            let ready = self
                .agent
                .get(format!("{}/status", self.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready after 30 s; log: {}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// One WebDriver command; returns its `value`, panicking with the driver's error message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let v: Value = response
            .body_mut()
            .read_json()
            .unwrap_or_else(|e| panic!("{method} {path}: unreadable answer: {e}"));
        assert!(
            status.is_success(),
            "{method} {path}: {status} {}",
            v["value"]["message"]
        );
        v["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn navigate(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({ "url": url })),
        );
    }

    /// Runs `script` (a function body) in the page with `args`, returning its result.
    fn exec(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({"script": script, "args": args})),
        )
    }

    /// The WebDriver id of the first element matching `css`.
    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.session_path("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element id for {css}: {v}"))
            .to_string()
    }

    /// Types `text` into the element as a user would (key events, so `input` fires).
    fn type_into(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &self.session_path(&format!("/element/{element}/value")),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, element: &str) {
        self.call(
            "POST",
            &self.session_path(&format!("/element/{element}/click")),
            Some(json!({})),
        );
    }

    /// The URLs of the requests the page started since the last call (DevTools
    /// `Network.requestWillBeSent` events from chromedriver's performance log): the page's own
    /// traffic only, not the browser's background services.
    fn page_requests(&self) -> Vec<String> {
        let entries = self.call(
            "POST",
            &self.session_path("/se/log"),
            Some(json!({"type": "performance"})),
        );
        entries
            .as_array()
            .expect("log entries")
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .map(|m| {
                m["message"]["params"]["request"]["url"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    /// A PNG of the window.
    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.call("GET", &self.session_path("/screenshot"), None);
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64 screenshot"))
            .expect("valid base64")
    }

    /// Polls `script` until it returns `want` (the page's filter waits 150 ms for typing to
    /// stop), panicking with the last value after 10 s.
    fn wait_for(&self, script: &str, want: &Value, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.exec(script, json!([]));
            if &got == want {
                return;
            }
            assert!(Instant::now() < deadline, "{what}: got {got}, want {want}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Best effort: chromedriver closes Chromium cleanly; the kill below covers failure.
            let _ = self
                .agent
                .delete(format!("{}/session/{}", self.base, self.session))
                .config()
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .call();
        }
        if let Ok(pid) = i32::try_from(self.driver.id()) {
            // SAFETY: kill(2) with a negative pid signals the process group created for this
            // chromedriver (process_group(0) made its pid the group id); it touches no memory.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A listener standing in for the page's network: Chromium's proxy points here, so any request
/// the page makes, to any host, arrives as a connection.
struct Trap {
    listener: TcpListener,
}

impl Trap {
    fn new() -> Trap {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy trap");
        listener.set_nonblocking(true).expect("nonblocking");
        Trap { listener }
    }

    fn port(&self) -> u16 {
        self.listener.local_addr().expect("local address").port()
    }

    /// The first line of each request received so far (connections are closed unanswered).
    /// A connection that sends nothing within [`first_line`]'s wait carries no request:
    /// Chromium opens sockets to its proxy ahead of need (a preconnect) and may close them
    /// unused, which left an empty line here now and then.
    fn requests(&self) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => seen.extend(Some(first_line(stream)).filter(|l| !l.is_empty())),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return seen,
                Err(e) => panic!("proxy trap: {e}"),
            }
        }
    }
}

fn first_line(stream: TcpStream) -> String {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    line.trim_end().to_string()
}

/// The JSON data blob the page's script draws from.
fn page_data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"data\">";
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").expect("end of data script");
    serde_json::from_str(&page[start..end]).expect("data script holds valid JSON")
}

/// The ids of the clusters the filter `query` should leave visible, by the page's documented
/// rule: the query, trimmed and case-folded, occurs in the cluster's number, representative id
/// or text, or a member id.
fn expected_matches(data: &Value, query: &str) -> Value {
    let q = query.trim().to_lowercase();
    let ids: Vec<Value> = data["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .filter(|c| {
            let mut hay = vec![
                c["id"].to_string(),
                c["rep"]["id"].as_str().unwrap_or_default().to_string(),
                c["rep"]["text"].as_str().unwrap_or_default().to_string(),
            ];
            for m in c["members"].as_array().expect("members") {
                hay.push(m["id"].as_str().unwrap_or_default().to_string());
            }
            q.is_empty() || hay.join("\n").to_lowercase().contains(&q)
        })
        .map(|c| c["id"].clone())
        .collect();
    Value::Array(ids)
}

/// The numbers of the clusters a person sees (laid out, not hidden).
const VISIBLE: &str = "return Array.from(document.querySelectorAll('details.cluster'))
  .filter(function (d) { return d.getClientRects().length > 0; })
  .map(function (d) { return Number(d.querySelector('summary strong').textContent.slice(1)); });";

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (be(16), be(20))
}

#[test]
fn html_report_in_headless_chromium() {
    let required = std::env::var("REPRINT_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (chromium, chromedriver) = match (find_program("chromium"), find_program("chromedriver")) {
        (Some(c), Some(d)) => (c, d),
        _ if required => panic!(
            "chromium or chromedriver not on PATH and REPRINT_REQUIRE_BROWSER=1 \
             (apt-get install chromium chromium-driver)"
        ),
        _ => {
            eprintln!(
                "browser test skipped: chromium not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return;
        }
    };

    // The page, built by the real binary from the bundled corpus.
    let dir = util::Dir::new();
    let html_path = dir.path().join("report.html");
    let res = util::run(&[
        "dedup",
        &util::testdata().join("corpus").display().to_string(),
        "--html",
        &html_path.display().to_string(),
        "-o",
        &dir.path().join("report.json").display().to_string(),
        "--progress",
        "never",
    ]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let data = page_data(&std::fs::read_to_string(&html_path).expect("page written"));
    let clusters = data["clusters"].as_array().expect("clusters");
    let total = clusters.len();
    assert!(total >= 3, "the corpus should give several clusters");

    let trap = Trap::new();
    let profile = dir.path().join("chromium-profile");
    std::fs::create_dir(&profile).expect("profile dir");
    let b = Browser::start(&chromium, &chromedriver, &profile, trap.port());
    // Leave the new-tab page (which loads its own resources) and forget its log, so that every
    // request logged from here on is the report's.
    b.navigate("about:blank");
    b.page_requests();
    let report_url = format!("file://{}", html_path.display());
    b.navigate(&report_url);

    // Every cluster is listed, none drawn yet: bodies are built on opening.
    let all: Value = (0..total).map(|i| json!(i)).collect();
    b.wait_for(VISIBLE, &all, "clusters listed before filtering");
    assert_eq!(
        b.exec(
            "return document.querySelectorAll('.grid').length;",
            json!([])
        ),
        json!(0)
    );
    let shown = "return document.getElementById('shown').textContent;";

    // Filtering: by a member id typed in capitals (one cluster), by a site (some clusters), by
    // nothing that occurs (none), then cleared (all).
    let last = clusters.last().expect("a cluster");
    let member_id = last["members"][0]["id"].as_str().expect("member id");
    let site = clusters[0]["rep"]["id"]
        .as_str()
        .expect("rep id")
        .split('/')
        .next()
        .expect("site");
    let filter = b.element("#filter");
    for query in [
        member_id.to_uppercase(),
        site.to_string(),
        "zz-no-such-story-zz".to_string(),
    ] {
        let want = expected_matches(&data, &query);
        let n = want.as_array().expect("ids").len();
        assert!(n < total, "query {query:?} should hide some clusters");
        b.call(
            "POST",
            &b.session_path(&format!("/element/{filter}/clear")),
            Some(json!({})),
        );
        b.type_into(&filter, &query);
        b.wait_for(VISIBLE, &want, &format!("clusters shown for {query:?}"));
        b.wait_for(
            shown,
            &json!(format!("{n} of {total} clusters shown")),
            "count line",
        );
    }
    // Select all, delete: the way a person empties the box (Control held until the Null key).
    b.type_into(&filter, "\u{E009}a\u{E000}\u{E003}");
    b.wait_for(VISIBLE, &all, "clusters shown with an empty filter");
    b.wait_for(
        shown,
        &json!(format!("{total} of {total} clusters shown")),
        "count line",
    );

    // Open the first cluster whose diffs mark both kinds of difference and that has boilerplate.
    let has = |c: &Value, class: &str| {
        c["members"].as_array().expect("members").iter().any(|m| {
            m["diff"]
                .as_array()
                .expect("diff")
                .iter()
                .any(|r| r[0] == class)
        })
    };
    let pick = clusters
        .iter()
        .find(|c| {
            has(c, "missing")
                && has(c, "only-member")
                && !c["rep"]["boilerplate"]
                    .as_array()
                    .expect("boilerplate")
                    .is_empty()
        })
        .expect("a cluster with additions, losses and boilerplate");
    let index = pick["id"].as_u64().expect("cluster id") as usize;
    let summary = b.element(&format!(
        "#list > details.cluster:nth-child({}) > summary",
        index + 1
    ));
    b.click(&summary);
    // The body is drawn by the `toggle` event, which the browser fires after the click returns.
    b.wait_for(
        &format!(
            "return document.querySelectorAll('#list > details.cluster')[{index}]\
             .querySelectorAll('.grid').length;"
        ),
        &json!(1),
        "the opened cluster's body",
    );
    let opened = b.exec(
        "var d = document.querySelectorAll('#list > details.cluster')[arguments[0]];
         d.scrollIntoView();
         function runs(cls) {
           return Array.from(d.querySelectorAll('.diff .' + cls)).map(function (s) {
             var st = getComputedStyle(s);
             return { text: s.textContent, line: st.textDecorationLine, bg: st.backgroundColor };
           });
         }
         return {
           open: d.open,
           grids: d.querySelectorAll('.grid').length,
           rep: d.querySelector('.rep .text').textContent,
           members: Array.from(d.querySelectorAll('.member > h3')).map(function (h) {
             return h.textContent; }),
           missing: runs('missing'),
           only: runs('only-member'),
           boilerplate: Array.from(d.querySelectorAll('.rep .boilerplate')).map(function (e) {
             var st = getComputedStyle(e);
             return { text: e.textContent, opacity: Number(st.opacity), italic: st.fontStyle };
           }),
           textOpacity: Number(getComputedStyle(d.querySelector('.rep .text')).opacity)
         };",
        json!([index]),
    );
    assert_eq!(opened["open"], true, "{opened}");
    assert_eq!(opened["grids"], 1, "the body is drawn once, on opening");
    assert_eq!(opened["rep"], pick["rep"]["text"]);
    let member_ids: Vec<&Value> = pick["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| &m["id"])
        .collect();
    assert_eq!(
        opened["members"]
            .as_array()
            .expect("members")
            .iter()
            .collect::<Vec<_>>(),
        member_ids
    );
    // The diff runs the page shows are those computed in Rust, with their styles applied:
    // what the member lacks struck through, what only it has on a coloured ground.
    let runs_of = |class: &str| -> Vec<Value> {
        pick["members"]
            .as_array()
            .expect("members")
            .iter()
            .flat_map(|m| m["diff"].as_array().expect("diff").iter())
            .filter(|r| r[0] == class)
            .map(|r| r[1].clone())
            .collect()
    };
    for (key, class) in [("missing", "missing"), ("only", "only-member")] {
        let shown_runs = opened[key].as_array().expect("runs");
        let texts: Vec<Value> = shown_runs.iter().map(|r| r["text"].clone()).collect();
        assert_eq!(texts, runs_of(class), "{class} runs");
        for r in shown_runs {
            assert_ne!(
                r["bg"], "rgba(0, 0, 0, 0)",
                "{class} run without a ground: {r}"
            );
        }
    }
    for r in opened["missing"].as_array().expect("runs") {
        assert!(
            r["line"]
                .as_str()
                .unwrap_or_default()
                .contains("line-through"),
            "missing run not struck through: {r}"
        );
    }
    for r in opened["only"].as_array().expect("runs") {
        assert!(
            !r["line"]
                .as_str()
                .unwrap_or_default()
                .contains("line-through"),
            "member-only run struck through: {r}"
        );
    }
    // The boilerplate is listed, and dimmed against the kept text.
    let bp = opened["boilerplate"].as_array().expect("boilerplate");
    let bp_texts: Vec<Value> = bp.iter().map(|e| e["text"].clone()).collect();
    assert_eq!(&Value::Array(bp_texts), &pick["rep"]["boilerplate"]);
    let text_opacity = opened["textOpacity"].as_f64().expect("opacity");
    for e in bp {
        let opacity = e["opacity"].as_f64().expect("opacity");
        assert!(opacity < 0.8 && opacity < text_opacity, "not dimmed: {e}");
    }

    // The demo corpus's page (dated copies from eight sources): its charts are drawn, and a
    // cluster opened from the overview draws its timeline.
    let demo = dir.path().join("demo.jsonl");
    std::fs::write(&demo, util::demo_corpus_jsonl()).expect("write the demo corpus");
    let demo_path = dir.path().join("demo.html");
    let res = util::reprint()
        .arg("dedup")
        .arg(&demo)
        .arg("--html")
        .arg(&demo_path)
        .args(["--progress", "never", "-o", "/dev/null"])
        .env("SOURCE_DATE_EPOCH", "1800000000")
        .output()
        .expect("run reprint");
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let demo_url = format!("file://{}", demo_path.display());
    b.navigate(&demo_url);
    b.wait_for(
        "return document.querySelectorAll('details.cluster').length;",
        &json!(8),
        "the demo page's clusters",
    );
    // Every chart of the overview is laid out with a size, and so are its bars and dots.
    let charts = b.exec(
        "function box(e) { var r = e.getBoundingClientRect(); return [r.width, r.height]; }
         var o = document.getElementById('overview');
         return {
           svgs: Array.from(o.querySelectorAll('svg')).map(box),
           bars: Array.from(o.querySelectorAll('#sizes svg rect')).map(box),
           dots: Array.from(o.querySelectorAll('#timelines svg circle')).map(box),
           labels: Array.from(o.querySelectorAll('#timelines svg text')).map(function (t) {
             return t.textContent.trim(); }),
           cells: Array.from(o.querySelectorAll('table.matrix td.cell')).filter(function (td) {
             return td.textContent !== '' && getComputedStyle(td).backgroundColor !== 'rgba(0, 0, 0, 0)';
           }).length,
           furthest: o.querySelectorAll('#furthest tr').length
         };",
        json!([]),
    );
    let sized = |key: &str| -> Vec<Value> {
        charts[key]
            .as_array()
            .expect("boxes")
            .iter()
            .filter(|b| b[0].as_f64().unwrap_or(0.0) > 0.0 && b[1].as_f64().unwrap_or(0.0) > 0.0)
            .cloned()
            .collect()
    };
    let svgs = charts["svgs"].as_array().expect("svgs").len();
    assert_eq!(svgs, 1 + 6, "a histogram and six timelines: {charts}");
    assert_eq!(
        sized("svgs").len(),
        svgs,
        "a chart without a size: {charts}"
    );
    assert!(sized("bars").len() > 5, "histogram bars: {charts}");
    let dots = charts["dots"].as_array().expect("dots").len();
    assert!(dots >= 6 * 2, "timeline dots: {charts}");
    assert_eq!(sized("dots").len(), dots, "a dot without a size: {charts}");
    let labels = charts["labels"].as_array().expect("labels");
    for source in ["wire-agency", "dailyharbor", "riverside-echo", "origin"] {
        assert!(
            labels.iter().any(|l| l == source),
            "no {source:?} label: {charts}"
        );
    }
    assert!(
        charts["cells"].as_u64().unwrap_or(0) >= 10,
        "shaded matrix cells: {charts}"
    );
    assert_eq!(
        charts["furthest"], 9,
        "a header and eight stories: {charts}"
    );

    // The first story of the travelled-furthest table, opened from its link: its timeline and
    // its copies' dates, the origin tagged.
    let link = b.element("#furthest a.to-cluster");
    b.click(&link);
    b.wait_for(
        "var d = document.getElementById('c-0');
         return d.open && d.querySelectorAll('.prov svg circle').length;",
        &json!(8),
        "the opened cluster's timeline",
    );
    let opened = b.exec(
        "var d = document.getElementById('c-0');
         var svg = d.querySelector('.prov svg').getBoundingClientRect();
         return {
           svg: [svg.width, svg.height],
           rows: d.querySelectorAll('.prov table.copies tr').length,
           origin: Array.from(d.querySelectorAll('.prov .origin-tag')).map(function (t) {
             return t.parentNode.firstChild.textContent.trim(); }),
           headline: d.querySelector('summary .headline').textContent,
           rep: d.querySelector('.rep .text').textContent
         };",
        json!([]),
    );
    assert!(
        opened["svg"][0].as_f64().unwrap_or(0.0) > 100.0
            && opened["svg"][1].as_f64().unwrap_or(0.0) > 50.0,
        "{opened}"
    );
    assert_eq!(opened["rows"], 9, "a header and eight copies: {opened}");
    assert_eq!(opened["origin"], json!(["wire-agency/story-0"]), "{opened}");
    let stories = util::demo_stories();
    assert_eq!(opened["headline"], stories[0].headline.as_str());
    assert!(
        opened["rep"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&stories[0].headline),
        "{opened}"
    );

    // The picture: the demo page's overview, its charts, in a taller window.
    b.call(
        "POST",
        &b.session_path("/window/rect"),
        Some(json!({"width": WINDOW.0, "height": 1500})),
    );
    b.exec("window.scrollTo(0, 0);", json!([]));
    let png = b.screenshot();
    let viewport = b.exec("return [window.innerWidth, window.innerHeight];", json!([]));
    let (w, h) = png_size(&png);
    assert_eq!(json!([w, h]), viewport, "screenshot size");
    assert_eq!(w, WINDOW.0);
    if let Some(path) = std::env::var_os("REPRINT_SCREENSHOT") {
        std::fs::write(&path, &png).expect("write the screenshot");
        eprintln!("screenshot written to {}", Path::new(&path).display());
    }

    // No request left the page: DevTools saw it load nothing but itself, its resource timing
    // list is empty, and nothing but Chromium's own background services reached the proxy.
    let requested = b.page_requests();
    assert!(
        requested.contains(&report_url),
        "the DevTools log misses the page itself: {requested:?}"
    );
    assert!(
        requested.contains(&demo_url),
        "the DevTools log misses the demo page: {requested:?}"
    );
    assert!(
        requested.iter().all(|u| u == &report_url || u == &demo_url),
        "the pages requested: {requested:?}"
    );
    assert_eq!(
        b.exec(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
            json!([])
        ),
        json!([]),
        "the page loaded resources"
    );
    let leaked: Vec<String> = trap
        .requests()
        .into_iter()
        .filter(|r| !is_browser_service(r))
        .collect();
    assert!(leaked.is_empty(), "requests reached the proxy: {leaked:?}");

    // Both detectors catch what they should: a page that does fetch something shows in the
    // DevTools log and reaches the proxy.
    let probe = dir.path().join("probe.html");
    std::fs::write(
        &probe,
        "<!DOCTYPE html><img src=\"http://reprint-probe.invalid/pixel.png\">",
    )
    .expect("write probe page");
    b.navigate(&format!("file://{}", probe.display()));
    let probe_url = "http://reprint-probe.invalid/pixel.png";
    let requested = b.page_requests();
    assert!(
        requested.iter().any(|u| u == probe_url),
        "the DevTools log misses the probe's request: {requested:?}"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut caught = Vec::new();
    while !caught
        .iter()
        .any(|l: &String| l.contains("reprint-probe.invalid"))
    {
        assert!(
            Instant::now() < deadline,
            "the proxy saw no request from a page that makes one: {caught:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
        caught.extend(trap.requests());
    }
}

/// Whether a request line at the proxy is Chromium's own background traffic (sign-in, push
/// messaging, network time, optimization hints, and the preconnect to its default search
/// engine, which Debian's Chromium 156 sets to DuckDuckGo), which arrives even for
/// `about:blank` whatever the flags; the page's own requests are checked through DevTools,
/// whatever their host.
fn is_browser_service(request_line: &str) -> bool {
    let Some(target) = request_line.split(' ').nth(1) else {
        return false;
    };
    let host = target
        .trim_start_matches("http://")
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    [".google.com", ".googleapis.com", ".duckduckgo.com"]
        .iter()
        .any(|suffix| host.ends_with(suffix))
}
