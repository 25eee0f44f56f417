use netshape::network;

network! {
    pub struct Net {
        input: [64],
        fc: Linear(64, 10, true, 4),
    }
}

fn main() {}
