//! Times the stages of loading a catalogue (diagnostics for benchmarks).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use policy_match::catalogue::{parse_document, Catalogue};
fn main() {
    for _ in 0..4 {
        let text = policy_match::synth::catalogue(1000, 2026);
        println!("{} bytes", text.len());
        let t = std::time::Instant::now();
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        println!("serde_json::Value: {:?}", t.elapsed());
        drop(v);
        let t = std::time::Instant::now();
        let d = parse_document("s", &text).expect("doc");
        println!("parse_document: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        drop(d);
        println!("drop doc: {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let c = Catalogue::from_json("s", &text).expect("cat");
        println!("from_json: {:?} ({} nodes)", t.elapsed(), c.program.nodes.len());
    }
}
