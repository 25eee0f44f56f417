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
        ("r3d_18", include_str!("fixtures/torchvision/r3d_18.json")),
        ("convnext_tiny", include_str!("fixtures/torchvision/convnext_tiny.json")),
    ] {
        let reference: serde_json::Value = serde_json::from_str(reference).expect("a JSON reference");
        assert_eq!(output_of(example), reference["torchsummary"].as_str().expect("a table"), "{example}");
    }
    // torchsummary crashes on ViT; the example prints torchinfo's view instead.
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/torchvision/vit_b_16.json")).expect("a JSON reference");
    assert_eq!(output_of("vit_b_16"), reference["torchinfo_default"].as_str().expect("a table"), "vit_b_16");
}

#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;

/// `cargo run --example diagram DIR` writes resnet18's DOT, which is
/// `Summary::dot()`'s, and renders it where Graphviz is installed (CI has
/// none: then it says so and still succeeds).
#[test]
fn diagram_writes_resnet18s_dot() {
    let dir = std::env::temp_dir().join(format!("netshape-diagram-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = example("diagram");
    let output = Command::new(&path).arg(&dir).output().unwrap_or_else(|error| {
        panic!("running {}: {error} (plain `cargo test` builds the examples first)", path.display())
    });
    assert!(output.status.success(), "diagram failed: {}", String::from_utf8_lossy(&output.stderr));
    let graphviz = Command::new("dot").arg("-V").output().is_ok();
    let rendered = if graphviz {
        "wrote resnet18.svg with `dot -Tsvg`\n"
    } else {
        "`dot` not found: install Graphviz to render resnet18.svg\n"
    };
    assert_eq!(
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        format!("wrote resnet18.dot: 71 nodes, 78 edges, 15 clusters\n{rendered}")
    );
    let dot = std::fs::read_to_string(dir.join("resnet18.dot")).expect("resnet18.dot");
    assert_eq!(dot, resnet18::ResNet18::SUMMARY.dot().to_string());
    if graphviz {
        let svg = std::fs::read_to_string(dir.join("resnet18.svg")).expect("resnet18.svg");
        assert!(svg.contains("<svg") && svg.contains("layer4.1 · BasicBlock"), "an SVG of resnet18");
    } else {
        assert!(!dir.join("resnet18.svg").exists());
    }
    std::fs::remove_dir_all(&dir).expect("removing the temporary directory");
}

/// The main job: the digits network, trained in PyTorch, classifies the
/// held-out digits exactly as PyTorch does with the same weights.
#[test]
fn digits_classifies_as_pytorch_does() {
    let output = output_of("digits");
    let table = output.split("\nThe first held-out digits").next().unwrap();
    assert_eq!(table, include_str!("expected/digits.txt"));
    let pytorch: serde_json::Value = serde_json::from_str(include_str!("../examples/data/digits_test.json")).unwrap();
    let (correct, count) = (pytorch["correct"].as_u64().unwrap(), pytorch["count"].as_u64().unwrap());
    let accuracy = 100.0 * correct as f64 / count as f64;
    assert!(accuracy >= 95.0, "{accuracy}");
    assert!(
        output.contains(&format!("netshape: {correct} of {count} held-out digits correct ({accuracy:.2}%)\n")),
        "{output}"
    );
    assert!(output.contains(&format!("PyTorch:  {correct} of {count} correct ({accuracy:.2}%)")), "{output}");
    // Six pictures of eight rows, and their captions.
    let pictures: Vec<&str> =
        output.lines().skip_while(|line| !line.starts_with("The first")).skip(2).take(9).collect();
    assert_eq!(pictures.len(), 9);
    assert!(pictures[8].contains("(label "), "{}", pictures[8]);
    let difference: f64 = output
        .lines()
        .find_map(|line| line.strip_prefix("largest difference from PyTorch's logits: "))
        .and_then(|value| value.parse().ok())
        .unwrap();
    assert!(difference < 1e-4, "{difference}");
}
