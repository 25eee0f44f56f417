//! Forward-pass speed, checkpoint load time and peak memory of the runtime
//! (candle backend, CPU), netshape's side of the README's speed table:
//! `bash bench/forward.sh` runs this and PyTorch's `bench/forward_pytorch.py`
//! side by side, one process per case and thread count.
//!
//! The thread count is `RAYON_NUM_THREADS`, which candle reads once when its
//! thread pool starts (the pool netshape's CPU kernels run on too): set it
//! before the process starts.
//!
//! - `cargo bench --bench forward` runs every case in this one process and
//!   prints a line each: `name batch threads median_ms runs load_ms peak_kb
//!   mult_adds bias_adds` (`peak_kb` is then the whole process's peak).
//! - `… -- cases` prints `name batches mult_adds bias_adds params` per case
//!   (`batches` comma-separated; the counts for one sample).
//! - `… -- save NAME DIR` writes `DIR/NAME.safetensors` (`Model::init(0)`, then
//!   `Model::save`).
//! - `… -- run NAME BATCH DIR` times `Model::load` of that file, then the
//!   forward pass, and prints one line as above; `peak_kb` is the process's
//!   peak resident memory (`VmHWM`), the load included.
//! - `… -- profile NAME BATCH DIR` runs `Model::profile` after the warm-up
//!   and prints where the time goes: each op's share of the median pass,
//!   then the slowest steps (the README's ResNet-50 profile).
//!
//! Timing, the same rule as the PyTorch script's: warm-up runs until at least
//! one run and one second, then `max(RUNS, 2 s / warm-up median)` timed runs
//! (at most 1000; `RUNS` defaults to 20), and their median.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use netshape::program::Runnable;
use netshape::runtime::{Device, Model, Tensor};
use netshape::Layer;

#[allow(dead_code)]
#[path = "../examples/digits.rs"]
mod digits;
#[allow(dead_code)]
#[path = "../examples/lenet.rs"]
mod lenet;
#[allow(dead_code)]
#[path = "../examples/mobilenet_v2.rs"]
mod mobilenet_v2;
#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;
#[allow(dead_code)]
#[path = "../examples/resnet50.rs"]
mod resnet50;
#[allow(dead_code)]
#[path = "../examples/vgg16.rs"]
mod vgg16;

netshape::network! {
    /// The "medium" word-level language model of Zaremba et al. (2014) on the
    /// Penn Treebank: a 10,000-word vocabulary, two LSTM layers of 650, 35
    /// steps. PyTorch: `x, _ = self.lstm(self.embed(tokens)); self.head(x)`.
    pub struct LstmLm {
        input tokens: [35] as i64,
        embed: Embedding(10000, 650),
        lstm: LSTM(650, 650, num_layers = 2, batch_first = true),
        head: Linear(650, 10000),
    }

    /// BERT-small-sized encoder: `nn.TransformerEncoder` of six post-norm
    /// layers (d_model 512, 8 heads, feed-forward 2048), 128 positions.
    pub struct Encoder {
        input: [128, 512],
        encoder: TransformerEncoder(
            TransformerEncoderLayer(512, 8, dim_feedforward = 2048, batch_first = true),
            6,
        ),
    }
}

/// The size of the vocabulary the index inputs are drawn from.
const VOCAB: usize = 10000;
/// Timed runs at least (the README's table needs 20 or more).
const DEFAULT_RUNS: usize = 20;
/// The time the timed runs should fill, when more than the minimum fit.
const BUDGET_SECS: f64 = 2.0;
/// The warm-up lasts at least this long, and one run.
const WARM_UP_SECS: f64 = 1.0;
/// Timed runs at most (fast cases).
const MAX_RUNS: usize = 1000;

type Outcome<T> = Result<T, Box<dyn Error>>;

/// One model of the table.
struct Case {
    name: &'static str,
    batches: &'static [usize],
    mult_adds: u64,
    bias_adds: u64,
    params: usize,
    save: fn(&Path) -> Outcome<()>,
    run: fn(&Path, usize, usize) -> Outcome<Measured>,
    profile: fn(&Path, usize, usize) -> Outcome<()>,
}

/// What one process measures for one case and batch.
struct Measured {
    median_ms: f64,
    runs: usize,
    load_ms: f64,
}

fn case<N: Runnable>(name: &'static str, batches: &'static [usize]) -> Case {
    Case {
        name,
        batches,
        mult_adds: N::LAYERS.iter().map(|layer| counts(layer).0).sum(),
        bias_adds: N::LAYERS.iter().map(|layer| counts(layer).1).sum(),
        params: N::TOTAL_PARAMS,
        save: save::<N>,
        run: run::<N>,
        profile: profile::<N>,
    }
}

/// A step's multiply-accumulates and bias additions for one sample:
/// netshape's `Layer::mult_adds` and `bias_adds`, computed here from the
/// shapes where those are 0 although the step has weights. (They are 0 for
/// the rows inside a Transformer stack, and an LSTM's `mult_adds` leaves out
/// its `weight_ih_l*` and `weight_hh_l*`.) The conventions are netshape's:
/// every weight once per position or step, and for attention the scores and
/// the weighted sum of the values too.
fn counts(layer: &Layer<'_>) -> (u64, u64) {
    let numel = |dims: &[usize]| dims.iter().map(|&dim| dim as u64).product::<u64>();
    match layer.kind {
        "Linear" if layer.mult_adds == 0 && layer.params > 0 => {
            let (inputs, outputs) = (layer.input[layer.input.len() - 1], layer.output[layer.output.len() - 1]);
            let weights = (inputs * outputs) as u64;
            let positions = numel(&layer.output[..layer.output.len() - 1]);
            (positions * weights, if layer.params > inputs * outputs { numel(layer.output) } else { 0 })
        }
        // Self-attention over `[length, embed]`: the four projections, the
        // scores and the weighted sum.
        "MultiheadAttention" if layer.mult_adds == 0 && layer.input.len() == 2 => {
            let (length, embed) = (layer.input[0] as u64, layer.input[1] as u64);
            // `params` holds `in_proj_*` only (`out_proj` is uncalled).
            let biases = if layer.params as u64 > 3 * embed * embed { 4 * length * embed } else { 0 };
            (4 * length * embed * embed + 2 * length * length * embed, biases)
        }
        // Every weight once per step: the parameters less the biases (one
        // bias addition per bias and step).
        "LSTM" | "GRU" | "RNN" if layer.mult_adds == 0 && layer.params > 0 => {
            let steps = layer.output[0] as u64;
            let weights = layer.params as u64 - layer.bias_adds / steps;
            (weights * steps, layer.bias_adds)
        }
        _ => (layer.mult_adds, layer.bias_adds),
    }
}

fn cases() -> Vec<Case> {
    vec![
        case::<lenet::Net>("lenet", &[1, 8]),
        case::<resnet18::ResNet18>("resnet18", &[1, 8]),
        case::<resnet50::ResNet50>("resnet50", &[1, 8]),
        case::<mobilenet_v2::MobileNetV2>("mobilenet_v2", &[1, 8]),
        case::<vgg16::Vgg16>("vgg16", &[1, 8]),
        case::<LstmLm>("lstm_lm", &[1, 8]),
        case::<Encoder>("transformer_encoder", &[1, 8]),
        case::<digits::Digits>("digits", &[450]),
    ]
}

fn checkpoint(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.safetensors"))
}

/// Random weights as PyTorch initialises them, saved with PyTorch's keys.
fn save<N: Runnable>(path: &Path) -> Outcome<()> {
    Model::<N>::init(0, &Device::Cpu)?.save(path)?;
    Ok(())
}

/// A batch of inputs: uniform [0, 1) floats, or token ids below `VOCAB`.
fn inputs<N: Runnable>(batch: usize) -> Outcome<Vec<Tensor>> {
    let program = &N::PROGRAM;
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut tensors = Vec::new();
    for (index, sample) in program.inputs.iter().enumerate() {
        let mut shape = vec![batch];
        shape.extend_from_slice(sample);
        let tensor = if program.index_inputs.contains(&index) {
            let count = shape.iter().product::<usize>();
            let tokens: Vec<i64> = (0..count)
                .map(|_| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    ((state >> 33) % VOCAB as u64) as i64
                })
                .collect();
            Tensor::from_vec(tokens, shape, &Device::Cpu)?
        } else {
            Tensor::rand(0f32, 1f32, shape, &Device::Cpu)?
        };
        tensors.push(tensor);
    }
    Ok(tensors)
}

/// Loads the checkpoint (timed), then times the forward pass.
fn run<N: Runnable>(path: &Path, batch: usize, min_runs: usize) -> Outcome<Measured> {
    let start = Instant::now();
    let model = Model::<N>::load(path, &Device::Cpu)?;
    let load_ms = start.elapsed().as_secs_f64() * 1e3;
    let x = inputs::<N>(batch)?;
    let once = || -> Outcome<f64> {
        let start = Instant::now();
        let outputs = model.forward_raw(x.clone())?;
        drop(outputs);
        Ok(start.elapsed().as_secs_f64())
    };
    let mut warm_up = Vec::new();
    while warm_up.is_empty() || (warm_up.iter().sum::<f64>() < WARM_UP_SECS && warm_up.len() < 50) {
        warm_up.push(once()?);
    }
    let runs = ((BUDGET_SECS / median(&mut warm_up)) as usize).clamp(min_runs, MAX_RUNS.max(min_runs));
    let mut times = (0..runs).map(|_| once()).collect::<Outcome<Vec<f64>>>()?;
    Ok(Measured { median_ms: median(&mut times) * 1e3, runs, load_ms })
}

/// Profiles `runs` passes after a warm-up; prints each op's median total
/// and the 12 slowest steps by median.
fn profile<N: Runnable>(path: &Path, batch: usize, runs: usize) -> Outcome<()> {
    let model = Model::<N>::load(path, &Device::Cpu)?;
    let x = inputs::<N>(batch)?;
    for _ in 0..3 {
        model.forward_raw(x.clone())?;
    }
    let passes = (0..runs.max(1)).map(|_| model.profile(x.clone())).collect::<Result<Vec<_>, _>>()?;
    let step_ms = |index: usize| {
        let mut times: Vec<f64> = passes.iter().map(|pass| pass[index].time.as_secs_f64() * 1e3).collect();
        median(&mut times)
    };
    let steps = &passes[0];
    let medians: Vec<f64> = (0..steps.len()).map(step_ms).collect();
    let total: f64 = medians.iter().sum();
    println!("{} steps, batch {batch}, {} threads: {total:.2} ms (sum of step medians)", steps.len(), threads());
    let mut by_op: Vec<(&str, f64, usize)> = Vec::new();
    for (step, &ms) in steps.iter().zip(&medians).filter(|(step, _)| !step.folded) {
        match by_op.iter_mut().find(|(op, _, _)| *op == step.op) {
            Some(entry) => (entry.1, entry.2) = (entry.1 + ms, entry.2 + 1),
            None => by_op.push((step.op, ms, 1)),
        }
    }
    by_op.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("| op | steps | ms | share |\n| --- | ---: | ---: | ---: |");
    for (op, ms, count) in by_op {
        println!("| {op} | {count} | {ms:.2} | {:.1}% |", 100.0 * ms / total);
    }
    let mut order: Vec<usize> = (0..steps.len()).collect();
    order.sort_by(|&a, &b| medians[b].total_cmp(&medians[a]));
    println!("\n| step | op | output | ms |\n| --- | --- | --- | ---: |");
    for &index in order.iter().take(12) {
        let step = &steps[index];
        println!("| `{}` | {} | {:?} | {:.3} |", step.path, step.op, step.shape, medians[index]);
    }
    Ok(())
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let middle = times.len() / 2;
    if times.len().is_multiple_of(2) {
        (times[middle - 1] + times[middle]) / 2.0
    } else {
        times[middle]
    }
}

/// The process's peak resident memory in KiB (`VmHWM`), 0 where unknown.
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn threads() -> usize {
    netshape::runtime::candle_core::utils::get_num_threads()
}

fn print(case: &Case, batch: usize, measured: &Measured) {
    println!(
        "{} {batch} {} {:.4} {} {:.1} {} {} {}",
        case.name,
        threads(),
        measured.median_ms,
        measured.runs,
        measured.load_ms,
        peak_kb(),
        case.mult_adds,
        case.bias_adds
    );
}

fn find(name: &str) -> Outcome<Case> {
    cases().into_iter().find(|case| case.name == name).ok_or_else(|| format!("no case `{name}`").into())
}

fn main() -> Outcome<()> {
    let min_runs = std::env::var("RUNS").ok().and_then(|runs| runs.parse().ok()).unwrap_or(DEFAULT_RUNS);
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| !arg.starts_with("--")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => {
            let dir = std::env::temp_dir().join(format!("netshape-forward-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let result = (|| -> Outcome<()> {
                for case in cases() {
                    let path = checkpoint(&dir, case.name);
                    (case.save)(&path)?;
                    for &batch in case.batches {
                        print(&case, batch, &(case.run)(&path, batch, min_runs)?);
                    }
                }
                Ok(())
            })();
            std::fs::remove_dir_all(&dir)?;
            result
        }
        ["cases"] => {
            for case in cases() {
                let batches: Vec<String> = case.batches.iter().map(usize::to_string).collect();
                println!("{} {} {} {} {}", case.name, batches.join(","), case.mult_adds, case.bias_adds, case.params);
            }
            Ok(())
        }
        ["save", name, dir] => {
            let case = find(name)?;
            (case.save)(&checkpoint(Path::new(dir), case.name))
        }
        ["run", name, batch, dir] => {
            let case = find(name)?;
            let batch = batch.parse()?;
            let measured = (case.run)(&checkpoint(Path::new(dir), case.name), batch, min_runs)?;
            print(&case, batch, &measured);
            Ok(())
        }
        ["profile", name, batch, dir] => {
            let case = find(name)?;
            (case.profile)(&checkpoint(Path::new(dir), case.name), batch.parse()?, min_runs)
        }
        _ => Err("usage: forward [cases | save NAME DIR | run NAME BATCH DIR | profile NAME BATCH DIR]".into()),
    }
}
