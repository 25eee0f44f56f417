//! Compile errors: every mistake in `tests/ui/*.rs` must fail to compile with
//! exactly the committed `.stderr` (regenerate with `TRYBUILD=overwrite cargo
//! test --test ui`, then read the diff).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}

/// netshape's lints are rustc warnings; under `deny(warnings)` each fails the
/// build with its message at the offending layer.
#[test]
fn lints() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/lints/*.rs");
}
