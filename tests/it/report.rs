//! `packet-ls report`: one row per packet over real files in a temporary
//! workspace — exact CSV and JSON, the human table, the HTML page (rows,
//! escaping of a hostile candidate name, nothing external), exit statuses.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_packet-ls")
}

/// The body of the clean corpus packet (everything after its front matter).
fn body() -> String {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/complete.packet.md")).unwrap();
    let end = text[4..].find("\n---\n").unwrap() + 4 + 5;
    text[end..].to_string()
}

/// A workspace with three packets and a Markdown file that is no packet:
/// - `a/ready.packet.md`: complete, its three letters and the sponsor's there;
/// - `b/hostile.packet.md`: a hostile candidate name, letters missing, empty,
///   about someone else, and no sponsor's letter;
/// - `b/draft.packet.md`: no front matter at all (errors).
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    write(&ws.join("packet.toml"), "");
    write(&ws.join("notes.md"), "# Just notes\n");
    write(
        &ws.join("packets/a/ready.packet.md"),
        &format!(
            "---\npacket: senior-em\ncandidate: Jordan Rivera\ntarget: Senior Engineering Manager\n\
sponsor: {{ name: Morgan Lee, relation: direct-manager, role: director, file: letters/morgan.md }}\nletters:\n\
  - {{ name: Priya Natarajan, role: staff-engineer, relation: same-team, file: letters/priya.md }}\n\
  - {{ name: Tomás Ortega, role: product-manager, relation: other-team, file: letters/tomas.md }}\n\
  - {{ name: Wei Chen, role: engineer, relation: other-team, file: letters/wei.md }}\n---\n{}",
            body()
        ),
    );
    write(&ws.join("packets/a/letters/morgan.md"), "I sponsor Jordan Rivera for this promotion.\n");
    write(&ws.join("packets/a/letters/priya.md"), "Jordan led our rewrite with care.\n");
    write(&ws.join("packets/a/letters/tomas.md"), "I planned the roadmap with Jordan every quarter.\n");
    write(&ws.join("packets/a/letters/wei.md"), "Jordan helped my team adopt the new platform.\n");
    write(
        &ws.join("packets/b/hostile.packet.md"),
        &format!(
            "---\npacket: senior-em\ncandidate: '=HYPERLINK(\"x\") <script>alert(1)</script>, Esq.'\ntarget: Senior Engineering Manager\n\
sponsor: {{ name: Lee, relation: direct-manager, role: director }}\nletters:\n\
  - {{ name: Ann, role: staff-engineer, relation: same-team, file: letters/missing.md }}\n\
  - {{ name: Bo, role: product-manager, file: letters/empty.md }}\n\
  - {{ name: Cy, role: engineer, relation: other-team, file: letters/other.md }}\n---\n{}",
            body()
        ),
    );
    write(&ws.join("packets/b/letters/empty.md"), "# Letter\n\n<!-- Write about the candidate here. -->\nTODO\n");
    write(&ws.join("packets/b/letters/other.md"), "Sam Someone is a great engineer.\n");
    write(&ws.join("packets/b/draft.packet.md"), "# Overview\n\nTBD\n");
    tmp
}

fn report(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin()).current_dir(dir).arg("report").args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn csv_is_one_exact_row_per_packet() {
    let tmp = workspace();
    let o = report(tmp.path(), &["--format", "csv", "packets", "notes.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // The explicitly named file that is no packet is noted on stderr, not a row.
    assert!(String::from_utf8_lossy(&o.stderr).contains("notes.md: not a packet"));
    let want = [
        "path,candidate,target,sponsor,sections,initiatives_complete,mentoring,letter_kinds,letter_kinds_covered,letter_files,sponsor_letter,errors,warnings,ready",
        "packets/a/ready.packet.md,Jordan Rivera,Senior Engineering Manager,Morgan Lee,9/9,2/2,3/3,3/3,same-team-senior-engineer;product-or-program-manager;cross-team,Priya Natarajan=present;Tomás Ortega=present;Wei Chen=present,present,0,0,yes",
        "packets/b/draft.packet.md,,,,1/9,0/2,0/3,0/3,,,no-sponsor,9,1,no",
        "packets/b/hostile.packet.md,\"'=HYPERLINK(\"\"x\"\") <script>alert(1)</script>, Esq.\",Senior Engineering Manager,Lee,9/9,2/2,3/3,3/3,same-team-senior-engineer;product-or-program-manager;cross-team,Ann=missing;Bo=empty;Cy=candidate-not-named,no-file,0,WARNINGS,no",
    ];
    let got = stdout(&o);
    let lines: Vec<&str> = got.split("\r\n").collect();
    assert_eq!(lines.len(), 5, "{got}");
    assert_eq!(lines[4], "");
    assert_eq!(lines[0], want[0]);
    assert_eq!(lines[1], want[1]);
    // The draft's error and warning counts are those of `check`.
    let check = Command::new(bin()).current_dir(tmp.path()).args(["check", "--format", "json", "packets/b/draft.packet.md"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let sev = |n: u64| v[0]["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == n).count();
    assert_eq!(lines[2], format!("packets/b/draft.packet.md,,,,1/9,0/2,0/3,0/3,,,no-sponsor,{},{},no", sev(1), sev(2)));
    // The hostile packet: the letter warnings are counted.
    let check = Command::new(bin()).current_dir(tmp.path()).args(["check", "--format", "json", "packets/b/hostile.packet.md"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let warnings = v[0]["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == 2).count();
    assert_eq!(lines[3], want[3].replace("WARNINGS", &warnings.to_string()));
}

#[test]
fn json_has_every_column() {
    let tmp = workspace();
    let o = report(tmp.path(), &["--format", "json", "packets/a"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let want = serde_json::json!([{
        "path": "packets/a/ready.packet.md",
        "candidate": "Jordan Rivera",
        "target": "Senior Engineering Manager",
        "sponsor": "Morgan Lee",
        "sections": {"present": 9, "required": 9},
        "initiatives": {"complete": 2, "expected": 2},
        "mentoring": {"evidenced": 3, "required": 3},
        "letterKinds": {"covered": 3, "required": 3, "kinds": ["same-team-senior-engineer", "product-or-program-manager", "cross-team"]},
        "letters": [
            {"name": "Priya Natarajan", "role": "staff-engineer", "relation": "same-team", "file": "letters/priya.md", "status": "present"},
            {"name": "Tomás Ortega", "role": "product-manager", "relation": "other-team", "file": "letters/tomas.md", "status": "present"},
            {"name": "Wei Chen", "role": "engineer", "relation": "other-team", "file": "letters/wei.md", "status": "present"}
        ],
        "sponsorLetter": {"file": "letters/morgan.md", "status": "present", "present": true},
        "errors": 0,
        "warnings": 0,
        "readiness": "9/9 sections · 2/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter present",
        "ready": true
    }]);
    assert_eq!(v, want);
    // The hostile packet's letters, each with its own status.
    let o = report(tmp.path(), &["--format", "json", "packets/b/hostile.packet.md"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let statuses: Vec<&str> = v[0]["letters"].as_array().unwrap().iter().map(|l| l["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["missing", "empty", "candidate-not-named"]);
    assert_eq!(v[0]["sponsorLetter"], serde_json::json!({"file": null, "status": "no-file", "present": false}));
    assert_eq!(v[0]["ready"], false);
}

#[test]
fn human_table_lists_rows_letters_and_the_ready_count() {
    let tmp = workspace();
    let o = report(tmp.path(), &["packets"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("packet  ") && lines[0].ends_with("ready"), "{out}");
    assert!(lines[1].starts_with("packets/a/ready.packet.md  ") && lines[1].ends_with("yes"), "{out}");
    assert!(lines[1].contains("3/3           3/3           present"), "{out}");
    // Control characters of the candidate name would be escaped; this one has none.
    assert!(out.contains("packets/b/hostile.packet.md: letter from Ann (letters/missing.md): file not found"), "{out}");
    assert!(out.contains("packets/b/hostile.packet.md: letter from Bo (letters/empty.md): empty or only placeholders"), "{out}");
    assert!(out.contains("packets/b/hostile.packet.md: letter from Cy (letters/other.md): does not name the candidate"), "{out}");
    assert!(out.ends_with("\n1 of 3 packets ready to submit (no error, all three letter kinds, the sponsor's letter).\n"), "{out}");
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let tmp = workspace();
    let o = report(tmp.path(), &["--format", "html", "-o", "report.html", "packets"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout(&o), "");
    let html = fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_eq!(html.matches("<tr>").count(), 1 + 3, "the head row and three packets");
    assert!(html.contains("<td data-sort=\"packets/a/ready.packet.md\">packets/a/ready.packet.md</td>"));
    // The hostile name is text: escaped, its script never a tag.
    assert!(html.contains("=HYPERLINK(&quot;x&quot;) &lt;script&gt;alert(1)&lt;/script&gt;, Esq."), "{html}");
    assert!(!html.contains("alert(1)</script>"));
    // Exactly one script, the page's own, allowed by hash in the CSP.
    assert_eq!(html.matches("<script").count(), 1);
    let csp = packet_ls::report::report_csp();
    assert!(csp.starts_with("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"));
    assert!(html.contains(&format!("content=\"{csp}\"")));
    // Nothing external: no URL, no src, no link element.
    assert!(!html.contains("://"), "{html}");
    assert!(!html.contains("src="));
    assert!(!html.contains("<link"));
    // Readiness bars, sortable headings, landscape print.
    assert!(html.contains("<div class=\"bar full\" title=\"100%\""));
    assert!(html.contains("<th data-col=\"0\" scope=\"col\">Packet</th>"));
    assert!(html.contains("@page { size: A4 landscape"));
    assert!(html.contains("1 of 3 packets ready to submit"));
}

#[test]
fn the_csp_hash_is_the_hash_of_the_pages_script() {
    let html = packet_ls::report::html(&[]);
    let start = html.find("<script>").unwrap() + "<script>".len();
    let end = html.find("</script>").unwrap();
    use base64::Engine as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(packet_ls::report::sha256(&html.as_bytes()[start..end]));
    assert!(html.contains(&format!("script-src 'sha256-{hash}'")));
}

#[test]
fn exit_status_is_0_when_it_ran_and_2_on_io_errors() {
    let tmp = workspace();
    // Not ready is not a failure.
    assert_eq!(report(tmp.path(), &["packets/b"]).status.code(), Some(0));
    // A missing path: the other rows are still printed, exit 2.
    let o = report(tmp.path(), &["--format", "csv", "packets/a", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope: no such file or folder"));
    assert_eq!(stdout(&o).lines().count(), 2);
    // An output that cannot be written, or is one of the packets.
    assert_eq!(report(tmp.path(), &["-o", "no/such/dir/r.html", "packets/a"]).status.code(), Some(2));
    let o = report(tmp.path(), &["-o", "packets/a/ready.packet.md", "packets/a/ready.packet.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(fs::read_to_string(tmp.path().join("packets/a/ready.packet.md")).unwrap().starts_with("---\npacket: senior-em"));
    // Usage errors (clap): 2.
    assert_eq!(report(tmp.path(), &[]).status.code(), Some(2));
    assert_eq!(report(tmp.path(), &["--format", "xml", "packets"]).status.code(), Some(2));
}

/// Twelve packets (the shipped example under twelve names, a few letters
/// missing or empty) print on one A4 landscape page in headless Chromium.
/// Fails where Chromium is not installed, unless `PACKET_LS_SKIP_BROWSER_TESTS=1`.
/// (Clicking the headings to sort: scripts/report-sort-test.mjs, in the editor tests.)
#[test]
fn twelve_packets_print_on_one_landscape_page() {
    let Some(chromium) = crate::bundle::chromium_or_skip("twelve_packets_print_on_one_landscape_page") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let dana = fs::read_to_string(ex.join("dana.packet.md")).unwrap();
    for i in 1..=12 {
        let dir = tmp.path().join(format!("packets/p{i:02}"));
        let name = format!("Candidate{i} Longername");
        write(&dir.join(format!("c{i}.packet.md")), &dana.replace("Dana Example", &name));
        for l in ["priya.md", "lee.md"] {
            let text = fs::read_to_string(ex.join("letters").join(l)).unwrap().replace("Dana Example", &name).replace("Dana", &format!("Candidate{i}"));
            if !(i == 3 && l == "lee.md") {
                write(&dir.join("letters").join(l), &if i == 5 && l == "priya.md" { String::new() } else { text });
            }
        }
    }
    write(&tmp.path().join("packet.toml"), "");
    let o = report(tmp.path(), &["--format", "html", "-o", "r.html", "packets"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let html = fs::read_to_string(tmp.path().join("r.html")).unwrap();
    // Only p03 (no sponsor's letter) is not ready; p05's empty letter is a warning.
    assert!(html.contains("11 of 12 packets ready to submit"), "{html}");
    let pdf_path = tmp.path().join("r.pdf");
    let out = Command::new("timeout")
        .arg("180")
        .arg(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", tmp.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", tmp.path().join("r.html").display()))
        .output()
        .unwrap();
    let pdf = fs::read(&pdf_path).unwrap_or_else(|_| panic!("chromium wrote no PDF: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = Command::new("pdfinfo").arg(&pdf_path).output().ok().and_then(|o| {
        String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse::<usize>().unwrap_or(0)))
    });
    let text = String::from_utf8_lossy(&pdf);
    let pages = pages.unwrap_or_else(|| text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count() + text.matches("/Type/Page/").count() + text.matches("/Type /Page/").count());
    assert_eq!(pages, 1, "twelve packets should print on one landscape page");
}
