//! The macro's pipeline against PyTorch: every case of
//! `tests/fixtures/torch_layers.jsonl` (made by PyTorch 1.13, see its README) is
//! written as a one-layer network, parsed, checked and shaped exactly as the
//! macro does, and compared with what PyTorch computed.

use serde_json::Value as Json;

use crate::catalog;
use crate::check::{check, Checked};
use crate::parse::Source;

const FIXTURE: &str = include_str!("../../tests/fixtures/torch_layers.jsonl");

/// Layer kinds of the fixture that netshape does not know yet. Each must leave
/// this list when it is added; the test fails if a listed kind is known or an
/// unlisted one is not.
const NOT_YET_SUPPORTED: &[&str] = &[
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "GroupNorm",
    "LayerNorm",
    "Embedding",
    "RNN",
    "LSTM",
    "GRU",
    "MultiheadAttention",
    "Upsample",
    "PixelShuffle",
    "ZeroPad2d",
    "ReflectionPad2d",
    "PReLU",
];

/// A JSON argument value written in the DSL: lists become tuples.
fn dsl_value(value: &Json) -> String {
    match value {
        Json::Null => "None".to_owned(),
        Json::Bool(flag) => flag.to_string(),
        Json::Number(number) => number.to_string(),
        Json::String(text) => format!("{text:?}"),
        Json::Array(items) => {
            let items: Vec<_> = items.iter().map(dsl_value).collect();
            format!("({},)", items.join(", "))
        }
        Json::Object(_) => unreachable!("the fixture has no object arguments"),
    }
}

fn dims(value: &Json) -> Vec<usize> {
    value.as_array().expect("a shape").iter().map(|dim| dim.as_u64().expect("a size") as usize).collect()
}

/// The one-layer network a case describes.
fn network_source(case: &Json) -> String {
    let args: Vec<_> = case["kwargs"]
        .as_object()
        .expect("kwargs")
        .iter()
        .map(|(name, value)| format!("{name} = {}", dsl_value(value)))
        .collect();
    let input: Vec<_> = dims(&case["input"]).iter().map(usize::to_string).collect();
    format!(
        "struct Case {{ input: [{}], {}({}) }}",
        input.join(", "),
        case["layer"].as_str().expect("layer"),
        args.join(", ")
    )
}

/// What netshape computes for a case, in the fixture's terms, or its errors.
#[derive(Debug, PartialEq)]
struct Computed {
    output: Vec<usize>,
    params: usize,
    trainable: usize,
    buffers: usize,
    state_dict: Vec<(String, Vec<usize>)>,
}

fn compute(source: &str) -> Result<Computed, String> {
    let source: Source = syn::parse_str(source).map_err(|error| format!("parse error: {error}"))?;
    let checked: Checked = check(&source)
        .map_err(|error| error.into_iter().map(|error| error.to_string()).collect::<Vec<_>>().join(" | "))?;
    let network = &checked.networks[0];
    let step = &network.steps[0];
    Ok(Computed {
        output: network.output.clone(),
        params: step.params(),
        trainable: step.params(),
        buffers: step.buffers(),
        state_dict: step.stored.iter().map(|stored| (stored.name.to_owned(), stored.dims.clone())).collect(),
    })
}

fn expected(case: &Json) -> Computed {
    Computed {
        output: dims(&case["output"]),
        params: case["params"].as_u64().expect("params") as usize,
        trainable: case["trainable"].as_u64().expect("trainable") as usize,
        buffers: case["buffers"].as_u64().expect("buffers") as usize,
        state_dict: case["state_dict"]
            .as_object()
            .expect("state_dict")
            .iter()
            .map(|(key, shape)| (key.clone(), dims(shape)))
            .collect(),
    }
}

#[test]
fn every_supported_fixture_case_agrees_with_pytorch() {
    let mut disagreements = Vec::new();
    let mut checked = 0;
    let mut rejected = 0;
    let mut unknown_kinds = std::collections::BTreeSet::new();
    for line in FIXTURE.lines() {
        let case: Json = serde_json::from_str(line).expect("a JSON case");
        let layer = case["layer"].as_str().expect("layer");
        if catalog::find(layer).is_none() {
            unknown_kinds.insert(layer.to_owned());
            continue;
        }
        checked += 1;
        let id = case["id"].as_str().expect("id");
        let source = network_source(&case);
        let computed = compute(&source);
        if case["ok"].as_bool().expect("ok") {
            let expected = expected(&case);
            match computed {
                Ok(computed) if computed == expected => {}
                Ok(computed) => {
                    disagreements.push(format!("{id}: {source}\n  netshape {computed:?}\n  pytorch  {expected:?}"))
                }
                Err(errors) => disagreements.push(format!("{id}: {source}\n  netshape rejects it: {errors}")),
            }
        } else {
            rejected += 1;
            if let Ok(computed) = computed {
                disagreements.push(format!(
                    "{id}: {source}\n  netshape accepts it ({computed:?}), PyTorch says: {}",
                    case["error"]
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} cases disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    let listed: std::collections::BTreeSet<_> = NOT_YET_SUPPORTED.iter().map(|kind| kind.to_string()).collect();
    assert_eq!(unknown_kinds, listed, "the kinds netshape does not know differ from NOT_YET_SUPPORTED");
    eprintln!("{checked} fixture cases agree with PyTorch, {rejected} of them rejected by both");
}

#[test]
fn every_rejection_points_into_the_call() {
    // A rejected case must fail in checking, not in parsing: the DSL itself is valid.
    for line in FIXTURE.lines() {
        let case: Json = serde_json::from_str(line).expect("a JSON case");
        let layer = case["layer"].as_str().expect("layer");
        if catalog::find(layer).is_none() || case["ok"].as_bool() == Some(true) {
            continue;
        }
        let source = network_source(&case);
        if let Err(error) = compute(&source) {
            assert!(!error.starts_with("parse error"), "{}: {error}", case["id"]);
        }
    }
}

#[test]
fn the_readme_documents_every_layer() {
    let readme = include_str!("../../README.md");
    let missing: Vec<_> =
        catalog::KINDS.iter().map(|kind| kind.name).filter(|name| !readme.contains(&format!("`{name}`"))).collect();
    assert!(missing.is_empty(), "README.md's layer reference lacks {missing:?}");
}

#[test]
fn generated_docs_state_shapes_and_counts() {
    let source: proc_macro2::TokenStream = "
        /// The MNIST classifier.
        pub struct Net {
            input: [1, 28, 28],
            conv1: Conv2d(1, 10, kernel_size = 5),
            max_pool2d(2),
            relu(),
            conv2: Conv2d(10, 20, kernel_size = 5),
            max_pool2d(2),
            view(-1, 320),
            /// The first fully connected layer.
            fc1: Linear(320, 50),
            fc2: Linear(50, 10),
        }"
    .parse()
    .expect("tokens");
    let expanded = crate::expand_source(source).to_string();
    for doc in [
        "The MNIST classifier.",
        "Total params: 21,840",
        "Forward/backward pass size (MB): 0.05",
        "`Conv2d(1, 10, kernel_size = 5)`: `[1, 28, 28]` → `[10, 24, 24]`, 260 parameters.",
        "- `conv1.weight`: `[10, 1, 5, 5]`",
        "The first fully connected layer.",
        "`Linear(320, 50)`: `[320]` → `[50]`, 16,050 parameters.",
        "Number of parameters, each counted once: 21,840.",
        "The output shape, batch left out: `[10]`.",
    ] {
        let literal = proc_macro2::Literal::string(doc).to_string();
        assert!(expanded.contains(&literal[1..literal.len() - 1]), "no doc {doc:?} in\n{expanded}");
    }
}
