// `flatten` of a map whose height and width vary makes a dim of both.
use netshape::network;

network! {
    pub struct Net {
        input: [3, H = 32, W = 32] where H in 16..=64, W in 16..=64,
        Conv2d(3, 8, 3, padding = 1),
        flatten(1),
    }
}

fn main() {}
