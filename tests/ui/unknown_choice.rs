use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 8, kernel_size = 3, padding = 1, padding_mode = "reflection"),
    }
}

fn main() {}
