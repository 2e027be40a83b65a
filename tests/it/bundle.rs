//! `packet-ls bundle`: the package as one sanitised HTML file, letters
//! included (or listed as missing), and printable by headless Chromium.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_packet-ls")
}

const HOSTILE_LETTER: &str = r#"---
title: x
---
# Recommendation <script>alert('h1')</script>

I strongly recommend Dana. <script>alert(1)</script>

<img src="x.png" onerror="alert(2)" alt="photo">

[click me](javascript:alert(3)) and [a real link](https://example.com/ok)

<a href="JaVaScRiPt:alert(4)">mixed case</a> <a href="&#106;avascript:alert(5)">entity</a>

<div onclick="alert(6)" style="background:url(javascript:alert(7))">a div</div>

<iframe src="https://evil.example/"></iframe><svg onload="alert(8)"><circle r="1"/></svg>

<style>body { display: none }</style><object data="x.swf"></object><form action="https://evil.example/"><input name=p></form>

<p><b onmouseover="alert(9)">bold</b></p>
"#;

/// A workspace with a packet whose letters are hostile, missing, outside the root or unnamed.
fn hostile_workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write(&root.join("packet.toml"), "");
    write(&tmp.path().join("secret.md"), "TOP SECRET outside the root");
    write(&root.join("letters/hostile.md"), HOSTILE_LETTER);
    let packet = root.join("dana.packet.md");
    write(
        &packet,
        "---
packet: senior-em
candidate: Dana <script>alert('cand')</script>
target: Senior Engineering Manager
sponsor: { name: Lee \"Boss\" Example, relation: direct-manager, role: director }
letters:
  - { name: Priya <b>Staff</b>, role: staff-engineer, relation: same-team, file: letters/hostile.md }
  - { name: Marco, role: product-manager, file: letters/missing.md }
  - { name: Eve, role: engineer, relation: other-team, file: ../secret.md }
  - { name: Chen, role: engineer, relation: other-team }
---
# Overview <img src=\"x\" onerror=\"alert('heading')\">

Hello <script>alert('packet')</script> world. <a href=\"javascript:alert('p')\">x</a>
",
    );
    (tmp, packet)
}

/// Every tag in `html` that carries an `on…=` attribute or a `javascript:` URL.
fn tags_with_handlers(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = rest[i..end].to_lowercase();
        let has_handler = tag.split(|c: char| c.is_whitespace() || c == '/').any(|a| a.starts_with("on") && a.contains('='));
        if has_handler || tag.contains("javascript:") {
            bad.push(tag);
        }
        rest = &rest[end..];
    }
    bad
}

#[test]
fn hostile_inputs_are_sanitised_and_missing_letters_are_listed() {
    let (_tmp, packet) = hostile_workspace();
    let html = packet_ls::cli::bundle_html(&packet).unwrap();
    let lower = html.to_lowercase();
    for bad in ["<script", "javascript:", "onerror", "onclick", "onload", "onmouseover", "<iframe", "<object", "<form", "<input", "<svg", "alert(1)", "alert(2)", "alert(&#39;packet", "display: none"] {
        assert!(!lower.contains(bad), "{bad:?} survived in:\n{html}");
    }
    assert_eq!(tags_with_handlers(&html), Vec::<String>::new());
    // Only the page's own style element.
    assert_eq!(lower.matches("<style").count(), 1);
    // Inline styles from inputs do not survive either.
    assert!(!lower.contains("style=\""), "{html}");
    // Safe content stays.
    assert!(html.contains("I strongly recommend Dana."));
    assert!(html.contains(r#"<a href="https://example.com/ok" rel="noopener noreferrer">a real link</a>"#), "{html}");
    // x.png does not exist: the image keeps its alt text and loses its src.
    assert!(html.contains(r#"<img alt="photo">"#), "{html}");
    assert!(html.contains("<b>bold</b>"));
    // Front-matter text is escaped, not interpreted.
    assert!(html.contains("<h1>Dana &lt;script&gt;alert(&#39;cand&#39;)&lt;/script&gt;</h1>"), "{html}");
    assert!(html.contains("Lee &quot;Boss&quot; Example"));
    assert!(html.contains("Letter from Priya &lt;b&gt;Staff&lt;/b&gt;"));
    // Missing, refused and unnamed letters are listed, not fatal; nothing outside the root is read.
    assert!(html.contains(r#"<p class="missing">Letter file letters/missing.md is missing.</p>"#), "{html}");
    assert!(html.contains(r#"<p class="missing">Letter file ../secret.md is outside the workspace root and was not included.</p>"#));
    assert!(html.contains("No letter file is listed for this recommender"));
    assert!(!html.contains("TOP SECRET"));
    // Structure: cover, readiness, contents, packet, letters, in that order.
    let order = ["class=\"cover\"", "id=\"readiness\"", "id=\"contents\"", "id=\"packet\"", "id=\"letter-1\"", "id=\"letter-4\""];
    let pos: Vec<usize> = order.iter().map(|s| html.find(s).unwrap_or_else(|| panic!("{s} missing"))).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert!(html.contains(r##"<li class="l2"><a href="#packet-1">Overview</a></li>"##), "{html}");
    assert!(html.contains(r##"<li class="l2"><a href="#letter-2">Letter from Marco</a></li>"##));
    // Letter headings are shifted below the letter's own heading and keep no script.
    assert!(html.contains(r#"<h3 id="letter-1-1">Recommendation </h3>"#), "{html}");
    // Readiness and the open items are summarised.
    assert!(html.contains("letter-not-found"));
    assert!(html.contains("Recommendation letters: 3 of 3 required kinds"));
}

#[test]
fn cli_writes_the_bundle_and_fails_cleanly_on_a_missing_packet() {
    let (tmp, packet) = hostile_workspace();
    let out = tmp.path().join("out.html");
    let st = Command::new(bin()).arg("bundle").arg(&packet).arg("-o").arg(&out).output().unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.to_lowercase().contains("<script"));

    let st = Command::new(bin()).arg("bundle").arg(tmp.path().join("nope.packet.md")).arg("-o").arg(&out).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&st.stderr).contains("cannot read"));
}

#[test]
fn example_bundle_includes_its_letter() {
    let packet = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dana.packet.md");
    let html = packet_ls::cli::bundle_html(&packet).unwrap();
    assert!(html.contains("<h1>Dana Example</h1>"));
    assert!(html.contains("<dt>Target role</dt><dd>Senior Engineering Manager</dd>"));
    assert!(html.contains("Lee Example <span class=\"muted\">(director, direct-manager)</span>"));
    assert!(html.contains("9/9 sections · 2/2 initiatives complete · mentoring 3/3"));
    assert!(html.contains("I am a staff engineer on the Billing team"), "priya.md is included");
    // The two letters without files are listed as such.
    assert_eq!(html.matches("No letter file is listed for this recommender").count(), 2);
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

/// Set to `1` to skip the tests that need a browser (where Chromium cannot be
/// installed); without it a missing Chromium fails them.
const SKIP_BROWSER: &str = "PACKET_LS_SKIP_BROWSER_TESTS";

/// Chromium, or `None` when the environment says to skip browser tests.
/// Panics when Chromium is missing and nobody said to skip: a test that
/// passes without running proves nothing (scripts/test-all.sh installs it).
pub(crate) fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    if std::env::var(SKIP_BROWSER).is_ok_and(|v| v == "1") {
        eprintln!("NOTICE: {SKIP_BROWSER}=1: skipping {test}");
        return None;
    }
    Some(chromium().unwrap_or_else(|| {
        panic!("{test} needs chromium (or chromium-browser, google-chrome) on PATH: install it (scripts/test-all.sh does), or set {SKIP_BROWSER}=1 to skip it")
    }))
}

/// Prints the shipped example's bundle with headless Chromium. Fails where
/// Chromium is not installed, unless `PACKET_LS_SKIP_BROWSER_TESTS=1`.
#[test]
fn headless_chromium_prints_the_bundle_to_pdf() {
    let Some(chromium) = chromium_or_skip("headless_chromium_prints_the_bundle_to_pdf") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let html_path = tmp.path().join("dana.html");
    let pdf_path = tmp.path().join("dana.pdf");
    let packet = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dana.packet.md");
    let st = Command::new(bin()).arg("bundle").arg(&packet).arg("-o").arg(&html_path).status().unwrap();
    assert!(st.success());
    let out = Command::new("timeout")
        .arg("180")
        .arg(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", tmp.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", html_path.display()))
        .output()
        .unwrap();
    let pdf = fs::read(&pdf_path).unwrap_or_else(|_| {
        panic!("chromium wrote no PDF: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr))
    });
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    // Cover, summary and contents each take a page, then the packet and the three letters.
    let pages = String::from_utf8_lossy(&pdf).matches("/Type /Page\n").count()
        + String::from_utf8_lossy(&pdf).matches("/Type /Page ").count()
        + String::from_utf8_lossy(&pdf).matches("/Type/Page/").count()
        + String::from_utf8_lossy(&pdf).matches("/Type /Page/").count();
    let pdfinfo_pages = Command::new("pdfinfo").arg(&pdf_path).output().ok().and_then(|o| {
        String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse::<usize>().unwrap_or(0)))
    });
    let pages = pdfinfo_pages.unwrap_or(pages);
    assert!(pages >= 7, "expected at least 7 pages, got {pages}");
}

/// Every `src=` and `href=` value of the page that makes a browser load
/// something (everything but `<a href>`).
fn loaded_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i..end];
        if !tag.starts_with("<a ") {
            for attr in ["src=", "href=", "srcset=", "poster=", "data=", "action="] {
                let mut t = tag;
                while let Some(k) = t.find(attr) {
                    let v = &t[k + attr.len()..];
                    out.push(v.split([' ', '>']).next().unwrap_or("").to_string());
                    t = &t[k + attr.len()..];
                }
            }
        }
        rest = &rest[end..];
    }
    out
}

/// A workspace with a packet that has `body` after its front matter and one
/// letter with `letter`.
fn workspace_with(body: &str, letter: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write(&root.join("packet.toml"), "");
    write(&root.join("letters/a.md"), letter);
    let packet = root.join("p.packet.md");
    write(
        &packet,
        &format!("---\npacket: senior-em\ncandidate: Dana\nletters:\n  - {{ name: A, role: staff-engineer, relation: same-team, file: letters/a.md }}\n---\n{body}"),
    );
    (tmp, packet)
}

#[test]
fn remote_resources_become_their_text_and_a_csp_forbids_loading() {
    let body = "# Overview\n\nSee ![remote chart](http://evil.example/x.png) and ![tracker](https://evil.example/t.gif \"t\").\n\n\
        <img src=http://evil.example/raw.png alt=\"raw alt\"> <img src=\"//evil.example/p.png\"> <img src=\"data:image/svg+xml,<svg/>\">\n\n\
        ![local](img/dot.png) ![outside](../outside.png) ![svg](img/pic.svg)\n\n\
        <img src=\"img/dot.png\" alt=\"raw local\">\n\n[a link stays](https://example.com/page)\n";
    let (tmp, packet) = workspace_with(body, "Dana is great. ![letter img](../img/dot.png) ![remote](https://evil.example/l.png)\n");
    let png = b"\x89PNG\r\n\x1a\n0000";
    fs::create_dir_all(packet.parent().unwrap().join("img")).unwrap();
    fs::write(packet.parent().unwrap().join("img/dot.png"), png).unwrap();
    fs::write(packet.parent().unwrap().join("img/pic.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    fs::write(tmp.path().join("outside.png"), png).unwrap();
    let html = packet_ls::cli::bundle_html(&packet).unwrap();
    let loaded = loaded_urls(&html);
    assert!(loaded.iter().all(|u| u.trim_matches('"').starts_with("data:image/png;base64,")), "{loaded:#?}");
    // The local PNG is inlined three times: twice from the packet, once from the letter (relative to it).
    assert_eq!(loaded.len(), 3, "{loaded:#?}\n{html}");
    assert!(!html.contains("evil.example/x.png") && !html.contains("evil.example/t.gif") && !html.contains("raw.png"), "{html}");
    // Remote and refused images are their alt text.
    for alt in ["remote chart", "tracker", "outside", "svg"] {
        assert!(html.contains(&format!(" {alt}")), "{alt}: {html}");
    }
    assert!(html.contains(r#"<img alt="raw alt">"#), "{html}");
    assert!(html.contains(r#"<a href="https://example.com/page" rel="noopener noreferrer">a link stays</a>"#), "{html}");
    assert!(html.contains(
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">"#
    ));
}

#[test]
fn a_line_of_raw_html_does_not_empty_its_section() {
    for bad in ["<template>", "<math><mtext><table><mglyph><style>", "<textarea>", "<plaintext>", "<svg><style>", "<div title=\"", "<!--", "<style>", "<xmp>", "<noscript>", "</ p>", "<select>"] {
        let body = format!(
            "# Overview\n\n## Background\n\nBefore the line.\n\nA line {bad} with raw HTML.\n\nKEEP-1 after the line.\n\n## Statement of Intent\n\nKEEP-2 in the next section.\n\n# Summary\n\nKEEP-3 summary.\n"
        );
        let (_tmp, packet) = workspace_with(&body, "Letter text KEEP-4.\n");
        let html = packet_ls::cli::bundle_html(&packet).unwrap();
        let main = &html[html.find("<main").unwrap()..];
        assert!(main.contains("Before the line."), "{bad}: {main}");
        // `<!--` opens a comment that hides the rest, as in Markdown (check reads it so too).
        if bad != "<!--" {
            for keep in ["KEEP-1", "KEEP-2", "KEEP-3"] {
                assert!(main.contains(keep), "{bad}: {keep} lost in:\n{main}");
            }
        }
        assert!(main.contains("KEEP-4"), "{bad}: the letter lost in:\n{main}");
        assert!(main.contains(r#"<h1 id="packet-4">Summary</h1>"#) || bad == "<!--", "{bad}: {main}");
        assert_eq!(html.to_lowercase().matches("<style").count(), 1, "{bad}");
    }
    // An inline script's content is dropped with it, the text after it stays.
    let (_tmp, packet) = workspace_with("# Overview\n\nA <script>alert(1)</script> B <style>x{}</style> C <script>open\n\nKEEP after.\n", "");
    let html = packet_ls::cli::bundle_html(&packet).unwrap();
    assert!(!html.contains("alert(1)") && !html.contains("x{}") && !html.contains("open"), "{html}");
    assert!(html.contains("<p>A  B  C </p>") && html.contains("KEEP after."), "{html}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("f.packet.md");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    let t = std::time::Instant::now();
    let o = Command::new(bin()).arg("bundle").arg(&fifo).arg("-o").arg(tmp.path().join("out.html")).output().unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(10), "blocked for {:?}", t.elapsed());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!tmp.path().join("out.html").exists());
    // A letter that is a FIFO is listed as unreadable, not waited on.
    let (tmp, packet) = workspace_with("# Overview\n\nText.\n", "");
    let letter = packet.parent().unwrap().join("letters/a.md");
    fs::remove_file(&letter).unwrap();
    assert!(Command::new("mkfifo").arg(&letter).status().unwrap().success());
    let o = Command::new(bin()).arg("bundle").arg(&packet).arg("-o").arg(tmp.path().join("out.html")).output().unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let html = fs::read_to_string(tmp.path().join("out.html")).unwrap();
    assert!(html.contains("Letter file letters/a.md is missing."), "{html}");
}

#[test]
fn the_output_is_never_an_input_and_existing_files_need_force() {
    let (tmp, packet) = workspace_with("# Overview\n\nText.\n", "Letter.\n");
    let before = fs::read_to_string(&packet).unwrap();
    let letter = packet.parent().unwrap().join("letters/a.md");
    let run = |out: &Path, force: bool| {
        let mut c = Command::new(bin());
        c.arg("bundle").arg(&packet).arg("-o").arg(out);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    for force in [false, true] {
        for out in [packet.clone(), letter.clone(), packet.parent().unwrap().join("./letters/../p.packet.md")] {
            let o = run(&out, force);
            assert_eq!(o.status.code(), Some(2), "{}", out.display());
            assert!(String::from_utf8_lossy(&o.stderr).contains("it is an input of the bundle"), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    #[cfg(unix)]
    {
        let link = tmp.path().join("link.html");
        std::os::unix::fs::symlink(&packet, &link).unwrap();
        assert_eq!(run(&link, true).status.code(), Some(2));
        let hard = tmp.path().join("hard.html");
        fs::hard_link(&letter, &hard).unwrap();
        assert_eq!(run(&hard, true).status.code(), Some(2));
    }
    assert_eq!(fs::read_to_string(&packet).unwrap(), before);
    assert_eq!(fs::read_to_string(&letter).unwrap(), "Letter.\n");
    // An existing unrelated file: refused without --force, replaced with it.
    let out = tmp.path().join("out.html");
    fs::write(&out, "old").unwrap();
    let o = run(&out, false);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists; not overwriting it (use --force)"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    assert_eq!(run(&out, true).status.code(), Some(0));
    assert!(fs::read_to_string(&out).unwrap().starts_with("<!DOCTYPE html>"));
}
