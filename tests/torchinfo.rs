//! torchinfo 1.8.0's summary of each torchvision model the examples
//! transcribe, asserted byte for byte against what torchinfo printed for
//! torchvision itself (`fixtures/torchvision/NAME.json`, made by
//! `fixtures/torchvision/make_torchvision.py`; see its README):
//!
//! - `torchinfo_default`: `summary(model, input_size=(1, *input))`, the
//!   default columns (output size, parameters) and depth 3;
//! - `torchinfo`: the same with the columns input size, output size,
//!   parameters, kernel size, mult-adds and trainable;
//! - `mult_adds`: torchinfo's total mult-adds as an integer.
//!
//! and against what it printed, with other columns, depths, batch sizes and
//! dtypes, for resnet18, for the MNIST net of `examples/lenet.rs` (the
//! README's example) and for `Probe` below, a network with frozen layers, a
//! module called twice, an LSTM and attention
//! (`fixtures/torchinfo/torchinfo.json`, made by
//! `fixtures/torchinfo/make_torchinfo.py`; see its README).

use netshape::{Column, Dtype, Summary};
use serde_json::Value as Json;

#[path = "common/torchvision.rs"]
mod torchvision;
use torchvision::*;
#[allow(dead_code)]
#[path = "../examples/lenet.rs"]
mod lenet;

/// The columns of the fixtures' `torchinfo` field, in `make_torchvision.py`'s order.
const COLUMNS: [Column; 6] =
    [Column::InputSize, Column::OutputSize, Column::NumParams, Column::KernelSize, Column::MultAdds, Column::Trainable];

/// Panics with the first line that differs, then the whole texts.
fn assert_same_text(model: &str, field: &str, actual: &str, expected: &str) {
    if actual == expected {
        return;
    }
    let (actual_lines, expected_lines): (Vec<_>, Vec<_>) = (actual.lines().collect(), expected.lines().collect());
    let line = actual_lines
        .iter()
        .zip(&expected_lines)
        .position(|(a, e)| a != e)
        .unwrap_or(actual_lines.len().min(expected_lines.len()));
    panic!(
        "{model}: `{field}` differs at line {}:\n  netshape:  {:?}\n  torchinfo: {:?}\n\nnetshape printed:\n{actual}\n\ntorchinfo printed:\n{expected}",
        line + 1,
        actual_lines.get(line),
        expected_lines.get(line),
    );
}

/// Asserts both torchinfo texts and the total mult-adds of one model.
/// `class` is torchvision's class name, torchinfo's root row.
fn assert_torchinfo(model: &str, summary: Summary<'static>, class: &str, fixture: &str) {
    let reference: Json = serde_json::from_str(fixture).expect("a JSON fixture");
    let text =
        |field: &str| reference[field].as_str().unwrap_or_else(|| panic!("{model}: no `{field}` text")).to_string();
    let view = summary.torchinfo().name(class);
    assert_same_text(model, "torchinfo_default", &view.to_string(), &text("torchinfo_default"));
    assert_same_text(model, "torchinfo", &view.columns(&COLUMNS).to_string(), &text("torchinfo"));
    assert_eq!(Some(view.total_mult_adds()), reference["mult_adds"].as_u64(), "{model}: total mult-adds");
}

#[test]
fn alexnet() {
    assert_torchinfo(
        "alexnet",
        alexnet::AlexNet::SUMMARY,
        "AlexNet",
        include_str!("fixtures/torchvision/alexnet.json"),
    );
}

#[test]
fn vgg11_bn() {
    assert_torchinfo("vgg11_bn", vgg11_bn::Vgg11Bn::SUMMARY, "VGG", include_str!("fixtures/torchvision/vgg11_bn.json"));
}

#[test]
fn vgg16() {
    assert_torchinfo("vgg16", vgg16::Vgg16::SUMMARY, "VGG", include_str!("fixtures/torchvision/vgg16.json"));
}

#[test]
fn resnet18() {
    assert_torchinfo(
        "resnet18",
        resnet18::ResNet18::SUMMARY,
        "ResNet",
        include_str!("fixtures/torchvision/resnet18.json"),
    );
}

#[test]
fn resnet50() {
    assert_torchinfo(
        "resnet50",
        resnet50::ResNet50::SUMMARY,
        "ResNet",
        include_str!("fixtures/torchvision/resnet50.json"),
    );
}

#[test]
fn resnet152() {
    assert_torchinfo(
        "resnet152",
        resnet152::ResNet152::SUMMARY,
        "ResNet",
        include_str!("fixtures/torchvision/resnet152.json"),
    );
}

#[test]
fn googlenet() {
    assert_torchinfo(
        "googlenet",
        googlenet::GoogLeNet::SUMMARY,
        "GoogLeNet",
        include_str!("fixtures/torchvision/googlenet.json"),
    );
}

#[test]
fn inception_v3() {
    assert_torchinfo(
        "inception_v3",
        inception_v3::Inception3::SUMMARY,
        "Inception3",
        include_str!("fixtures/torchvision/inception_v3.json"),
    );
}

// densenet121 cannot match byte for byte, so its exact assertion is left out:
// DenseNet's `_DenseLayer.forward` takes the list of all earlier feature maps
// and concatenates them itself; torchinfo's "Input Shape" of a module called
// with a list is the list's first tensor, the dense block's input
// (`[1, 64, 56, 56]` for every layer of `denseblock1`). The transcription
// concatenates before the call (`cat(dim = 1, [], denselayer…)`), so its
// `Layer::input` is the concatenation (`[1, 96, 56, 56]` for `denselayer2`).
//
// Everything else is asserted: every cell of both tables but those dense
// layers' "Input Shape", every footer line, and the total mult-adds.

/// `assert_torchinfo` for a model where `list_input` is the class whose
/// "Input Shape" is its list's first tensor.
fn assert_torchinfo_but(model: &str, summary: Summary<'static>, class: &str, fixture: &str, list_input: &str) {
    let reference: Json = serde_json::from_str(fixture).expect("a JSON fixture");
    let view = summary.torchinfo().name(class);
    for (field, text) in [("torchinfo_default", view.to_string()), ("torchinfo", view.columns(&COLUMNS).to_string())] {
        let expected = reference[field].as_str().expect("a text");
        let (actual_table, expected_table) = (Table::parse(&text), Table::parse(expected));
        assert_eq!(actual_table.header, expected_table.header, "{model}: `{field}` header");
        assert_eq!(actual_table.footer, expected_table.footer, "{model}: `{field}` footer");
        assert_eq!(actual_table.rows.len(), expected_table.rows.len(), "{model}: `{field}` rows");
        for (actual, expected) in actual_table.rows.iter().zip(&expected_table.rows) {
            assert_eq!(actual[0], expected[0], "{model}: `{field}` row {expected:?}");
            for (at, title) in actual_table.header.iter().enumerate().skip(1) {
                if title == "Input Shape" && expected[0].contains(&format!("{list_input}: ")) {
                    continue;
                }
                assert_eq!(actual[at], expected[at], "{model}: `{field}` row {expected:?}, column {title}");
            }
        }
    }
    assert_eq!(Some(view.total_mult_adds()), reference["mult_adds"].as_u64(), "{model}: total mult-adds");
}

/// A torchinfo table cut into cells by torchinfo's layout: the label column,
/// then 25 characters and a space per column.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    footer: Vec<String>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let lines: Vec<&str> = text.lines().collect();
        let header: Vec<char> = lines[1].chars().collect();
        let label = "Layer (type:depth-idx)".chars().count();
        let start = label + header[label..].iter().take_while(|&&c| c == ' ').count();
        let cut = |line: &str| {
            let chars: Vec<char> = line.chars().collect();
            let mut cells = vec![chars[..start.min(chars.len())].iter().collect::<String>().trim_end().to_string()];
            let mut at = start;
            while at < chars.len() {
                cells.push(chars[at..(at + 25).min(chars.len())].iter().collect::<String>().trim().to_string());
                at += 26;
            }
            cells
        };
        let dividers: Vec<usize> = (0..lines.len()).filter(|&at| lines[at].starts_with('=')).collect();
        let columns = cut(lines[1]).len();
        let rows = lines[dividers[1] + 1..dividers[2]]
            .iter()
            .map(|line| {
                let mut cells = cut(line);
                cells.resize(columns, String::new());
                cells
            })
            .collect();
        let footer =
            lines[dividers[2]..].iter().filter(|line| !line.starts_with('=')).map(|line| line.to_string()).collect();
        Table { header: cut(lines[1]), rows, footer }
    }
}

#[test]
fn densenet121() {
    // Not byte for byte: see `assert_torchinfo_but`.
    assert_torchinfo_but(
        "densenet121",
        densenet121::DenseNet121::SUMMARY,
        "DenseNet",
        include_str!("fixtures/torchvision/densenet121.json"),
        "_DenseLayer",
    );
}

#[test]
fn squeezenet1_0() {
    assert_torchinfo(
        "squeezenet1_0",
        squeezenet1_0::SqueezeNet::SUMMARY,
        "SqueezeNet",
        include_str!("fixtures/torchvision/squeezenet1_0.json"),
    );
}

#[test]
fn shufflenet_v2_x1_0() {
    assert_torchinfo(
        "shufflenet_v2_x1_0",
        shufflenet_v2_x1_0::ShuffleNetV2::SUMMARY,
        "ShuffleNetV2",
        include_str!("fixtures/torchvision/shufflenet_v2_x1_0.json"),
    );
}

#[test]
fn mnasnet1_0() {
    assert_torchinfo(
        "mnasnet1_0",
        mnasnet1_0::MNASNet::SUMMARY,
        "MNASNet",
        include_str!("fixtures/torchvision/mnasnet1_0.json"),
    );
}

#[test]
fn mobilenet_v2() {
    assert_torchinfo(
        "mobilenet_v2",
        mobilenet_v2::MobileNetV2::SUMMARY,
        "MobileNetV2",
        include_str!("fixtures/torchvision/mobilenet_v2.json"),
    );
}

#[test]
fn efficientnet_b0() {
    assert_torchinfo(
        "efficientnet_b0",
        efficientnet_b0::EfficientNetB0::SUMMARY,
        "EfficientNet",
        include_str!("fixtures/torchvision/efficientnet_b0.json"),
    );
}

#[test]
fn r3d_18() {
    assert_torchinfo("r3d_18", r3d_18::R3d18::SUMMARY, "VideoResNet", include_str!("fixtures/torchvision/r3d_18.json"));
}

#[test]
fn vit_b_16() {
    assert_torchinfo(
        "vit_b_16",
        vit_b_16::VitB16::SUMMARY,
        "VisionTransformer",
        include_str!("fixtures/torchvision/vit_b_16.json"),
    );
}

#[test]
fn convnext_tiny() {
    assert_torchinfo(
        "convnext_tiny",
        convnext_tiny::ConvNeXtTiny::SUMMARY,
        "ConvNeXt",
        include_str!("fixtures/torchvision/convnext_tiny.json"),
    );
}

netshape::network! {
    /// `make_torchinfo.py`'s `Residual`.
    block Residual(c) {
        add([conv: Conv2d(c, c, 3, padding = 1, bias = false), bn: BatchNorm2d(c)], []),
        act: ReLU(),
    }

    /// `make_torchinfo.py`'s `Probe`: frozen layers, a module called twice,
    /// a pool with a non-square kernel, a grouped conv, an LSTM, attention.
    pub struct Probe {
        input: [3, 32, 32],
        #[frozen]
        stem: [Conv2d(3, 16, 3, stride = 2, padding = 1, bias = false), BatchNorm2d(16), ReLU(inplace = true)],
        blocks: [Residual(16), #[frozen] Residual(16)],
        // Its 3-wide windows stop one column short of 16, as in the reference.
        #[allow(netshape::uncovered_input)]
        pool: MaxPool2d((2, 3), stride = 2),
        dw: Conv2d(16, 32, 3, padding = 1, groups = 16),
        avgpool: AdaptiveAvgPool2d((4, 4)),
        flatten(2),
        lstm: LSTM(16, 24, batch_first = true),
        attn: MultiheadAttention(24, 4, batch_first = true),
        fc: Linear(24, 24),
        relu(),
        fc,
        flatten(1),
        head: Linear(768, 10),
    }
}

/// torchinfo's `col_names` entry as a [`Column`].
fn column(name: &str) -> Column {
    match name {
        "input_size" => Column::InputSize,
        "output_size" => Column::OutputSize,
        "num_params" => Column::NumParams,
        "params_percent" => Column::ParamsPercent,
        "kernel_size" => Column::KernelSize,
        "mult_adds" => Column::MultAdds,
        "trainable" => Column::Trainable,
        other => panic!("unknown torchinfo column {other:?}"),
    }
}

/// Asserts one case of `fixtures/torchinfo/torchinfo.json`, viewed with the
/// case's columns, depth, batch and dtype.
fn assert_case(case: &str, summary: Summary<'static>, class: &str) {
    let fixtures: Json = serde_json::from_str(include_str!("fixtures/torchinfo/torchinfo.json")).expect("JSON");
    let reference = &fixtures[case];
    let kwargs = &reference["kwargs"];
    let columns: Vec<Column> = match kwargs["col_names"].as_array() {
        Some(names) => names.iter().map(|name| column(name.as_str().expect("a column name"))).collect(),
        None => Column::DEFAULT.to_vec(),
    };
    let dtype = match reference["dtype"].as_str() {
        Some("float32") => Dtype::F32,
        Some("float64") => Dtype::F64,
        other => panic!("{case}: unexpected dtype {other:?}"),
    };
    let view = summary
        .torchinfo()
        .name(class)
        .columns(&columns)
        .depth(kwargs["depth"].as_u64().map_or(3, |depth| depth as usize)) // torchinfo's default: 3
        .batch(reference["batch"].as_u64().expect("a batch") as usize)
        .dtype(dtype);
    assert_same_text(case, "text", &view.to_string(), reference["text"].as_str().expect("a text"));
    assert_eq!(Some(view.total_mult_adds()), reference["mult_adds"].as_u64(), "{case}: total mult-adds");
}

#[test]
fn probe_all_columns() {
    assert_case("probe_all_depth3", Probe::SUMMARY, "Probe");
}

#[test]
fn probe_params_percent_depth1_batch8() {
    assert_case("probe_default_depth1_batch8", Probe::SUMMARY, "Probe");
}

#[test]
fn probe_depth2_batch2_float64() {
    assert_case("probe_all_depth2_batch2_float64", Probe::SUMMARY, "Probe");
}

#[test]
fn resnet18_all_columns_depth2_batch8() {
    assert_case("resnet18_all_depth2_batch8", resnet18::ResNet18::SUMMARY, "ResNet");
}

#[test]
fn resnet18_depth4() {
    assert_case("resnet18_default_depth4", resnet18::ResNet18::SUMMARY, "ResNet");
}

#[test]
fn lenet_four_columns() {
    assert_case("lenet_four_columns", lenet::Net::SUMMARY, "Net");
}

/// The README's example, line for line, and the text it shows, which is
/// torchinfo's for the PyTorch original (`lenet_four_columns`).
#[test]
fn readme_example() {
    use lenet::Net;
    let readme = include_str!("../README.md");
    let snippet = [
        "let columns = [Column::OutputSize, Column::NumParams, Column::KernelSize, Column::MultAdds];",
        r#"println!("{}", Net::SUMMARY.torchinfo().columns(&columns));"#,
    ];
    for line in snippet {
        assert!(readme.contains(&format!("\n{line}\n")), "the README lacks {line}");
    }
    let columns = [Column::OutputSize, Column::NumParams, Column::KernelSize, Column::MultAdds];
    let text = Net::SUMMARY.torchinfo().columns(&columns).to_string();
    assert!(readme.contains(&format!("```text\n{text}\n```")), "the README shows lenet's torchinfo view as it is");
}

netshape::network! {
    /// `make_torchinfo.py`'s `encoder_stack`: two encoder layers in their
    /// `ModuleList`, and a final norm.
    pub struct EncoderStack {
        input: [10, 16],
        encoder: TransformerEncoder(
            TransformerEncoderLayer(16, 2, dim_feedforward = 32),
            2,
            norm = LayerNorm(16),
        ),
    }
}

#[test]
fn transformer_stack_layers_sit_in_their_module_list() {
    assert_case("encoder_stack_depth4", EncoderStack::SUMMARY, "EncoderStack");
}
