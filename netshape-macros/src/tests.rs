//! The macro's pipeline against PyTorch: every case of the reference files
//! under `tests/fixtures/` (made by PyTorch 1.13, see their READMEs) is written
//! as a one-layer network, parsed, checked and shaped exactly as the macro
//! does, and compared with what PyTorch computed.

use serde_json::{Map, Value as Json};

use crate::catalog;
use crate::check::{check, Checked};
use crate::parse::Source;

const FIXTURES: [(&str, &str); 3] = [
    ("torch_layers.jsonl", include_str!("../../tests/fixtures/torch_layers.jsonl")),
    ("extra/extra_layers.jsonl", include_str!("../../tests/fixtures/extra/extra_layers.jsonl")),
    ("edge/edge_layers.jsonl", include_str!("../../tests/fixtures/edge/edge_layers.jsonl")),
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
        Json::Object(_) => unreachable!("objects are module arguments, written by `dsl_args`"),
    }
}

/// Keyword arguments; the fixture writes a Transformer stack's layer as an
/// object of its own arguments and its final norm as a flag.
fn dsl_args(kwargs: &Map<String, Json>) -> String {
    let mut args = Vec::new();
    for (name, value) in kwargs {
        match (name.as_str(), value) {
            ("encoder_layer" | "decoder_layer", Json::Object(layer)) => {
                let kind = if name == "encoder_layer" { "TransformerEncoderLayer" } else { "TransformerDecoderLayer" };
                args.push(format!("{name} = {kind}({})", dsl_args(layer)));
            }
            ("norm", Json::Bool(true)) => {
                let layer = kwargs.get("encoder_layer").or_else(|| kwargs.get("decoder_layer"));
                let d_model = layer.and_then(|layer| layer.get("d_model")).map(dsl_value).unwrap_or_default();
                args.push(format!("norm = LayerNorm({d_model})"));
            }
            ("norm", Json::Bool(false)) => {}
            _ => args.push(format!("{name} = {}", dsl_value(value))),
        }
    }
    args.join(", ")
}

fn dims(value: &Json) -> Vec<usize> {
    value.as_array().expect("a shape").iter().map(|dim| dim.as_u64().expect("a size") as usize).collect()
}

/// The one-layer network a case describes; a layer that takes several
/// tensors gets them as the fixture's `call` says.
fn network_source(case: &Json) -> String {
    let input = dims(&case["input"]);
    let shape = |dims: &[usize]| dims.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    // The first file's embeddings take indices without saying so.
    let indices = case["input_dtype"] == "long" || matches!(case["layer"].as_str(), Some("Embedding" | "EmbeddingBag"));
    let dtype = if indices { " as i64" } else { "" };
    let kwargs = case["kwargs"].as_object().expect("kwargs");
    let (inputs, call) = match case["call"].as_str() {
        Some("mha_kv") => {
            let size =
                |name: &str| kwargs.get(name).or(kwargs.get("embed_dim")).and_then(Json::as_u64).expect("a size");
            let length = input[0];
            let inputs = format!(
                "input x: [{}], input k: [{length}, {}], input v: [{length}, {}]",
                shape(&input),
                size("kdim"),
                size("vdim")
            );
            (inputs, "(x, k, v)")
        }
        Some("decoder_self_memory" | "transformer_same") => (format!("input: [{}]", shape(&input)), "(input, input)"),
        _ => (format!("input: [{}]{dtype}", shape(&input)), ""),
    };
    format!("struct Case {{ {inputs}, {}({}){call} }}", case["layer"].as_str().expect("layer"), dsl_args(kwargs))
}

/// What netshape computes for a case, in the fixture's terms, or its errors.
#[derive(Debug, PartialEq)]
struct Computed {
    output: Vec<usize>,
    params: usize,
    trainable: usize,
    buffers: usize,
    state_dict: Vec<(String, Vec<usize>)>,
    /// For composite modules: (class, path, output) of every row, in call order.
    rows: Option<Vec<(String, String, Vec<usize>)>>,
}

fn compute(source: &str, with_rows: bool) -> Result<Computed, String> {
    let source: Source = syn::parse_str(source).map_err(|error| format!("parse error: {error}"))?;
    let checked: Checked = check(&source)
        .map_err(|error| error.into_iter().map(|error| error.to_string()).collect::<Vec<_>>().join(" | "))?;
    let network = &checked.networks[0];
    let numel = |dims: &[usize]| dims.iter().product::<usize>();
    let params = network.state.iter().filter(|key| !key.buffer).map(|key| numel(&key.dims)).sum();
    // The network's only module is number 0: strip it from paths and keys.
    let relative = |path: &str| path.strip_prefix("0.").or(path.strip_prefix('0')).unwrap_or(path).to_owned();
    Ok(Computed {
        output: network.outputs[0].clone(),
        params,
        trainable: params,
        buffers: network.state.iter().filter(|key| key.buffer).map(|key| numel(&key.dims)).sum(),
        state_dict: network.state.iter().map(|key| (relative(&key.key), key.dims.clone())).collect(),
        // A forward hook sees the modules called: not a `ModuleList`, whose
        // row (a container without shapes) is torchinfo's.
        rows: with_rows.then(|| {
            let called = |row: &&crate::check::Row| !(row.container && row.input.is_empty() && row.output.is_empty());
            network
                .rows
                .iter()
                .filter(called)
                .map(|row| (row.kind.clone(), relative(&row.path), row.output.clone()))
                .collect()
        }),
    })
}

fn expected(case: &Json) -> Computed {
    let rows = case.get("rows").map(|rows| {
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|row| {
                let class = row[0].as_str().expect("class").to_owned();
                (class, row[1].as_str().expect("path").to_owned(), dims(&row[2]))
            })
            .collect()
    });
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
        rows,
    }
}

/// Cases PyTorch runs but netshape rejects on purpose, because it keeps the
/// batch size open and never lets samples mix: the output's batch is not the
/// input's (a pad of the batch dim, `GLU(dim=0)`), or PyTorch reads the batch of
/// 2 as a dimension of one unbatched sample and computes across it (an RNN
/// running over the batch as time, attention across the batch, a `Softmax2d`
/// or `PixelShuffle` over the batch as channels, a convolution or pool over
/// the batch as channels, which netshape's `[C, *spatial]` input never is).
fn changes_the_batch(case: &Json) -> bool {
    let rank = dims(&case["input"]).len();
    let stores = case["kwargs"]["affine"] == true || case["kwargs"]["track_running_stats"] == true;
    let layer = case["layer"].as_str().unwrap_or_default();
    let unbatched = match layer {
        "RNN" | "LSTM" | "GRU" | "MultiheadAttention" | "Fold" | "fold" => rank == 1,
        "Softmax2d" | "PixelShuffle" | "PixelUnshuffle" | "Unfold" | "pixel_shuffle" | "pixel_unshuffle" | "unfold" => {
            rank == 2
        }
        "InstanceNorm1d" => rank == 1 && stores,
        "InstanceNorm2d" => rank == 2 && stores,
        "InstanceNorm3d" => rank == 3 && stores,
        _ => spatial_axes(layer) == Some(rank),
    };
    unbatched || case.get("output_full").is_some()
}

/// The N of a convolution or pool over `[C, *spatial]` with N spatial axes,
/// whose input without a batch PyTorch reads as unbatched.
fn spatial_axes(layer: &str) -> Option<usize> {
    const FAMILIES: [&str; 10] = [
        "Conv",
        "ConvTranspose",
        "MaxPool",
        "AvgPool",
        "AdaptiveAvgPool",
        "AdaptiveMaxPool",
        "max_pool",
        "avg_pool",
        "adaptive_avg_pool",
        "adaptive_max_pool",
    ];
    let family = layer.strip_suffix("1d").or(layer.strip_suffix("2d")).or(layer.strip_suffix("3d"))?;
    FAMILIES.contains(&family).then(|| usize::from(layer.as_bytes()[layer.len() - 2] - b'0'))
}

fn cases() -> impl Iterator<Item = (&'static str, Json)> {
    FIXTURES
        .into_iter()
        .flat_map(|(file, text)| text.lines().map(move |line| (file, serde_json::from_str(line).expect("a JSON case"))))
}

#[test]
fn every_fixture_case_agrees_with_pytorch() {
    let mut disagreements = Vec::new();
    let mut checked = 0;
    let mut rejected = 0;
    let mut unknown_kinds = std::collections::BTreeSet::new();
    for (file, case) in cases() {
        let layer = case["layer"].as_str().expect("layer");
        if catalog::find(layer).is_none() {
            unknown_kinds.insert(layer.to_owned());
            continue;
        }
        checked += 1;
        let id = case["id"].as_str().expect("id");
        let source = network_source(&case);
        let ok = case["ok"].as_bool().expect("ok") && !changes_the_batch(&case);
        let computed = compute(&source, case.get("rows").is_some() && ok);
        if ok {
            let expected = expected(&case);
            match computed {
                Ok(computed) if computed == expected => {}
                Ok(computed) => disagreements
                    .push(format!("{file} {id}: {source}\n  netshape {computed:?}\n  pytorch  {expected:?}")),
                Err(errors) => disagreements.push(format!("{file} {id}: {source}\n  netshape rejects it: {errors}")),
            }
        } else {
            rejected += 1;
            if let Ok(computed) = computed {
                let why = case.get("error").unwrap_or(&Json::Null);
                disagreements
                    .push(format!("{file} {id}: {source}\n  netshape accepts it ({computed:?}), PyTorch: {why}"));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {checked} cases disagree:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert!(unknown_kinds.is_empty(), "the fixtures have kinds netshape does not know: {unknown_kinds:?}");
    eprintln!("{checked} fixture cases agree with PyTorch, {rejected} of them rejected by both");
}

#[test]
fn every_rejection_points_into_the_call() {
    // A rejected case must fail in checking, not in parsing: the DSL itself is valid.
    for (_, case) in cases() {
        if case["ok"].as_bool() == Some(true) && !changes_the_batch(&case) {
            continue;
        }
        if let Err(error) = compute(&network_source(&case), false) {
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
        "The (first) output's shape, batch left out: `[10]`.",
    ] {
        let literal = proc_macro2::Literal::string(doc).to_string();
        assert!(expanded.contains(&literal[1..literal.len() - 1]), "no doc {doc:?} in\n{expanded}");
    }
}

/// For the compile-cost benchmark (`bench/compile_cost.sh`): writes the
/// expansion of every `*.network` file in `$NETSHAPE_EXPAND_DIR` (the tokens
/// inside a `network! { … }`) to `*.expanded.rs` beside it.
#[test]
#[ignore = "run by bench/compile_cost.sh"]
fn expand_files_for_the_benchmark() {
    let dir = std::env::var("NETSHAPE_EXPAND_DIR").expect("NETSHAPE_EXPAND_DIR");
    for entry in std::fs::read_dir(&dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|extension| extension == "network") {
            let source = std::fs::read_to_string(&path).expect("a network");
            let tokens: proc_macro2::TokenStream = source.parse().expect("tokens");
            let expanded = crate::expand_source(tokens).to_string();
            std::fs::write(path.with_extension("expanded.rs"), expanded).expect("written");
        }
    }
}

/// For the compile-cost comparison of sizes that vary: the time of the macro's
/// whole pipeline on `$NETSHAPE_TIME_FILE` (the tokens inside a `network! { … }`),
/// the median of 9 runs.
#[test]
#[ignore = "run by bench/sizes_cost.sh"]
fn time_the_pipeline() {
    let path = std::env::var("NETSHAPE_TIME_FILE").expect("NETSHAPE_TIME_FILE");
    let source = std::fs::read_to_string(&path).expect("a network");
    let tokens: proc_macro2::TokenStream = source.parse().expect("tokens");
    let mut times: Vec<f64> = (0..9)
        .map(|_| {
            let start = std::time::Instant::now();
            let expanded = crate::expand_source(tokens.clone()).to_string();
            assert!(!expanded.contains("compile_error"), "{path}: the network does not check");
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("{path}: {:.1} ms", times[4]);
}
