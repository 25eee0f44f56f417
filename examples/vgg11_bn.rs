//! torchvision's `vgg11_bn` (configuration "A", with batch norm) at 224×224.
//! `cargo run --example vgg11_bn` prints the table torchsummary prints for
//! `torchvision.models.vgg11_bn()`, byte for byte.

use netshape::network;

network! {
    /// VGG11 with batch norm: eight 3×3 convolutions, each followed by
    /// `BatchNorm2d` and `ReLU` (`make_layers(cfgs["A"], batch_norm=True)`),
    /// in five stages, then three linear layers.
    pub struct Vgg11Bn {
        input: [3, 224, 224],
        // torchvision keeps the conv biases that the batch norms cancel.
        #[allow(netshape::bias_before_norm)]
        features: [
            Conv2d(3, 64, kernel_size = 3, padding = 1),
            BatchNorm2d(64),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(64, 128, kernel_size = 3, padding = 1),
            BatchNorm2d(128),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(128, 256, kernel_size = 3, padding = 1),
            BatchNorm2d(256),
            ReLU(inplace = true),
            Conv2d(256, 256, kernel_size = 3, padding = 1),
            BatchNorm2d(256),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            Conv2d(256, 512, kernel_size = 3, padding = 1),
            BatchNorm2d(512),
            ReLU(inplace = true),
            Conv2d(512, 512, kernel_size = 3, padding = 1),
            BatchNorm2d(512),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 2, stride = 2),
            for _ in 0..2 {
                Conv2d(512, 512, kernel_size = 3, padding = 1),
                BatchNorm2d(512),
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

const _: () = assert!(Vgg11Bn::TOTAL_PARAMS == 132_868_840);

fn main() {
    print!("{}", Vgg11Bn::SUMMARY);
}
