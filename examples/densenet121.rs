//! torchvision's `densenet121` at 224×224: every layer of a dense block sees
//! the concatenation of all the features before it. torchsummary crashes on
//! this model (its dense layers take a list of tensors); `cargo run --example
//! densenet121` prints the table it would have printed.

use netshape::network;

network! {
    /// torchvision's `_DenseLayer`: a bottleneck that adds `growth_rate` channels.
    pub block _DenseLayer(num_input_features, growth_rate, bn_size) {
        norm1: BatchNorm2d(num_input_features),
        relu1: ReLU(inplace = true),
        conv1: Conv2d(num_input_features, bn_size * growth_rate, 1, bias = false),
        norm2: BatchNorm2d(bn_size * growth_rate),
        relu2: ReLU(inplace = true),
        conv2: Conv2d(bn_size * growth_rate, growth_rate, 3, padding = 1, bias = false),
    }

    /// torchvision's `_DenseBlock`: each layer's features joined to all before.
    pub block _DenseBlock(num_layers, num_input_features, bn_size, growth_rate) {
        for i in 0..num_layers {
            cat(
                dim = 1,
                [],
                denselayer{i + 1}: _DenseLayer(num_input_features + i * growth_rate, growth_rate, bn_size),
            ),
        }
    }

    /// DenseNet-121: growth rate 32, dense blocks of 6, 12, 24 and 16 layers.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct DenseNet121 {
        input: [3, 224, 224],
        features: [
            conv0: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
            norm0: BatchNorm2d(64),
            relu0: ReLU(inplace = true),
            pool0: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
            denseblock1: _DenseBlock(6, 64, 4, 32),
            #[class = "_Transition"]
            transition1: [norm: BatchNorm2d(256), relu: ReLU(inplace = true), conv: Conv2d(256, 128, 1, bias = false), pool: AvgPool2d(2, stride = 2)],
            denseblock2: _DenseBlock(12, 128, 4, 32),
            #[class = "_Transition"]
            transition2: [norm: BatchNorm2d(512), relu: ReLU(inplace = true), conv: Conv2d(512, 256, 1, bias = false), pool: AvgPool2d(2, stride = 2)],
            denseblock3: _DenseBlock(24, 256, 4, 32),
            #[class = "_Transition"]
            transition3: [norm: BatchNorm2d(1024), relu: ReLU(inplace = true), conv: Conv2d(1024, 512, 1, bias = false), pool: AvgPool2d(2, stride = 2)],
            denseblock4: _DenseBlock(16, 512, 4, 32),
            norm5: BatchNorm2d(1024),
        ],
        relu(inplace = true),
        adaptive_avg_pool2d((1, 1)),
        flatten(1),
        classifier: Linear(1024, 1000),
    }
}

const _: () = assert!(DenseNet121::TOTAL_PARAMS == 7_978_856);

fn main() {
    print!("{}", DenseNet121::SUMMARY);
}
