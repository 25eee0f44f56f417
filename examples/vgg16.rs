//! torchvision's `vgg16` (configuration "D", no batch norm) at 224×224.
//! `cargo run --example vgg16` prints the table torchsummary prints for
//! `torchvision.models.vgg16()`, byte for byte, and the `state_dict` keys are
//! torchvision's (`features.0.weight` … `classifier.6.bias`).

use netshape::network;

network! {
    /// VGG16: thirteen 3×3 convolutions in five stages, then three linear layers.
    pub struct Vgg16 {
        input: [3, 224, 224],
        features: [
            Conv2d(3, 64, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            Conv2d(64, 64, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(64, 128, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            Conv2d(128, 128, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(128, 256, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            for _ in 0..2 {
                Conv2d(256, 256, kernel_size = 3, padding = 1),
                ReLU(inplace = true),
            }
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(256, 512, kernel_size = 3, padding = 1),
            ReLU(inplace = true),
            for _ in 0..2 {
                Conv2d(512, 512, kernel_size = 3, padding = 1),
                ReLU(inplace = true),
            }
            MaxPool2d(kernel_size = 2, stride = 2),
            for _ in 0..3 {
                Conv2d(512, 512, kernel_size = 3, padding = 1),
                ReLU(inplace = true),
            }
            MaxPool2d(kernel_size = 2, stride = 2),
        ],
        avgpool: AdaptiveAvgPool2d((7, 7)),
        flatten(1),
        classifier: [
            Linear(512 * 7 * 7, 4096),
            ReLU(true),
            Dropout(p = 0.5),
            Linear(4096, 4096),
            ReLU(true),
            Dropout(p = 0.5),
            Linear(4096, 1000),
        ],
    }
}

const _: () = assert!(Vgg16::TOTAL_PARAMS == 138_357_544);

fn main() {
    print!("{}", Vgg16::SUMMARY);
}
