use netshape::network;

network! {
    pub struct Net {
        input: [6, 16, 16],
        shuffle: PixelShuffle(2),
    }
}

fn main() {}
