//! A structural validator for SARIF 2.1.0 logs, written from the OASIS
//! standard's JSON schema (sarif-schema-2.1.0.json) for the objects
//! `packet-ls check --format sarif` writes: the required properties, their
//! JSON types, the enumerations (`level`, `kind`, `columnKind`), the minimum
//! values (lines and columns start at 1, indices at -1 or 0), and — as the
//! schema says `additionalProperties: false` for every one of these objects —
//! no property the standard does not define. No network: the schema is
//! not fetched, the rules are written here.
//!
//! [`validate`] returns every violation with its JSON path, so a test can
//! assert the list is empty and a failure says what is wrong and where.

use serde_json::{Map, Value};

/// The SARIF 2.1.0 levels of a result and of a rule's default configuration.
pub const LEVELS: &[&str] = &["none", "note", "warning", "error"];
const KINDS: &[&str] = &["notApplicable", "pass", "fail", "review", "open", "informational"];
const COLUMN_KINDS: &[&str] = &["utf16CodeUnits", "unicodeCodePoints"];
const BASELINE_STATES: &[&str] = &["new", "unchanged", "updated", "absent"];

/// Property names the schema defines, per object.
const LOG_PROPS: &[&str] = &["$schema", "version", "runs", "inlineExternalProperties", "properties"];
const RUN_PROPS: &[&str] = &[
    "tool",
    "invocations",
    "conversion",
    "language",
    "versionControlProvenance",
    "originalUriBaseIds",
    "artifacts",
    "logicalLocations",
    "graphs",
    "results",
    "automationDetails",
    "runAggregates",
    "baselineGuid",
    "redactionTokens",
    "defaultEncoding",
    "defaultSourceLanguage",
    "newlineSequences",
    "columnKind",
    "externalPropertyFileReferences",
    "threadFlowLocations",
    "taxonomies",
    "addresses",
    "translations",
    "policies",
    "webRequests",
    "webResponses",
    "specialLocations",
    "properties",
];
const TOOL_PROPS: &[&str] = &["driver", "extensions", "properties"];
const TOOL_COMPONENT_PROPS: &[&str] = &[
    "guid",
    "name",
    "organization",
    "product",
    "productSuite",
    "shortDescription",
    "fullDescription",
    "fullName",
    "version",
    "semanticVersion",
    "dottedQuadFileVersion",
    "releaseDateUtc",
    "downloadUri",
    "informationUri",
    "globalMessageStrings",
    "notifications",
    "rules",
    "taxa",
    "locations",
    "language",
    "contents",
    "isComprehensive",
    "localizedDataSemanticVersion",
    "minimumRequiredLocalizedDataSemanticVersion",
    "associatedComponent",
    "translationMetadata",
    "supportedTaxonomies",
    "properties",
];
const DESCRIPTOR_PROPS: &[&str] = &[
    "id",
    "deprecatedIds",
    "guid",
    "deprecatedGuids",
    "name",
    "deprecatedNames",
    "shortDescription",
    "fullDescription",
    "messageStrings",
    "defaultConfiguration",
    "helpUri",
    "help",
    "relationships",
    "properties",
];
const CONFIGURATION_PROPS: &[&str] = &["enabled", "level", "rank", "parameters", "properties"];
const MULTIFORMAT_PROPS: &[&str] = &["text", "markdown", "properties"];
const MESSAGE_PROPS: &[&str] = &["text", "markdown", "id", "arguments", "properties"];
const RESULT_PROPS: &[&str] = &[
    "ruleId",
    "ruleIndex",
    "rule",
    "kind",
    "level",
    "message",
    "analysisTarget",
    "locations",
    "guid",
    "correlationGuid",
    "occurrenceCount",
    "partialFingerprints",
    "fingerprints",
    "stacks",
    "codeFlows",
    "graphs",
    "graphTraversals",
    "relatedLocations",
    "suppressions",
    "baselineState",
    "rank",
    "attachments",
    "hostedViewerUri",
    "workItemUris",
    "provenance",
    "fixes",
    "taxa",
    "webRequest",
    "webResponse",
    "properties",
];
const LOCATION_PROPS: &[&str] = &["id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"];
const PHYSICAL_PROPS: &[&str] = &["address", "artifactLocation", "region", "contextRegion", "properties"];
const ARTIFACT_LOCATION_PROPS: &[&str] = &["uri", "uriBaseId", "index", "description", "properties"];
const REGION_PROPS: &[&str] = &[
    "startLine",
    "startColumn",
    "endLine",
    "endColumn",
    "charOffset",
    "charLength",
    "byteOffset",
    "byteLength",
    "snippet",
    "message",
    "sourceLanguage",
    "properties",
];
const FIX_PROPS: &[&str] = &["description", "artifactChanges", "properties"];
const ARTIFACT_CHANGE_PROPS: &[&str] = &["artifactLocation", "replacements", "properties"];
const REPLACEMENT_PROPS: &[&str] = &["deletedRegion", "insertedContent", "properties"];
const CONTENT_PROPS: &[&str] = &["text", "binary", "rendered", "properties"];

struct Checker {
    errors: Vec<String>,
}

impl Checker {
    fn err(&mut self, path: &str, what: impl std::fmt::Display) {
        self.errors.push(format!("{path}: {what}"));
    }

    /// The value as an object whose keys are all in `allowed`, with every one of `required`.
    fn object<'v>(&mut self, v: &'v Value, path: &str, allowed: &[&str], required: &[&str]) -> Option<&'v Map<String, Value>> {
        let Some(o) = v.as_object() else {
            self.err(path, format!("expected an object, got {v}"));
            return None;
        };
        for k in o.keys() {
            if !allowed.contains(&k.as_str()) {
                self.err(path, format!("property {k:?} is not defined by SARIF 2.1.0"));
            }
        }
        for r in required {
            if !o.contains_key(*r) {
                self.err(path, format!("required property {r:?} is missing"));
            }
        }
        if let Some(p) = o.get("properties") {
            if !p.is_object() {
                self.err(&format!("{path}.properties"), "a property bag must be an object");
            }
        }
        Some(o)
    }

    fn string(&mut self, o: &Map<String, Value>, key: &str, path: &str) -> Option<String> {
        let v = o.get(key)?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(&format!("{path}.{key}"), format!("expected a string, got {v}"));
                None
            }
        }
    }

    fn non_empty_string(&mut self, o: &Map<String, Value>, key: &str, path: &str) {
        if let Some(s) = self.string(o, key, path) {
            if s.is_empty() {
                self.err(&format!("{path}.{key}"), "must not be empty");
            }
        }
    }

    fn enumerated(&mut self, o: &Map<String, Value>, key: &str, path: &str, allowed: &[&str]) {
        if let Some(s) = self.string(o, key, path) {
            if !allowed.contains(&s.as_str()) {
                self.err(&format!("{path}.{key}"), format!("{s:?} is not one of {allowed:?}"));
            }
        }
    }

    fn integer(&mut self, o: &Map<String, Value>, key: &str, path: &str, min: i64) -> Option<i64> {
        let v = o.get(key)?;
        match v.as_i64() {
            Some(n) if n >= min => Some(n),
            Some(n) => {
                self.err(&format!("{path}.{key}"), format!("{n} is below the minimum {min}"));
                None
            }
            None => {
                self.err(&format!("{path}.{key}"), format!("expected an integer, got {v}"));
                None
            }
        }
    }

    fn array<'v>(&mut self, o: &'v Map<String, Value>, key: &str, path: &str) -> &'v [Value] {
        match o.get(key) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(v) => {
                self.err(&format!("{path}.{key}"), format!("expected an array, got {v}"));
                &[]
            }
        }
    }

    fn multiformat(&mut self, v: &Value, path: &str) {
        if let Some(o) = self.object(v, path, MULTIFORMAT_PROPS, &["text"]) {
            self.string(o, "text", path);
            self.string(o, "markdown", path);
        }
    }

    fn message(&mut self, v: &Value, path: &str) {
        if let Some(o) = self.object(v, path, MESSAGE_PROPS, &[]) {
            if !o.contains_key("text") && !o.contains_key("id") {
                self.err(path, "a message needs \"text\" or \"id\"");
            }
            self.string(o, "text", path);
            self.string(o, "id", path);
        }
    }

    fn log(&mut self, v: &Value) {
        let Some(o) = self.object(v, "$", LOG_PROPS, &["version", "runs"]) else { return };
        if o.get("version") != Some(&Value::from("2.1.0")) {
            self.err("$.version", format!("must be \"2.1.0\", got {:?}", o.get("version")));
        }
        self.string(o, "$schema", "$");
        if o.get("runs").is_some_and(|r| !r.is_array()) {
            self.err("$.runs", "expected an array");
        }
        for (i, run) in self.array(o, "runs", "$").iter().enumerate() {
            self.run(run, &format!("$.runs[{i}]"));
        }
    }

    fn run(&mut self, v: &Value, path: &str) {
        let Some(o) = self.object(v, path, RUN_PROPS, &["tool"]) else { return };
        self.enumerated(o, "columnKind", path, COLUMN_KINDS);
        let mut rule_ids = Vec::new();
        if let Some(tool) = o.get("tool") {
            let tp = format!("{path}.tool");
            if let Some(t) = self.object(tool, &tp, TOOL_PROPS, &["driver"]) {
                if let Some(driver) = t.get("driver") {
                    rule_ids = self.tool_component(driver, &format!("{tp}.driver"));
                }
                for (i, e) in self.array(t, "extensions", &tp).iter().enumerate() {
                    self.tool_component(e, &format!("{tp}.extensions[{i}]"));
                }
            }
        }
        if o.get("results").is_some_and(|r| !r.is_array()) {
            self.err(&format!("{path}.results"), "expected an array");
        }
        for (i, r) in self.array(o, "results", path).iter().enumerate() {
            self.result(r, &format!("{path}.results[{i}]"), &rule_ids);
        }
    }

    /// Returns the ids of the component's rules, in order.
    fn tool_component(&mut self, v: &Value, path: &str) -> Vec<Option<String>> {
        let Some(o) = self.object(v, path, TOOL_COMPONENT_PROPS, &["name"]) else { return Vec::new() };
        self.non_empty_string(o, "name", path);
        for k in ["version", "semanticVersion", "informationUri", "organization", "fullName"] {
            self.string(o, k, path);
        }
        for k in ["shortDescription", "fullDescription"] {
            if let Some(d) = o.get(k) {
                self.multiformat(d, &format!("{path}.{k}"));
            }
        }
        let mut ids = Vec::new();
        for (i, r) in self.array(o, "rules", path).iter().enumerate() {
            ids.push(self.descriptor(r, &format!("{path}.rules[{i}]")));
        }
        ids
    }

    fn descriptor(&mut self, v: &Value, path: &str) -> Option<String> {
        let o = self.object(v, path, DESCRIPTOR_PROPS, &["id"])?;
        let id = self.string(o, "id", path);
        for k in ["name", "helpUri"] {
            self.string(o, k, path);
        }
        for k in ["shortDescription", "fullDescription", "help"] {
            if let Some(d) = o.get(k) {
                self.multiformat(d, &format!("{path}.{k}"));
            }
        }
        if let Some(c) = o.get("defaultConfiguration") {
            let cp = format!("{path}.defaultConfiguration");
            if let Some(c) = self.object(c, &cp, CONFIGURATION_PROPS, &[]) {
                self.enumerated(c, "level", &cp, LEVELS);
                if c.get("enabled").is_some_and(|e| !e.is_boolean()) {
                    self.err(&format!("{cp}.enabled"), "expected a boolean");
                }
            }
        }
        id
    }

    fn result(&mut self, v: &Value, path: &str, rule_ids: &[Option<String>]) {
        let Some(o) = self.object(v, path, RESULT_PROPS, &["message"]) else { return };
        if let Some(m) = o.get("message") {
            self.message(m, &format!("{path}.message"));
        }
        self.enumerated(o, "level", path, LEVELS);
        self.enumerated(o, "kind", path, KINDS);
        self.enumerated(o, "baselineState", path, BASELINE_STATES);
        let rule_id = self.string(o, "ruleId", path);
        if let Some(i) = self.integer(o, "ruleIndex", path, -1) {
            // The index points into the driver's rules, at the rule the id names.
            match usize::try_from(i).ok().and_then(|i| rule_ids.get(i)) {
                Some(id) if rule_id.is_none() || *id == rule_id => {}
                Some(id) => self.err(&format!("{path}.ruleIndex"), format!("points at rule {id:?}, but ruleId is {rule_id:?}")),
                None if i == -1 => {}
                None => self.err(&format!("{path}.ruleIndex"), format!("{i} is past the {} rules of the driver", rule_ids.len())),
            }
        }
        for key in ["locations", "relatedLocations"] {
            for (i, l) in self.array(o, key, path).iter().enumerate() {
                self.location(l, &format!("{path}.{key}[{i}]"));
            }
        }
        for (i, f) in self.array(o, "fixes", path).iter().enumerate() {
            self.fix(f, &format!("{path}.fixes[{i}]"));
        }
    }

    fn location(&mut self, v: &Value, path: &str) {
        let Some(o) = self.object(v, path, LOCATION_PROPS, &[]) else { return };
        self.integer(o, "id", path, -1);
        if let Some(m) = o.get("message") {
            self.message(m, &format!("{path}.message"));
        }
        if let Some(p) = o.get("physicalLocation") {
            let pp = format!("{path}.physicalLocation");
            if let Some(p) = self.object(p, &pp, PHYSICAL_PROPS, &[]) {
                if !p.contains_key("address") && !p.contains_key("artifactLocation") {
                    self.err(&pp, "a physical location needs \"artifactLocation\" or \"address\"");
                }
                if let Some(a) = p.get("artifactLocation") {
                    self.artifact_location(a, &format!("{pp}.artifactLocation"));
                }
                for k in ["region", "contextRegion"] {
                    if let Some(r) = p.get(k) {
                        self.region(r, &format!("{pp}.{k}"));
                    }
                }
            }
        }
    }

    fn artifact_location(&mut self, v: &Value, path: &str) {
        if let Some(a) = self.object(v, path, ARTIFACT_LOCATION_PROPS, &[]) {
            self.non_empty_string(a, "uri", path);
            self.string(a, "uriBaseId", path);
            self.integer(a, "index", path, -1);
        }
    }

    fn region(&mut self, v: &Value, path: &str) {
        let Some(r) = self.object(v, path, REGION_PROPS, &[]) else { return };
        let start_line = self.integer(r, "startLine", path, 1);
        let start_col = self.integer(r, "startColumn", path, 1);
        let end_line = self.integer(r, "endLine", path, 1);
        let end_col = self.integer(r, "endColumn", path, 1);
        for k in ["charOffset", "byteOffset"] {
            self.integer(r, k, path, -1);
        }
        for k in ["charLength", "byteLength"] {
            self.integer(r, k, path, 0);
        }
        if !r.contains_key("startLine") && !r.contains_key("charOffset") && !r.contains_key("byteOffset") {
            self.err(path, "a region needs \"startLine\", \"charOffset\" or \"byteOffset\"");
        }
        // §3.30: the end is not before the start.
        if let (Some(sl), Some(el)) = (start_line, end_line) {
            if el < sl {
                self.err(path, format!("endLine {el} is before startLine {sl}"));
            } else if el == sl {
                if let (Some(sc), Some(ec)) = (start_col, end_col) {
                    if ec < sc {
                        self.err(path, format!("endColumn {ec} is before startColumn {sc} on one line"));
                    }
                }
            }
        }
        if let Some(s) = r.get("snippet") {
            self.object(s, &format!("{path}.snippet"), CONTENT_PROPS, &[]);
        }
    }

    fn fix(&mut self, v: &Value, path: &str) {
        let Some(f) = self.object(v, path, FIX_PROPS, &["artifactChanges"]) else { return };
        if let Some(d) = f.get("description") {
            self.message(d, &format!("{path}.description"));
        }
        for (i, c) in self.array(f, "artifactChanges", path).iter().enumerate() {
            let cp = format!("{path}.artifactChanges[{i}]");
            let Some(c) = self.object(c, &cp, ARTIFACT_CHANGE_PROPS, &["artifactLocation", "replacements"]) else { continue };
            if let Some(a) = c.get("artifactLocation") {
                self.artifact_location(a, &format!("{cp}.artifactLocation"));
            }
            for (j, r) in self.array(c, "replacements", &cp).iter().enumerate() {
                let rp = format!("{cp}.replacements[{j}]");
                let Some(r) = self.object(r, &rp, REPLACEMENT_PROPS, &["deletedRegion"]) else { continue };
                if let Some(d) = r.get("deletedRegion") {
                    self.region(d, &format!("{rp}.deletedRegion"));
                }
                if let Some(ins) = r.get("insertedContent") {
                    self.object(ins, &format!("{rp}.insertedContent"), CONTENT_PROPS, &[]);
                }
            }
        }
    }
}

/// Every way `log` departs from the SARIF 2.1.0 structure, with its JSON path.
pub fn validate(log: &Value) -> Vec<String> {
    let mut c = Checker { errors: Vec::new() };
    c.log(log);
    c.errors
}

/// Panics with every violation when `log` is not a valid SARIF 2.1.0 log.
pub fn assert_valid(log: &Value) {
    let errors = validate(log);
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n  {}\n{log:#}", errors.join("\n  "));
}

/// Besides the schema, what this project's results must carry (SARIF makes
/// them optional; code scanning needs them): a rule id, a level, a message
/// text, and one location with a file URI and a region starting at line 1 or later.
pub fn assert_complete_results(log: &Value) {
    for (r, run) in log["runs"].as_array().into_iter().flatten().enumerate() {
        for (i, res) in run["results"].as_array().into_iter().flatten().enumerate() {
            let at = format!("runs[{r}].results[{i}]");
            assert!(res["ruleId"].as_str().is_some_and(|s| !s.is_empty()), "{at}: ruleId: {res}");
            assert!(res["level"].as_str().is_some_and(|l| LEVELS.contains(&l)), "{at}: level: {res}");
            assert!(res["message"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{at}: message.text: {res}");
            let locs = res["locations"].as_array().unwrap_or_else(|| panic!("{at}: no locations: {res}"));
            assert!(!locs.is_empty(), "{at}: no locations");
            for l in locs {
                let pl = &l["physicalLocation"];
                assert!(pl["artifactLocation"]["uri"].as_str().is_some_and(|u| !u.is_empty()), "{at}: uri: {res}");
                assert!(pl["region"]["startLine"].as_u64().is_some_and(|n| n >= 1), "{at}: startLine: {res}");
            }
        }
    }
}

#[test]
fn the_validator_rejects_what_sarif_2_1_0_forbids() {
    use serde_json::json;
    let good = json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "t", "rules": [{"id": "a", "defaultConfiguration": {"level": "warning"}}]}},
            "results": [{"ruleId": "a", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
                         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "f.md"}, "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}}}]}]
        }]
    });
    assert_eq!(validate(&good), Vec::<String>::new());
    // One mutation each; each is reported.
    let cases: Vec<(&str, Box<dyn Fn(&mut Value)>)> = vec![
        ("version", Box::new(|v| v["version"] = json!("2.0.0"))),
        ("runs", Box::new(|v| v.as_object_mut().unwrap().remove("runs").map(drop).unwrap())),
        ("driver.name", Box::new(|v| v["runs"][0]["tool"]["driver"].as_object_mut().unwrap().remove("name").map(drop).unwrap())),
        ("level", Box::new(|v| v["runs"][0]["results"][0]["level"] = json!("warn"))),
        ("rule level", Box::new(|v| v["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] = json!("info"))),
        ("message", Box::new(|v| v["runs"][0]["results"][0]["message"] = json!("m"))),
        ("startLine", Box::new(|v| v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = json!(0))),
        ("startColumn", Box::new(|v| v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = json!(0))),
        ("end before start", Box::new(|v| v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endColumn"] = json!(0))),
        ("unknown property", Box::new(|v| v["runs"][0]["results"][0]["severity"] = json!("error"))),
        ("ruleIndex", Box::new(|v| v["runs"][0]["results"][0]["ruleIndex"] = json!(1))),
        ("ruleIndex/ruleId", Box::new(|v| v["runs"][0]["results"][0]["ruleId"] = json!("b"))),
        ("uri", Box::new(|v| v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = json!(3))),
        ("columnKind", Box::new(|v| v["runs"][0]["columnKind"] = json!("bytes"))),
    ];
    for (what, mutate) in cases {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(!validate(&bad).is_empty(), "{what}: not reported in {bad:#}");
    }
}
