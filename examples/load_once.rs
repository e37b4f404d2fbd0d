//! One catalogue load, for callgrind.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let text = std::fs::read_to_string("/tmp/synth.json").expect("file");
    let c = policy_match::catalogue::Catalogue::from_json("s", std::hint::black_box(&text)).expect("cat");
    std::hint::black_box(c);
}
