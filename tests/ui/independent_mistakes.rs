use netshape::network;

// Three independent mistakes, each reported once; the wrong `in_channels`
// does not make `bn1` or `fc` fail too, because `conv1` still outputs the
// 16 channels it declares.
network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(3, 16, kernel_size = 3),
        bn1: BatchNorm2d(16),
        dropout(p = 1.5),
        flatten(1),
        fc: Linear(16 * 26 * 26, 10),
        Softmax(dim = 3),
    }
}

fn main() {}
