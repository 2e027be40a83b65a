//! The packet template `packet-ls init` writes and the server's "Scaffold
//! packet from template" action inserts.

/// The Senior Engineering Manager packet template (spec §2's outline).
pub const TEMPLATE: &str = include_str!("../templates/senior-em.packet.md");
