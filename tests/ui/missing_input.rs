use netshape::network;

network! {
    pub struct Net {
        conv1: Conv2d(3, 16, kernel_size = 3),
    }
}

fn main() {}
