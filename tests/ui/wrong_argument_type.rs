use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv1: Conv2d(3, 16, kernel_size = "3"),
        bn1: BatchNorm2d(16, affine = 1),
        pool: MaxPool2d((2, 2, 2)),
    }
}

fn main() {}
