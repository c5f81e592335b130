//! Heap allocations per evaluation (dhat, testing mode), ours and yggdrasil's, on the
//! micro cases: `cargo run --release --bin allocs`.

use std::hint::black_box;

use segments_bench::{Micro, hundred_segments, one_segment};
use segments_engine::Slots;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

const N: u64 = 1000;

fn blocks(run: &mut dyn FnMut()) -> f64 {
    run(); // warm up
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..N {
        run();
    }
    (dhat::HeapStats::get().total_blocks - before) as f64 / N as f64
}

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    println!("| case | ours (JSON) | ours (slots) | yggdrasil |");
    println!("|---|---|---|---|");
    for (label, specs) in [
        ("(a) 1 segment", one_segment()),
        ("(b) 100 segments", hundred_segments()),
    ] {
        let micro = Micro::new(&specs);
        let names = micro.set.attribute_names();
        let mut slots = Slots::new(names.len());
        for (slot, name) in names.iter().enumerate() {
            if let Some(value) = micro.json.get(&**name) {
                slots.set(slot, value.clone());
            }
        }
        let mut scratch = micro.set.scratch();
        let mut out = Vec::with_capacity(micro.ids.len());
        let json = blocks(&mut || {
            micro
                .set
                .evaluate_many(&micro.ids, black_box(&micro.json), &mut scratch, &mut out);
        });
        let rows = blocks(&mut || {
            micro
                .set
                .evaluate_many_slots(&micro.ids, black_box(&slots), &mut scratch, &mut out);
        });
        let theirs = blocks(&mut || {
            black_box(micro.yggdrasil_all());
        });
        println!("| {label} | {json} | {rows} | {theirs} |");
    }
    println!("(heap blocks allocated per context through every segment of the case)");
}
