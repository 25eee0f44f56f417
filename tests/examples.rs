//! Every example's output, asserted byte for byte. `cargo test` builds the
//! examples before it runs tests; this test runs the built binaries.

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/NAME`, beside this test's own `deps/` directory.
fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test binary's path");
    let profile = test.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
    profile.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn output_of(name: &str) -> String {
    let path = example(name);
    let output = Command::new(&path).output().unwrap_or_else(|error| {
        panic!("running {}: {error} (plain `cargo test` builds the examples first)", path.display())
    });
    assert!(output.status.success(), "{name} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// torchsummary's table for the MNIST net, as the foundation issue gives it.
#[test]
fn lenet_prints_torchsummarys_table() {
    assert_eq!(output_of("lenet"), include_str!("expected/lenet.txt"));
}

/// `torchsummary.summary(torchvision.models.vgg16(), (3, 224, 224))`, printed by
/// torchsummary 1.5.1 (see `fixtures/README.md`).
#[test]
fn vgg16_prints_torchsummarys_table() {
    assert_eq!(output_of("vgg16"), include_str!("fixtures/zoo/vgg16.torchsummary.txt"));
}
