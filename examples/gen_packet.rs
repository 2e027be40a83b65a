//! Writes generated packets for the latency and comparison scripts.
//!
//! `cargo run --release --example gen_packet -- LINES [SEED]` prints one packet;
//! `cargo run --release --example gen_packet -- LINES SEED DIR COUNT` writes
//! COUNT packets `DIR/packet-NNN.packet.md` with seeds SEED, SEED+1, ….

use std::io::Write;

#[path = "../benches/support/packet_gen.rs"]
mod packet_gen;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, default: u64| -> u64 {
        args.get(i).map_or(default, |s| s.parse().unwrap_or_else(|_| panic!("not a number: {s}")))
    };
    let lines = num(0, 3_000) as usize;
    let seed = num(1, 7);
    match args.get(2) {
        None => std::io::stdout().write_all(packet_gen::packet(lines, seed).as_bytes()).expect("stdout"),
        Some(dir) => {
            let count = num(3, 1);
            std::fs::create_dir_all(dir).expect("create the folder");
            for i in 0..count {
                let path = format!("{dir}/packet-{i:03}.packet.md");
                std::fs::write(&path, packet_gen::packet(lines, seed + i)).expect("write a packet");
            }
        }
    }
}
