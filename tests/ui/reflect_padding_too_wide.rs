use netshape::network;

network! {
    pub struct Net {
        input: [3, 4, 4],
        conv: Conv2d(3, 8, kernel_size = 3, padding = 4, padding_mode = "reflect"),
    }
}

fn main() {}
