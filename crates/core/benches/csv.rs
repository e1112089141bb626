//! Throughput of `users::validate_bytes` on generated users files of
//! 100,000 rows, one that validates cleanly and one where seven of eight rows
//! have a finding, and of `users::report_bytes` on the clean file. Run with
//! `cargo bench -p gatehouse-core --bench csv`.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use gatehouse_core::csv::users;

#[path = "support/users_csv.rs"]
mod users_csv;

const ROWS: usize = 100_000;

/// Starts a benchmark group for validations of a whole file. One validation
/// takes a sizeable fraction of a second, so flat sampling with few samples
/// keeps the whole run near a minute on 2 cores.
fn file_group<'a>(criterion: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(6));
    group
}

/// The generated files are UTF-8, so the Shift_JIS decoder is never called.
fn no_shift_jis(_: &[u8]) -> Option<String> {
    None
}

fn users_validation(criterion: &mut Criterion) {
    let valid = users_csv::valid_users_csv(ROWS).into_bytes();
    let invalid = users_csv::invalid_users_csv(ROWS).into_bytes();

    // Check once that each file exercises the path its name promises, so a
    // change in the rules cannot silently turn the clean file into an error path.
    let report = users::validate_bytes(&valid, &no_shift_jis).report;
    assert_eq!(report.rows as usize, ROWS);
    assert_eq!(report.counts.errors, 0, "the clean file has errors: {:?}", report.findings.first());
    let report = users::validate_bytes(&invalid, &no_shift_jis).report;
    assert_eq!(report.rows as usize, ROWS);
    assert!(report.counts.errors as usize >= ROWS * 5 / 8, "only {} errors", report.counts.errors);
    println!(
        "clean file: {} bytes; error file: {} bytes with {} errors and {} warnings",
        valid.len(),
        invalid.len(),
        report.counts.errors,
        report.counts.warnings
    );

    let mut group = file_group(criterion, "users_validate_bytes");

    group.throughput(Throughput::Bytes(valid.len() as u64));
    group.bench_function("clean_100k_rows", |bencher| {
        bencher.iter(|| users::validate_bytes(black_box(&valid), &no_shift_jis))
    });
    group.throughput(Throughput::Bytes(invalid.len() as u64));
    group.bench_function("errors_100k_rows", |bencher| {
        bencher.iter(|| users::validate_bytes(black_box(&invalid), &no_shift_jis))
    });
    group.finish();

    // The report alone, without typed rows, is what the console's worker
    // and `check-csv` compute.
    let mut group = file_group(criterion, "users_report_bytes");
    group.throughput(Throughput::Bytes(valid.len() as u64));
    group.bench_function("clean_100k_rows", |bencher| {
        bencher.iter(|| users::report_bytes(black_box(&valid), &no_shift_jis, &mut |_| {}))
    });
    group.finish();
}

criterion_group!(benches, users_validation);
criterion_main!(benches);
