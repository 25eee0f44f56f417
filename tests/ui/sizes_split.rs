// The runtime splits at the sizes the program holds: a split along a dim that
// varies is refused.
use netshape::network;

network! {
    pub struct Net {
        input: [8, L = 16] where L in 2..=64, L % 2 == 0,
        let (first, second) = chunk(2, dim = 2),
        add(first, second),
    }
}

fn main() {}
