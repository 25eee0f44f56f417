//! Compile errors: every mistake in `tests/ui/*.rs` must fail to compile with
//! exactly the committed `.stderr` (regenerate with `TRYBUILD=overwrite cargo
//! test --test ui`, then read the diff).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
