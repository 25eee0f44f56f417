use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv1: Conv2d(3, 32, kernel_size = 3, padding = 1, bias = false),
        bn1: BatchNorm2d(64),
        relu: ReLU(inplace = true),
    }
}

fn main() {}
