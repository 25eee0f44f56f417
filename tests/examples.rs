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

/// `torchsummary.summary(torchvision.models.NAME(), input)`, printed by
/// torchsummary 1.5.1 for the torchvision models the examples transcribe (see
/// `fixtures/zoo/README` and `fixtures/torchvision/README.md`).
#[test]
fn torchvision_examples_print_torchsummarys_tables() {
    let references = [
        ("vgg16", include_str!("fixtures/zoo/vgg16.torchsummary.txt")),
        ("resnet18", include_str!("fixtures/zoo/resnet18.torchsummary.txt")),
        ("mobilenet_v2", include_str!("fixtures/zoo/mobilenet_v2.torchsummary.txt")),
        // torchsummary crashes on DenseNet; this is its table with the crashing
        // line patched (`fixtures/torchvision/patched_torchsummary.py`).
        ("densenet121", include_str!("fixtures/torchvision/densenet121.torchsummary.txt")),
    ];
    for (example, table) in references {
        assert_eq!(output_of(example), table, "{example}");
    }
    for (example, reference) in [
        ("alexnet", include_str!("fixtures/torchvision/alexnet.json")),
        ("vgg11_bn", include_str!("fixtures/torchvision/vgg11_bn.json")),
        ("squeezenet1_0", include_str!("fixtures/torchvision/squeezenet1_0.json")),
        ("googlenet", include_str!("fixtures/torchvision/googlenet.json")),
        ("resnet50", include_str!("fixtures/torchvision/resnet50.json")),
        ("resnet152", include_str!("fixtures/torchvision/resnet152.json")),
        ("inception_v3", include_str!("fixtures/torchvision/inception_v3.json")),
        ("shufflenet_v2_x1_0", include_str!("fixtures/torchvision/shufflenet_v2_x1_0.json")),
        ("mnasnet1_0", include_str!("fixtures/torchvision/mnasnet1_0.json")),
        ("efficientnet_b0", include_str!("fixtures/torchvision/efficientnet_b0.json")),
    ] {
        let reference: serde_json::Value = serde_json::from_str(reference).expect("a JSON reference");
        assert_eq!(output_of(example), reference["torchsummary"].as_str().expect("a table"), "{example}");
    }
}
