//! torchvision's `mnasnet1_0` at 224×224: MNASNet's B1 variant, stacks of
//! inverted residuals found by architecture search. `cargo run --example
//! mnasnet1_0` prints torchsummary's table for it.

use netshape::network;

network! {
    /// torchvision's `_InvertedResidual`: expand, depthwise convolve, project
    /// (no activation after the projection); a shortcut when the shape is kept.
    pub block _InvertedResidual(in_ch, out_ch, kernel_size, stride, expansion_factor, bn_momentum = 0.1) {
        const mid_ch = in_ch * expansion_factor,
        let out = layers: [
            // Pointwise
            Conv2d(in_ch, mid_ch, 1, bias = false),
            BatchNorm2d(mid_ch, momentum = bn_momentum),
            ReLU(inplace = true),
            // Depthwise
            Conv2d(
                mid_ch, mid_ch, kernel_size, padding = kernel_size / 2, stride = stride, groups = mid_ch, bias = false,
            ),
            BatchNorm2d(mid_ch, momentum = bn_momentum),
            ReLU(inplace = true),
            // Linear pointwise
            Conv2d(mid_ch, out_ch, 1, bias = false),
            BatchNorm2d(out_ch, momentum = bn_momentum),
        ],
        if in_ch == out_ch && stride == 1 { add(out, input) } else { out },
    }

    /// MNASNet with depth multiplier 1.0: the depths `_get_depths(1.0)` gives
    /// are the base depths 32, 16, 24, 40, 80, 96, 192, 320 unchanged.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct MNASNet {
        input: [3, 224, 224],
        // TensorFlow's batch norm momentum 0.9997, in PyTorch's convention.
        const _BN_MOMENTUM = 1.0 - 0.9997,
        layers: [
            // First layer: regular conv.
            Conv2d(3, 32, 3, padding = 1, stride = 2, bias = false),
            BatchNorm2d(32, momentum = _BN_MOMENTUM),
            ReLU(inplace = true),
            // Depthwise separable, no skip.
            Conv2d(32, 32, 3, padding = 1, stride = 1, groups = 32, bias = false),
            BatchNorm2d(32, momentum = _BN_MOMENTUM),
            ReLU(inplace = true),
            Conv2d(32, 16, 1, padding = 0, stride = 1, bias = false),
            BatchNorm2d(16, momentum = _BN_MOMENTUM),
            // MNASNet blocks: `_stack(in_ch, out_ch, kernel_size, stride, exp_factor, repeats, bn_momentum)`
            // is a plain `nn.Sequential` (no row): a first residual with the stride and the new width,
            // then `repeats - 1` that keep the shape.
            Sequential(
                _InvertedResidual(16, 24, 3, 2, 3, bn_momentum = _BN_MOMENTUM),
                for _ in 1..3 { _InvertedResidual(24, 24, 3, 1, 3, bn_momentum = _BN_MOMENTUM) }
            ),
            Sequential(
                _InvertedResidual(24, 40, 5, 2, 3, bn_momentum = _BN_MOMENTUM),
                for _ in 1..3 { _InvertedResidual(40, 40, 5, 1, 3, bn_momentum = _BN_MOMENTUM) }
            ),
            Sequential(
                _InvertedResidual(40, 80, 5, 2, 6, bn_momentum = _BN_MOMENTUM),
                for _ in 1..3 { _InvertedResidual(80, 80, 5, 1, 6, bn_momentum = _BN_MOMENTUM) }
            ),
            Sequential(
                _InvertedResidual(80, 96, 3, 1, 6, bn_momentum = _BN_MOMENTUM),
                for _ in 1..2 { _InvertedResidual(96, 96, 3, 1, 6, bn_momentum = _BN_MOMENTUM) }
            ),
            Sequential(
                _InvertedResidual(96, 192, 5, 2, 6, bn_momentum = _BN_MOMENTUM),
                for _ in 1..4 { _InvertedResidual(192, 192, 5, 1, 6, bn_momentum = _BN_MOMENTUM) }
            ),
            Sequential(_InvertedResidual(192, 320, 3, 1, 6, bn_momentum = _BN_MOMENTUM)),
            // Final mapping to classifier input.
            Conv2d(320, 1280, 1, padding = 0, stride = 1, bias = false),
            BatchNorm2d(1280, momentum = _BN_MOMENTUM),
            ReLU(inplace = true),
        ],
        mean(dim = (2, 3)),                     // `x.mean([2, 3])`: global average pool, H and W removed
        classifier: [Dropout(p = 0.2, inplace = true), Linear(1280, 1000)],
    }
}

const _: () = assert!(MNASNet::TOTAL_PARAMS == 4_383_312);

fn main() {
    print!("{}", MNASNet::SUMMARY);
}
