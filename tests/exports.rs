//! The exports of a `Summary`: JSON (serde), Markdown and Graphviz DOT.
//!
//! The JSON is parsed back with serde_json and compared field by field with
//! the `const` data the macro emitted, and its totals with numbers that do not
//! come from netshape: torchsummary's tables, the published VGG16 mult-adds,
//! and PyTorch's own forward hooks (`fixtures/macs/`). The Markdown and DOT of
//! LeNet are compared with committed files checked by hand against
//! torchsummary's table (`expected/lenet.txt`); resnet18's DOT is checked for
//! its structure.

use std::collections::{BTreeMap, BTreeSet};

use netshape::{Layer, Source, Summary};
use serde_json::Value;

#[allow(dead_code)]
#[path = "../examples/lenet.rs"]
mod lenet;
#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;
#[allow(dead_code)]
#[path = "../examples/vgg16.rs"]
mod vgg16;

fn json(summary: &Summary<'_>) -> Value {
    serde_json::from_str(&serde_json::to_string(summary).expect("a summary serializes")).expect("valid JSON")
}

fn usizes(value: &Value) -> Vec<usize> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("an array: {value}"))
        .iter()
        .map(|item| item.as_u64().expect("an unsigned integer") as usize)
        .collect()
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value.as_object().unwrap_or_else(|| panic!("an object: {value}")).keys().map(String::as_str).collect()
}

/// Rows as torchsummary has them: modules, not functional ops or containers.
fn rows<'a>(layers: &'a [Layer<'a>]) -> impl Iterator<Item = &'a Layer<'a>> {
    layers.iter().filter(|layer| !layer.functional && !layer.container)
}

/// Every field of every layer, against the `LAYERS` const.
fn check_layers(value: &Value, layers: &[Layer<'_>]) {
    let items = value.as_array().expect("layers is an array");
    assert_eq!(items.len(), layers.len());
    let fields = BTreeSet::from([
        "name",
        "kind",
        "functional",
        "container",
        "depth",
        "sources",
        "input",
        "output",
        "output_formula",
        "extra_outputs",
        "params",
        "trainable",
        "buffers",
        "raw_params",
        "raw_trainable",
        "uncalled_params",
        "uncalled_trainable",
        "kernel",
        "groups",
        "mult_adds",
        "bias_adds",
        "inplace",
        "view",
        "receptive_field",
    ]);
    for (index, (item, layer)) in items.iter().zip(layers).enumerate() {
        let at = format!("layer {index} ({})", layer.name);
        assert_eq!(keys(item), fields, "{at}");
        assert_eq!(item["name"], layer.name, "{at}");
        assert_eq!(item["kind"], layer.kind, "{at}");
        assert_eq!(item["output_formula"], layer.output_formula, "{at}");
        assert_eq!(item["functional"], layer.functional, "{at}");
        assert_eq!(item["container"], layer.container, "{at}");
        assert_eq!(item["depth"], layer.depth, "{at}");
        let sources: Vec<Source> = item["sources"]
            .as_array()
            .expect("sources is an array")
            .iter()
            .map(|source| {
                let object = source.as_object().expect("a source is an object");
                assert_eq!(object.len(), 1, "{at}: {source}");
                let (tag, index) = object.iter().next().expect("one entry");
                let index = index.as_u64().expect("an index") as usize;
                match tag.as_str() {
                    "input" => Source::Input(index),
                    "layer" => Source::Layer(index),
                    other => panic!("{at}: unknown source {other}"),
                }
            })
            .collect();
        assert_eq!(sources, layer.sources, "{at}");
        assert_eq!(usizes(&item["input"]), layer.input, "{at}");
        assert_eq!(usizes(&item["output"]), layer.output, "{at}");
        let extra = item["extra_outputs"].as_array().expect("extra_outputs is an array");
        assert_eq!(extra.len(), layer.extra_outputs.len(), "{at}");
        for (value, output) in extra.iter().zip(layer.extra_outputs) {
            assert_eq!(usizes(&value["shape"]), output.shape, "{at}");
            assert_eq!(value["batch_dim"], output.batch_dim, "{at}");
        }
        assert_eq!(item["params"], layer.params, "{at}");
        assert_eq!(item["trainable"], layer.trainable, "{at}");
        assert_eq!(item["buffers"], layer.buffers, "{at}");
        assert_eq!(item["raw_params"], layer.raw_params, "{at}");
        assert_eq!(item["raw_trainable"], layer.raw_trainable, "{at}");
        assert_eq!(item["uncalled_params"], layer.uncalled_params, "{at}");
        assert_eq!(item["uncalled_trainable"], layer.uncalled_trainable, "{at}");
        assert_eq!(usizes(&item["kernel"]), layer.kernel, "{at}");
        assert_eq!(item["groups"], layer.groups, "{at}");
        assert_eq!(item["mult_adds"], layer.mult_adds, "{at}");
        assert_eq!(item["bias_adds"], layer.bias_adds, "{at}");
        assert_eq!(item["inplace"], layer.inplace, "{at}");
        assert_eq!(item["view"], layer.view, "{at}");
        let fields = item["receptive_field"].as_array().expect("receptive_field is an array");
        assert_eq!(fields.len(), layer.receptive_field.len(), "{at}");
        for (value, field) in fields.iter().zip(layer.receptive_field) {
            assert_eq!(keys(value), BTreeSet::from(["size", "jump", "start"]), "{at}");
            assert_eq!(value["size"].as_f64(), Some(field.size), "{at}");
            assert_eq!(value["jump"].as_f64(), Some(field.jump), "{at}");
            assert_eq!(value["start"].as_f64(), Some(field.start), "{at}");
        }
    }
}

/// The summary's own fields and totals, against the consts and sums over
/// `LAYERS` made here.
fn check_summary(value: &Value, summary: &Summary<'_>, input_shapes: &[&[usize]]) {
    assert_eq!(
        keys(value),
        BTreeSet::from([
            "name",
            "inputs",
            "total_params",
            "trainable_params",
            "non_trainable_params",
            "total_mult_adds",
            "total_mult_adds_with_bias",
            "input_size_mb",
            "forward_backward_size_mb",
            "params_size_mb",
            "total_size_mb",
            "layers",
        ])
    );
    assert_eq!(value["name"], summary.name);
    let inputs: Vec<Vec<usize>> = value["inputs"].as_array().expect("inputs").iter().map(usizes).collect();
    assert_eq!(inputs, input_shapes);
    let total: usize = rows(summary.layers).map(|layer| layer.params).sum();
    let trainable: usize = rows(summary.layers).map(|layer| layer.trainable).sum();
    assert_eq!(value["total_params"], total);
    assert_eq!(value["trainable_params"], trainable);
    assert_eq!(value["non_trainable_params"], total - trainable);
    let mult_adds: u64 = summary.layers.iter().map(|layer| layer.mult_adds).sum();
    let bias_adds: u64 = summary.layers.iter().map(|layer| layer.bias_adds).sum();
    assert_eq!(value["total_mult_adds"], mult_adds);
    assert_eq!(value["total_mult_adds_with_bias"], mult_adds + bias_adds);
    // Floats survive serde_json exactly.
    assert_eq!(value["input_size_mb"].as_f64(), Some(summary.input_size_mb()));
    assert_eq!(value["forward_backward_size_mb"].as_f64(), Some(summary.forward_backward_size_mb()));
    assert_eq!(value["params_size_mb"].as_f64(), Some(summary.params_size_mb()));
    assert_eq!(value["total_size_mb"].as_f64(), Some(summary.total_size_mb()));
    check_layers(&value["layers"], summary.layers);
}

/// torchsummary's `Total params` and `Trainable params` lines of a table.
fn torchsummary_totals(table: &str) -> (u64, u64) {
    let number = |prefix: &str| {
        let line = table.lines().find_map(|line| line.strip_prefix(prefix)).expect("a totals line");
        line.replace(',', "").parse::<u64>().expect("a number")
    };
    (number("Total params: "), number("Trainable params: "))
}

#[test]
fn lenet_json() {
    let value = json(&lenet::Net::SUMMARY);
    check_summary(&value, &lenet::Net::SUMMARY, lenet::Net::INPUT_SHAPES);
    // torchsummary's table for this net, `expected/lenet.txt`.
    let (total, trainable) = torchsummary_totals(include_str!("expected/lenet.txt"));
    assert_eq!(value["total_params"], total);
    assert_eq!(value["trainable_params"], trainable);
    // By hand: weights 10·25·24², 20·10·25·8², 320·50, 50·10; one addition
    // per output element of each layer with a bias.
    assert_eq!(value["total_mult_adds"], 144_000 + 320_000 + 16_000 + 500);
    assert_eq!(value["total_mult_adds_with_bias"], 480_500 + 5_760 + 1_280 + 50 + 10);
    assert_eq!(value["name"], "Net");
    assert_eq!(value["layers"][0]["name"], "conv1");
    assert_eq!(value["layers"][1]["kind"], "max_pool2d");
    assert_eq!(value["layers"][1]["sources"], serde_json::json!([{ "layer": 0 }]));
    assert_eq!(value["layers"][0]["sources"], serde_json::json!([{ "input": 0 }]));
}

#[test]
fn resnet18_json() {
    let summary = resnet18::ResNet18::SUMMARY;
    let value = json(&summary);
    check_summary(&value, &summary, resnet18::ResNet18::INPUT_SHAPES);
    let (total, trainable) = torchsummary_totals(include_str!("fixtures/zoo/resnet18.torchsummary.txt"));
    assert_eq!(value["total_params"], total);
    assert_eq!(value["trainable_params"], trainable);
    // Counted by PyTorch forward hooks (`fixtures/macs/`): conv and linear
    // weights, and with the linear layer's bias.
    let macs: Value = serde_json::from_str(include_str!("fixtures/macs/macs.json")).expect("the MACs fixture");
    let checks = &macs["models"]["resnet18"]["checks"];
    assert_eq!(value["total_mult_adds"], checks["weights_only_macs"]);
    assert_eq!(value["total_mult_adds_with_bias"], checks["weights_plus_bias_macs"]);
}

/// The `state_dict` manifest serializes too, entry by entry.
#[test]
fn resnet18_state_dict_json() {
    let value: Value = serde_json::to_value(resnet18::ResNet18::STATE_DICT).expect("serializes");
    let entries = value.as_array().expect("an array");
    assert_eq!(entries.len(), resnet18::ResNet18::STATE_DICT.len());
    for (value, entry) in entries.iter().zip(resnet18::ResNet18::STATE_DICT) {
        assert_eq!(keys(value), BTreeSet::from(["key", "shape", "buffer"]));
        assert_eq!(value["key"], entry.key);
        assert_eq!(usizes(&value["shape"]), entry.shape);
        assert_eq!(value["buffer"], entry.buffer);
    }
    assert_eq!(entries[0], serde_json::json!({ "key": "conv1.weight", "shape": [64, 3, 7, 7], "buffer": false }));
}

/// VGG16's published totals: 15.47 G multiply-accumulates of the weights,
/// 15.48 G with the biases' additions.
#[test]
fn vgg16_mult_adds_json() {
    let value = json(&vgg16::Vgg16::SUMMARY);
    assert_eq!(value["total_mult_adds"], 15_470_264_320_u64);
    assert_eq!(value["total_mult_adds_with_bias"], 15_483_821_032_u64);
    assert_eq!(value["total_params"], 138_357_544);
}

/// The README's snippet, line for line, and the table it shows.
#[test]
fn readme_snippet() {
    use lenet::Net;
    let readme = include_str!("../README.md");
    let snippet = [
        r#"let json = serde_json::to_string(&Net::SUMMARY).unwrap(); // the `serde` feature, on by default"#,
        r#"let table = Net::SUMMARY.markdown().to_string(); // GitHub-flavoured Markdown"#,
        r#"let graph = Net::SUMMARY.dot().to_string(); // Graphviz: `dot -Tsvg net.dot -o net.svg`"#,
    ];
    for line in snippet {
        assert!(readme.contains(&format!("\n{line}\n")), "the README lacks {line}");
    }
    let json = serde_json::to_string(&Net::SUMMARY).unwrap(); // the `serde` feature, on by default
    let table = Net::SUMMARY.markdown().to_string(); // GitHub-flavoured Markdown
    let graph = Net::SUMMARY.dot().to_string(); // Graphviz: `dot -Tsvg net.dot -o net.svg`
    assert!(json.starts_with(r#"{"name":"Net","inputs":[[1,28,28]],"total_params":21840,"trainable_params":21840,"#));
    assert!(readme.contains(&table), "the README shows lenet's table as it is");
    assert_eq!(graph, include_str!("expected/lenet.dot"));
}

#[test]
fn lenet_markdown() {
    assert_eq!(lenet::Net::SUMMARY.markdown().to_string(), include_str!("expected/lenet.md"));
}

#[test]
fn lenet_dot() {
    assert_eq!(lenet::Net::SUMMARY.dot().to_string(), include_str!("expected/lenet.dot"));
}

/// A DOT statement line: a node, an edge or a cluster's opening.
enum Statement<'a> {
    Node { id: &'a str, label: String, attributes: &'a str },
    Edge { from: &'a str, to: &'a str, label: String },
    Cluster { name: &'a str },
    Close,
    Other,
}

/// Undoes DOT's escapes, turning `\n` into a newline.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("a trailing backslash in {text:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The text of the quoted `label="…"` in `attributes`.
fn label(attributes: &str) -> String {
    let start = attributes.find("label=\"").expect("a label") + "label=\"".len();
    let mut end = start;
    let bytes = attributes.as_bytes();
    while bytes[end] != b'"' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    unescape(&attributes[start..end])
}

fn statement(line: &str) -> Statement<'_> {
    let line = line.trim();
    if line == "}" {
        return Statement::Close;
    }
    if let Some(rest) = line.strip_prefix("subgraph \"cluster_") {
        return Statement::Cluster { name: rest.strip_suffix("\" {").expect("a cluster opening") };
    }
    if let Some((from, rest)) = line.split_once(" -> ") {
        let (to, attributes) = rest.split_once(' ').expect("edge attributes");
        return Statement::Edge { from, to, label: label(attributes) };
    }
    match line.split_once(" [") {
        Some((id, attributes)) if !["graph", "node", "edge"].contains(&id) && !id.contains(' ') => {
            Statement::Node { id, label: label(attributes), attributes }
        }
        _ => Statement::Other,
    }
}

fn dims(shape: &[usize]) -> String {
    shape.iter().map(usize::to_string).collect::<Vec<_>>().join("×")
}

/// resnet18's graph: a node per module call, no node for a block, edges that
/// follow `sources` with the producer's shape, a cluster per block and
/// Sequential around exactly its modules, balanced braces.
#[test]
fn resnet18_dot_structure() {
    let layers = resnet18::ResNet18::LAYERS;
    let dot = resnet18::ResNet18::SUMMARY.dot().to_string();
    assert!(dot.starts_with("digraph \"ResNet18\" {\n"));

    // Blocks and Sequentials, told apart here by their names: a row whose
    // path prefixes an earlier row's.
    let is_block = |index: usize| {
        let name = layers[index].name;
        !layers[index].functional
            && (layers[index].container || layers[..index].iter().any(|l| l.name.starts_with(&format!("{name}."))))
    };
    let blocks: Vec<usize> = (0..layers.len()).filter(|&index| is_block(index)).collect();
    assert_eq!(blocks.iter().filter(|&&index| layers[index].kind == "BasicBlock").count(), 8);
    assert_eq!(blocks.iter().filter(|&&index| layers[index].kind == "Sequential").count(), 4 + 3);

    // Braces balance outside quoted strings.
    let mut depth = 0_i32;
    let mut quoted = false;
    let mut escaped = false;
    for c in dot.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => quoted = !quoted,
            (false, _, '{') => depth += 1,
            (false, _, '}') => {
                depth -= 1;
                assert!(depth >= 0, "a `}}` without its `{{`");
            }
            _ => {}
        }
    }
    assert_eq!((depth, quoted), (0, false));

    // Each node's label, tooltip and enclosing clusters (outermost first).
    let mut nodes: BTreeMap<String, (String, Option<String>, Vec<String>)> = BTreeMap::new();
    let mut edges: Vec<(String, String, String)> = Vec::new();
    let mut clusters: Vec<String> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for line in dot.lines().skip(1) {
        match statement(line) {
            Statement::Cluster { name } => {
                clusters.push(name.to_string());
                open.push(name.to_string());
            }
            Statement::Close => {
                open.pop();
            }
            Statement::Node { id, label, attributes } => {
                let tooltip = attributes.split_once("tooltip=\"").map(|(_, rest)| rest.split('"').next().unwrap_or(""));
                let previous = nodes.insert(id.to_string(), (label, tooltip.map(str::to_string), open.clone()));
                assert!(previous.is_none(), "node {id} defined twice");
            }
            Statement::Edge { from, to, label } => edges.push((from.to_string(), to.to_string(), label)),
            Statement::Other => {}
        }
    }

    // One cluster per block and Sequential, named by its path, each once.
    let mut expected_clusters: Vec<String> = blocks.iter().map(|&index| layers[index].name.to_string()).collect();
    expected_clusters.sort();
    let mut found = clusters.clone();
    found.sort();
    assert_eq!(found, expected_clusters);
    for &index in &blocks {
        let layer = &layers[index];
        let opening = format!("subgraph \"cluster_{}\" {{", layer.name);
        let at = dot.lines().position(|line| line.trim() == opening).expect("the cluster");
        let label_line = dot.lines().nth(at + 1).expect("a label line").trim();
        assert!(label_line.starts_with(&format!("label=\"{} · {} · ", layer.name, layer.kind)), "{label_line}");
    }

    // A node per leaf module call, inside the clusters of exactly the blocks
    // whose paths prefix its own, innermost last; none for blocks.
    let mut expected_nodes = BTreeSet::from(["input0".to_string(), "output0".to_string()]);
    for (index, layer) in layers.iter().enumerate() {
        let id = format!("n{index}");
        if is_block(index) {
            assert!(!nodes.contains_key(&id), "block {} drawn as a node", layer.name);
            continue;
        }
        expected_nodes.insert(id.clone());
        let (text, tooltip, inside) = nodes.get(&id).unwrap_or_else(|| panic!("no node for {} ({index})", layer.name));
        let lines: Vec<&str> = text.lines().collect();
        if layer.functional {
            assert!(matches!(layer.kind, "add" | "flatten"), "{}", layer.kind);
            assert_eq!(lines, [layer.kind]);
            assert_eq!(*tooltip, None);
        } else {
            // Kind (and kernel), the path below the innermost cluster, the
            // parameters if any; the whole path as the tooltip when shortened.
            assert!(lines[0].starts_with(layer.kind), "{text}");
            let short = lines[1];
            let cluster = inside.last().map_or(String::new(), |name| format!("{name}."));
            assert_eq!(format!("{cluster}{short}"), layer.name);
            if layer.params > 0 {
                assert_eq!(lines[2..], [format!("{} params", netshape::Thousands(layer.params))]);
            } else {
                assert_eq!(lines.len(), 2, "{text}");
            }
            assert_eq!(*tooltip, (!cluster.is_empty()).then(|| layer.name.to_string()));
            let enclosing: Vec<String> = blocks
                .iter()
                .map(|&block| layers[block].name)
                .filter(|name| layer.name.starts_with(&format!("{name}.")))
                .map(str::to_string)
                .collect();
            let mut by_length = enclosing.clone();
            by_length.sort_by_key(String::len);
            assert_eq!(*inside, by_length, "{}", layer.name);
        }
    }
    assert_eq!(nodes.keys().cloned().collect::<BTreeSet<_>>(), expected_nodes);
    // Each module call once: 60 module calls, 8 adds, a flatten, the input and the output.
    assert_eq!(nodes.len(), 60 + 8 + 1 + 2);

    // Edges follow `sources`, in order, each labelled with its producer's shape.
    let mut expected_edges = Vec::new();
    for (index, layer) in layers.iter().enumerate() {
        if is_block(index) {
            continue;
        }
        for source in layer.sources {
            let (from, shape) = match *source {
                Source::Input(input) => (format!("input{input}"), resnet18::ResNet18::INPUT_SHAPES[input]),
                Source::Layer(producer) => (format!("n{producer}"), layers[producer].output),
            };
            expected_edges.push((from, format!("n{index}"), dims(shape)));
        }
    }
    expected_edges.push(("n83".to_string(), "output0".to_string(), "1000".to_string()));
    assert_eq!(layers[83].name, "fc");
    assert_eq!(edges, expected_edges);
    for (from, _, label) in &edges {
        if let Some(producer) = from.strip_prefix('n') {
            assert_eq!(*label, dims(layers[producer.parse::<usize>().expect("an index")].output));
        }
    }
}
