//! Convolutions: cut into tiles of output positions, each of which gathers
//! its windows (im2col) into a per-thread buffer that stays in cache,
//! multiplies them by the weight with one `gemm` call, and gets its bias and
//! clamp while it is still in cache. A 1×1 convolution reads its input in
//! place, and a depthwise one runs as a direct loop per plane.

use std::cell::RefCell;

use super::super::backend::Conv2d;
use super::{clamp_all, inside, parallel, product, threads, Matrix, Shared};

/// Floats of im2col buffer a tile aims at (256 KB, about a quarter of an L2).
const TILE_FLOATS: usize = 1 << 16;
/// The fewest output positions a tile gets when there is work enough.
const MIN_TILE: usize = 64;
/// The output positions a product of several small samples aims at.
const BUNDLE_COLUMNS: usize = 1024;

thread_local! {
    /// Each pool thread's im2col buffer, kept between calls.
    static SCRATCH: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// `conv`'s output for `x` `[N, C, H, W]` and `weight` `[O, C/groups, kh,
/// kw]`, both row-major: `[N, O, oh, ow]`, row-major, with `bias` (one per
/// output channel) added and every value limited to `clamp`.
pub fn conv2d(
    x: &[f32],
    [batch, channels, height, width]: [usize; 4],
    weight: &[f32],
    [outputs, per_group, kh, kw]: [usize; 4],
    bias: Option<&[f32]>,
    conv: &Conv2d,
    clamp: Option<[f32; 2]>,
) -> Result<Vec<f32>, String> {
    let groups = conv.groups;
    let [oh, ow] = conv.out;
    if groups == 0 || per_group * groups != channels || outputs % groups != 0 {
        return Err(format!("{outputs} outputs of {per_group} channels in {groups} groups for {channels} channels"));
    }
    if conv.stride.contains(&0) || conv.dilation.contains(&0) {
        return Err("a stride or dilation of 0".to_owned());
    }
    let sizes =
        [(x.len(), [batch, channels, height, width], "input"), (weight.len(), [outputs, per_group, kh, kw], "weight")];
    for (len, dims, what) in sizes {
        if Some(len) != dims.iter().try_fold(1usize, |total, &dim| total.checked_mul(dim)) {
            return Err(format!("the {what} holds {len} values, not {dims:?}"));
        }
    }
    if bias.is_some_and(|bias| bias.len() != outputs) {
        return Err(format!("a bias of {} values for {outputs} outputs", bias.map_or(0, <[f32]>::len)));
    }
    let positions = oh.checked_mul(ow).ok_or("the output is too large")?;
    let total = [batch, outputs, positions].iter().try_fold(1usize, |total, &dim| total.checked_mul(dim));
    let mut y = vec![0f32; total.ok_or("the output is too large")?];
    if y.is_empty() {
        return Ok(y);
    }
    let shape = Shape { batch, channels, height, width, outputs, per_group, kernel: [kh, kw], positions };
    let filter = Filter { weight, bias, clamp };
    // A depthwise convolution (one input channel per group; a single input
    // channel is a plain product of few columns, faster as such).
    if per_group == 1 && groups == channels && groups > 1 {
        depthwise(x, &filter, &shape, conv, &mut y);
    } else {
        tiled(x, &filter, &shape, conv, &mut y);
    }
    Ok(y)
}

/// A convolution's sizes, checked against its slices.
struct Shape {
    batch: usize,
    channels: usize,
    height: usize,
    width: usize,
    outputs: usize,
    per_group: usize,
    kernel: [usize; 2],
    positions: usize,
}

impl Shape {
    /// Output channels per group.
    fn per_out(&self, conv: &Conv2d) -> usize {
        self.outputs / conv.groups
    }

    /// The im2col rows of one group: its input channels times the window.
    fn depth(&self) -> usize {
        self.per_group * self.kernel[0] * self.kernel[1]
    }
}

/// A convolution's weight `[O, C/groups, kh, kw]`, its bias and the clamp
/// of a folded activation.
struct Filter<'a> {
    weight: &'a [f32],
    bias: Option<&'a [f32]>,
    clamp: Option<[f32; 2]>,
}

/// Blocks of output channels (a multiple of 16, and how many) so that
/// `units` jobs per block reach `threads` jobs: each thread then reads only
/// its part of the weight.
fn out_blocks(per_out: usize, units: usize, threads: usize) -> (usize, usize) {
    let blocks = if units < threads { threads.div_ceil(units.max(1)).min(per_out.div_ceil(16)).max(1) } else { 1 };
    let block = (per_out.div_ceil(blocks).div_ceil(16) * 16).clamp(1, per_out.max(1));
    (block, per_out.div_ceil(block).max(1))
}

/// How a convolution's output is cut into jobs: tiles of output positions
/// whose im2col buffer is about [`TILE_FLOATS`] (multiples of 16, the
/// matrix kernel's width), cut finer until every thread has a few, and blocks
/// of output channels when the positions are too few to go round (each
/// thread then reads only its part of the weight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Jobs {
    tile: usize,
    tiles: usize,
    block: usize,
    blocks: usize,
}

impl Jobs {
    fn new(depth: usize, positions: usize, per_out: usize, planes: usize, threads: usize) -> Jobs {
        let round = |value: usize| value.div_ceil(16) * 16;
        let by_cache = (TILE_FLOATS / depth.max(1)).max(MIN_TILE);
        let mut tiles = positions.div_ceil(by_cache).max(1);
        let wanted = 4 * threads;
        if planes * tiles < wanted {
            tiles = tiles.max(wanted.div_ceil(planes)).min(positions.div_ceil(MIN_TILE)).max(1);
        }
        let tile = round(positions.div_ceil(tiles)).min(positions).max(1);
        let tiles = positions.div_ceil(tile).max(1);
        let (block, blocks) = out_blocks(per_out, planes * tiles, threads);
        Jobs { tile, tiles, block, blocks }
    }

    fn count(&self, planes: usize) -> usize {
        planes * self.blocks * self.tiles
    }
}

/// A grouped or plain convolution, job by job: im2col, one product, bias and clamp.
fn tiled(x: &[f32], filter: &Filter<'_>, shape: &Shape, conv: &Conv2d, y: &mut [f32]) {
    let (groups, per_out, depth, positions) = (conv.groups, shape.per_out(conv), shape.depth(), shape.positions);
    let Filter { weight, bias, clamp } = *filter;
    let pointwise = shape.kernel == [1, 1]
        && conv.stride == [1, 1]
        && conv.padding == [0, 0]
        && conv.out == [shape.height, shape.width];
    // Small outputs: several samples per product, as many as make about
    // `BUNDLE_COLUMNS` positions, while every thread still gets two jobs.
    if positions < 2 * MIN_TILE && shape.batch > 1 {
        let samples = BUNDLE_COLUMNS.div_ceil(positions.max(1)).min(shape.batch.div_ceil(2 * threads())).max(1);
        return bundled(x, filter, shape, conv, y, samples);
    }
    let planes = shape.batch * groups;
    let jobs = Jobs::new(depth, positions, per_out, planes, threads());
    let output = Shared(y.as_mut_ptr());
    parallel(jobs.count(planes), |job| {
        let (plane, block, tile) = (job / (jobs.blocks * jobs.tiles), job / jobs.tiles % jobs.blocks, job % jobs.tiles);
        let (sample, group) = (plane / groups, plane % groups);
        let (first, count) = (tile * jobs.tile, jobs.tile.min(positions - tile * jobs.tile));
        let (first_out, outs) = (block * jobs.block, jobs.block.min(per_out - block * jobs.block));
        let channel = group * shape.per_group;
        // The output block: rows `outs`, row stride `positions`.
        let start = (sample * shape.outputs + group * per_out + first_out) * positions + first;
        let rows = |row: usize| {
            // SAFETY: row `row` of this job's block is inside `y` (the sizes
            // were checked) and no other job writes to it.
            unsafe { output.slice(start + row * positions, count) }
        };
        for row in 0..outs {
            let value = bias.map_or(0.0, |bias| bias[group * per_out + first_out + row]);
            rows(row).fill(value);
        }
        let lhs = &weight[(group * per_out + first_out) * depth..][..outs * depth];
        let multiply = |rhs: &[f32], rhs_row: usize| {
            // SAFETY: `lhs` is `outs × depth` and `rhs` `depth × count` with
            // row stride `rhs_row`, both read-only; the block is this job's alone.
            unsafe {
                let (lhs, rhs) = (
                    Matrix { start: lhs.as_ptr(), row: depth, column: 1 },
                    Matrix { start: rhs.as_ptr(), row: rhs_row, column: 1 },
                );
                product([outs, depth, count], output.at(start), positions, lhs, rhs, true)
            }
        };
        if pointwise {
            let plane = &x[(sample * shape.channels + channel) * positions..][..shape.per_group * positions];
            multiply(&plane[first..], positions);
        } else {
            SCRATCH.with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                if scratch.len() < depth * count {
                    scratch.resize(depth * count, 0.0);
                }
                let columns = &mut scratch[..depth * count];
                gather(x, shape, conv, sample, channel, [first, count], count, columns);
                multiply(columns, count);
            });
        }
        if let Some(bounds) = clamp {
            for row in 0..outs {
                clamp_all(rows(row), bounds);
            }
        }
    });
}

/// A convolution with small outputs, `samples` whole samples per job: their
/// windows side by side in one im2col buffer, one product into a buffer of
/// the job's own, then each sample's part copied out with bias and clamp.
fn bundled(x: &[f32], filter: &Filter<'_>, shape: &Shape, conv: &Conv2d, y: &mut [f32], samples: usize) {
    let (groups, per_out, depth, positions) = (conv.groups, shape.per_out(conv), shape.depth(), shape.positions);
    let Filter { weight, bias, clamp } = *filter;
    let bundles = shape.batch.div_ceil(samples.max(1));
    let (block, blocks) = out_blocks(per_out, bundles * groups, threads());
    let output = Shared(y.as_mut_ptr());
    parallel(bundles * groups * blocks, |job| {
        let (bundle, group, block_index) = (job / (groups * blocks), job / blocks % groups, job % blocks);
        let first_sample = bundle * samples;
        let count_samples = samples.min(shape.batch - first_sample);
        let count = count_samples * positions;
        let (first_out, outs) = (block_index * block, block.min(per_out - block_index * block));
        let channel = group * shape.per_group;
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let needed = (depth + outs) * count;
            if scratch.len() < needed {
                scratch.resize(needed, 0.0);
            }
            let (columns, products) = scratch[..needed].split_at_mut(depth * count);
            for k in 0..count_samples {
                let segment = &mut columns[k * positions..];
                gather(x, shape, conv, first_sample + k, channel, [0, positions], count, segment);
            }
            let lhs = &weight[(group * per_out + first_out) * depth..][..outs * depth];
            // SAFETY: `lhs` is `outs × depth`, `columns` `depth × count` and
            // `product` `outs × count`, all row-major and in bounds.
            unsafe {
                let lhs = Matrix { start: lhs.as_ptr(), row: depth, column: 1 };
                let rhs = Matrix { start: columns.as_ptr(), row: count, column: 1 };
                product([outs, depth, count], products.as_mut_ptr(), count, lhs, rhs, false)
            }
            for k in 0..count_samples {
                let sample = first_sample + k;
                for row in 0..outs {
                    let out_channel = group * per_out + first_out + row;
                    // SAFETY: this sample's row of this output channel is
                    // inside `y` and this job's alone.
                    let target = unsafe { output.slice((sample * shape.outputs + out_channel) * positions, positions) };
                    let shift = bias.map_or(0.0, |bias| bias[out_channel]);
                    let source = &products[row * count + k * positions..][..positions];
                    for (value, &computed) in target.iter_mut().zip(source) {
                        *value = computed + shift;
                    }
                    if let Some(bounds) = clamp {
                        clamp_all(target, bounds);
                    }
                }
            }
        });
    });
}

/// im2col for one tile: row `(c, i, j)` of `columns` (`count` wide, rows
/// `row_stride` apart) holds `x[sample, channel + c, y·s₀ + i·d₀ − p₀, x·s₁ +
/// j·d₁ − p₁]` (zero outside) for the output positions `first..first + count`.
#[allow(clippy::too_many_arguments)]
fn gather(
    x: &[f32],
    shape: &Shape,
    conv: &Conv2d,
    sample: usize,
    channel: usize,
    [first, count]: [usize; 2],
    row_stride: usize,
    columns: &mut [f32],
) {
    let ([kh, kw], [_, ow]) = (shape.kernel, conv.out);
    let (height, width) = (shape.height, shape.width);
    for index in 0..shape.per_group * kh * kw {
        let row = &mut columns[index * row_stride..][..count];
        let (c, offset) = (index / (kh * kw), index % (kh * kw));
        let (i, j) = (offset / kw, offset % kw);
        let plane = &x[(sample * shape.channels + channel + c) * height * width..][..height * width];
        // The same columns of every line are inside: found once per row.
        let shift = (j * conv.dilation[1]) as isize - conv.padding[1] as isize;
        let valid = inside(width, shift, conv.stride[1]);
        let (mut out_y, mut out_x) = (first / ow, first % ow);
        let mut filled = 0;
        while filled < row.len() {
            let run = (ow - out_x).min(row.len() - filled);
            let target = &mut row[filled..filled + run];
            let source_y = (out_y * conv.stride[0] + i * conv.dilation[0]) as isize - conv.padding[0] as isize;
            if source_y < 0 || source_y >= height as isize {
                target.fill(0.0);
            } else {
                let line = &plane[source_y as usize * width..][..width];
                copy_strided(line, shift, conv.stride[1], valid, out_x, target);
            }
            filled += run;
            out_x += run;
            if out_x == ow {
                (out_x, out_y) = (0, out_y + 1);
            }
        }
    }
}

/// `target[t] = line[(from + t)·stride + shift]`, zero where that is outside
/// the line: outside the columns `valid` ([`inside`]).
fn copy_strided(
    line: &[f32],
    shift: isize,
    stride: usize,
    (valid_from, valid_to): (usize, usize),
    from: usize,
    target: &mut [f32],
) {
    let begin = valid_from.clamp(from, from + target.len()) - from;
    let end = valid_to.clamp(from + begin, from + target.len()) - from;
    target[..begin].fill(0.0);
    target[end..].fill(0.0);
    if begin < end {
        let start = ((from + begin) * stride) as isize + shift;
        let source = &line[start as usize..];
        if stride == 1 {
            target[begin..end].copy_from_slice(&source[..end - begin]);
        } else {
            for (value, source) in target[begin..end].iter_mut().zip(source.iter().step_by(stride)) {
                *value = *source;
            }
        }
    }
}

/// A depthwise convolution: each output plane from one input plane, directly.
fn depthwise(x: &[f32], filter: &Filter<'_>, shape: &Shape, conv: &Conv2d, y: &mut [f32]) {
    let Filter { weight, bias, clamp } = *filter;
    let ([kh, kw], [_, ow]) = (shape.kernel, conv.out);
    let (height, width) = (shape.height, shape.width);
    let multiplier = shape.outputs / shape.channels.max(1);
    let planes = Shared(y.as_mut_ptr());
    parallel(shape.batch * shape.outputs, |index| {
        // SAFETY: plane `index` is inside `y` (the sizes were checked) and this job's alone.
        let output = unsafe { planes.slice(index * shape.positions, shape.positions) };
        let (sample, out_channel) = (index / shape.outputs, index % shape.outputs);
        let channel = out_channel / multiplier.max(1);
        let plane = &x[(sample * shape.channels + channel) * height * width..][..height * width];
        let kernel = &weight[out_channel * kh * kw..][..kh * kw];
        output.fill(bias.map_or(0.0, |bias| bias[out_channel]));
        for (out_y, row) in output.chunks_mut(ow.max(1)).enumerate() {
            for i in 0..kh {
                let source_y = (out_y * conv.stride[0] + i * conv.dilation[0]) as isize - conv.padding[0] as isize;
                if source_y < 0 || source_y >= height as isize {
                    continue;
                }
                let line = &plane[source_y as usize * width..][..width];
                for j in 0..kw {
                    let tap = kernel[i * kw + j];
                    let shift = (j * conv.dilation[1]) as isize - conv.padding[1] as isize;
                    let (first, last) = inside(width, shift, conv.stride[1]);
                    let last = last.min(ow);
                    if first >= last {
                        continue;
                    }
                    let start = ((first * conv.stride[1]) as isize + shift) as usize;
                    let (row, sources) = (&mut row[first..last], &line[start..]);
                    if conv.stride[1] == 1 {
                        // Contiguous: vectorised.
                        let count = row.len();
                        for (value, &source) in row.iter_mut().zip(&sources[..count]) {
                            *value += source * tap;
                        }
                    } else {
                        for (value, &source) in row.iter_mut().zip(sources.iter().step_by(conv.stride[1])) {
                            *value += source * tap;
                        }
                    }
                }
            }
        }
        if let Some(bounds) = clamp {
            clamp_all(output, bounds);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::values;
    use super::*;

    /// The convolution by its definition, one output at a time.
    fn reference(x: &[f32], dims: [usize; 4], weight: &[f32], w_dims: [usize; 4], conv: &Conv2d) -> Vec<f32> {
        let [batch, channels, height, width] = dims;
        let [outputs, per_group, kh, kw] = w_dims;
        let [oh, ow] = conv.out;
        let per_out = outputs / conv.groups;
        let mut y = vec![0f32; batch * outputs * oh * ow];
        for n in 0..batch {
            for o in 0..outputs {
                let group = o / per_out;
                for (oy, ox) in (0..oh).flat_map(|oy| (0..ow).map(move |ox| (oy, ox))) {
                    let mut sum = 0f32;
                    for (c, i, j) in
                        (0..per_group).flat_map(|c| (0..kh).flat_map(move |i| (0..kw).map(move |j| (c, i, j))))
                    {
                        let sy = (oy * conv.stride[0] + i * conv.dilation[0]) as isize - conv.padding[0] as isize;
                        let sx = (ox * conv.stride[1] + j * conv.dilation[1]) as isize - conv.padding[1] as isize;
                        if sy < 0 || sx < 0 || sy >= height as isize || sx >= width as isize {
                            continue;
                        }
                        let channel = group * per_group + c;
                        let value = x[((n * channels + channel) * height + sy as usize) * width + sx as usize];
                        sum += value * weight[((o * per_group + c) * kh + i) * kw + j];
                    }
                    y[((n * outputs + o) * oh + oy) * ow + ox] = sum;
                }
            }
        }
        y
    }

    #[test]
    fn tiles_agree_with_the_definition() {
        // (input, weight dims, stride, dilation, padding, groups)
        type Case = ([usize; 4], [usize; 4], [usize; 2], [usize; 2], [usize; 2], usize);
        let cases: [Case; 12] = [
            // Small outputs over a batch: several samples per product.
            ([5, 3, 4, 4], [4, 3, 3, 3], [1, 1], [1, 1], [1, 1], 1),
            ([70, 4, 3, 5], [6, 2, 2, 2], [1, 2], [1, 1], [0, 1], 2),
            // Few positions, many outputs: blocks of output channels.
            ([1, 8, 4, 4], [40, 8, 3, 3], [1, 1], [1, 1], [1, 1], 1),
            ([1, 8, 3, 3], [36, 4, 1, 1], [1, 1], [1, 1], [0, 0], 2),
            ([2, 3, 9, 11], [4, 3, 3, 3], [1, 1], [1, 1], [1, 1], 1),
            ([1, 4, 13, 7], [6, 2, 3, 2], [2, 1], [1, 2], [2, 0], 2),
            ([3, 5, 8, 8], [7, 5, 1, 1], [1, 1], [1, 1], [0, 0], 1),
            ([2, 5, 8, 8], [7, 5, 1, 1], [2, 2], [1, 1], [0, 0], 1),
            ([1, 6, 10, 10], [6, 1, 3, 3], [2, 2], [1, 1], [1, 1], 6),
            ([2, 3, 10, 9], [6, 1, 3, 5], [1, 2], [2, 1], [3, 2], 3),
            ([1, 2, 40, 40], [3, 2, 7, 7], [2, 2], [1, 1], [3, 3], 1),
            ([1, 2, 3, 3], [2, 2, 5, 5], [1, 1], [1, 1], [4, 4], 1),
        ];
        for (dims, w_dims, stride, dilation, padding, groups) in cases {
            let out = [0, 1].map(|axis| {
                (dims[2 + axis] + 2 * padding[axis] - dilation[axis] * (w_dims[2 + axis] - 1) - 1) / stride[axis] + 1
            });
            let conv = Conv2d { stride, dilation, padding, out, groups };
            let x = values(dims.iter().product(), 1);
            let weight = values(w_dims.iter().product(), 7);
            let bias = values(w_dims[0], 3);
            let expected = reference(&x, dims, &weight, w_dims, &conv);
            let found = conv2d(&x, dims, &weight, w_dims, Some(&bias), &conv, Some([0.0, 0.25])).unwrap();
            let per_plane = out[0] * out[1];
            for (index, (found, expected)) in found.iter().zip(&expected).enumerate() {
                let wanted = (expected + bias[(index / per_plane) % w_dims[0]]).clamp(0.0, 0.25);
                assert!((found - wanted).abs() < 1e-5, "{dims:?} {w_dims:?} at {index}: {found} ≠ {wanted}");
            }
        }
    }

    #[test]
    fn jobs_cover_every_output_once() {
        for (depth, positions, per_out, planes, threads) in (1..40).flat_map(|positions| {
            [(9, 1, 1, 1), (576, 64, 1, 2), (4608, 512, 1, 2), (27, 64, 8, 4), (100_000, 3, 2, 1)]
                .map(|(depth, per_out, planes, threads)| (depth, positions * 7, per_out, planes, threads))
        }) {
            let jobs = Jobs::new(depth, positions, per_out, planes, threads);
            let case = (depth, positions, per_out, planes, threads, jobs);
            assert!(jobs.tiles * jobs.tile >= positions && (jobs.tiles - 1) * jobs.tile < positions, "{case:?}");
            assert!(jobs.blocks * jobs.block >= per_out && (jobs.blocks - 1) * jobs.block < per_out, "{case:?}");
        }
    }

    #[test]
    fn inconsistent_sizes_are_errors() {
        let conv = Conv2d { stride: [1, 1], dilation: [1, 1], padding: [0, 0], out: [2, 2], groups: 1 };
        let error = conv2d(&[0.0; 8], [1, 1, 3, 3], &[0.0; 4], [1, 1, 2, 2], None, &conv, None).unwrap_err();
        assert_eq!(error, "the input holds 8 values, not [1, 1, 3, 3]");
        let grouped = Conv2d { groups: 2, ..conv };
        let error = conv2d(&[0.0; 9], [1, 1, 3, 3], &[0.0; 4], [1, 1, 2, 2], None, &grouped, None).unwrap_err();
        assert_eq!(error, "1 outputs of 1 channels in 2 groups for 1 channels");
    }
}
