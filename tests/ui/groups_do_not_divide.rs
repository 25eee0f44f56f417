use netshape::network;

network! {
    pub struct Net {
        input: [24, 16, 16],
        depthwise: Conv2d(24, 36, kernel_size = 3, groups = 8),
    }
}

fn main() {}
