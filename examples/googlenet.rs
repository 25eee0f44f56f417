//! torchvision's `googlenet` at 224×224, as
//! `torchvision.models.googlenet(aux_logits=False, init_weights=False)` builds
//! it: no auxiliary classifiers (`aux1` and `aux2` are `None`) and no input
//! transform. `cargo run --example googlenet` prints the table torchsummary
//! prints for it, byte for byte.

use netshape::network;

network! {
    /// torchvision's `BasicConv2d`: a convolution without bias, a batch norm
    /// with `eps=0.001`, and a ReLU applied functionally
    /// (`F.relu(x, inplace=True)`), so it has no module and no row.
    pub block BasicConv2d(in_channels, out_channels, kernel_size, stride = 1, padding = 0) {
        conv: Conv2d(in_channels, out_channels, kernel_size, stride = stride, padding = padding, bias = false),
        bn: BatchNorm2d(out_channels, eps = 0.001),
        relu(inplace = true),
    }

    /// torchvision's `Inception`: four branches from the same input, joined
    /// along the channels.
    pub block Inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj) {
        cat(
            dim = 1,
            branch1: BasicConv2d(in_channels, ch1x1, kernel_size = 1),
            branch2: [
                BasicConv2d(in_channels, ch3x3red, kernel_size = 1),
                BasicConv2d(ch3x3red, ch3x3, kernel_size = 3, padding = 1),
            ],
            branch3: [
                BasicConv2d(in_channels, ch5x5red, kernel_size = 1),
                // torchvision's "5×5" branch has a 3×3 kernel, a known bug kept
                // for its weights (https://github.com/pytorch/vision/issues/906).
                BasicConv2d(ch5x5red, ch5x5, kernel_size = 3, padding = 1),
            ],
            branch4: [
                MaxPool2d(kernel_size = 3, stride = 1, padding = 1, ceil_mode = true),
                BasicConv2d(in_channels, pool_proj, kernel_size = 1),
            ],
        ),
    }

    /// GoogLeNet (Inception v1): a stem, nine inception blocks between
    /// ceil-mode max pools, and a linear classifier.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct GoogLeNet {
        input: [3, 224, 224],
        conv1: BasicConv2d(3, 64, kernel_size = 7, stride = 2, padding = 3),
        maxpool1: MaxPool2d(3, stride = 2, ceil_mode = true),
        conv2: BasicConv2d(64, 64, kernel_size = 1),
        conv3: BasicConv2d(64, 192, kernel_size = 3, padding = 1),
        maxpool2: MaxPool2d(3, stride = 2, ceil_mode = true),
        inception3a: Inception(192, 64, 96, 128, 16, 32, 32),
        inception3b: Inception(256, 128, 128, 192, 32, 96, 64),
        maxpool3: MaxPool2d(3, stride = 2, ceil_mode = true),
        inception4a: Inception(480, 192, 96, 208, 16, 48, 64),
        inception4b: Inception(512, 160, 112, 224, 24, 64, 64),
        inception4c: Inception(512, 128, 128, 256, 24, 64, 64),
        inception4d: Inception(512, 112, 144, 288, 32, 64, 64),
        inception4e: Inception(528, 256, 160, 320, 32, 128, 128),
        maxpool4: MaxPool2d(2, stride = 2, ceil_mode = true),
        inception5a: Inception(832, 256, 160, 320, 32, 128, 128),
        inception5b: Inception(832, 384, 192, 384, 48, 128, 128),
        avgpool: AdaptiveAvgPool2d((1, 1)),
        flatten(1),
        dropout: Dropout(p = 0.2),
        fc: Linear(1024, 1000),
    }
}

const _: () = assert!(GoogLeNet::TOTAL_PARAMS == 6_624_904);

fn main() {
    print!("{}", GoogLeNet::SUMMARY);
}
