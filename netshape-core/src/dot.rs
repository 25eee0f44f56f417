//! A network's dataflow graph in Graphviz's DOT language.

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::summary::Grouped;
use crate::{Layer, Source, Summary, Thousands};

/// A [`Summary`] as a Graphviz `digraph`, made by [`Summary::dot`]; print it
/// with `{}` and render it with `dot -Tsvg`.
///
/// - **Nodes.** One per input (`input0`, …), one per call of a leaf module
///   (`n` and its index in `layers`, so a module called twice is two nodes),
///   one per functional op that does more than pass each value through (joins
///   such as `add` and `cat`, splits such as `chunk`, reshapes such as `view`
///   and `flatten`, pools, padding, resizing), and one per output (`output0`,
///   …: every step whose value nothing else takes). A module's label is its
///   type (with the kernel size for convs and pools), its path (inside a
///   cluster, the part below the cluster's path, with the whole path as its
///   tooltip) and its parameters; a functional op's, its name (and kernel).
/// - **Edges** follow `sources`, each labelled with the shape that flows along
///   it, batch left out (`64×56×56`). Functional activations, dropout,
///   softmax and `contiguous` between two nodes are no node: they keep the
///   shape and take one input, so they are written on the edge they lie on,
///   under the shape (`10×12×12` then `relu`). One whose value goes to
///   several steps stays a node.
/// - **Clusters.** A block (`BasicBlock`), an `nn.Sequential` or a composite
///   module (`TransformerEncoderLayer`) is a `subgraph cluster_…` labelled with
///   its path, type and parameters, around the nodes of its children,
///   nested as the modules are. A functional op belongs to the block that
///   runs it: to the innermost block whose children come before and after
///   it, or whose inputs it reads first (as DenseNet's layers concatenate
///   their inputs).
///
/// Node ids, attributes and the order of statements depend only on the
/// summary, so the same network always gives the same text. Names and types
/// are escaped for DOT's quoted strings.
///
/// ```
/// use netshape_core::{Layer, Source, Summary};
///
/// let layers = [
///     Layer { name: "fc", kind: "Linear", sources: &[Source::Input(0)], input: &[4], output: &[2],
///         params: 10, trainable: 10, ..Layer::EMPTY },
///     Layer { kind: "relu", functional: true, sources: &[Source::Layer(0)], input: &[2], output: &[2],
///         ..Layer::EMPTY },
/// ];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// let dot = summary.dot().to_string();
/// assert!(dot.starts_with("digraph \"Tiny\" {\n"));
/// assert!(dot.contains("    n0 [label=\"Linear\\nfc\\n10 params\", fillcolor=\"#f4cccc\"];\n"));
/// assert!(dot.contains("    input0 -> n0 [label=\"4\"];\n"));
/// // The functional `relu` is written on the edge to the output.
/// assert!(dot.contains("    n0 -> output0 [label=\"2\\nrelu\"];\n"));
/// assert!(dot.ends_with("}\n"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot<'a>(pub Summary<'a>);

impl<'a> Summary<'a> {
    /// The network's graph in Graphviz's DOT language: see [`Dot`].
    ///
    /// ```
    /// use netshape_core::{Layer, Source, Summary};
    ///
    /// let layers = [Layer { name: "conv1", kind: "Conv2d", sources: &[Source::Input(0)],
    ///     input: &[1, 28, 28], output: &[10, 24, 24], kernel: &[5, 5], params: 260, trainable: 260,
    ///     ..Layer::EMPTY }];
    /// let summary = Summary { name: "Net", inputs: &[&[1, 28, 28]], layers: &layers };
    /// let dot = summary.dot().to_string();
    /// assert!(dot.contains("n0 [label=\"Conv2d 5×5\\nconv1\\n260 params\""));
    /// assert!(dot.contains("input0 -> n0 [label=\"1×28×28\"];"));
    /// assert!(dot.contains("n0 -> output0 [label=\"10×24×24\"];"));
    /// ```
    pub fn dot(&self) -> Dot<'a> {
        Dot(*self)
    }
}

/// Functional ops that keep the shape and touch each element alone: written
/// on the edge they lie on rather than drawn as nodes.
const PASS_THROUGH: &[&str] = &[
    "relu",
    "relu6",
    "selu",
    "silu",
    "mish",
    "hardswish",
    "hardsigmoid",
    "leaky_relu",
    "elu",
    "celu",
    "gelu",
    "hardtanh",
    "softplus",
    "threshold",
    "hardshrink",
    "softshrink",
    "rrelu",
    "sigmoid",
    "tanh",
    "logsigmoid",
    "softsign",
    "tanhshrink",
    "softmax",
    "log_softmax",
    "softmin",
    "normalize",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
    "stochastic_depth",
    "contiguous",
];

/// What a step of `layers` becomes in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A node: a leaf module's call or a functional op that shapes the graph.
    Node,
    /// A pass-through functional op, written on its edge.
    Folded,
    /// A block, `nn.Sequential` or composite module: a cluster.
    Cluster,
}

/// The graph's structure, computed from the summary.
struct Graph<'s, 'a> {
    layers: &'s [Layer<'a>],
    inputs: &'s [&'a [usize]],
    roles: Vec<Role>,
    /// The steps (other than clusters) that take each step's value.
    consumers: Vec<Vec<usize>>,
    /// The innermost cluster around each step.
    parent: Vec<Option<usize>>,
    /// Nodes and clusters directly inside each cluster, in order, and at the
    /// top level (the last list).
    children: Vec<Vec<usize>>,
    /// Whether a cluster holds any node.
    occupied: Vec<bool>,
}

impl<'s, 'a> Graph<'s, 'a> {
    fn new(summary: &'s Summary<'a>) -> Self {
        let layers = summary.layers;
        let count = layers.len();
        // A module is a cluster if it is a container or if the module called
        // just before it (children come first) is one of its children.
        // The network's own parameters' row is an empty cluster: not drawn.
        let mut roles: Vec<Role> = (0..count)
            .map(|index| {
                let root = layers[index].container && layers[index].name.is_empty();
                if root || summary.has_child_rows(index) {
                    Role::Cluster
                } else {
                    Role::Node
                }
            })
            .collect();
        let mut consumers = vec![Vec::new(); count];
        for (index, layer) in layers.iter().enumerate() {
            if roles[index] == Role::Cluster {
                continue;
            }
            for source in layer.sources {
                if let Source::Layer(producer) = *source {
                    if let Some(list) = consumers.get_mut(producer) {
                        list.push(index);
                    }
                }
            }
        }
        for (index, layer) in layers.iter().enumerate() {
            if layer.functional
                && PASS_THROUGH.contains(&layer.kind)
                && layer.sources.len() == 1
                && layer.input == layer.output
                && layer.extra_outputs.is_empty()
                && consumers[index].len() <= 1
            {
                roles[index] = Role::Folded;
            }
        }

        // The innermost cluster around each step, and each cluster's first member.
        let mut parent = vec![None; count];
        let mut first: Vec<usize> = (0..count).collect();
        // Inner clusters come first (post-order), so the first to claim a step is its innermost.
        for row in 0..count {
            if roles[row] != Role::Cluster {
                continue;
            }
            let block = &layers[row];
            // The children: back from the row to the first module not below it.
            let mut start = row;
            for earlier in (0..row).rev() {
                if layers[earlier].functional {
                    continue;
                }
                if Layer::is_inside(layers[earlier].name, block.name) {
                    start = earlier;
                } else {
                    break;
                }
            }
            // Functional ops just before the first child belong to the block if
            // they read only its inputs (or each other) and feed only it.
            let mut lead = start;
            while lead > 0 && layers[lead - 1].functional {
                lead -= 1;
            }
            let mut members: Vec<usize> = Vec::new();
            for candidate in lead..start {
                let reads_inputs = layers[candidate].sources.iter().all(|source| {
                    block.sources.contains(source) || matches!(source, Source::Layer(s) if members.contains(s))
                });
                let feeds_block = consumers[candidate].iter().all(|&consumer| consumer < row);
                if reads_inputs && feeds_block {
                    members.push(candidate);
                } else {
                    members.clear();
                }
            }
            members.extend(start..row);
            first[row] = members.first().copied().unwrap_or(row);
            for member in members {
                if parent[member].is_none() {
                    parent[member] = Some(row);
                }
            }
        }

        // The tree: index `count` is the top level.
        let mut children = vec![Vec::new(); count + 1];
        for index in 0..count {
            if roles[index] != Role::Folded {
                children[parent[index].unwrap_or(count)].push(index);
            }
        }
        for list in &mut children {
            list.sort_by_key(|&index| (first[index], index));
        }
        let mut occupied = vec![false; count];
        for index in 0..count {
            occupied[index] = roles[index] == Role::Cluster
                && children[index].iter().any(|&child| roles[child] == Role::Node || occupied[child]);
        }
        Graph { layers, inputs: summary.inputs, roles, consumers, parent, children, occupied }
    }

    /// Where a value comes from: the node that made it, its shape, and the
    /// pass-through ops it went through on the way (last first).
    fn origin(&self, source: Source, through: &mut Vec<&'a str>) -> (Id, &'a [usize]) {
        match source {
            Source::Input(index) => (Id::Input(index), self.inputs.get(index).copied().unwrap_or(&[])),
            Source::Layer(index) => match (self.roles.get(index), self.layers.get(index)) {
                // (The bound stops a cycle, which only a hand-written summary can have.)
                (Some(Role::Folded), Some(layer)) if through.len() <= self.layers.len() => {
                    through.push(layer.kind);
                    let (id, _) = self.origin(layer.sources[0], through);
                    (id, layer.output)
                }
                // No step takes a cluster's row: its value is its last step's.
                (Some(Role::Cluster), Some(_)) if index > 0 => self.origin(Source::Layer(index - 1), through),
                (_, Some(layer)) => (Id::Layer(index), layer.output),
                (_, None) => (Id::Layer(index), &[]),
            },
        }
    }

    /// Parameters of the distinct modules drawn inside a cluster.
    fn cluster_params(&self, cluster: usize) -> usize {
        let mut seen: Vec<&str> = Vec::new();
        let mut params = 0;
        let mut stack = vec![cluster];
        while let Some(index) = stack.pop() {
            for &child in &self.children[index] {
                match self.roles[child] {
                    Role::Cluster => stack.push(child),
                    Role::Node if !self.layers[child].functional && !seen.contains(&self.layers[child].name) => {
                        seen.push(self.layers[child].name);
                        params += self.layers[child].params;
                    }
                    _ => {}
                }
            }
        }
        params
    }

    fn write_items(&self, f: &mut fmt::Formatter<'_>, parent: usize, depth: usize) -> fmt::Result {
        for &index in &self.children[parent] {
            if self.roles[index] == Role::Cluster {
                if self.occupied[index] {
                    self.write_cluster(f, index, depth)?;
                }
            } else {
                self.write_node(f, index, depth)?;
            }
        }
        Ok(())
    }

    fn write_cluster(&self, f: &mut fmt::Formatter<'_>, index: usize, depth: usize) -> fmt::Result {
        let layer = &self.layers[index];
        let indent = Indent(depth);
        // A module called twice is two clusters, which need two names.
        let call = self.layers[..index]
            .iter()
            .enumerate()
            .filter(|&(earlier, other)| self.roles[earlier] == Role::Cluster && other.name == layer.name)
            .count();
        write!(f, "{indent}subgraph \"cluster_{}", Escaped(layer.name))?;
        if call > 0 {
            write!(f, "#{}", call + 1)?;
        }
        writeln!(f, "\" {{")?;
        write!(f, "{indent}    label=\"{} · {}", Escaped(layer.name), Escaped(layer.kind))?;
        let params = self.cluster_params(index);
        if params > 0 {
            write!(f, " · {} params", Thousands(params))?;
        }
        writeln!(f, "\";")?;
        let fill = ["#f6f6f6", "#ebebeb", "#e0e0e0"][(depth - 1) % 3];
        writeln!(
            f,
            "{indent}    style=\"rounded,filled\"; fillcolor=\"{fill}\"; color=\"#9e9e9e\"; fontsize=12; labeljust=l;"
        )?;
        self.write_items(f, index, depth + 1)?;
        writeln!(f, "{indent}}}")
    }

    fn write_node(&self, f: &mut fmt::Formatter<'_>, index: usize, depth: usize) -> fmt::Result {
        let layer = &self.layers[index];
        let indent = Indent(depth);
        write!(f, "{indent}n{index} [label=\"{}", Escaped(layer.kind))?;
        if !layer.kernel.is_empty() {
            write!(f, " {}", Dims(layer.kernel))?;
        }
        if layer.functional {
            return writeln!(f, "\", shape=ellipse, fillcolor=\"#fce5cd\"];");
        }
        // The path below the cluster's, which its label shows.
        let cluster = self.parent[index].map_or("", |cluster| self.layers[cluster].name);
        let short = match layer.name.strip_prefix(cluster).and_then(|rest| rest.strip_prefix('.')) {
            Some(rest) if Layer::is_inside(layer.name, cluster) => rest,
            _ => layer.name,
        };
        write!(f, "\\n{}", Escaped(short))?;
        if layer.params > 0 {
            write!(f, "\\n{} params", Thousands(layer.params))?;
            if layer.trainable == 0 {
                write!(f, " (frozen)")?;
            } else if layer.trainable < layer.params {
                write!(f, " ({} trainable)", Thousands(layer.trainable))?;
            }
        }
        write!(f, "\", fillcolor=\"{}\"", colour(layer.kind))?;
        if short.len() < layer.name.len() {
            write!(f, ", tooltip=\"{}\"", Escaped(layer.name))?;
        }
        writeln!(f, "];")
    }

    fn write_edge(&self, f: &mut fmt::Formatter<'_>, source: Source, target: Id) -> fmt::Result {
        let mut through = Vec::new();
        let (origin, shape) = self.origin(source, &mut through);
        write!(f, "    {origin} -> {target} [label=\"{}", Dims(shape))?;
        if !through.is_empty() {
            f.write_str("\\n")?;
            for (position, kind) in through.iter().rev().enumerate() {
                if position > 0 {
                    f.write_str(" → ")?;
                }
                write!(f, "{}", Escaped(kind))?;
            }
        }
        writeln!(f, "\"];")
    }
}

/// The fill colour of a module's node, by its family.
fn colour(kind: &str) -> &'static str {
    let has = |part: &str| kind.contains(part);
    if has("Conv") || has("Fold") {
        "#cfe2f3"
    } else if has("Norm") {
        "#d9ead3"
    } else if has("Linear")
        || has("Embedding")
        || has("RNN")
        || has("LSTM")
        || has("GRU")
        || has("Attention")
        || has("Transformer")
    {
        "#f4cccc"
    } else if has("Pool") {
        "#d9d2e9"
    } else if has("Dropout") {
        "#eeeeee"
    } else {
        "#fff2cc"
    }
}

/// A node's id: `input0`, `n12`, `output0`.
#[derive(Clone, Copy)]
enum Id {
    Input(usize),
    Layer(usize),
    Output(usize),
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Input(index) => write!(f, "input{index}"),
            Id::Layer(index) => write!(f, "n{index}"),
            Id::Output(index) => write!(f, "output{index}"),
        }
    }
}

/// Text inside a DOT quoted string: `"` and `\` escaped.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in self.0.split_inclusive(['"', '\\']) {
            match part.strip_suffix(['"', '\\']) {
                Some(text) => write!(f, "{text}\\{}", &part[text.len()..])?,
                None => f.write_str(part)?,
            }
        }
        Ok(())
    }
}

/// A shape or kernel as `64×56×56`; `scalar` for no dimensions.
struct Dims<'a>(&'a [usize]);

impl fmt::Display for Dims<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("scalar");
        }
        for (index, size) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("×")?;
            }
            write!(f, "{size}")?;
        }
        Ok(())
    }
}

/// Four spaces per level.
struct Indent(usize);

impl fmt::Display for Indent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for _ in 0..self.0 {
            f.write_str("    ")?;
        }
        Ok(())
    }
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summary = &self.0;
        let graph = Graph::new(summary);
        let count = summary.layers.len();
        let (mult_adds, _) = summary.mult_add_totals();
        writeln!(f, "digraph \"{}\" {{", Escaped(summary.name))?;
        writeln!(
            f,
            "    graph [rankdir=TB, label=\"{}\\n{} params · {} mult-adds\", labelloc=t, fontname=\"Helvetica\", \
             fontsize=16, nodesep=0.25, ranksep=0.3];",
            Escaped(summary.name),
            Thousands(summary.total_params()),
            Grouped(mult_adds.into()),
        )?;
        writeln!(
            f,
            "    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, color=\"#5f6f7f\", \
             margin=\"0.12,0.04\", height=0.3];"
        )?;
        writeln!(
            f,
            "    edge [fontname=\"Helvetica\", fontsize=8, fontcolor=\"#444444\", color=\"#6f6f6f\", arrowsize=0.6];"
        )?;
        for (index, shape) in summary.inputs.iter().enumerate() {
            let label = if summary.inputs.len() == 1 { "input" } else { "input " };
            write!(f, "    input{index} [label=\"{label}")?;
            if summary.inputs.len() > 1 {
                write!(f, "{index}")?;
            }
            writeln!(f, "\\n{}\", shape=oval, fillcolor=\"#ffffff\", penwidth=1.5];", Dims(shape))?;
        }
        graph.write_items(f, count, 1)?;
        // Outputs: every step whose value no other step takes.
        let outputs: Vec<usize> = (0..count)
            .filter(|&index| graph.roles[index] != Role::Cluster && graph.consumers[index].is_empty())
            .collect();
        for (position, &index) in outputs.iter().enumerate() {
            let label = if outputs.len() == 1 { "output" } else { "output " };
            write!(f, "    output{position} [label=\"{label}")?;
            if outputs.len() > 1 {
                write!(f, "{position}")?;
            }
            writeln!(
                f,
                "\\n{}\", shape=oval, fillcolor=\"#ffffff\", penwidth=1.5];",
                Dims(summary.layers[index].output)
            )?;
        }
        for (index, layer) in summary.layers.iter().enumerate() {
            if graph.roles[index] == Role::Node {
                for &source in layer.sources {
                    graph.write_edge(f, source, Id::Layer(index))?;
                }
            }
        }
        for (position, &index) in outputs.iter().enumerate() {
            graph.write_edge(f, Source::Layer(index), Id::Output(position))?;
        }
        writeln!(f, "}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(Escaped(r#"a"b\c"#).to_string(), r#"a\"b\\c"#);
        assert_eq!(Escaped("plain").to_string(), "plain");
        assert_eq!(Escaped("\"").to_string(), "\\\"");
    }

    #[test]
    fn paths_below() {
        assert!(Layer::is_inside("layer1.0.conv1", "layer1"));
        assert!(Layer::is_inside("layer1.0", "layer1"));
        assert!(!Layer::is_inside("layer10", "layer1"));
        assert!(!Layer::is_inside("layer1", "layer1"));
        assert!(!Layer::is_inside("x", ""));
    }

    const fn step<'a>(name: &'a str, kind: &'a str, sources: &'a [Source], shape: &'a [usize]) -> Layer<'a> {
        Layer { name, kind, sources, input: shape, output: shape, ..Layer::EMPTY }
    }

    /// A block whose first step is a functional join of its inputs (as
    /// DenseNet's layers concatenate theirs) keeps the join inside.
    #[test]
    fn leading_join_belongs_to_its_block() {
        let layers = [
            step("a", "ReLU", &[Source::Input(0)], &[4]),
            Layer { functional: true, ..step("", "add", &[Source::Input(0), Source::Layer(0)], &[4]) },
            step("block.fc", "Linear", &[Source::Layer(1)], &[4]),
            step("block", "Block", &[Source::Input(0), Source::Layer(0)], &[4]),
        ];
        let summary = Summary { name: "G", inputs: &[&[4]], layers: &layers };
        let graph = Graph::new(&summary);
        assert_eq!(graph.roles, [Role::Node, Role::Node, Role::Node, Role::Cluster]);
        assert_eq!(graph.children, [vec![], vec![], vec![], vec![1, 2], vec![0, 3]]);
        let dot = summary.dot().to_string();
        assert!(dot.contains("    n0 [label="), "{dot}");
        assert!(dot.contains("    subgraph \"cluster_block\" {\n        label=\"block · Block\";\n"), "{dot}");
    }

    /// A functional op before a block that reads something else stays outside.
    #[test]
    fn reshape_before_a_sequence_stays_outside() {
        let layers = [
            step("conv", "Conv2d", &[Source::Input(0)], &[2, 2]),
            Layer { functional: true, output: &[4], ..step("", "view", &[Source::Layer(0)], &[2, 2]) },
            step("head.0", "Linear", &[Source::Layer(1)], &[4]),
            Layer { container: true, ..step("head", "Sequential", &[Source::Layer(1)], &[4]) },
        ];
        let summary = Summary { name: "G", inputs: &[&[2, 2]], layers: &layers };
        assert_eq!(Graph::new(&summary).children, [vec![], vec![], vec![], vec![2], vec![0, 1, 3]]);
    }
}
