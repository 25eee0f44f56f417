use netshape::network;

network! {
    pub struct Net {
        input: [3, 64, 64],
        conv1: Conv2d(3, 16, kernel_size = 3, stride = 2, padding = "same"),
    }
}

fn main() {}
