use netshape::network;

network! {
    pub struct Net {
        input: [64, 112, 112],
        maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = (1, 2)),
    }
}

fn main() {}
