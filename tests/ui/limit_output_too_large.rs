use netshape::network;

network! {
    pub struct Net {
        input: [3, 64, 64],
        interpolate(scale_factor = 1e30),
    }
}

fn main() {}
