use super::{Cx, RuleCode, RuleInfo};
use crate::analysis::LetterStatus;
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A letter's `file:` does not exist, or points outside the workspace root.",
    doc: "Letter files (the recommenders' `file:` and the sponsor's own letter, `sponsor: { …, file: letters/sponsor.md }`) are resolved relative to the packet. Paths that leave the workspace root (`..`, absolute paths, symlinks out) are refused and never read; a file that is found but cannot be read (not UTF-8 text, over 1 MB, swapped for a symlink since it was resolved) is reported too. The root is the folder of the nearest `packet.toml`, else the nearest folder holding `.git`, else the packet's folder (in the server, the workspace folder holding the document).",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    if !cx.front.parsed() {
        return;
    }
    // The sponsor's own letter is checked like the others.
    for letter in cx.front.sponsor.iter().chain(&cx.front.letters) {
        let (Some(path), Some(field)) = (letter.file_path(), letter.file.as_ref()) else {
            continue;
        };
        let message = match cx.env.letters.get(path) {
            Some(LetterStatus::Found(_)) => match cx.env.letter_texts.get(path) {
                // Found, but it could not be read (not UTF-8, too big, swapped for a symlink).
                Some(crate::letters::LetterText::Unavailable(why)) => why.trim_end_matches('.').to_string(),
                _ => continue,
            },
            None => continue,
            Some(LetterStatus::Missing) => format!("Letter file `{path}` not found (paths are relative to the packet)"),
            Some(LetterStatus::OutsideRoot) => {
                format!("Letter file `{path}` is outside the workspace root: keep letters inside the packet's workspace")
            }
            Some(LetterStatus::Absolute) => {
                format!("Letter file `{path}` is an absolute path: name it relative to the packet, inside the workspace")
            }
        };
        out.push(Diagnostic::new(RuleCode::LetterNotFound, field.value.range.clone(), message));
    }
}
