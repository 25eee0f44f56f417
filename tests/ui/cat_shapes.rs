use netshape::network;

network! {
    pub struct Net {
        input: [16, 32, 32],
        cat(
            dim = 1,
            [Conv2d(16, 32, 3, padding = 1)],
            [Conv2d(16, 32, 3, stride = 2, padding = 1)],
        ),
    }
}

fn main() {}
