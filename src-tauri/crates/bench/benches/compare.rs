//! Criterion: our engine and Unleash's yggdrasil on the same segments and the same context,
//! in the same run. (a) one segment of two conditions; (b) 100 mixed segments.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use segments_bench::{Micro, hundred_segments, one_segment};

fn bench(c: &mut Criterion) {
    for (label, specs) in [
        ("a: 1 segment x 2 conditions", one_segment()),
        ("b: 100 segments", hundred_segments()),
    ] {
        let micro = Micro::new(&specs);
        let mut group = c.benchmark_group(label);
        let mut scratch = micro.set.scratch();
        let mut out = Vec::with_capacity(micro.ids.len());
        group.bench_function("ours", |b| {
            b.iter(|| {
                micro
                    .set
                    .evaluate_many(&micro.ids, black_box(&micro.json), &mut scratch, &mut out);
                out.len()
            });
        });
        group.bench_function("yggdrasil", |b| {
            b.iter(|| black_box(&micro).yggdrasil_all());
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
