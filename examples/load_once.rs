//! One catalogue load of the 1,000-policy synthetic catalogue, for
//! callgrind: `valgrind --tool=callgrind --toggle-collect='*Catalogue::from_json*'
//! target/release/examples/load_once` counts the load only (not generating the text).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let text = policy_match::synth::catalogue(1000, 2026);
    match policy_match::catalogue::Catalogue::from_json("synthetic.json", std::hint::black_box(&text)) {
        Ok(c) => std::hint::black_box(c.policies.len()),
        Err(e) => panic!("the synthetic catalogue does not compile: {e}"),
    };
}
