//! The macro against hostile input: every `network! { … }` of the examples and
//! the UI cases, mutated deterministically (tokens deleted, duplicated,
//! swapped, replaced by extreme numbers or other names, groups truncated or
//! nested), must expand without panicking, within a second, to tokens that
//! parse as Rust. The corpus is read from the repository, so a new example or
//! UI case joins the fuzzing by existing.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::expand_source;

/// Inputs per test; two tests run side by side on CI's two cores.
const INPUTS_PER_HALF: usize = 11_000;
/// What a user may wait for one `network!`, in a debug build of the macro.
const LIMIT: Duration = Duration::from_secs(1);
/// Past this the expansion is treated as hung and the test stops.
const HANG: Duration = Duration::from_secs(30);
/// The stack rustc gives a proc macro's thread.
const STACK: usize = 8 << 20;

/// Numbers at and past every boundary the arithmetic meets.
const EXTREMES: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775806",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211455",
    "0.0",
    "0.5",
    "1e30",
    "1e308",
    "1e309",
    "1e-30",
    "2.5",
];

/// Names that steer the mutated text into the DSL's other paths.
const NAMES: &[&str] = &[
    "block",
    "for",
    "in",
    "if",
    "let",
    "input",
    "output",
    "struct",
    "pub",
    "use",
    "self",
    "None",
    "true",
    "false",
    "r#type",
    "int",
    "round",
    "x",
    "add",
    "cat",
    "stack",
    "split",
    "chunk",
    "view",
    "flatten",
    "relu",
    "Linear",
    "Conv2d",
    "BatchNorm2d",
    "LSTM",
    "Identity",
    "Sequential",
    "ModuleList",
    "MultiheadAttention",
    "interpolate",
    "AdaptiveAvgPool2d",
    "Embedding",
    "TransformerEncoder",
    "pad",
    "permute",
    "mean",
    "transpose",
];

/// SplitMix64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The body of every `network! { … }` in the files of a directory.
fn bodies(dir: &Path) -> Vec<(String, TokenStream)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    let mut found = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("a readable source file");
        let tokens: TokenStream = text.parse().expect("a source file that lexes");
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        collect_bodies(tokens, &name, &mut found);
    }
    found
}

fn collect_bodies(tokens: TokenStream, name: &str, found: &mut Vec<(String, TokenStream)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            let called = |macro_name: &str| {
                index >= 2
                    && matches!(&trees[index - 1], TokenTree::Punct(bang) if bang.as_char() == '!')
                    && matches!(&trees[index - 2], TokenTree::Ident(ident) if ident == macro_name)
            };
            if called("network") {
                found.push((name.to_owned(), group.stream()));
            } else if called("forward_cases") {
                // The forward fixtures: `c0 "about" { input: …, layer: … }`, each a network's body.
                for case in group.stream() {
                    if let TokenTree::Group(body) = case {
                        let network = format!("struct Net {{ {} }}", body.stream());
                        found.push((name.to_owned(), network.parse().expect("a forward case that lexes")));
                    }
                }
            } else {
                collect_bodies(group.stream(), name, found);
            }
        }
    }
}

/// A token tree made editable: groups hold their children.
#[derive(Clone)]
enum Node {
    Leaf(TokenTree),
    Group(Delimiter, Vec<Node>),
}

fn nodes(tokens: TokenStream) -> Vec<Node> {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => Node::Group(group.delimiter(), nodes(group.stream())),
            leaf => Node::Leaf(leaf),
        })
        .collect()
}

fn tokens(nodes: &[Node]) -> TokenStream {
    nodes
        .iter()
        .map(|node| match node {
            Node::Leaf(tree) => tree.clone(),
            Node::Group(delimiter, children) => TokenTree::Group(Group::new(*delimiter, tokens(children))),
        })
        .collect()
}

/// Every sequence of nodes, the top one first, as paths of child indices.
fn sequences(nodes: &[Node], path: &mut Vec<usize>, found: &mut Vec<Vec<usize>>) {
    found.push(path.clone());
    for (index, node) in nodes.iter().enumerate() {
        if let Node::Group(_, children) = node {
            path.push(index);
            sequences(children, path, found);
            path.pop();
        }
    }
}

fn sequence_at<'a>(nodes: &'a mut Vec<Node>, path: &[usize]) -> &'a mut Vec<Node> {
    match path.split_first() {
        None => nodes,
        Some((&first, rest)) => match &mut nodes[first] {
            Node::Group(_, children) => sequence_at(children, rest),
            Node::Leaf(_) => unreachable!("paths lead through groups"),
        },
    }
}

fn number(text: &str) -> Node {
    Node::Leaf(TokenTree::Literal(text.parse::<Literal>().expect("a numeric literal")))
}

/// Where the tree's numbers are: a sequence's path and the index in it.
fn numbers(nodes: &[Node], path: &mut Vec<usize>, found: &mut Vec<(Vec<usize>, usize)>) {
    for (index, node) in nodes.iter().enumerate() {
        match node {
            Node::Leaf(TokenTree::Literal(literal))
                if literal.to_string().starts_with(|c: char| c.is_ascii_digit()) =>
            {
                found.push((path.clone(), index));
            }
            Node::Group(_, children) => {
                path.push(index);
                numbers(children, path, found);
                path.pop();
            }
            Node::Leaf(_) => {}
        }
    }
}

/// One random edit somewhere in the tree: half the time a number changed,
/// which keeps the syntax and reaches the shape rules, otherwise any edit.
fn mutate(tree: &mut Vec<Node>, rng: &mut Rng) {
    let mut literals = Vec::new();
    numbers(tree, &mut Vec::new(), &mut literals);
    if !literals.is_empty() && rng.below(2) == 0 {
        let (path, index) = rng.pick(&literals).clone();
        let sequence = sequence_at(tree, &path);
        let extreme = EXTREMES[rng.below(EXTREMES.len())];
        let replacement = match rng.below(4) {
            0 => vec![Node::Leaf(TokenTree::Punct(Punct::new('-', Spacing::Alone))), number(extreme)],
            1 => vec![number(&rng.below(10).to_string())],
            _ => vec![number(extreme)],
        };
        sequence.splice(index..index + 1, replacement);
        return;
    }
    let mut found = Vec::new();
    sequences(tree, &mut Vec::new(), &mut found);
    let path = rng.pick(&found).clone();
    let sequence = sequence_at(tree, &path);
    let len = sequence.len();
    let at = rng.below(len);
    match rng.below(9) {
        0 if len > 0 => {
            sequence.remove(at);
        }
        1 if len > 0 => {
            let copy = sequence[at].clone();
            sequence.insert(at, copy);
        }
        2 if len > 1 => sequence.swap(at, (at + 1) % len),
        3 => {
            let extreme = *rng.pick(EXTREMES);
            let replacement = match sequence.get(at) {
                Some(Node::Leaf(TokenTree::Literal(_))) | None => vec![number(extreme)],
                _ if rng.below(2) == 0 => vec![number(extreme)],
                _ => vec![Node::Leaf(TokenTree::Punct(Punct::new('-', Spacing::Alone))), number(extreme)],
            };
            // Prefer rewriting an existing number, as in `Linear(10, 4294967296)`.
            let literal = sequence.iter().position(|node| matches!(node, Node::Leaf(TokenTree::Literal(_))));
            let at = literal.filter(|_| rng.below(3) > 0).unwrap_or(at.min(len.saturating_sub(1)));
            if len == 0 {
                sequence.extend(replacement);
            } else {
                sequence.splice(at..at + 1, replacement);
            }
        }
        4 if len > 0 => {
            let name = *rng.pick(NAMES);
            let ident = match name.strip_prefix("r#") {
                Some(raw) => Ident::new_raw(raw, Span::call_site()),
                None => Ident::new(name, Span::call_site()),
            };
            sequence[at] = Node::Leaf(TokenTree::Ident(ident));
        }
        5 => sequence.truncate(at),
        6 if len > 0 => {
            let delimiter = *rng.pick(&[Delimiter::Bracket, Delimiter::Parenthesis, Delimiter::Brace]);
            let inner = sequence[at].clone();
            sequence[at] = Node::Group(delimiter, vec![inner]);
        }
        7 if len > 0 => {
            // Another token from elsewhere in the same sequence.
            let other = sequence[rng.below(len)].clone();
            sequence[at] = other;
        }
        _ => {
            let punct = *rng.pick(&[',', ':', '=', '-', '*', '/', '%', '.', '#', '!']);
            sequence.insert(at, Node::Leaf(TokenTree::Punct(Punct::new(punct, Spacing::Alone))));
        }
    }
}

/// Inputs that once panicked, hung, ran out of memory or overflowed, each with
/// a piece of the compile error it now gets.
const HOSTILE: &[(&str, &str)] = &[
    ("struct N { input: [4294967296, 4294967296], relu() }", "`4294967296` is out of the integers"),
    ("struct N { input: [65536, 65536, 65536], relu() }", "the input is too large: it holds more elements"),
    ("struct N { input: [1048576], Linear(1048576, 2097152) }", "`Linear`'s `weight` would be [2097152, 1048576]"),
    ("struct N { input: [3, 8, 8], Conv2d(1, 1, 3, padding = 9223372036854775807) }", "out of the integers"),
    ("struct N { input: [3, 8, 8], Conv2d(3, 1, 3, padding = 2147483647) }", "`Conv2d`'s output would be"),
    ("struct N { input: [1, 8, 8], ZeroPad2d(2147483647) }", "`ZeroPad2d`'s output would be [1, 4294967302"),
    ("struct N { input: [8, 65536, 65536], PixelUnshuffle(65536) }", "`PixelUnshuffle`'s output would be"),
    ("struct N { input: [10], Linear(10, -(-9223372036854775807 - 1)) }", "out of the integers"),
    ("struct N { input: [10], for i in 9223372036854775806..=9223372036854775807 { relu() } }", "out of the integers"),
    ("struct N { input: [3, 8, 8], interpolate(scale_factor = 1e30) }", "`interpolate`"),
    ("struct N { input: [8], for i in 0..1 { c{0 - 1}: Linear(8, 8) } }", "a name's index must not be negative"),
    ("struct N { input: [8], output: () }", "`output` names at least one value"),
    ("struct N { input: [2147483647], let (a, b) = split(1, dim = 1), a }", "would make 2147483647 tensors"),
    ("struct N { input: [2147483647], let (a, b) = unbind(dim = 1), a }", "would make 2147483647 tensors"),
    ("block A() { A(), A() } struct N { input: [8], A() }", "block `A` calls itself: `A` → `A`"),
    ("block A() { add([A()], [A()]) } struct N { input: [8], A() }", "block `A` calls itself: `A` → `A`"),
    ("block A() { B() } block B() { A() } struct N { input: [8], A() }", "block `A` calls itself: `A` → `B` → `A`"),
    ("struct N { input: [8], for i in 0..100000000 { } }", "unrolls to more than 5000 steps"),
    ("struct N { input: [8], for i in 0..100000 { for j in 0..100000 { relu() } } }", "more than 5000 steps"),
    ("struct N { input: [3, 8, 8], AdaptiveAvgPool2d(1000000000) }", "`AdaptiveAvgPool2d`'s output would be"),
    (
        "struct N { input: [4, 8], TransformerEncoder(TransformerEncoderLayer(8, 2), num_layers = 2147483647) }",
        "`num_layers` is 2147483647; netshape unrolls at most 5000 layers",
    ),
    ("struct N { input: [4, 8], Transformer(8, 2, 65536, 1, 16) }", "`num_encoder_layers` is 65536"),
    ("struct N { input: [4, 8], LSTM(8, 8, num_layers = 2147483647) }", "`num_layers` is 2147483647"),
    ("struct N { input: [2, 4, 4], unfold(3, padding = 2147483647) }", "`unfold`'s output would be"),
];

/// Large but real: they must check, quickly.
const LARGE: &[&str] = &[
    // 16 s of 16 kHz audio.
    "struct N { input: [1, 256000], Conv1d(1, 1, 400), Conv1d(1, 1, 3, stride = 2, dilation = 5) }",
    "struct N { input: [1, 16000000], Conv1d(1, 1, 400), MaxPool1d(3, stride = 7) }",
    "struct N { input: [3, 20000, 20000], Conv2d(3, 8, 7, stride = 2, padding = 3), relu(), AdaptiveAvgPool2d(7) }",
    "struct N { input: [8], for i in 0..2400 { l{i}: Linear(8, 8) } }",
    "struct N { input: [1, 2147483647], Conv1d(1, 1, 1) }",
    "struct N { input: [1, 8, 8], MaxPool2d(3, stride = 2147483647, ceil_mode = true) }",
    "struct N { input: [10], for i in 2147483646..=2147483647 { relu() } }",
];

/// Expands one input on a fresh thread: how long it took and the output;
/// `Err` says what went wrong.
fn expand_one(input: TokenStream) -> Result<(Duration, String), String> {
    let text = input.to_string();
    let source = text.clone();
    let (sender, receiver) = mpsc::channel();
    thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            // Token streams stay on their thread: they are not `Send`.
            let input: TokenStream = source.parse().expect("mutated tokens lex again");
            let start = Instant::now();
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let output = expand_source(input);
                (start.elapsed(), output.to_string())
            }));
            let _ = sender.send(outcome);
        })
        .expect("a thread");
    let outcome = match receiver.recv_timeout(HANG) {
        Ok(received) => received,
        Err(_) => return Err(format!("hung (over {HANG:?}) on:\n{text}")),
    };
    let (elapsed, output) = outcome.map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|text| (*text).to_owned()))
            .unwrap_or_default();
        format!("panicked ({message}) on:\n{text}")
    })?;
    if elapsed > LIMIT {
        return Err(format!("took {elapsed:?} on:\n{text}"));
    }
    let tokens: TokenStream = output.parse().map_err(|error| format!("output does not lex ({error}) on:\n{text}"))?;
    syn::parse2::<syn::File>(tokens).map_err(|error| format!("output is not Rust ({error}) on:\n{text}"))?;
    Ok((elapsed, output))
}

fn corpus() -> Vec<(String, TokenStream)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut corpus = bodies(&root.join("examples"));
    corpus.extend(bodies(&root.join("tests")));
    corpus.extend(bodies(&root.join("tests/ui")));
    corpus.extend(bodies(&root.join("tests/fixtures/forward")));
    // The examples, the UI cases, the behaviour tests and the forward cases.
    assert!(corpus.len() > 600, "the corpus should hold every example and UI case, found {}", corpus.len());
    corpus
}

/// Runs `count` mutated inputs from a seed; every failure is collected.
fn fuzz(seed: u64, count: usize) {
    let corpus = corpus();
    // Another seed explores further by hand: NETSHAPE_FUZZ_SEED=7 cargo test fuzz.
    let seed = std::env::var("NETSHAPE_FUZZ_SEED")
        .ok()
        .and_then(|text| text.parse::<u64>().ok())
        .map_or(seed, |extra| seed ^ extra);
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    let mut accepted = 0;
    for round in 0..count {
        let (name, body) = rng.pick(&corpus);
        let mut tree = nodes(body.clone());
        for _ in 0..=rng.below(3) {
            mutate(&mut tree, &mut rng);
        }
        let input = tokens(&tree);
        match expand_one(input) {
            Ok((elapsed, output)) => {
                accepted += usize::from(!output.contains("compile_error"));
                if elapsed > slowest.0 {
                    slowest = (elapsed, format!("{name} #{round}"));
                }
            }
            Err(failure) => {
                let hung = failure.starts_with("hung");
                failures.push(format!("{name} #{round}: {failure}"));
                if hung || failures.len() >= 20 {
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
    eprintln!("{count} inputs, {accepted} of them valid networks; slowest {:?} ({})", slowest.0, slowest.1);
}

#[test]
fn hostile_inputs_are_errors_at_their_cause() {
    let mut failures = Vec::new();
    for (input, expected) in HOSTILE {
        match expand_one(input.parse().expect("a hostile input that lexes")) {
            Ok((_, output)) => {
                if !output.contains("compile_error") || !output.contains(expected) {
                    failures.push(format!("{input}\n  expected an error with {expected:?}, got:\n{output:.600}"));
                }
            }
            Err(failure) => failures.push(failure),
        }
    }
    let nested = format!("struct N {{ input: [8], x: {}relu(){} }}", "[".repeat(400), "]".repeat(400));
    match expand_one(nested.parse().expect("nested brackets")) {
        Ok((_, output)) if output.contains("nest more than 64 deep") => {}
        Ok(_) => failures.push("400 nested brackets: no nesting error".to_owned()),
        Err(failure) => failures.push(failure),
    }
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn large_real_inputs_check_quickly() {
    for input in LARGE {
        match expand_one(input.parse().expect("a large input that lexes")) {
            Ok((_, output)) if !output.contains("compile_error") => {}
            Ok((_, output)) => panic!("{input} should check: {output}"),
            Err(failure) => panic!("{failure}"),
        }
    }
}

#[test]
fn mutated_examples_and_ui_cases_expand_first_half() {
    fuzz(0x6E65_7473_6861_7065, INPUTS_PER_HALF);
}

#[test]
fn mutated_examples_and_ui_cases_expand_second_half() {
    fuzz(0x7368_6170_6573_2121, INPUTS_PER_HALF);
}
