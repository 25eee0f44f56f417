//! torchvision's `inception_v3` at 299×299, as built with `aux_logits=False,
//! init_weights=False` (so `transform_input=False` and no `AuxLogits`).
//! `cargo run --example inception_v3` prints torchsummary's table for it.

use netshape::network;

network! {
    /// torchvision's `BasicConv2d`: a convolution without bias, a batch norm
    /// with `eps=0.001`, and a functional `F.relu(x, inplace=True)`, which is
    /// no module and so no row.
    pub block BasicConv2d(in_channels, out_channels, kernel_size, stride = 1, padding = 0) {
        conv: Conv2d(in_channels, out_channels, kernel_size, stride = stride, padding = padding, bias = false),
        bn: BatchNorm2d(out_channels, eps = 0.001),
        relu(inplace = true),
    }

    /// torchvision's `InceptionA` (35×35): 1×1, 5×5 and double 3×3 branches
    /// and a pooled 1×1, joined on the channels. The pool is `F.avg_pool2d`.
    pub block InceptionA(in_channels, pool_features) {
        cat(
            dim = 1,
            branch1x1: BasicConv2d(in_channels, 64, kernel_size = 1),
            [
                branch5x5_1: BasicConv2d(in_channels, 48, kernel_size = 1),
                branch5x5_2: BasicConv2d(48, 64, kernel_size = 5, padding = 2),
            ],
            [
                branch3x3dbl_1: BasicConv2d(in_channels, 64, kernel_size = 1),
                branch3x3dbl_2: BasicConv2d(64, 96, kernel_size = 3, padding = 1),
                branch3x3dbl_3: BasicConv2d(96, 96, kernel_size = 3, padding = 1),
            ],
            [
                avg_pool2d(kernel_size = 3, stride = 1, padding = 1),
                branch_pool: BasicConv2d(in_channels, pool_features, kernel_size = 1),
            ],
        ),
    }

    /// torchvision's `InceptionB` (35×35 to 17×17): strided 3×3 and double
    /// 3×3 branches beside a functional `F.max_pool2d`.
    pub block InceptionB(in_channels) {
        cat(
            dim = 1,
            branch3x3: BasicConv2d(in_channels, 384, kernel_size = 3, stride = 2),
            [
                branch3x3dbl_1: BasicConv2d(in_channels, 64, kernel_size = 1),
                branch3x3dbl_2: BasicConv2d(64, 96, kernel_size = 3, padding = 1),
                branch3x3dbl_3: BasicConv2d(96, 96, kernel_size = 3, stride = 2),
            ],
            [max_pool2d(kernel_size = 3, stride = 2)],
        ),
    }

    /// torchvision's `InceptionC` (17×17): 7×7 convolutions factored into
    /// 1×7 and 7×1, `channels_7x7` wide inside the branches.
    pub block InceptionC(in_channels, channels_7x7) {
        const c7 = channels_7x7,
        cat(
            dim = 1,
            branch1x1: BasicConv2d(in_channels, 192, kernel_size = 1),
            [
                branch7x7_1: BasicConv2d(in_channels, c7, kernel_size = 1),
                branch7x7_2: BasicConv2d(c7, c7, kernel_size = (1, 7), padding = (0, 3)),
                branch7x7_3: BasicConv2d(c7, 192, kernel_size = (7, 1), padding = (3, 0)),
            ],
            [
                branch7x7dbl_1: BasicConv2d(in_channels, c7, kernel_size = 1),
                branch7x7dbl_2: BasicConv2d(c7, c7, kernel_size = (7, 1), padding = (3, 0)),
                branch7x7dbl_3: BasicConv2d(c7, c7, kernel_size = (1, 7), padding = (0, 3)),
                branch7x7dbl_4: BasicConv2d(c7, c7, kernel_size = (7, 1), padding = (3, 0)),
                branch7x7dbl_5: BasicConv2d(c7, 192, kernel_size = (1, 7), padding = (0, 3)),
            ],
            [
                avg_pool2d(kernel_size = 3, stride = 1, padding = 1),
                branch_pool: BasicConv2d(in_channels, 192, kernel_size = 1),
            ],
        ),
    }

    /// torchvision's `InceptionD` (17×17 to 8×8): strided 3×3 branches beside
    /// a functional `F.max_pool2d`.
    pub block InceptionD(in_channels) {
        cat(
            dim = 1,
            [
                branch3x3_1: BasicConv2d(in_channels, 192, kernel_size = 1),
                branch3x3_2: BasicConv2d(192, 320, kernel_size = 3, stride = 2),
            ],
            [
                branch7x7x3_1: BasicConv2d(in_channels, 192, kernel_size = 1),
                branch7x7x3_2: BasicConv2d(192, 192, kernel_size = (1, 7), padding = (0, 3)),
                branch7x7x3_3: BasicConv2d(192, 192, kernel_size = (7, 1), padding = (3, 0)),
                branch7x7x3_4: BasicConv2d(192, 192, kernel_size = 3, stride = 2),
            ],
            [max_pool2d(kernel_size = 3, stride = 2)],
        ),
    }

    /// torchvision's `InceptionE` (8×8): the 3×3 branches end in a 1×3 and a
    /// 3×1 side by side, each pair joined before the outer join.
    pub block InceptionE(in_channels) {
        cat(
            dim = 1,
            branch1x1: BasicConv2d(in_channels, 320, kernel_size = 1),
            [
                branch3x3_1: BasicConv2d(in_channels, 384, kernel_size = 1),
                cat(
                    dim = 1,
                    branch3x3_2a: BasicConv2d(384, 384, kernel_size = (1, 3), padding = (0, 1)),
                    branch3x3_2b: BasicConv2d(384, 384, kernel_size = (3, 1), padding = (1, 0)),
                ),
            ],
            [
                branch3x3dbl_1: BasicConv2d(in_channels, 448, kernel_size = 1),
                branch3x3dbl_2: BasicConv2d(448, 384, kernel_size = 3, padding = 1),
                cat(
                    dim = 1,
                    branch3x3dbl_3a: BasicConv2d(384, 384, kernel_size = (1, 3), padding = (0, 1)),
                    branch3x3dbl_3b: BasicConv2d(384, 384, kernel_size = (3, 1), padding = (1, 0)),
                ),
            ],
            [
                avg_pool2d(kernel_size = 3, stride = 1, padding = 1),
                branch_pool: BasicConv2d(in_channels, 192, kernel_size = 1),
            ],
        ),
    }

    /// Inception v3 (`Inception3`): a convolutional stem, three InceptionA,
    /// a reduction, four InceptionC, a reduction, two InceptionE, and a
    /// classifier with dropout before the flatten.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct Inception3 {
        input: [3, 299, 299],
        Conv2d_1a_3x3: BasicConv2d(3, 32, kernel_size = 3, stride = 2),
        Conv2d_2a_3x3: BasicConv2d(32, 32, kernel_size = 3),
        Conv2d_2b_3x3: BasicConv2d(32, 64, kernel_size = 3, padding = 1),
        maxpool1: MaxPool2d(kernel_size = 3, stride = 2),
        Conv2d_3b_1x1: BasicConv2d(64, 80, kernel_size = 1),
        Conv2d_4a_3x3: BasicConv2d(80, 192, kernel_size = 3),
        maxpool2: MaxPool2d(kernel_size = 3, stride = 2),
        Mixed_5b: InceptionA(192, pool_features = 32),
        Mixed_5c: InceptionA(256, pool_features = 64),
        Mixed_5d: InceptionA(288, pool_features = 64),
        Mixed_6a: InceptionB(288),
        Mixed_6b: InceptionC(768, channels_7x7 = 128),
        Mixed_6c: InceptionC(768, channels_7x7 = 160),
        Mixed_6d: InceptionC(768, channels_7x7 = 160),
        Mixed_6e: InceptionC(768, channels_7x7 = 192),
        Mixed_7a: InceptionD(768),
        Mixed_7b: InceptionE(1280),
        Mixed_7c: InceptionE(2048),
        avgpool: AdaptiveAvgPool2d((1, 1)),
        dropout: Dropout(p = 0.5),
        flatten(1),
        fc: Linear(2048, 1000),
    }
}

const _: () = assert!(Inception3::TOTAL_PARAMS == 23_834_568);

fn main() {
    print!("{}", Inception3::SUMMARY);
}
