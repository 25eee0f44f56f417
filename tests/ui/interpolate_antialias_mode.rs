use netshape::network;

network! {
    pub struct Net {
        input: [3, 8, 8],
        interpolate(size = 4, mode = "nearest", antialias = true),
    }
}

fn main() {}
