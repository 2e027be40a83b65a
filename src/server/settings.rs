//! Editor settings: section `packet-ls`, from `initializationOptions` or
//! `workspace/didChangeConfiguration`, in camelCase.

use serde_json::Value;

use crate::config::{parse_rule_levels, EditorOverrides};

#[derive(Debug, Clone, PartialEq)]
pub struct ServerSettings {
    /// Debounce before analysing a change (0: at once).
    pub debounce_ms: u64,
    /// Files larger than this are not analysed.
    pub max_file_bytes: usize,
    /// Advertise pull diagnostics to clients that support them. Off by default:
    /// VS Code and Neovim keep pulled and pushed diagnostics apart and would
    /// show every problem twice. `textDocument/diagnostic` is answered either way.
    pub pull_diagnostics: bool,
    pub editor: EditorOverrides,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings { debounce_ms: 100, max_file_bytes: 5 * 1024 * 1024, pull_diagnostics: false, editor: EditorOverrides::default() }
    }
}

/// The `packet-ls` object inside what the client sent: `{"settings": {"packet-ls": …}}`,
/// `{"packet-ls": …}`, or the object itself.
fn section(v: &Value) -> Option<&serde_json::Map<String, Value>> {
    let v = v.get("settings").unwrap_or(v);
    let v = v.get("packet-ls").unwrap_or(v);
    v.as_object()
}

impl ServerSettings {
    /// Applies the keys present in `v`; returns warnings for invalid values
    /// (which leave the old value in place).
    pub fn update(&mut self, v: &Value) -> Vec<String> {
        let mut warnings = Vec::new();
        let Some(obj) = section(v) else {
            return vec![format!("settings ignored: expected an object, got {v}")];
        };
        if let Some(d) = obj.get("debounceMs") {
            match d.as_u64() {
                Some(n) => self.debounce_ms = n.min(10_000),
                None => warnings.push(format!("debounceMs: expected a non-negative number, got {d}")),
            }
        }
        if let Some(d) = obj.get("maxFileBytes") {
            match d.as_u64() {
                Some(n) => self.max_file_bytes = n as usize,
                None => warnings.push(format!("maxFileBytes: expected a non-negative number, got {d}")),
            }
        }
        if let Some(d) = obj.get("pullDiagnostics") {
            match d.as_bool() {
                Some(b) => self.pull_diagnostics = b,
                None => warnings.push(format!("pullDiagnostics: expected true or false, got {d}")),
            }
        }
        match obj.get("rubric") {
            Some(Value::String(s)) => self.editor.rubric = Some(s.clone()).filter(|s| !s.is_empty()),
            Some(Value::Null) | None => {}
            Some(other) => warnings.push(format!("rubric: expected a string, got {other}")),
        }
        match obj.get("rules") {
            Some(Value::Object(m)) => {
                let mut errors = Vec::new();
                let pairs: Vec<(&str, &str)> = m
                    .iter()
                    .filter_map(|(k, v)| match v.as_str() {
                        Some(s) => Some((k.as_str(), s)),
                        None => {
                            warnings.push(format!("rules.{k}: expected a string level, got {v}"));
                            None
                        }
                    })
                    .collect();
                self.editor.rules = parse_rule_levels(pairs.into_iter().map(|(k, v)| (k, 0..0, v, 0..0)), &mut errors);
                warnings.extend(errors.into_iter().map(|e| format!("rules: {}", e.message)));
            }
            Some(Value::Null) | None => {}
            Some(other) => warnings.push(format!("rules: expected an object, got {other}")),
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;
    use crate::rules::RuleCode;
    use serde_json::json;

    #[test]
    fn accepts_every_shape_and_reports_bad_values() {
        let mut s = ServerSettings::default();
        assert!(s.update(&json!({"settings": {"packet-ls": {"debounceMs": 0}}})).is_empty());
        assert_eq!(s.debounce_ms, 0);
        assert!(s.update(&json!({"packet-ls": {"rules": {"placeholder": "off"}}})).is_empty());
        assert_eq!(s.editor.rules[&RuleCode::Placeholder], Level::Off);
        let w = s.update(&json!({"maxFileBytes": "big", "rules": {"nope": "off"}}));
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(s.max_file_bytes, 5 * 1024 * 1024);
    }
}
