//! torchvision's `alexnet` at 224×224: five convolutions, then three linear
//! layers behind dropout. `cargo run --example alexnet` prints the table
//! torchsummary prints for `torchvision.models.alexnet()`, byte for byte.

use netshape::network;

network! {
    /// AlexNet (torchvision's single-tower variant): 64, 192, 384, 256, 256 channels.
    pub struct AlexNet {
        input: [3, 224, 224],
        features: [
            Conv2d(3, 64, kernel_size = 11, stride = 4, padding = 2),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 3, stride = 2),
            Conv2d(64, 192, kernel_size = 5, padding = 2),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 3, stride = 2),
            Conv2d(192, 384, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            Conv2d(384, 256, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            Conv2d(256, 256, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 3, stride = 2),
        ],
        // Already 6×6 at 224×224: the pool only matters for other input sizes.
        avgpool: AdaptiveAvgPool2d((6, 6)),
        flatten(1),
        // Dropout comes before each of the first two linear layers, not after.
        classifier: [
            Dropout(p = 0.5),
            Linear(256 * 6 * 6, 4096),
            ReLU(inplace = true),
            Dropout(p = 0.5),
            Linear(4096, 4096),
            ReLU(inplace = true),
            Linear(4096, 1000),
        ],
    }
}

const _: () = assert!(AlexNet::TOTAL_PARAMS == 61_100_840);

fn main() {
    print!("{}", AlexNet::SUMMARY);
}
